"""The Postfix in front may relay (`server.relay_checked_by`); nobody else becomes an open relay through it.

Real gateways over real sockets on loopback addresses: 127.0.0.3 is the Postfix that already checked
relaying (listed in relay_checked_by and xforward_hosts), 127.0.0.1 an arbitrary local process that is
an xforward host but not the Postfix, 127.0.0.5 any other client. What the direction is still comes from
the client Postfix names with XFORWARD ADDR; XFORWARD SOURCE=LOCAL never makes mail ours (Postfix says it
of mail local(8) forwards for an alias, with the outsider's envelope sender).
"""

from __future__ import annotations

import asyncio
import email
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.mail import make_message
from tests.reliability.helpers import RawClient, dot_stuff
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

POSTFIX, LOCAL_PROCESS, OTHER, LAN = "127.0.0.3", "127.0.0.1", "127.0.0.5", "10.1.2.3"
ALICE, PROSPECT = "alice@example.com", "prospect@customer.test"


@pytest.fixture
async def gw(sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    server = {
        "relay_checked_by": [POSTFIX],
        "xforward_hosts": [POSTFIX, LOCAL_PROCESS],
        "outbound_networks": ["10.1.0.0/16"],
    }
    gateway = await start_gateway(make_settings(tmp_path / "state", sink.port, server=server))
    yield gateway
    await gateway.stop()


async def _session(gw: Gateway, source: str, xforward: bytes) -> list[bytes]:
    """One transaction alice -> prospect from `source`, XFORWARD first; the replies."""
    reader, writer = await asyncio.open_connection("127.0.0.1", gw.port, local_addr=(source, 0))
    client = RawClient(reader, writer)
    try:
        await client.reply()
        await client.say(b"EHLO mta.example.com")
        forwarded = await client.say(b"XFORWARD " + xforward)
        raw = make_message(ALICE, PROSPECT, "Our offer", "Hi\n", message_id=f"<{source}@example.com>")
        return [
            forwarded,
            *await client.transaction(f"<{ALICE}>".encode(), f"<{PROSPECT}>".encode(), dot_stuff(raw)),
        ]
    finally:
        await client.close()


async def _learned(gw: Gateway, mid: str) -> str | None:
    return await gw.app.store.mark_get(ALICE, "msgid", mid, gw.app.clock.now())


async def test_the_relay_checking_postfix_relays_a_lan_users_mail_as_ours(gw: Gateway, sink: Sink) -> None:
    replies = await _session(gw, POSTFIX, b"ADDR=" + LAN.encode() + b" SOURCE=REMOTE")
    assert replies[0].startswith(b"250") and replies[-1].startswith(b"250"), replies
    assert email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Action"] is None  # untouched
    assert await _learned(gw, f"<{POSTFIX}@example.com>") == PROSPECT


async def test_the_postfix_relays_an_outsiders_mail_but_it_is_scanned(gw: Gateway, sink: Sink) -> None:
    # Alias forwarding: an outsider's mail with a forged local sender, re-queued by local(8) (SOURCE=LOCAL).
    replies = await _session(gw, POSTFIX, b"ADDR=[UNAVAILABLE] SOURCE=LOCAL")
    assert replies[-1].startswith(b"250"), replies
    assert email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Action"] is not None  # scanned
    assert await _learned(gw, f"<{POSTFIX}@example.com>") is None


@pytest.mark.parametrize("source", [LOCAL_PROCESS, OTHER])
async def test_no_other_local_process_relays_or_plants_consent(gw: Gateway, sink: Sink, source: str) -> None:
    replies = await _session(gw, source, b"ADDR=" + LAN.encode() + b" SOURCE=LOCAL")
    assert replies[2].startswith(b"550 5.7.1"), replies  # RCPT to outside: relay access denied
    assert sink.received == []
    assert await _learned(gw, f"<{source}@example.com>") is None


async def test_nobody_is_relay_checked_by_default(tmp_path: Path, sink: Sink) -> None:
    settings = make_settings(tmp_path / "state", sink.port)
    assert settings.server.relay_checked_by == []
    gateway = await start_gateway(settings)
    try:
        replies = await _session(gateway, LOCAL_PROCESS, b"ADDR=" + LAN.encode())
    finally:
        await gateway.stop()
    assert replies[2].startswith(b"550 5.7.1"), replies
