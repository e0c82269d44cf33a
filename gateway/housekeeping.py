"""The jobs `pitchgate serve` runs in the background: retention, the held-messages gauge, the daily digest.

Every instance runs retention and the gauge (both idempotent, and the gauge must follow holds made by
other instances sharing the store); the digest is claimed per day through the store, so only one sends.
"""

from __future__ import annotations

import logging

from gateway.app import App
from gateway.digest import Digester
from gateway.schedule import DailyAt, Every, Scheduler, Task

log = logging.getLogger(__name__)

RETENTION_EVERY = 3600.0
GAUGE_EVERY = 60.0


def build_scheduler(app: App) -> Scheduler:
    """Raises DigestError when the digest is enabled but cannot work (no signed links)."""

    async def purge(now: float) -> None:
        purged = await app.quarantine.purge(now - app.quarantine.retention)
        if purged:
            log.info("retention: deleted %d held message(s)", purged)

    async def gauge(now: float) -> None:
        await app.quarantine.refresh_gauge()

    tasks: list[Task] = [Every("retention", RETENTION_EVERY, purge), Every("gauge", GAUGE_EVERY, gauge)]
    if app.settings.digest.enabled:
        digester = Digester.from_settings(app.settings, app.store, app.relay, app.metrics)

        async def digest(now: float) -> None:
            report = await digester.send(now)
            log.info(
                "digest: %d sent, %d failed, %d held message(s) listed",
                report.sent,
                report.failed,
                report.listed,
            )

        tasks.append(DailyAt("digest", app.settings.digest.hour, digest, app.store))
    return Scheduler(app.clock, tasks)
