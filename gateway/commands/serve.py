"""Running the gateway: the SMTP front, the metrics and health listener, signals, and worker processes.

One process runs everything in one event loop. With `--workers N`, N such processes share the SMTP
port through SO_REUSEPORT and their state through the store; the parent serves the merged metrics.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import tempfile
from typing import Any

from prometheus_client import CollectorRegistry, make_asgi_app, multiprocess
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway import logs, memory
from gateway.actions.housekeeping import build_scheduler
from gateway.app import App, front_options
from gateway.clock import SystemClock
from gateway.commands.startup import check_settings, checked_app
from gateway.fronts.smtp.handler import Handler
from gateway.fronts.smtp.listener import HttpListener, bind
from gateway.fronts.smtp.protocol import Front
from gateway.readiness import readiness_problems
from gateway.settings import Settings, parse_hostport
from gateway.store.base import StoreError

log = logging.getLogger(__name__)


class _Exposition:
    """prometheus_client's ASGI app as a plain route: mounted, `/metrics` would answer 307 to `/metrics/`.

    A class, because Starlette treats a bare function endpoint as a request handler, not an ASGI app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


def _health_app(app: App | None, registry: CollectorRegistry | None) -> Starlette:
    async def healthz(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok\n")

    async def readyz(request: Request) -> PlainTextResponse:
        if app is None:
            return PlainTextResponse("ok\n")
        problems = await readiness_problems(app)
        if problems:
            return PlainTextResponse("; ".join(problems) + "\n", status_code=503)
        return PlainTextResponse("ok\n")

    metrics = _Exposition(make_asgi_app(registry) if registry is not None else make_asgi_app())
    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/metrics/", metrics),
        ]
    )


def _web_listener(settings: Settings, app: App) -> HttpListener | None:
    """The quarantine review page on its own listener, when `web.listen` is set."""
    if not settings.web.listen:
        return None
    from gateway.actions.links import LinkSigner
    from gateway.web.app import create_web_app

    web = settings.web
    return HttpListener(web.listen, create_web_app(app, LinkSigner.from_settings(web), web))


def _metrics_listener(
    settings: Settings, app: App | None, registry: CollectorRegistry | None
) -> HttpListener | None:
    return (
        HttpListener(settings.metrics.listen, _health_app(app, registry))
        if settings.metrics.enabled
        else None
    )


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def run(
    settings: Settings, *, reuse_port: bool = False, serve_http: bool = True, serve_web: bool | None = None
) -> None:
    """Serve until SIGTERM or SIGINT, then stop accepting, drain the sessions in flight and close the store."""
    memory.tune()  # before the store's and the scanner's threads start, each of which may get an arena
    app = checked_app(settings, SystemClock())
    try:
        await app.quarantine.refresh_gauge()
    except StoreError as exc:
        log.warning("store not reachable at start (mail will pass unscanned until it is): %s", exc)
    handler = Handler(
        front_options(settings), app.relay, app.pipeline, app.quarantine, app.clock, app.metrics
    )
    scheduler = build_scheduler(app)
    host, port = parse_hostport(settings.server.listen)
    front = Front(handler, host, port, reuse_port=reuse_port)
    wanted = (
        _metrics_listener(settings, app, None) if serve_http else None,
        _web_listener(settings, app) if (serve_http if serve_web is None else serve_web) else None,
    )
    listeners = [listener for listener in wanted if listener is not None]
    await front.start()
    for listener in listeners:
        listener.start()
    if app.pipeline.pool is not None:
        app.pipeline.pool.start()  # now, so the first heavy message does not wait for the imports
    stop = asyncio.Event()
    _stop_on_signals(stop)
    background = asyncio.create_task(scheduler.run(stop))
    log.info("pitchgate listening on %s:%d, upstream %s", host, front.port, settings.server.upstream)
    await stop.wait()
    log.info("shutting down: draining sessions")
    await front.stop(settings.server.shutdown_grace)
    background.cancel()  # a digest run cut short is not resumed: tomorrow's lists all still held
    with contextlib.suppress(asyncio.CancelledError):
        await background
    for listener in listeners:
        await listener.stop()
    await app.close()


def _worker(settings: Settings, serve_web: bool) -> None:
    logs.configure_from(settings.logging)
    asyncio.run(run(settings, reuse_port=True, serve_http=False, serve_web=serve_web))


async def _parent(procs: list[Any], http: HttpListener | None) -> None:
    if http is not None:
        http.start()
    stop = asyncio.Event()
    _stop_on_signals(stop)
    while not stop.is_set() and any(p.is_alive() for p in procs):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
    for proc in procs:
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGTERM)
    await asyncio.to_thread(lambda: [p.join() for p in procs])
    if http is not None:
        await http.stop()


def run_workers(settings: Settings, count: int) -> None:
    """Start `count` worker processes on one port and supervise them until a signal arrives."""
    # A configuration that cannot work stops the start here, not in each worker. The parts (and the model,
    # seconds to load) are built by the workers only: building them here too delays the start past what
    # supervisors and tests wait for. A model the workers refuse ends them with the same message.
    for warning in check_settings(settings):
        log.warning("%s", warning)
    if settings.web.listen:
        bind(settings.web.listen).close()  # the first worker binds it; a taken port should stop us here
    metrics_dir = tempfile.mkdtemp(prefix="pitchgate-metrics-")
    # Children read this at import time of prometheus_client, so it must be in the environment they inherit.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=metrics_dir)  # type: ignore[no-untyped-call]
    http = _metrics_listener(settings, None, registry)  # bound before any worker starts
    ctx = multiprocessing.get_context("spawn")
    # A web listener cannot share its port, so the first worker alone serves the review page; its actions
    # then count in the merged metrics like everything else the workers do.
    procs = [ctx.Process(target=_worker, args=(settings, i == 0), daemon=False) for i in range(count)]
    for proc in procs:
        proc.start()
    asyncio.run(_parent(procs, http))
