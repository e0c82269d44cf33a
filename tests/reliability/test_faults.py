"""Faults on every side of the gateway, each with the message count checked: nothing acknowledged is lost.

The rule under test: the client hears 250 only when the upstream took the message or the quarantine stored
it; for every other outcome it hears 4xx and keeps the message. Each test sends a batch, then counts the
sink, the quarantine and the client's replies. Related single-message tests live in
tests/test_gateway_relay.py (upstream down / 451 / drop mid-transaction) and tests/test_gateway_failures.py
(store down, signal raising, quarantine directory replaced by a file); these extend them to batches.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.store.base import GLOBAL_SCOPE, ListKind
from tests.reliability.helpers import (
    PrivateRedis,
    assert_nothing_lost,
    mixed_messages,
    send_all,
)
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

BATCH = 40


def delivered_ids(sink: Sink) -> list[str]:
    return [str(email.message_from_bytes(r.data)["Message-ID"]) for r in sink.received]


async def held_ids(gateway: Gateway) -> list[str]:
    return [r.message_id for r in await gateway.app.store.quarantine_list(None)]


@pytest.fixture
async def blocking_gateway(sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    """A gateway that holds everything from pitcher.test, with a short upstream timeout."""
    gw = await start_gateway(make_settings(tmp_path / "state", sink.port, server={"upstream_timeout": 0.5}))
    await gw.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
    yield gw
    await gw.stop()


async def test_upstream_refuses_every_message(blocking_gateway: Gateway, sink: Sink) -> None:
    sink.data_reply = "554 5.7.1 Rejected by policy"
    outcome = await send_all(blocking_gateway.port, mixed_messages(BATCH, "refused"), 8)
    held = await held_ids(blocking_gateway)
    assert outcome.summary() == {554: BATCH - BATCH // 5, 250: BATCH // 5}  # the upstream's own reply
    assert sink.received == [] and len(held) == BATCH // 5
    assert_nothing_lost(outcome, delivered_ids(sink), held)


async def test_upstream_down_gives_451_and_recovery_is_automatic(
    blocking_gateway: Gateway, sink: Sink
) -> None:
    port = sink.port
    await sink.stop()
    first = await send_all(blocking_gateway.port, mixed_messages(BATCH, "down"), 8)
    # Held mail does not need the upstream at MAIL time either: MAIL is proxied, so all of it waits.
    assert first.summary() == {451: BATCH}
    await sink.start(port)
    second = await send_all(blocking_gateway.port, mixed_messages(BATCH, "back"), 8)
    held = await held_ids(blocking_gateway)
    assert second.summary() == {250: BATCH}
    assert_nothing_lost(second, delivered_ids(sink), held)
    assert not first.accepted & (set(delivered_ids(sink)) | set(held))


async def test_upstream_slower_than_timeout_gives_451(blocking_gateway: Gateway, sink: Sink) -> None:
    sink.data_delay = 1.5  # upstream_timeout is 0.5 s
    outcome = await send_all(blocking_gateway.port, mixed_messages(BATCH // 4, "slow", 0), 5)
    await asyncio.sleep(1.6)  # let the sink finish what it was still chewing on
    assert outcome.summary() == {451: BATCH // 4}
    # The sink did take them after the gateway gave up: the client retries and the recipient may see a
    # duplicate. That is SMTP's known race (RFC 1047); a lost message would be worse, and none is lost.
    assert len(delivered_ids(sink)) == len(set(delivered_ids(sink)))


class DroppingUpstream:
    """An upstream that accepts MAIL and RCPT, says 354, then drops the connection in the middle of DATA."""

    def __init__(self) -> None:
        self.server: asyncio.Server | None = None
        self.dropped = 0

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 dropper ESMTP\r\n")
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(b"250-dropper\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                writer.write(b"354 go ahead\r\n")
                await writer.drain()
                await reader.read(100)
                self.dropped += 1
                break
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


async def test_upstream_drops_mid_data_gives_451(tmp_path: Path) -> None:
    upstream = DroppingUpstream()
    gw = await start_gateway(make_settings(tmp_path / "state", await upstream.start()))
    try:
        outcome = await send_all(gw.port, mixed_messages(BATCH, "drop", 0), 8)
    finally:
        await gw.stop()
        await upstream.stop()
    assert outcome.summary() == {451: BATCH}
    assert upstream.dropped == BATCH


async def test_redis_killed_and_restarted_mid_run(sink: Sink, tmp_path: Path) -> None:
    """Our own redis-server (never the shared one), SIGKILLed and restarted on the same port mid-run."""
    redis = PrivateRedis(tmp_path)
    redis.start()
    settings = make_settings(tmp_path / "state", sink.port, store={"redis_url": redis.url})
    gw = await start_gateway(settings)
    try:
        await gw.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
        messages = mixed_messages(150, "redis")
        sending = asyncio.create_task(send_all(gw.port, messages, 4, pause=0.01))
        await asyncio.sleep(0.5)
        redis.kill()
        await asyncio.sleep(1.0)
        redis.start()
        outcome = await sending
        late = await send_all(gw.port, mixed_messages(10, "after"), 2)  # the gateway reconnected by itself
        held = await held_ids(gw)
    finally:
        await gw.stop()
        redis.kill()
    delivered = delivered_ids(sink)
    print("redis restart:", outcome.summary(), "delivered", len(delivered), "held", len(held))
    assert set(outcome.summary()) <= {250, 451}, outcome.summary()
    assert outcome.summary().get(250, 0) > 100  # most passed, scanned or not
    assert_nothing_lost(outcome, delivered, held)
    unscanned = [
        r
        for r in sink.received
        if email.message_from_bytes(r.data)["X-Pitchgate-Status"] == "unscanned (store)"
    ]
    assert unscanned, "the outage was not noticed"
    assert late.summary() == {250: 10}
    after = [r for r in sink.received if b"<after" in r.data]
    assert after and all(b"unscanned" not in r.data for r in after)
    assert {m for m in held if m.startswith("<after")} == {"<after0@test>", "<after5@test>"}


def _tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    return done.returncode == 0


async def test_quarantine_on_a_full_disk_gives_451(sink: Sink, tmp_path: Path) -> None:
    """A real full disk: the state directory on a 2 MiB tmpfs, filled up (needs root; skipped without)."""
    state = tmp_path / "state"
    if os.geteuid() != 0 or not _tmpfs(state, "2m"):
        pytest.skip(
            "cannot mount a tmpfs here; test_gateway_failures.py covers a broken quarantine directory"
        )
    gw = await start_gateway(make_settings(state, sink.port))
    try:
        await gw.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
        with contextlib.suppress(OSError), (state / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 65536)
        outcome = await send_all(gw.port, mixed_messages(BATCH, "full"), 4)
        (state / "filler").unlink()
        held = await held_ids(gw)
    finally:
        await gw.stop()
        subprocess.run(["umount", "-l", str(state)], check=False)
    print("full disk:", outcome.summary(), "held", len(held))
    # Held mail cannot be written: 451, and none of it was acknowledged. Passing mail still flows
    # (a store that cannot record a touch lets it through unscanned).
    assert outcome.with_code(lambda c: c == 451) == {f"<full{i}@test>" for i in range(0, BATCH, 5)}
    assert held == []
    assert_nothing_lost(outcome, delivered_ids(sink), held)


async def test_quarantine_directory_unwritable_gives_451(
    blocking_gateway: Gateway, sink: Sink, tmp_path: Path
) -> None:
    """Root ignores permission bits, so the directory is replaced by a file: every write into it fails."""
    qdir = tmp_path / "state" / "quarantine"
    shutil.rmtree(qdir)
    qdir.write_text("not a directory")
    outcome = await send_all(blocking_gateway.port, mixed_messages(BATCH, "qfail"), 8)
    held = await held_ids(blocking_gateway)
    assert outcome.summary() == {451: BATCH // 5, 250: BATCH - BATCH // 5}
    assert held == []
    assert_nothing_lost(outcome, delivered_ids(sink), held)
