"""Running the IMAP front: the same parts as `serve` (store, signals, policy, pipeline, metrics) with a
clock that each message sets to its INTERNALDATE, one watcher per account, the metrics listener and, when
`web.listen` is set, the review page of what was moved to the hold folders (on the real clock: link
expiry and ages are now, not the INTERNALDATE of the last message judged)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from dataclasses import replace
from typing import TextIO

from gateway.actions.links import LinkSigner
from gateway.app import App, build_app
from gateway.clock import ManualClock, SystemClock
from gateway.fronts.imap.account import Parts
from gateway.fronts.imap.config import ImapAccount
from gateway.fronts.imap.learning import Learning
from gateway.fronts.imap.links import DigestLinks
from gateway.fronts.imap.watcher import Watcher
from gateway.fronts.smtp.listener import HttpListener
from gateway.settings import Settings

log = logging.getLogger(__name__)
DAY = 86400.0


def watchers(settings: Settings, app: App, clock: ManualClock, out: TextIO) -> list[Watcher]:
    def parts(account: ImapAccount) -> Parts:
        ttl = settings.store.feedback_ttl_days * DAY
        learning = Learning(account, app.store, app.quarantine, app.pipeline, clock, ttl)
        digest = settings.digest if settings.digest.enabled else None
        links = DigestLinks.from_settings(settings)
        return Parts(account, settings.imap, app.pipeline, app.store, app.metrics, learning, digest, links)

    return [Watcher(parts(a), out) for a in settings.imap.accounts]


def _metrics_listener(settings: Settings) -> HttpListener | None:
    """/metrics and /healthz (the container's health check), as `serve` answers them; no /readyz here:
    there is no upstream, and a lost IMAP connection is the watcher's to retry."""
    if not settings.metrics.enabled:
        return None
    from gateway.commands.serve import _health_app

    return HttpListener(settings.metrics.listen, _health_app(None, None))


def web_listener(settings: Settings, app: App) -> HttpListener | None:
    """The review page over the hold folders, when `web.listen` is set (off by default)."""
    if not settings.web.listen:
        return None
    from gateway.fronts.imap.review import FolderActions
    from gateway.web.app import create_web_app

    real = replace(app, clock=SystemClock())
    actions = FolderActions(
        app.quarantine,
        app.store,
        settings.imap.accounts,
        timeout=settings.imap.timeout,
        mark_ttl=settings.store.feedback_ttl_days * DAY,
    )
    web = settings.web
    return HttpListener(web.listen, create_web_app(real, LinkSigner.from_settings(web), web, actions))


async def run(settings: Settings, *, once: bool = False, out: TextIO = sys.stdout) -> None:
    """Watch every account until SIGTERM or SIGINT (or, with `once`, handle what waits and return)."""
    clock = ManualClock(0.0)  # each message sets it to its INTERNALDATE, never backwards
    app = build_app(settings, clock, front="imap")
    try:
        found = watchers(settings, app, clock, out)
        if once:
            for watcher in found:
                await watcher.once()
            return
        await _watch(settings, app, found)
    finally:
        await app.close()


async def _watch(settings: Settings, app: App, found: list[Watcher]) -> None:
    listeners = [x for x in (_metrics_listener(settings), web_listener(settings, app)) if x is not None]
    for listener in listeners:
        listener.start()
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for watcher in found:
            watcher.stopping.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)
    try:
        await asyncio.gather(*(w.run() for w in found))
    finally:
        for listener in listeners:
            await listener.stop()
