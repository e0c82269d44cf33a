"""What /metrics shows, against real `pitchgate serve` processes: the path itself, every series the dashboard and
the alerts read (before any mail, in one process and with `--workers 2`), the build info, SMTP rejections by code
and stage, upstream latency and message size."""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import re
import signal
import smtplib
from pathlib import Path

import aiosmtplib
import pytest
from prometheus_client.parser import text_string_to_metric_families

from gateway import __version__
from gateway.core.policy import Action
from gateway.core.signals import default_weights
from tests.mail import make_message
from tests.procs import start_serve
from tests.smtp_helpers import Gateway, Sink, make_settings, sample, start_gateway
from tests.test_operations import SYNTHETIC, TARGET_LABELS, _alert_rules, _get, _panel_exprs, metric_names

MODEL = Path(__file__).resolve().parent.parent / "models" / "pitch.skops"
Series = dict[str, list[dict[str, str]]]


def _series(text: str) -> Series:
    """Each sample name /metrics carries, with the label sets of its samples (not families without any)."""
    found: Series = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found.setdefault(s.name, []).append(dict(s.labels))
    return found


def wanted_series(expr: str) -> set[tuple[str, str, str]]:
    """(metric, label, value) for each `label="value"` or `label=~"a|b"` a selector matches on; ("", "") alone
    for metrics read without a matcher."""
    wanted = {(name, "", "") for name in metric_names(expr)}
    for name, matchers in re.findall(r"([A-Za-z_:][\w:]*)\s*\{([^}]*)\}", expr):
        for label, op, value in re.findall(r'(\w+)\s*(=~|=)\s*"((?:[^"\\]|\\.)*)"', matchers):
            if label in TARGET_LABELS:
                continue
            values = value.split("|") if op == "=~" else [value]
            wanted.update((name, label, v) for v in values if re.fullmatch(r"[\w.]+", v))
    return wanted


def test_wanted_series_reads_matchers() -> None:
    expr = 'sum(rate(a_total{class=~"4xx|error", instance=~"$instance"}[5m])) / sum(b{kind="x"}) + c'
    assert wanted_series(expr) == {
        ("a_total", "", ""),
        ("b", "", ""),
        ("c", "", ""),
        ("a_total", "class", "4xx"),
        ("a_total", "class", "error"),
        ("b", "kind", "x"),
    }


def _missing(series: Series) -> list[str]:
    """Every series the dashboard and alerts read, and every known label value, that /metrics lacks."""
    missing = []
    for expr in _panel_exprs() + [rule["expr"] for rule in _alert_rules()]:
        for name, label, value in sorted(wanted_series(expr)):
            if name in SYNTHETIC:
                continue
            samples = series.get(name, [])
            if not samples or (label and not any(s.get(label) == value for s in samples)):
                missing.append(f"{name}{{{label}={value!r}}} (read by {expr!r})" if label else name)
    known = {
        ("pitchgate_messages_total", "action"): [str(a) for a in Action],
        ("pitchgate_symbols_total", "symbol"): sorted(default_weights()),
        ("pitchgate_quarantined_total", "symbol"): sorted(default_weights()),
        ("pitchgate_upstream_replies_total", "class"): ["2xx", "4xx", "5xx", "error"],
        ("pitchgate_unscanned_total", "reason"): ["store", "timeout", "signal content"],
        ("pitchgate_quarantine_decisions_total", "kind"): ["released", "confirmed"],
    }
    for (name, label), values in known.items():
        have = {s.get(label) for s in series.get(name, [])}
        missing.extend(f"{name}{{{label}={v!r}}}" for v in values if v not in have)
    return missing


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_every_dashboard_and_alert_series_is_there_before_any_mail(
    sink: Sink, tmp_path: Path, workers: str
) -> None:
    proc, _, metrics_port = await start_serve(tmp_path / "state", sink.port, "--workers", workers)
    try:
        status, text = await asyncio.to_thread(_get, f"http://127.0.0.1:{metrics_port}/metrics")
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), 30)
    assert status == 200
    assert not sink.received
    series = _series(text)
    assert _missing(series) == []
    assert series["pitchgate_messages_total"] and all(
        v.value == 0
        for f in text_string_to_metric_families(text)
        for v in f.samples
        if f.name == "pitchgate_messages"
    )


async def test_metrics_answers_on_its_path_with_and_without_slash(sink: Sink, tmp_path: Path) -> None:
    """`curl .../metrics` got a 307 and an empty body when the exposition was mounted under /metrics/."""
    proc, _, metrics_port = await start_serve(tmp_path / "state", sink.port)
    try:
        plain = await asyncio.to_thread(_get, f"http://127.0.0.1:{metrics_port}/metrics")
        slash = await asyncio.to_thread(_get, f"http://127.0.0.1:{metrics_port}/metrics/")
        # urllib follows redirects, so a 307 would still end in 200: ask without following too.
        raw = await asyncio.to_thread(_status_unfollowed, metrics_port, "/metrics")
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), 30)
    assert raw == 200
    for status, text in (plain, slash):
        assert status == 200 and "pitchgate_messages_total" in text


