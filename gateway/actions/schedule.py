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
from datetime import datetime, tzinfo
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
    send once between them. A day is caught up later that day if nobody was running at the hour. A
    failed claim (store down) is retried at the next tick; a failure after the claim waits for the next
    day, because the job may have half run.
    """

    def __init__(self, name: str, hour: int, job: Job, store: Store, tz: tzinfo | None = None) -> None:
        self.name = name
        self._hour = hour
        self._job = job
        self._store = store
        self._tz = tz
        self._done: str | None = None

    def _day(self, now: float) -> str | None:
        """The local date when `now` is at or past the hour, else None."""
        local = datetime.fromtimestamp(now, self._tz)
        return local.date().isoformat() if local.hour >= self._hour else None

    def due(self, now: float) -> bool:
        day = self._day(now)
        return day is not None and day != self._done

    async def run(self, now: float) -> None:
        day = self._day(now)
        if day is None:
            return
        won = await self._store.counter_incr(f"{self.name}:{day}", 1, now, 2 * DAY) == 1
        self._done = day
        if won:
            await self._job(now)
        else:
            log.info("%s for %s already sent by another instance", self.name, day)


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
