"""The jobs `pitchgate serve` runs in the background: retention, the held-messages and readiness gauges,
the daily digest.

Every instance runs retention and the gauge (both idempotent, and the gauge must follow holds made by
other instances sharing the store); the digest is claimed per day through the store, so only one sends.
"""

from __future__ import annotations

import logging

from gateway.actions.digest import Digester
from gateway.actions.schedule import DailyAt, Every, Scheduler, Task
from gateway.app import App
from gateway.readiness import readiness_problems

log = logging.getLogger(__name__)

RETENTION_EVERY = 3600.0
GAUGE_EVERY = 60.0
REDELIVER_EVERY = 300.0
"""Copies the upstream refused after another copy was delivered are retried like an MTA's queue."""
READY_EVERY = 60.0
"""Each check opens one connection to the upstream; once a minute is enough for a 5-minute alert."""


def build_scheduler(app: App) -> Scheduler:
    """Raises DigestError when the digest is enabled but cannot work (no signed links)."""

    async def purge(now: float) -> None:
        purged = await app.quarantine.purge(now - app.quarantine.retention)
        if purged:
            log.info("retention: deleted %d held message(s)", purged)

    async def gauge(now: float) -> None:
        await app.quarantine.refresh_gauge()

    async def ready(now: float) -> None:
        # Prometheus scrapes /metrics, not /readyz: keep pitchgate_ready current on our own.
        await readiness_problems(app)

    async def redeliver(now: float) -> None:
        delivered = await app.quarantine.redeliver(app.relay)
        if delivered:
            log.info("redelivery: %d deferred copy(ies) delivered", delivered)

    tasks: list[Task] = [
        Every("retention", RETENTION_EVERY, purge),
        Every("redelivery", REDELIVER_EVERY, redeliver),
        Every("gauge", GAUGE_EVERY, gauge),
        Every("readiness", READY_EVERY, ready),
    ]
    if app.settings.digest.enabled:
        digester = Digester.from_settings(app.settings, app.store, app.relay, app.metrics)

        async def digest(now: float) -> None:
            try:
                report = await digester.send(now)
            except Exception:  # the whole run failed (store, templates): an alert must see it too
                app.metrics.digests.labels("failed").inc()
                raise
            log.info(
                "digest: %d sent, %d failed, %d held message(s) listed",
                report.sent,
                report.failed,
                report.listed,
            )

        tasks.append(DailyAt("digest", app.settings.digest.hour, digest, app.store))
    return Scheduler(app.clock, tasks)
