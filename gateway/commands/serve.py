"""Running the gateway: the SMTP front, the metrics and health listener, signals, and worker processes.

One process runs everything in one event loop. With `--workers N`, N such processes share the SMTP
port through SO_REUSEPORT and their state through the store; the parent serves the merged metrics.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from prometheus_client import CollectorRegistry, make_asgi_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from gateway import logs, memory
from gateway.actions.housekeeping import build_scheduler
from gateway.app import App, front_options
from gateway.clock import SystemClock
from gateway.commands.startup import check_settings, checked_app
from gateway.commands.supervisor import Exposition, exec_supervisor
from gateway.fronts.smtp.handler import Handler
from gateway.fronts.smtp.listener import HttpListener, bind
from gateway.fronts.smtp.protocol import Front
from gateway.readiness import readiness_problems
from gateway.settings import Settings, parse_hostport, settings_from_json, settings_to_json
from gateway.store.base import StoreError

log = logging.getLogger(__name__)


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

    metrics = Exposition(make_asgi_app(registry) if registry is not None else make_asgi_app())
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


def worker(settings_json: bytes, serve_web: bool) -> None:
    """One of `--workers`' processes (started by gateway/commands/supervisor.py), given the parent's
    settings as `settings_to_json` wrote them."""
    settings = settings_from_json(settings_json)
    logs.configure_from(settings.logging)
    asyncio.run(run(settings, reuse_port=True, serve_http=False, serve_web=serve_web))


def run_workers(settings: Settings, count: int) -> None:
    """Check the configuration, bind the metrics port, then become the light supervisor of `count`
    workers on one port (gateway/commands/supervisor.py), which runs until a signal arrives."""
    # A configuration that cannot work stops the start here, not in each worker. The parts (and the model,
    # seconds to load) are built by the workers only: building them here too delays the start past what
    # supervisors and tests wait for. A model the workers refuse ends them with the same message.
    for warning in check_settings(settings):
        log.warning("%s", warning)
    if settings.web.listen:
        bind(settings.web.listen).close()  # the first worker binds it; a taken port should stop us here
    metrics = bind(settings.metrics.listen) if settings.metrics.enabled else None  # before any worker
    exec_supervisor(f"{__name__}:worker", settings_to_json(settings), count, metrics, settings.logging.level)
