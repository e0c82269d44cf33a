"""What an admin operates: the Grafana dashboard, the alert rules, the message log, health and readiness.

The dashboard and the alerts are checked against a real `pitchgate serve`: every metric they query must be
in its /metrics, with the labels they match on. promtool (Debian's prometheus package, installed by
`.ci/run`) checks the PromQL and runs the alert rules' own tests; without it only YAML and metric names
are checked here, and under CI its absence fails.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from gateway import logs
from gateway.actions.relay import Reply
from gateway.core.message import Envelope, Message
from gateway.core.policy import Action, Verdict
from gateway.store.base import GLOBAL_SCOPE, ListKind
from tests.mail import make_message
from tests.procs import run, start_serve
from tests.smtp_helpers import Gateway, Sink, sample

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "config" / "grafana" / "pitchgate.json"
ALERTS = ROOT / "config" / "prometheus" / "alerts.yml"
ALERT_TESTS = ROOT / "config" / "prometheus" / "alerts_test.yml"
SCRAPE = ROOT / "config" / "prometheus" / "prometheus.yml"
PROMTOOL = shutil.which("promtool")
# Series Prometheus makes itself for every target, and the labels it adds to every series it scrapes.
SYNTHETIC = {"up"}
TARGET_LABELS = {"job", "instance"}
# Grafana's variables, given values that PromQL accepts so that promtool can check the panels' queries.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__range": "1h", "$instance": ".*"}
_NOT_METRICS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless"}
_NOT_METRICS |= {"offset", "inf", "nan"}
BODY_PHRASE = "the-body-must-never-be-logged"


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"\{[^}]*\}", " ", expr)
    expr = re.sub(r"\[[^\]]*\]", " ", expr)
    expr = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    names = set()
    for match in re.finditer(r"(?<![\w.$])[A-Za-z_:][\w:]*", expr):
        if expr[match.end() :].lstrip().startswith("("):
            continue  # a function or an aggregation
        if match.group(0).lower() not in _NOT_METRICS:
            names.add(match.group(0))
    return names


def matched_labels(expr: str) -> set[tuple[str, str]]:
    """(metric, label) for each label a selector matches on: `name{label="..."}`."""
    pairs = set()
    for name, matchers in re.findall(r"([A-Za-z_:][\w:]*)\s*\{([^}]*)\}", expr):
        for label in re.findall(r"(\w+)\s*(?:=~|!~|!=|=)", re.sub(r'"(?:[^"\\]|\\.)*"', "", matchers)):
            pairs.add((name, label))
    return pairs


def test_metric_names_reads_promql() -> None:
    expr = (
        'histogram_quantile(0.99, sum by (le, instance) (rate(pitchgate_scan_seconds_bucket{a="x{y}"}[5m])))'
        ' / on (instance) group_left max(up{job="p"} offset 1d) > bool 2e3'
    )
    assert metric_names(expr) == {"pitchgate_scan_seconds_bucket", "up"}
    assert matched_labels(expr) == {("pitchgate_scan_seconds_bucket", "a"), ("up", "job")}


def _dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def _panel_exprs() -> list[str]:
    exprs = [t["expr"] for p in _dashboard()["panels"] for t in p.get("targets", [])]
    queries = [v["query"]["query"] for v in _dashboard()["templating"]["list"] if v["type"] == "query"]
    # label_values(SELECTOR, LABEL) is Grafana's, not PromQL: what it reads is the selector.
    return exprs + [re.sub(r"^label_values\((.*),\s*\w+\)$", r"\1", q) for q in queries]


def _alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_dashboard_loads_by_import_and_by_file_provisioning() -> None:
    dashboard = _dashboard()
    # No __inputs: file provisioning does not fill them in, and ${DS_...} would stay unresolved there. A
    # datasource variable resolves both ways: on import, and when Grafana reads the file.
    assert "__inputs" not in dashboard and "DS_PROMETHEUS" not in DASHBOARD.read_text()
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert (
        variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    )
    assert variables["instance"]["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    titles = {p["title"] for p in dashboard["panels"]}
    for wanted in (
        "Messages per minute by action",
        "Top symbols",
        "Scan latency",
        "Upstream replies by class",
        "Unscanned messages by reason",
        "Quarantine size",
        "Releases against holds",
        "Held messages released",
        "Released share of holds, by symbol",
        "SMTP rejections by code and stage",
        "Upstream latency by stage",
        "Message size",
        "Version and model",
    ):
        assert wanted in titles
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"] and all(t["datasource"]["uid"] == "${datasource}" for t in panel["targets"])
    provider = yaml.safe_load(
        (ROOT / "config" / "grafana" / "provisioning" / "pitchgate-dashboards.yml").read_text()
    )
    [files] = provider["providers"]
    assert (
        provider["apiVersion"] == 1 and files["type"] == "file" and files["options"]["path"].startswith("/")
    )
    scan = next(p for p in dashboard["panels"] if p["title"] == "Scan latency")
    assert [t["expr"].split(",")[0] for t in scan["targets"]] == [
        "histogram_quantile(0.5",
        "histogram_quantile(0.99",
    ]


def test_quarantine_size_sums_across_instances() -> None:
    panels = [p for p in _dashboard()["panels"] if p["title"].startswith("Quarantine size")]
    exprs = [t["expr"] for p in panels for t in p["targets"]]
    # Each instance's own figure once (max over its workers' series), then the sum over instances.
    assert len(exprs) == 2
    assert all(
        e == 'sum(max by (instance) (pitchgate_quarantine_messages{instance=~"$instance"}))' for e in exprs
    )


def test_alert_rules_cover_what_breaks() -> None:
    rules = {rule["alert"]: rule for rule in _alert_rules()}
    assert rules["PitchgateDown"]["expr"] == 'up{job="pitchgate"} == 0'
    covered = {name: metric_names(rule["expr"]) for name, rule in rules.items()}
    assert covered["PitchgateUpstreamFailing"] == {"pitchgate_upstream_replies_total"}
    assert "pitchgate_unscanned_total" in covered["PitchgateUnscanned"]
    assert covered["PitchgateQuarantineGrowing"] == {"pitchgate_quarantine_messages"}
    assert covered["PitchgateScanSlow"] == {"pitchgate_scan_seconds_bucket"}
    assert covered["PitchgateNotReady"] == {"pitchgate_ready"}
    assert covered["PitchgateNoTraffic"] == {"pitchgate_messages_total"}
    assert covered["PitchgateDigestFailing"] == {"pitchgate_digests_total"}
    for rule in rules.values():
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_each_alert_links_its_runbook_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    runbooks = readme.split("\n## Alert runbooks\n", 1)[1].split("\n## ", 1)[0]
    anchors = {_slug(h) for h in re.findall(r"^### (.+)$", runbooks, re.MULTILINE)}
    for rule in _alert_rules():
        url = rule["annotations"]["runbook_url"]
        assert url == f"README.md#{rule['alert'].lower()}" and url.partition("#")[2] in anchors, rule["alert"]
    # One short runbook each: what it means, what to check, what to do.
    for section in re.split(r"^### ", runbooks, flags=re.MULTILINE)[1:]:
        assert all(f"**{part}**" in section for part in ("Means", "Check", "Do")), section[:40]


def _promtool(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    if PROMTOOL is None:
        if os.environ.get("CI"):
            pytest.fail("CI must check the rules with promtool (.ci/run installs Debian's prometheus)")
        pytest.skip("promtool is not installed (Debian package prometheus); YAML and names are checked")
    return subprocess.run([PROMTOOL, *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def test_promtool_checks_the_alerts_and_fires_each_one() -> None:
    checked = _promtool("check", "rules", str(ALERTS))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = _promtool("test", "rules", ALERT_TESTS.name, cwd=ALERT_TESTS.parent)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    cases = [
        case for test in yaml.safe_load(ALERT_TESTS.read_text())["tests"] for case in test["alert_rule_test"]
    ]
    assert {case["alertname"] for case in cases if case["exp_alerts"]} == {r["alert"] for r in _alert_rules()}


def test_promtool_checks_the_scrape_config_the_alerts_expect() -> None:
    [job] = yaml.safe_load(SCRAPE.read_text())["scrape_configs"]
    assert job["job_name"] == "pitchgate" and job["static_configs"][0]["targets"] == ["127.0.0.1:9425"]
    checked = _promtool("check", "config", str(SCRAPE))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_readme_shows_the_monitoring_files() -> None:
    readme = (ROOT / "README.md").read_text()
    assert SCRAPE.read_text() in readme
    for path in (DASHBOARD, ALERTS):
        assert str(path.relative_to(ROOT)) in readme


def test_promtool_parses_every_dashboard_query(tmp_path: Path) -> None:
    """Each panel query, with Grafana's variables given values, wrapped as a recording rule for promtool."""
    rules = []
    for number, expr in enumerate(_panel_exprs()):
        for variable, value in GRAFANA_VARIABLES.items():
            expr = expr.replace(variable, value)
        rules.append({"record": f"panel:query{number}", "expr": expr})
    path = tmp_path / "panels.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "panels", "rules": rules}]}))
    checked = _promtool("check", "rules", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def _send(port: int, raw: bytes, sender: str) -> None:
    await aiosmtplib.send(raw, sender=sender, recipients=["bob@example.com"], hostname="127.0.0.1", port=port)


def _exported(text: str) -> tuple[set[str], dict[str, set[str]]]:
    """Every series name /metrics can carry (also those of families with no sample yet), and their labels."""
    suffixes = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_sum", "_count", "_created")}
    names: set[str] = set()
    labels: dict[str, set[str]] = {}
    for family in text_string_to_metric_families(text):
        names.update(family.name + s for s in suffixes.get(family.type, ("",)))
        for series in family.samples:
            names.add(series.name)
            labels.setdefault(series.name, set()).update(series.labels)
    return names, labels


async def test_dashboard_and_alerts_query_what_serve_exports(sink: Sink, tmp_path: Path) -> None:
    """Also the message log: one JSON line per message, with what an admin traces by, and no body."""
    state = tmp_path / "state"
    assert (await run("block", "add", "pitcher.test", "--state-dir", str(state))).code == 0
    proc, port, metrics_port = await start_serve(state, sink.port, "--log-format", "json")
    try:
        body = f"Hi Bob,\n\n{BODY_PHRASE}\n"
        await _send(port, make_message(body=body, message_id="<pass@partner.test>"), "alice@partner.test")
        await _send(port, make_message(sender="sdr@pitcher.test", body=body), "sdr@pitcher.test")
        status, text = await asyncio.to_thread(_get, f"http://127.0.0.1:{metrics_port}/metrics")
        assert status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    names, labels = _exported(text)
    exprs = _panel_exprs() + [rule["expr"] for rule in _alert_rules()]
    for expr in exprs:
        missing = metric_names(expr) - names - SYNTHETIC
        assert not missing, f"{expr!r} queries {missing}, which /metrics lacks"
        for metric, label in matched_labels(expr):
            if metric in labels and label not in TARGET_LABELS:
                assert label in labels[metric], f"{expr!r}: {metric} has no label {label!r}"
    assert 'pitchgate_messages_total{action="quarantine"} 1.0' in text
    assert "pitchgate_ready 1.0" in text  # the background readiness check ran against the live sink

    log = err.decode()
    assert BODY_PHRASE not in log and "Subject" not in log
    lines = [json.loads(line) for line in log.splitlines() if '"event": "message"' in line]
    assert [line["action"] for line in lines] == ["pass", "quarantine"]
    traced = lines[0]
    for key in ("session", "client", "helo", "from", "to", "message_id", "size", "action", "score"):
        assert traced[key] not in (None, ""), key
    assert traced["message_id"] == "<pass@partner.test>" and traced["to"] == ["bob@example.com"]
    assert traced["reply"].startswith("250 ") and traced["ms"] > 0 and "symbols" in traced
    assert lines[1]["quarantine_id"]


async def test_readyz_follows_the_upstream_and_log_level_is_honoured(sink: Sink, tmp_path: Path) -> None:
    proc, port, metrics_port = await start_serve(tmp_path / "state", sink.port, "--log-level", "WARNING")
    base = f"http://127.0.0.1:{metrics_port}"
    try:
        assert await asyncio.to_thread(_get, f"{base}/readyz") == (200, "ok\n")
        await sink.stop()
        assert await asyncio.to_thread(_get, f"{base}/readyz") == (503, "upstream unreachable\n")
        assert await asyncio.to_thread(_get, f"{base}/healthz") == (200, "ok\n")
        with pytest.raises(aiosmtplib.SMTPSenderRefused):
            await _send(port, make_message(), "alice@partner.test")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert "cannot reach upstream" in err.decode()  # WARNING
    assert "listening on" not in err.decode()  # INFO


def test_container_health_checks_use_the_endpoints() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    healthcheck = dockerfile[dockerfile.index("HEALTHCHECK") :].split("\n\n")[0]
    assert "http://127.0.0.1:9425/healthz" in healthcheck
    assert "PITCHGATE_METRICS__LISTEN=0.0.0.0:9425" in dockerfile
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    # Liveness, not readiness: an upstream outage must not get the gateway restarted over and over.
    assert "http://127.0.0.1:9425/healthz" in " ".join(
        compose["services"]["pitchgate"]["healthcheck"]["test"]
    )


async def test_check_config_masks_every_secret(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[server]\nlocal_domains = ["example.com"]\n'
        '[store]\nredis_url = "redis://:hunter2@127.0.0.1:6379/0"\n'
        '[web]\nadmin_token = "token-swordfish"\nlink_secret = "secret-xyzzy"\n'
    )
    result = await run("check-config", "--config", str(config))
    assert result.code == 0, result.err
    for secret in ("hunter2", "token-swordfish", "secret-xyzzy"):
        assert secret not in result.out + result.err
    effective = json.loads(result.out)
    assert effective["store"]["redis_url"] == effective["web"]["admin_token"] == "**********"
    assert effective["web"]["link_secret"] == "**********"


async def test_decisions_count_once_per_message(gateway: Gateway, sink: Sink) -> None:
    """The dashboard sets releases against holds: one release is one decision, however many symbols fired."""
    await gateway.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
    pitch = make_message(
        sender="sdr@pitcher.test", body="Hi,\n\nQuick call this week? Our platform books meetings.\n"
    )
    await aiosmtplib.send(
        pitch,
        sender="sdr@pitcher.test",
        recipients=["bob@example.com"],
        hostname="127.0.0.1",
        port=gateway.port,
    )
    [held] = await gateway.app.store.quarantine_list()
    released = await gateway.app.quarantine.release(held.id, gateway.app.relay)
    assert released.reply.ok and len(sink.received) == 1
    assert sample(gateway.registry, "pitchgate_messages_total", {"action": "quarantine"}) == 1
    assert sample(gateway.registry, "pitchgate_quarantine_decisions_total", {"kind": "released"}) == 1
    for symbol in held.symbols or {"none": 0.0}:
        assert (
            sample(gateway.registry, "pitchgate_feedback_total", {"kind": "released", "symbol": symbol}) == 1
        )


async def test_a_bad_log_level_is_refused_by_name(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[logging]\nlevel = "LOUD"\n')
    result = await run("check-config", "--config", str(config))
    assert result.code == 1 and "logging.level" in result.err
    config.write_text('[server]\nlocal_domains = ["example.com"]\n[logging]\nlevel = "warning"\n')
    assert (
        json.loads((await run("check-config", "--config", str(config))).out)["logging"]["level"] == "WARNING"
    )


def test_text_log_line_carries_the_same_fields(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --log-format json: one logfmt line (tests/test_logs.py parses it), the same fields, still no body."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    raw = make_message(body=f"Hi Bob,\n\n{BODY_PHRASE}\n", message_id="<text@partner.test>")
    msg = Message.from_bytes(
        raw, Envelope("alice@partner.test", ("bob@example.com",), "203.0.113.9", "mx.test")
    )
    try:
        logs.configure("INFO", "text")
        logs.log_message("abc123", msg, Verdict(Action.TAG, 6.5), Reply(250, "2.0.0 Ok: queued"), None, 0.012)
    finally:
        root.handlers[:], root.level = saved
    [line] = capsys.readouterr().err.splitlines()
    assert " level=info logger=pitchgate.message " in line and BODY_PHRASE not in line
    for pair in ("session=abc123", "client=203.0.113.9", "helo=mx.test", "message_id=<text@partner.test>"):
        assert f" {pair} " in line
    assert " action=tag " in line and " score=6.5 " in line and ' reply="250 2.0.0 Ok: queued" ' in line
