"""A forged LinkedIn notification through the whole gateway: it must not earn the genuine-notification credit.

DNS cannot run here, so DKIM keys come from a fake resolver (the `dkim_dnsfunc` signal option) that serves
the public half of a key made for this module as linkedin.com's selector; the attacker signs with another
key. The control case, signed with the "LinkedIn" key, shows the resolver is actually consulted.
"""

from __future__ import annotations

import email
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.reliability.helpers import RawClient, dot_stuff
from tests.signals.conftest import SAM, SELECTOR, _new_key, fixture, sign
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

LINKEDIN_KEY = _new_key()
ATTACKER_KEY = _new_key()


def fake_dns(name: bytes, timeout: int = 5) -> bytes | None:
    if name == SELECTOR + b"._domainkey.linkedin.com.":
        return b"v=DKIM1; k=rsa; p=" + LINKEDIN_KEY.public_b64
    return None


@pytest.fixture
async def li_gateway(sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    dns: Callable[..., bytes | None] = fake_dns
    settings = make_settings(tmp_path / "state", sink.port, signals={"linkedin": {"dkim_dnsfunc": dns}})
    gw = await start_gateway(settings)
    yield gw
    await gw.stop()


async def _symbols(gw: Gateway, sink: Sink, raw: bytes) -> str:
    client, _ = await RawClient.connect(gw.port)
    await client.say(b"EHLO mail.attacker.test")
    sam = f"<{SAM}>".encode()
    replies = await client.transaction(b"<messages-noreply@linkedin.com>", sam, dot_stuff(raw))
    await client.close()
    assert replies[-1].startswith(b"250"), replies
    return str(email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Symbols"])


def _crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


FORGERIES: dict[str, Callable[[], bytes]] = {
    "unsigned": lambda: _crlf(fixture("accepted.eml")),
    "attacker-key": lambda: sign(fixture("accepted.eml"), ATTACKER_KEY),
    "forged-auth-results": lambda: (
        b"Authentication-Results: mx.example.com; dkim=pass header.d=linkedin.com\r\n"
        + _crlf(fixture("accepted.eml"))
    ),
    "genuine-signature-altered-body": lambda: sign(fixture("accepted.eml"), LINKEDIN_KEY).replace(
        b"Dariusz", b"Darius", 3
    ),
}


@pytest.mark.parametrize("make", FORGERIES.values(), ids=FORGERIES.keys())
async def test_forged_notification_earns_nothing(
    li_gateway: Gateway, sink: Sink, make: Callable[[], bytes]
) -> None:
    symbols = await _symbols(li_gateway, sink, make())
    assert "LINKEDIN_FORGED" in symbols
    assert "LINKEDIN_NOTIFICATION" not in symbols and "LINKEDIN_NEW_CONNECTION" not in symbols


async def test_genuine_notification_is_recognised(li_gateway: Gateway, sink: Sink) -> None:
    symbols = await _symbols(li_gateway, sink, sign(fixture("accepted.eml"), LINKEDIN_KEY))
    assert "LINKEDIN_NOTIFICATION" in symbols and "LINKEDIN_FORGED" not in symbols
