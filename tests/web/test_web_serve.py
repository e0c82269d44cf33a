"""`pitchgate serve --web-listen`: the real command serves the review page beside SMTP and metrics, and stops cleanly."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiosmtplib

from tests.mail import make_message
from tests.procs import free_port, run, start_serve, wait_for_port
from tests.smtp_helpers import Sink
from tests.web.client import Client

TOKEN = "serve-test-admin-token-93b1"


async def test_serve_runs_the_review_page_on_its_own_listener(sink: Sink, tmp_path: Path) -> None:
    state = tmp_path / "state"
    assert (await run("block", "add", "pitcher.test", "--state-dir", str(state))).code == 0
    config = tmp_path / "pitchgate.toml"
    config.write_text(f'[web]\nadmin_token = "{TOKEN}"\n')
    web_port = free_port()
    proc, smtp_port, _ = await start_serve(
        state, sink.port, "--config", str(config), "--web-listen", f"127.0.0.1:{web_port}"
    )
    try:
        await wait_for_port(web_port)
        pitch = make_message(sender="sdr@pitcher.test", subject="Quick call?")
        await aiosmtplib.send(
            pitch,
            sender="sdr@pitcher.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=smtp_port,
        )
        assert (await Client(web_port).get("/")).status == 401
        listed = await Client(web_port, default_headers={"Authorization": f"Bearer {TOKEN}"}).get("/")
        assert listed.status == 200 and "Quick call?" in listed.text
        assert "default-src 'none'" in listed.headers["content-security-policy"]
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0
    assert proc.stderr is not None
    assert TOKEN not in (await proc.stderr.read()).decode()


def test_web_listen_alone_means_the_documented_address() -> None:
    from gateway.cli import serve

    alone = serve.make_context("serve", ["--web-listen", "--local-domain", "example.com"])
    given = serve.make_context("serve", ["--web-listen", "127.0.0.1:9999"])
    absent = serve.make_context("serve", [])
    assert alone.params["web_listen"] == "127.0.0.1:8025"
    assert given.params["web_listen"] == "127.0.0.1:9999"
    assert absent.params["web_listen"] is None
