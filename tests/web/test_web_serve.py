"""`pitchgate serve --web-listen`: the real command serves the review page beside SMTP and metrics, and stops cleanly."""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiosmtplib

from tests.mail import make_message
from tests.procs import free_port, run, start_serve, wait_for_port
from tests.smtp_helpers import Sink
from tests.web.client import Client

TOKEN = "serve-test-admin-token-93b1"


@dataclass
class Served:
    smtp_port: int
    metrics_port: int
    web_port: int
    stderr: str = ""

    async def hold_pitch(self) -> str:
        """A pitch from a blocked domain, held; returns its quarantine id."""
        pitch = make_message(sender="sdr@pitcher.test", subject="Quick call?")
        _, reply = await aiosmtplib.send(
            pitch,
            sender="sdr@pitcher.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=self.smtp_port,
        )
        return reply.split("queued as ")[1].split()[0]


@asynccontextmanager
async def serving(sink: Sink, tmp_path: Path, *extra: str) -> AsyncIterator[Served]:
    """`pitchgate serve` with the review page, an admin token and pitcher.test blocked; SIGTERM must exit 0."""
    state = tmp_path / "state"
    assert (await run("block", "add", "pitcher.test", "--state-dir", str(state))).code == 0
    config = tmp_path / "pitchgate.toml"
    config.write_text(f'[web]\nadmin_token = "{TOKEN}"\n')
    web_port = free_port()
    proc, smtp_port, metrics_port = await start_serve(
        state, sink.port, "--config", str(config), "--web-listen", f"127.0.0.1:{web_port}", *extra
    )
    served = Served(smtp_port, metrics_port, web_port)
    try:
        await wait_for_port(web_port)
        yield served
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0
    assert proc.stderr is not None
    served.stderr = (await proc.stderr.read()).decode()


async def test_serve_runs_the_review_page_on_its_own_listener(sink: Sink, tmp_path: Path) -> None:
    async with serving(sink, tmp_path) as served:
        await served.hold_pitch()
        assert (await Client(served.web_port).get("/")).status == 401
        listed = await Client(served.web_port, default_headers={"Authorization": f"Bearer {TOKEN}"}).get("/")
        assert listed.status == 200 and "Quick call?" in listed.text
        assert "default-src 'none'" in listed.headers["content-security-policy"]
    assert TOKEN not in served.stderr


async def test_with_workers_a_release_on_the_page_counts_in_the_merged_metrics(
    sink: Sink, tmp_path: Path
) -> None:
    async with serving(sink, tmp_path, "--workers", "2") as served:
        qid = await served.hold_pitch()
        admin = Client(served.web_port, default_headers={"Authorization": f"Bearer {TOKEN}"})
        assert (await admin.post(f"/m/{qid}/release")).status == 200
        assert len(sink.received) == 1
        metrics = await Client(served.metrics_port).get("/metrics/")
        released = re.findall(
            r'pitchgate_feedback_total\{kind="released",symbol="[^"]+"\} 1\.0', metrics.text
        )
        assert released, metrics.text


def test_web_listen_alone_means_the_documented_address() -> None:
    from gateway.commands.main import serve

    alone = serve.make_context("serve", ["--web-listen", "--local-domain", "example.com"])
    given = serve.make_context("serve", ["--web-listen", "127.0.0.1:9999"])
    absent = serve.make_context("serve", [])
    assert alone.params["web_listen"] == "127.0.0.1:8025"
    assert given.params["web_listen"] == "127.0.0.1:9999"
    assert absent.params["web_listen"] is None
