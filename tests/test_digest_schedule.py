"""The digest goes out at the configured hour, not whenever the gateway happens to start.

A manual clock and a real SQLite store (the day's claim); the job records when it ran. The log says when
the next digest is due, at start and after every run.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pytest

from gateway.actions.schedule import DailyAt, Scheduler
from gateway.clock import ManualClock
from gateway.store.sqlite import SQLiteStore


def _local(day: int, hour: int, minute: int = 0) -> float:
    return datetime(2026, 3, day, hour, minute).timestamp()


async def _schedule(tmp_path: Path, start: float) -> tuple[Scheduler, ManualClock, list[float], SQLiteStore]:
    clock, ran = ManualClock(start), []

    async def job(now: float) -> None:
        ran.append(now)

    store = SQLiteStore(tmp_path / "state", clock=clock)
    return Scheduler(clock, [DailyAt("digest", 8, job, store)]), clock, ran, store


async def test_a_start_after_the_hour_waits_for_the_next_days_hour(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler, clock, ran, store = await _schedule(tmp_path, _local(2, 15, 0))
    try:
        with caplog.at_level(logging.INFO, logger="gateway.actions.schedule"):
            await scheduler.tick()
            assert ran == [] and "digest: next due at 2026-03-03 08:00" in caplog.text
            clock.set(_local(2, 23, 59))
            await scheduler.tick()
            clock.set(_local(3, 7, 59))
            await scheduler.tick()
            assert ran == []
            clock.set(_local(3, 8, 0))
            await scheduler.tick()
            await scheduler.tick()
            assert ran == [_local(3, 8, 0)]
            assert "digest: next due at 2026-03-04 08:00" in caplog.text
    finally:
        await store.close()


async def test_a_start_within_the_hour_still_sends_that_day(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler, _clock, ran, store = await _schedule(tmp_path, _local(2, 8, 30))
    try:
        with caplog.at_level(logging.INFO, logger="gateway.actions.schedule"):
            await scheduler.tick()
        assert ran == [_local(2, 8, 30)] and "digest: next due at 2026-03-03 08:00" in caplog.text
    finally:
        await store.close()


async def test_a_start_before_the_hour_sends_at_the_hour(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler, clock, ran, store = await _schedule(tmp_path, _local(2, 6, 0))
    try:
        with caplog.at_level(logging.INFO, logger="gateway.actions.schedule"):
            await scheduler.tick()
        assert ran == [] and "digest: next due at 2026-03-02 08:00" in caplog.text
        clock.set(_local(2, 8, 0))
        await scheduler.tick()
        assert ran == [_local(2, 8, 0)]
    finally:
        await store.close()
