"""The real `pitchgate serve` process: start, hold, list, release, metrics, and SIGTERM mid-session."""

from __future__ import annotations

import asyncio
import json
import signal
import urllib.request
from pathlib import Path

import aiosmtplib

from tests.mail import make_message
from tests.procs import run, start_serve
from tests.smtp_helpers import Sink


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


async def test_serve_refuses_to_start_without_local_domain(tmp_path: Path) -> None:
    result = await run("serve", "--state-dir", str(tmp_path))
    assert result.code == 1
    assert "no local domain configured" in result.err


async def test_bad_config_names_the_key(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[server]\nlocal_domains = ["example.com"]\nlisten = "nonsense"\n')
    result = await run("check-config", "--config", str(config))
    assert result.code == 1 and "server.listen" in result.err
    config.write_text('[server]\nlocal_domains = ["example.com"]\nlisen = "127.0.0.1:25"\n')
    result = await run("check-config", "--config", str(config))
    assert result.code == 1 and "server.lisen" in result.err
    config.write_text('[server]\nlocal_domains = ["example.com"]\n[scores]\nNOT_A_SYMBOL = 3.0\n')
    result = await run("check-config", "--config", str(config))
    assert result.code == 1 and "NOT_A_SYMBOL" in result.err


async def test_check_config_masks_secrets(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[server]\nlocal_domains = ["example.com"]\n[store]\nredis_url = "redis://:hunter2@127.0.0.1:6379/0"\n'
    )
    result = await run("check-config", "--config", str(config))
    assert result.code == 0, result.err
    assert "hunter2" not in result.out and "**********" in result.out


async def test_serve_hold_list_release_and_metrics(sink: Sink, tmp_path: Path) -> None:
    state = tmp_path / "state"
    assert (await run("block", "add", "pitcher.test", "--state-dir", str(state))).code == 0
    proc, port, metrics_port = await start_serve(state, sink.port)
    try:
        await aiosmtplib.send(
            make_message(),
            sender="a@partner.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=port,
        )
        pitch = make_message(
            sender="sdr@pitcher.test", subject="Quick call?", message_id="<pitch1@pitcher.test>"
        )
        await aiosmtplib.send(
            pitch, sender="sdr@pitcher.test", recipients=["bob@example.com"], hostname="127.0.0.1", port=port
        )
        assert len(sink.received) == 1
        listed = await run("quarantine", "list", "--format", "jsonl", "--state-dir", str(state))
        [entry] = [json.loads(line) for line in listed.out.splitlines()]
        for key in ("id", "message_id", "recipients", "sender", "subject", "score", "symbols", "received_at"):
            assert key in entry
        assert entry["message_id"] == "<pitch1@pitcher.test>" and entry["recipients"] == ["bob@example.com"]
        shown = await run("quarantine", "show", entry["id"], "--state-dir", str(state))
        assert "Quick call?" in shown.out
        status, body = await asyncio.to_thread(_get, f"http://127.0.0.1:{metrics_port}/metrics")
        assert status == 200
        assert 'pitchgate_messages_total{action="quarantine"} 1.0' in body
        assert "pitchgate_quarantine_messages 1.0" in body
        released = await run(
            "quarantine",
            "release",
            entry["id"],
            "--state-dir",
            str(state),
            "--upstream",
            f"127.0.0.1:{sink.port}",
            "--trust",
        )
        assert released.code == 0, released.err
        assert len(sink.received) == 2 and sink.received[1].data.endswith(pitch)
        assert (await run("quarantine", "list", "--format", "jsonl", "--state-dir", str(state))).out == ""
        allowed = await run("allow", "list", "--state-dir", str(state))
        assert "bob@example.com\tsdr@pitcher.test" in allowed.out
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0


async def test_sigterm_mid_session_loses_nothing(sink: Sink, tmp_path: Path) -> None:
    proc, port, _ = await start_serve(tmp_path / "state", sink.port)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def say(line: bytes) -> bytes:
        writer.write(line + b"\r\n")
        await writer.drain()
        while True:
            reply = await reader.readline()
            if reply[3:4] != b"-":
                return reply

    await reader.readline()
    await say(b"EHLO client.test")
    await say(b"MAIL FROM:<a@partner.test>")
    await say(b"RCPT TO:<bob@example.com>")
    assert (await say(b"DATA")).startswith(b"354")
    raw = make_message(message_id="<inflight@test>")
    writer.write(raw[:40])
    await writer.drain()
    proc.send_signal(signal.SIGTERM)
    await asyncio.sleep(0.5)
    # A new client is turned away while the one in flight finishes.
    try:
        _, w2 = await asyncio.open_connection("127.0.0.1", port)
        w2.close()
        refused = False
    except OSError:
        refused = True
    writer.write(raw[40:] + b".\r\n")
    await writer.drain()
    final = await reader.readline()
    assert final.startswith(b"250"), final
    writer.close()
    await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0
    assert refused
    assert [r.data.endswith(raw) for r in sink.received] == [True]


async def test_environment_overrides_the_file(tmp_path: Path) -> None:
    import os

    from tests.procs import PITCHGATE

    config = tmp_path / "c.toml"
    config.write_text('[server]\nlisten = "127.0.0.1:2525"\nlocal_domains = ["example.com"]\n')
    proc = await asyncio.create_subprocess_exec(
        *PITCHGATE,
        "check-config",
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PITCHGATE_SERVER__LISTEN": "127.0.0.1:2626", "PITCHGATE_POLICY__SHADOW": "true"},
    )
    out, _ = await proc.communicate()
    effective = json.loads(out)
    assert effective["server"]["listen"] == "127.0.0.1:2626"
    assert effective["policy"]["shadow"] is True
