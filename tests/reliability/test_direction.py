"""Direction comes from who connected: a local envelope sender typed by a stranger is inbound.

Real gateways over real sockets. The loopback network has every 127.0.0.0/8 address, so a client binds
127.0.0.1 (a stranger), 127.0.0.2 (in outbound_networks) or 127.0.0.3 (the trusted MTA that may send
XFORWARD). One test runs the real `pitchgate serve` and reads its log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiosmtplib
import pytest

from tests.mail import make_message
from tests.procs import start_serve
from tests.reliability.helpers import RawClient, dot_stuff
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

STRANGER, OURS, MTA = "127.0.0.1", "127.0.0.2", "127.0.0.3"
BOB = "bob@example.com"


@pytest.fixture
async def gw(sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    # As in Postfix after-queue mode: the MTA in front may relay (its peer address is listed), and the
    # client it forwards with XFORWARD decides the direction.
    server = {"outbound_networks": [f"{OURS}/32", f"{MTA}/32"], "xforward_hosts": [MTA]}
    settings = make_settings(tmp_path / "state", sink.port, server=server)
    gateway = await start_gateway(settings)
    yield gateway
    await gateway.stop()


async def _send(gw: Gateway, raw: bytes, sender: str, rcpt: str, source: str) -> None:
    await aiosmtplib.send(
        raw, sender=sender, recipients=[rcpt], hostname="127.0.0.1", port=gw.port, source_address=(source, 0)
    )


async def _raw_client(port: int, source: str) -> RawClient:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    client = RawClient(reader, writer)
    await client.reply()
    await client.say(b"EHLO relay.example.com")
    return client


async def _learned(gw: Gateway, who: str, mid: str) -> str | None:
    return await gw.app.store.mark_get(who, "msgid", mid, gw.app.clock.now())


def _symbols(sink: Sink) -> str:
    return str(email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Symbols"] or "")


async def test_spoofed_local_sender_from_outside_is_scanned_and_plants_nothing(
    gw: Gateway, sink: Sink
) -> None:
    planted = make_message(BOB, BOB, "note to self", "Hi Bob\n", message_id="<plant@evil.test>")
    await _send(gw, planted, BOB, BOB, STRANGER)
    delivered = email.message_from_bytes(sink.received[-1].data)
    assert delivered["X-Pitchgate-Action"] is not None and delivered["X-Pitchgate-Status"] != "internal"
    assert await _learned(gw, BOB, "<plant@evil.test>") is None
    # The pitcher's "reply" to the planted id is judged like any stranger's mail: no REPLY_TO_OURS.
    pitch = make_message(
        "pitcher@evil.test",
        BOB,
        "Re: note to self",
        "Quick call?\n",
        headers={"In-Reply-To": "<plant@evil.test>"},
    )
    await _send(gw, pitch, "pitcher@evil.test", BOB, STRANGER)
    assert "REPLY_TO_OURS" not in _symbols(sink)


async def test_same_mail_from_an_outbound_network_is_ours(gw: Gateway, sink: Sink) -> None:
    out = make_message(BOB, "carol@vendor.test", "pricing", "Hi Carol\n", message_id="<out@example.com>")
    await _send(gw, out, BOB, "carol@vendor.test", OURS)
    assert sink.received[-1].data == out  # outbound: relayed untouched, not scanned
    assert await _learned(gw, BOB, "<out@example.com>") == "carol@vendor.test"
    internal = make_message(BOB, "alice@example.com", "lunch", "Hi\n", message_id="<in@example.com>")
    await _send(gw, internal, BOB, "alice@example.com", OURS)
    assert email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Status"] == "internal"


async def _xforward_transaction(client: RawClient, addr: bytes, mid: bytes) -> list[bytes]:
    forwarded = await client.say(b"XFORWARD ADDR=" + addr + b" NAME=host.example.com")
    raw = make_message(BOB, "carol@vendor.test", "pricing", "Hi Carol\n", message_id=mid.decode())
    rest = await client.transaction(f"<{BOB}>".encode(), b"<carol@vendor.test>", dot_stuff(raw))
    return [forwarded, *rest]


async def test_xforward_addr_from_the_trusted_mta_is_the_client(gw: Gateway, sink: Sink) -> None:
    client = await _raw_client(gw.port, MTA)
    try:
        replies = await _xforward_transaction(client, OURS.encode(), b"<xf@example.com>")
    finally:
        await client.close()
    assert replies[0].startswith(b"250") and replies[-1].startswith(b"250"), replies
    assert await _learned(gw, BOB, "<xf@example.com>") == "carol@vendor.test"
    assert email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Action"] is None  # untouched
    # The MTA's own address is not what counts: what it forwards from a stranger is inbound and scanned.
    client = await _raw_client(gw.port, MTA)
    try:
        replies = await _xforward_transaction(client, b"203.0.113.9", b"<xf-in@evil.test>")
    finally:
        await client.close()
    assert replies[-1].startswith(b"250"), replies
    assert await _learned(gw, BOB, "<xf-in@evil.test>") is None
    assert email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Action"] is not None


async def test_xforward_from_an_untrusted_host_is_ignored(gw: Gateway, sink: Sink) -> None:
    client = await _raw_client(gw.port, STRANGER)
    try:
        forwarded = await client.say(b"XFORWARD ADDR=" + OURS.encode())
        raw = make_message(BOB, BOB, "me", "Hi\n", message_id="<xf-spoof@evil.test>")
        replies = await client.transaction(f"<{BOB}>".encode(), f"<{BOB}>".encode(), dot_stuff(raw))
    finally:
        await client.close()
    assert forwarded.startswith(b"550"), forwarded
    assert replies[-1].startswith(b"250"), replies
    assert await _learned(gw, BOB, "<xf-spoof@evil.test>") is None
    assert email.message_from_bytes(sink.received[-1].data)["X-Pitchgate-Status"] != "internal"


async def test_serve_logs_why_mail_counted_as_ours(sink: Sink, tmp_path: Path) -> None:
    config = tmp_path / "pitchgate.toml"
    config.write_text(f'[server]\noutbound_networks = ["{OURS}/32"]\n')
    proc, port, _ = await start_serve(
        tmp_path / "state", sink.port, "--config", str(config), "--log-format", "json"
    )
    try:
        spoof = make_message(BOB, BOB, "self", "Hi\n", message_id="<serve-spoof@evil.test>")
        out = make_message(BOB, "carol@vendor.test", "hi", "Hi\n", message_id="<serve-out@example.com>")
        for raw, rcpt, source in ((spoof, BOB, STRANGER), (out, "carol@vendor.test", OURS)):
            await aiosmtplib.send(
                raw,
                sender=BOB,
                recipients=[rcpt],
                hostname="127.0.0.1",
                port=port,
                source_address=(source, 0),
            )
    finally:
        proc.terminate()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), 30)
    assert proc.stderr is not None
    lines = [
        json.loads(line) for line in (await proc.stderr.read()).decode().splitlines() if line.startswith("{")
    ]
    found = {m["message_id"]: m for m in lines if m.get("event") == "message"}
    assert found["<serve-spoof@evil.test>"]["direction"] == "inbound"
    assert "not in outbound_networks" in found["<serve-spoof@evil.test>"]["direction_reason"]
    assert found["<serve-out@example.com>"]["direction"] == "outbound"
    assert found["<serve-out@example.com>"]["direction_reason"] == f"client {OURS} in outbound_networks"
    assert sink.received[0].data != spoof and sink.received[1].data == out
