"""Serve's background jobs and their commands: the daily digest schedule, retention, and `quarantine purge`.

The schedule runs on a manual clock (tests call `tick()`); the digests it sends go over real sockets to
a real sink, and the day's claim goes through a real store shared by two gateway instances.
"""

from __future__ import annotations

import asyncio
import logging
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from prometheus_client import CollectorRegistry

from gateway.actions.housekeeping import build_scheduler
from gateway.actions.schedule import DailyAt, Every, Scheduler
from gateway.app import App, build_app
from gateway.clock import ManualClock
from gateway.commands.housekeeping import parse_duration
from gateway.commands.main import main
from gateway.metrics import Metrics
from gateway.store.sqlite import SQLiteStore
from tests.procs import run, start_serve
from tests.smtp_helpers import Sink, make_settings, sample
from tests.test_digest import BASE, SECRET, held, seed

DAY = 86400.0
HOUR = 3600.0


def _local(year: int, month: int, day: int, hour: int, minute: int = 0) -> float:
    """A local wall-clock time as a timestamp: the digest hour is local time, whatever TZ the test runs in."""
    return datetime(year, month, day, hour, minute).timestamp()


def _instance(state: Path, sink: Sink, clock: ManualClock) -> tuple[App, CollectorRegistry]:
    settings = make_settings(
        state,
        sink.port,
        web={"link_secret": SECRET, "base_url": BASE},
        digest={"enabled": True, "hour": 8},
    )
    registry = CollectorRegistry()
    store = SQLiteStore(state, clock=clock)
    return build_app(settings, clock, store=store, metrics=Metrics(registry)), registry


async def test_digest_is_sent_once_a_day_at_the_hour_by_one_of_two_instances(
    sink: Sink, tmp_path: Path
) -> None:
    clock = ManualClock(_local(2026, 3, 2, 7, 59))
    await seed(tmp_path / "state", [held("q-1", ("alice@example.com",), "Pitch", clock.now() - HOUR)])
    (a, a_metrics), (b, _) = (
        _instance(tmp_path / "state", sink, clock),
        _instance(tmp_path / "state", sink, clock),
    )
    first, second = build_scheduler(a), build_scheduler(b)
    try:
        await first.tick()
        await second.tick()
        assert sink.received == []
        clock.set(_local(2026, 3, 2, 8, 0))
        await first.tick()
        assert [r.rcpt_tos for r in sink.received] == [["alice@example.com"]]
        clock.set(_local(2026, 3, 2, 8, 1))
        await second.tick()  # the other instance finds the day claimed
        clock.set(_local(2026, 3, 2, 23, 59))
        await first.tick()
        await second.tick()
        assert len(sink.received) == 1
        assert sample(a_metrics, "pitchgate_digests_total", {"result": "sent"}) == 1
        clock.set(_local(2026, 3, 3, 9, 30))  # next day, whichever instance ticks first sends it
        await second.tick()
        await first.tick()
        assert len(sink.received) == 2
    finally:
        await a.close()
        await b.close()


async def test_a_failing_digest_waits_for_the_next_day_and_the_scheduler_goes_on(
    sink: Sink, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock(_local(2026, 3, 2, 8, 0))
    await seed(tmp_path / "state", [held("q-1", ("alice@example.com",), "Pitch", clock.now() - HOUR)])
    app, registry = _instance(tmp_path / "state", sink, clock)
    scheduler, port = build_scheduler(app), sink.port
    await sink.stop()  # the upstream is down at eight
    try:
        with caplog.at_level(logging.INFO):
            await scheduler.tick()
        assert sample(registry, "pitchgate_digests_total", {"result": "failed"}) == 1
        assert "digest: 0 sent, 1 failed" in caplog.text
        await sink.start(port)
        clock.set(_local(2026, 3, 2, 12, 0))
        await scheduler.tick()
        assert sink.received == []
        clock.set(_local(2026, 3, 3, 8, 0))
        await scheduler.tick()
        assert [r.rcpt_tos for r in sink.received] == [["alice@example.com"]]
    finally:
        await app.close()


async def test_a_job_that_raises_is_logged_and_the_loop_keeps_ticking(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock, ran = ManualClock(0.0), []

    async def broken(now: float) -> None:
        raise RuntimeError("boom")

    async def counted(now: float) -> None:
        ran.append(now)
        clock.advance(10)

    scheduler = Scheduler(clock, [Every("broken", 10, broken), Every("counted", 10, counted)], 0.001)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop))
    while len(ran) < 3:
        await asyncio.sleep(0.001)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert "background job broken failed" in caplog.text and "RuntimeError: boom" in caplog.text


