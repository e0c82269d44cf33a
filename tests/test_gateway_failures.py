"""What the gateway does when its parts fail: mail still flows, or the client is told to retry."""

from __future__ import annotations

import email
import shutil
from pathlib import Path
from typing import ClassVar

import aiosmtplib
import pytest

from gateway.core.message import Message
from gateway.core.policy import Verdict
from gateway.core.signals.base import Hit
from gateway.store.base import GLOBAL_SCOPE, ListKind
from tests.mail import make_message
from tests.smtp_helpers import Gateway, Sink, make_settings, sample, start_gateway


class Exploding:
    """A real signal whose check raises, as a buggy signal would."""

    name: ClassVar[str] = "exploding"
    symbols: ClassVar[dict[str, float]] = {}

    async def check(self, msg: Message) -> list[Hit]:
        raise RuntimeError("bug in a signal")

    async def learn(self, msg: Message, verdict: Verdict) -> None:
        return None


async def test_store_down_passes_unscanned(sink: Sink, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, sink.port, store={"redis_url": "redis://127.0.0.1:1/0"})
    gw = await start_gateway(settings)
    try:
        await aiosmtplib.send(
            make_message(),
            sender="a@partner.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=gw.port,
        )
    finally:
        await gw.stop()
    parsed = email.message_from_bytes(sink.received[0].data)
    assert parsed["X-Pitchgate-Action"] == "pass"
    assert parsed["X-Pitchgate-Status"] == "unscanned (store)"
    assert sample(gw.registry, "pitchgate_unscanned_total", {"reason": "store"}) == 1


async def test_signal_raising_passes_unscanned(gateway: Gateway, sink: Sink) -> None:
    gateway.app.pipeline.signals.append(Exploding())
    await aiosmtplib.send(
        make_message(),
        sender="a@partner.test",
        recipients=["bob@example.com"],
        hostname="127.0.0.1",
        port=gateway.port,
    )
    parsed = email.message_from_bytes(sink.received[0].data)
    assert parsed["X-Pitchgate-Action"] == "pass"
    assert parsed["X-Pitchgate-Status"] == "unscanned (signal exploding)"
    assert sample(gateway.registry, "pitchgate_unscanned_total", {"reason": "signal exploding"}) == 1


async def test_quarantine_write_failure_gives_451(gateway: Gateway, sink: Sink, tmp_path: Path) -> None:
    await gateway.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
    qdir = tmp_path / "state" / "quarantine"
    shutil.rmtree(qdir)
    qdir.write_text("a file where the quarantine directory should be")  # every write into it now fails
    with pytest.raises(aiosmtplib.SMTPDataError) as info:
        await aiosmtplib.send(
            make_message(sender="x@pitcher.test"),
            sender="x@pitcher.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=gateway.port,
        )
    assert info.value.code == 451
    assert sink.received == []
    assert sample(gateway.registry, "pitchgate_quarantine_write_failures_total") == 1
    assert sample(gateway.registry, "pitchgate_messages_total", {"action": "quarantine"}) == 0
    # The session survives: the next message in the same connection still flows.
    await aiosmtplib.send(
        make_message(),
        sender="a@partner.test",
        recipients=["bob@example.com"],
        hostname="127.0.0.1",
        port=gateway.port,
    )
    assert len(sink.received) == 1
