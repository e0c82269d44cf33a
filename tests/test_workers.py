"""`--workers N`: N processes on one port, sharing state through the store, with merged metrics."""

from __future__ import annotations

import asyncio
import signal
import urllib.request
from pathlib import Path

import aiosmtplib

from tests.mail import make_message
from tests.procs import start_serve
from tests.smtp_helpers import Sink


def _metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return response.read().decode()


async def test_two_workers_share_port_state_and_metrics(sink: Sink, tmp_path: Path) -> None:
    proc, port, metrics_port = await start_serve(tmp_path / "state", sink.port, "--workers", "2")
    try:
        await asyncio.sleep(1.0)  # both workers bind; the first port check may have met only one

        async def send(i: int) -> None:
            raw = make_message(message_id=f"<w{i}@test>")
            await aiosmtplib.send(
                raw, sender="a@partner.test", recipients=["bob@example.com"], hostname="127.0.0.1", port=port
            )

        await asyncio.gather(*(send(i) for i in range(40)))
        assert len(sink.received) == 40
        body = await asyncio.to_thread(_metrics, metrics_port)
        assert 'pitchgate_messages_total{action="pass"} 40.0' in body
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0