async def test_retention_purges_and_updates_the_gauge(sink: Sink, tmp_path: Path) -> None:
    clock = ManualClock(_local(2026, 3, 2, 3, 0))
    now = clock.now()
    await seed(
        tmp_path / "state",
        [
            held("q-old", ("alice@example.com",), "Old", now - 31 * DAY),
            held("q-new", ("bob@example.com",), "New", now),
        ],
    )
    app, registry = _instance(tmp_path / "state", sink, clock)
    try:
        await build_scheduler(app).tick()
        assert [r.id for r in await app.store.quarantine_list()] == ["q-new"]
        assert sample(registry, "pitchgate_quarantine_purged_total") == 1
        assert sample(registry, "pitchgate_quarantine_messages") == 1
    finally:
        await app.close()


async def test_quarantine_purge_command(tmp_path: Path) -> None:
    state, now = tmp_path / "state", time.time()
    await seed(
        state,
        [
            held("q-40d", ("alice@example.com",), "Forty days", now - 40 * DAY),
            held("q-10d", ("alice@example.com",), "Ten days", now - 10 * DAY),
            held("q-1h", ("alice@example.com",), "An hour", now - HOUR),
        ],
    )
    purged = await run("quarantine", "purge", "--state-dir", str(state))  # retention_days: 30
    assert purged.code == 0, purged.err
    assert purged.out.strip() == "purged 1 held message(s)"
    purged = await run("quarantine", "purge", "--older-than", "1w", "--state-dir", str(state))
    assert purged.out.strip() == "purged 1 held message(s)"
    store = SQLiteStore(state)
    try:
        assert [r.id for r in await store.quarantine_list()] == ["q-1h"]
    finally:
        await store.close()
    purged = await run("quarantine", "purge", "--older-than", "0h", "--state-dir", str(state))
    assert purged.out.strip() == "purged 1 held message(s)"
    assert sorted(p.name for p in (state / "quarantine").iterdir()) == []


def test_purge_durations() -> None:
    command = ["quarantine", "purge", "--state-dir", "/nonexistent/never-opened", "--older-than"]
    for bad in ("30", "d", "-1d", "1m", "1 d"):
        result = CliRunner().invoke(main, [*command, bad])
        assert result.exit_code == 2 and "12h, 30d, 2w" in result.output, bad
    assert parse_duration(click.Context(main), click.Option(["--x"]), "1.5d") == 1.5 * DAY
    assert parse_duration(click.Context(main), click.Option(["--x"]), "2w") == 14 * DAY
    assert parse_duration(click.Context(main), click.Option(["--x"]), "12H") == 12 * HOUR


def _metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return str(response.read().decode())


async def test_serve_purges_at_start_and_sends_the_digest_in_the_background(
    sink: Sink, tmp_path: Path
) -> None:
    now = datetime.now()
    if now.minute == 59 and now.second > 50:  # the digest hour below must still be this hour at start
        await asyncio.sleep(61 - now.second)
        now = datetime.now()
    state = tmp_path / "state"
    await seed(
        state,
        [
            held("q-old", ("alice@example.com",), "Old pitch", time.time() - 40 * DAY),
            held("q-new", ("alice@example.com",), "New pitch", time.time() - 60),
        ],
    )
    config = tmp_path / "pg.toml"
    config.write_text(
        f'[web]\nlink_secret = "{SECRET}"\nbase_url = "{BASE}"\n[digest]\nenabled = true\nhour = {now.hour}\n'
    )
    proc, _, metrics_port = await start_serve(state, sink.port, "--config", str(config))
    try:
        deadline = time.monotonic() + 20
        while not sink.received and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        [digest] = sink.received
        assert digest.rcpt_tos == ["alice@example.com"]
        assert b"New pitch" in digest.data and b"Old pitch" not in digest.data
        body = await asyncio.to_thread(_metrics, metrics_port)
        assert "pitchgate_quarantine_purged_total 1.0" in body
        assert 'pitchgate_digests_total{result="sent"} 1.0' in body
        assert "pitchgate_quarantine_messages 1.0" in body
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0


async def test_serve_refuses_an_enabled_digest_without_links(tmp_path: Path) -> None:
    config = tmp_path / "pg.toml"
    config.write_text("[digest]\nenabled = true\n")
    result = await run(
        "serve", "--config", str(config), "--local-domain", "example.com", "--state-dir", str(tmp_path),
        "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
    )  # fmt: skip
    assert result.code == 1 and "web.link_secret and web.base_url" in result.err


async def test_a_digest_day_whose_claim_failed_is_retried_at_the_next_tick(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "state"
    blocked.write_text("a file where the store's directory should be")  # a real store failure
    clock, sent = ManualClock(_local(2026, 3, 2, 8, 0)), []

    async def job(now: float) -> None:
        sent.append(now)

    store = SQLiteStore(blocked, clock=clock)
    scheduler = Scheduler(clock, [DailyAt("digest", 8, job, store)])
    try:
        await scheduler.tick()
        assert sent == [] and "background job digest failed: sqlite store" in caplog.text
        blocked.unlink()
        clock.advance(60)
        await scheduler.tick()
        await scheduler.tick()
        assert sent == [clock.now()]
    finally:
        await store.close()
