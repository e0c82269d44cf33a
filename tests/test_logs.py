"""The log lines: real logfmt for text, an ISO 8601 timestamp in both formats, and syslog through a real unix
datagram socket that the test binds in its tmp dir (the configurable stand-in for /dev/log)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import shlex
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway import logs
from gateway.actions.relay import Reply
from gateway.core.message import Envelope, Message
from gateway.core.policy import Action, Verdict
from tests.mail import make_message
from tests.procs import run, start_serve
from tests.smtp_helpers import Sink


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = saved


def _log_one(fmt: str, helo: str = "mx.test") -> None:
    raw = make_message(message_id="<id with space@partner.test>")
    envelope = Envelope("alice@partner.test", ("bob@example.com", "carol@example.com"), "203.0.113.9", helo)
    logs.configure("INFO", fmt)
    logs.log_message(
        "abc123",
        Message.from_bytes(raw, envelope),
        Verdict(Action.TAG, 6.5),
        Reply(250, "2.0.0 Ok"),
        None,
        0.01,
    )


def logfmt(line: str) -> dict[str, str]:
    """Parse a logfmt line (shell-like quoting: `"..."` with backslash escapes); raises on anything else."""
    pairs = {}
    for token in shlex.split(line, posix=True):
        key, sep, value = token.partition("=")
        assert sep and key.isidentifier(), f"not key=value: {token!r} in {line!r}"
        pairs[key] = value
    return pairs


def test_text_log_is_logfmt_quoted_only_when_needed(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    _log_one("text")
    [line] = capsys.readouterr().err.splitlines()
    fields = logfmt(line)
    assert fields["level"] == "info" and fields["logger"] == "pitchgate.message"
    assert dt.datetime.fromisoformat(fields["ts"]).tzinfo is not None
    assert "session=abc123 " in line and "client=203.0.113.9 " in line  # no quotes where none are needed
    assert 'message_id="<id with space@partner.test>"' in line
    assert fields["to"] == "bob@example.com,carol@example.com"  # a list, not embedded JSON
    assert fields["reply"] == "250 2.0.0 Ok" and fields["score"] == "6.5"
    assert "[" not in line and "{" not in line


def test_text_log_cannot_be_split_by_a_hostile_helo(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    _log_one("text", helo='evil\nts=forged level=info "x')
    [line] = capsys.readouterr().err.splitlines()
    assert logfmt(line)["helo"] == 'evil\\x0ats=forged level=info "x'


def test_json_log_has_an_iso_8601_timestamp(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    _log_one("json")
    [line] = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    stamp = dt.datetime.fromisoformat(record["ts"])
    assert stamp.tzinfo is not None and abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) < 60
    assert record["to"] == ["bob@example.com", "carol@example.com"] and record["session"] == "abc123"


def _bind_syslog(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(20)
    return sock


def test_syslog_gets_logfmt_lines_on_the_mail_facility(tmp_path: Path, restore_logging: None) -> None:
    with _bind_syslog(tmp_path / "log") as sock:
        logs.configure("INFO", "json", str(tmp_path / "log"))
        logging.getLogger("pitchgate.test").warning("disk %s", "full")
        datagram = sock.recv(65536).decode()
    # <20>: facility mail (2) * 8 + severity warning (4).
    assert datagram.startswith("<20>pitchgate: ")
    fields = logfmt(datagram.removeprefix("<20>pitchgate: ").rstrip("\x00"))
    assert fields["msg"] == "disk full" and fields["level"] == "warning"


async def test_serve_logs_to_the_configured_syslog_socket(
    sink: Sink, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sock = _bind_syslog(tmp_path / "log")
    monkeypatch.setenv("PITCHGATE_LOGGING__SYSLOG", "true")
    monkeypatch.setenv("PITCHGATE_LOGGING__SYSLOG_ADDRESS", str(tmp_path / "log"))
    try:
        proc, _, _ = await start_serve(tmp_path / "state", sink.port)
        try:
            datagram = (await asyncio.to_thread(sock.recv, 65536)).decode()
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.communicate(), 30)
    finally:
        sock.close()
    assert datagram.startswith("<22>pitchgate: ") and "pitchgate listening on" in datagram


async def test_serve_refuses_to_start_when_nothing_listens_at_the_syslog_address(
    sink: Sink, tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[logging]\nsyslog = true\nsyslog_address = "{tmp_path / "absent"}"\n')
    result = await run(
        "serve", "--config", str(config), "--local-domain", "example.com", "--state-dir", str(tmp_path / "s")
    )
    assert result.code == 1 and "logging.syslog_address" in result.err