def _status_unfollowed(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


async def test_build_info_names_the_version_and_the_model_file(sink: Sink, tmp_path: Path) -> None:
    proc, _, metrics_port = await start_serve(tmp_path / "state", sink.port)
    try:
        _, text = await asyncio.to_thread(_get, f"http://127.0.0.1:{metrics_port}/metrics")
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.communicate(), 30)
    model = hashlib.sha256(MODEL.read_bytes()).hexdigest()[:12]
    assert _series(text)["pitchgate_build_info"] == [{"version": __version__, "model": model}]
    assert f'pitchgate_build_info{{model="{model}",version="{__version__}"}} 1.0' in text


async def test_rcpt_refusal_is_counted_and_logged_once_without_the_address(
    sink: Sink, tmp_path: Path
) -> None:
    """A RCPT for a domain we do not serve got 550 with neither a log line nor a count."""
    proc, port, metrics_port = await start_serve(tmp_path / "state", sink.port)
    try:
        refused = await asyncio.to_thread(_rcpt, port, "someone@elsewhere.test")
        _, text = await asyncio.to_thread(_get, f"http://127.0.0.1:{metrics_port}/metrics")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert refused == 550
    assert 'pitchgate_smtp_rejections_total{code="550",stage="rcpt"} 1.0' in text
    lines = [line for line in err.decode().splitlines() if "event=rejected" in line]
    assert len(lines) == 1, err.decode()
    assert "stage=rcpt" in lines[0] and "code=550" in lines[0] and "client=127.0.0.1" in lines[0]
    assert "someone@elsewhere.test" not in err.decode()


def _rcpt(port: int, address: str) -> int:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("client.test")
        assert client.mail("alice@partner.test")[0] == 250
        return client.rcpt(address)[0]


async def test_each_stage_of_a_refused_session_is_counted(gateway: Gateway) -> None:
    """HELO with no name (aiosmtpd's 501), a MAIL with a bare CR (ours), DATA before RCPT (503)."""

    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    codes = [int((await reader.readline())[:3])]
    for line in (
        b"HELO",
        b"EHLO client.test",
        b"MAIL FROM:<a\rb@partner.test>",
        b"MAIL FROM:<alice@partner.test>",
    ):
        writer.write(line + b"\r\n")
        while (reply := await reader.readline())[3:4] == b"-":
            pass
        codes.append(int(reply[:3]))
    writer.write(b"DATA\r\n")
    codes.append(int((await reader.readline())[:3]))
    writer.close()

    assert codes == [220, 501, 250, 501, 250, 503]
    reg = gateway.registry
    name = "pitchgate_smtp_rejections_total"
    assert sample(reg, name, {"code": "501", "stage": "helo"}) == 1
    assert sample(reg, name, {"code": "501", "stage": "mail"}) == 1
    assert sample(reg, name, {"code": "503", "stage": "data"}) == 1
    assert sample(reg, name, {"code": "250", "stage": "mail"}) == 0


async def test_a_connection_over_the_limit_is_counted_at_connect(sink: Sink, tmp_path: Path) -> None:
    gw = await start_gateway(make_settings(tmp_path / "state", sink.port, server={"max_connections": 1}))
    try:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=gw.port):
            reader, writer = await asyncio.open_connection("127.0.0.1", gw.port)
            assert (await reader.readline()).startswith(b"421 ")
            writer.close()
    finally:
        await gw.stop()
    assert sample(gw.registry, "pitchgate_smtp_rejections_total", {"code": "421", "stage": "connect"}) == 1


async def test_upstream_latency_and_message_size_are_observed(gateway: Gateway, sink: Sink) -> None:
    raw = make_message(body="Hi Bob,\n\n" + "x" * 5000 + "\n")
    await aiosmtplib.send(
        raw,
        sender="alice@partner.test",
        recipients=["bob@example.com"],
        hostname="127.0.0.1",
        port=gateway.port,
    )
    assert len(sink.received) == 1
    reg = gateway.registry
    assert sample(reg, "pitchgate_message_bytes_count") == 1
    assert sample(reg, "pitchgate_message_bytes_sum") == len(raw)
    assert sample(reg, "pitchgate_message_bytes_bucket", {"le": "4096.0"}) == 0
    assert sample(reg, "pitchgate_message_bytes_bucket", {"le": "16384.0"}) == 1
    for stage in ("connect", "mail", "rcpt", "data"):
        assert sample(reg, "pitchgate_upstream_seconds_count", {"stage": stage}) >= 1, stage
        assert sample(reg, "pitchgate_upstream_seconds_sum", {"stage": stage}) > 0, stage
