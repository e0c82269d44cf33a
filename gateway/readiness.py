"""Readiness: can this instance do its job right now (store and upstream answer)? Shared by /readyz and the
`pitchgate_ready` gauge, so that the alert sees what a load balancer sees."""

from __future__ import annotations

from gateway.app import App
from gateway.store.base import StoreError


async def readiness_problems(app: App) -> list[str]:
    """What is wrong (empty when ready); records the answer in `pitchgate_ready`."""
    problems = []
    try:
        await app.store.ping()
    except StoreError:
        problems.append("store unreachable")
    if not await app.relay.probe():
        problems.append("upstream unreachable")
    app.metrics.ready.set(0 if problems else 1)
    return problems
