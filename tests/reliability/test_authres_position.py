"""A trusted authserv-id is not enough: an Authentication-Results header the client wrote is its claim.

RFC 8601 §5: only the headers our own MTA added count, and it adds them above its Received header.
The forger puts `mx.example.com; dkim=pass header.d=linkedin.com` into the message it sends, so it
arrives below our MX's Received; our MX's own verdict (here dkim=none: no signature) sits above it.
A real gateway over real sockets; the MX in front of it is simulated by the headers it would add.
"""

from __future__ import annotations

import email
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.reliability.helpers import RawClient, dot_stuff
from tests.signals.conftest import SAM, fixture
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

MX = "mx.example.com"
RECEIVED = f"Received: from mail.attacker.test by {MX} (Postfix) with ESMTPS id 4Xz\r\n".encode()
PLANTED = f"Authentication-Results: {MX}; dkim=pass header.d=linkedin.com header.s=s1\r\n".encode()
OUR_VERDICT = f"Authentication-Results: {MX}; dkim=none; spf=pass smtp.mailfrom=attacker.test\r\n".encode()


@pytest.fixture
async def gw(sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    # Configured the way it was before [auth] existed, so that this test runs against older code too.
    linkedin = {"trusted_authserv_ids": [MX], "verify_dkim": False}
    gateway = await start_gateway(
        make_settings(tmp_path / "state", sink.port, signals={"linkedin": linkedin})
    )
    yield gateway
    await gateway.stop()


async def _symbols(gw: Gateway, sink: Sink, raw: bytes) -> str:
    client, _ = await RawClient.connect(gw.port)
    await client.say(b"EHLO mail.attacker.test")
    replies = await client.transaction(
        b"<messages-noreply@linkedin.com>", f"<{SAM}>".encode(), dot_stuff(raw)
    )
    await client.close()
    assert replies[-1].startswith(b"250"), replies
    return str(email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Symbols"])


def _accepted() -> bytes:
    return fixture("accepted.eml").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


async def test_results_planted_below_our_received_are_not_trusted(gw: Gateway, sink: Sink) -> None:
    symbols = await _symbols(gw, sink, OUR_VERDICT + RECEIVED + PLANTED + _accepted())
    assert "LINKEDIN_FORGED" in symbols and "LINKEDIN_NOTIFICATION" not in symbols, symbols


async def test_our_own_results_above_our_received_are_trusted(gw: Gateway, sink: Sink) -> None:
    symbols = await _symbols(gw, sink, PLANTED + RECEIVED + _accepted())
    assert "LINKEDIN_NOTIFICATION" in symbols and "LINKEDIN_FORGED" not in symbols, symbols


async def test_without_our_received_nothing_is_trusted(gw: Gateway, sink: Sink) -> None:
    # Mail that never passed our MTA (connected straight to the gateway) carries no verdict of ours.
    symbols = await _symbols(gw, sink, PLANTED + _accepted())
    assert "LINKEDIN_FORGED" in symbols, symbols
