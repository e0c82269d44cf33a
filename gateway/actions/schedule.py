"""A tiny scheduler for serve's background jobs (retention, the metrics gauge, the daily digest).

Due times come from the injected Clock, so tests move a manual clock and call `tick()`; `run()` only
adds a real-time pause between ticks. A job that fails is logged and never stops the scheduler, so a
background job can never bring `pitchgate serve` down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from gateway.clock import Clock
from gateway.store.base import Store, StoreError

log = logging.getLogger(__name__)

DAY = 86400.0
Job = Callable[[float], Awaitable[None]]
"""A job receives the clock's `now`."""


class Task(Protocol):
    name: str

    def due(self, now: float) -> bool: ...

    async def run(self, now: float) -> None: ...


class Every:
    """Runs `job` at the first tick, then again once `seconds` have passed since it last started."""

    def __init__(self, name: str, seconds: float, job: Job) -> None:
        self.name = name
        self._seconds = seconds
        self._job = job
        self._next: float | None = None

    def due(self, now: float) -> bool:
        return self._next is None or now >= self._next

    async def run(self, now: float) -> None:
        self._next = now + self._seconds
        await self._job(now)


class DailyAt:
    """Runs `job` once a day from `hour` o'clock local time, by one instance among all sharing `store`.

    Each day is claimed through the store's atomic counter, so gateways and workers sharing one store
    send once between them. An instance started after that day's hour has passed leaves the day alone
    (a restart in the afternoon must not mail everyone a digest at an odd time) and waits for the next
    day's hour; one started within the hour still sends (the claim keeps it to once). A running instance
    that missed the hour (suspended, store down) catches up later that day. A failed claim is retried at
    the next tick; a failure after the claim waits for the next day, because the job may have half run.
    Each decision logs when the next run is due.
    """

    def __init__(self, name: str, hour: int, job: Job, store: Store, tz: tzinfo | None = None) -> None:
        self.name = name
        self._hour = hour
        self._job = job
        self._store = store
        self._tz = tz
        self._done: str | None = None
        self._started = False

    def _day(self, now: float) -> str | None:
        """The local date when `now` is at or past the hour, else None."""
        local = datetime.fromtimestamp(now, self._tz)
        return local.date().isoformat() if local.hour >= self._hour else None

    def next_due(self, now: float) -> datetime:
        """The local time of the next run: today's hour if today is still to come, else tomorrow's."""
        local = datetime.fromtimestamp(now, self._tz)
        at = local.replace(hour=self._hour, minute=0, second=0, microsecond=0)
        return at + timedelta(days=1) if self._done == local.date().isoformat() else at

    def _log_next(self, now: float) -> None:
        log.info("%s: next due at %s", self.name, f"{self.next_due(now):%Y-%m-%d %H:%M %Z}".strip())

    def due(self, now: float) -> bool:
        if not self._started:
            self._started = True
            if datetime.fromtimestamp(now, self._tz).hour > self._hour:
                self._done = self._day(now)  # started after today's hour: not today
            self._log_next(now)
        day = self._day(now)
        return day is not None and day != self._done

    async def run(self, now: float) -> None:
        day = self._day(now)
        if day is None:
            return
        won = await self._store.counter_incr(f"{self.name}:{day}", 1, now, 2 * DAY) == 1
        self._done = day
        try:
            if won:
                await self._job(now)
            else:
                log.info("%s for %s already sent by another instance", self.name, day)
        finally:
            self._log_next(now)


class Scheduler:
    """Runs due tasks one after another at each tick."""

    def __init__(self, clock: Clock, tasks: Sequence[Task], poll_seconds: float = 30.0) -> None:
        self._clock = clock
        self._tasks = list(tasks)
        self._poll = poll_seconds

    async def tick(self) -> None:
        for task in self._tasks:
            now = self._clock.now()
            if not task.due(now):
                continue
            try:
                await task.run(now)
            except StoreError as exc:  # an outage, already explained by the store: no traceback each minute
                log.warning("background job %s failed: %s", task.name, exc)
            except Exception:
                log.exception("background job %s failed", task.name)

    async def run(self, stop: asyncio.Event) -> None:
        """Tick until `stop` is set."""
        while not stop.is_set():
            await self.tick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._poll)
