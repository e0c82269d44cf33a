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

import uvicorn
from prometheus_client import CollectorRegistry, make_asgi_app, multiprocess
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from gateway import logs
from gateway.app import App, build_app, front_options
from gateway.clock import SystemClock
from gateway.digest import digest_sender
from gateway.housekeeping import build_scheduler
from gateway.settings import Settings, parse_hostport
from gateway.smtp import Front, Handler
from gateway.store.base import StoreError

log = logging.getLogger(__name__)


def _health_app(app: App | None, registry: CollectorRegistry | None) -> Starlette:
    async def healthz(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok\n")

    async def readyz(request: Request) -> PlainTextResponse:
        if app is None:
            return PlainTextResponse("ok\n")
        problems = []
        try:
            await app.store.ping()
        except StoreError:
            problems.append("store unreachable")
        if not await app.relay.probe():
            problems.append("upstream unreachable")
        if problems:
            return PlainTextResponse("; ".join(problems) + "\n", status_code=503)
        return PlainTextResponse("ok\n")

    metrics = make_asgi_app(registry) if registry is not None else make_asgi_app()
    return Starlette(
        routes=[Route("/healthz", healthz), Route("/readyz", readyz), Mount("/metrics", metrics)]
    )


def _http_server(settings: Settings, starlette: Starlette) -> uvicorn.Server:
    host, port = parse_hostport(settings.metrics.listen)
    config = uvicorn.Config(
        starlette, host=host, port=port, log_level="warning", lifespan="off", access_log=False
    )
    return uvicorn.Server(config)


def _web_server(settings: Settings, app: App) -> uvicorn.Server | None:
    """The quarantine review page on its own listener, when `web.listen` is set."""
    if not settings.web.listen:
        return None
    from gateway.web import create_web_app, link_signer

    web = settings.web
    if not web.admin_token.get_secret_value() and not web.link_secret.get_secret_value():
        log.warning("review page on %s: neither web.admin_token nor web.link_secret is set", web.listen)
    host, port = parse_hostport(web.listen)
    starlette = create_web_app(app, link_signer(web), web)
    config = uvicorn.Config(
        starlette, host=host, port=port, log_level="warning", lifespan="off", access_log=False
    )
    return uvicorn.Server(config)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def run(settings: Settings, *, reuse_port: bool = False, serve_http: bool = True) -> None:
    """Serve until SIGTERM or SIGINT, then stop accepting, drain the sessions in flight and close the store."""
    app = build_app(settings, SystemClock())
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
    await front.start()
    http = _http_server(settings, _health_app(app, None)) if serve_http and settings.metrics.enabled else None
    http_task = asyncio.create_task(http.serve()) if http else None
    web = _web_server(settings, app) if serve_http else None
    web_task = asyncio.create_task(web.serve()) if web else None
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
    if http and http_task:
        http.should_exit = True
        await http_task
    if web and web_task:
        web.should_exit = True
        await web_task
    await app.close()


def _worker(settings: Settings) -> None:
    logs.configure(settings.logging.level, settings.logging.format)
    asyncio.run(run(settings, reuse_port=True, serve_http=False))


async def _parent(settings: Settings, procs: list[Any], metrics_dir: str) -> None:
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=metrics_dir)  # type: ignore[no-untyped-call]
    http = _http_server(settings, _health_app(None, registry)) if settings.metrics.enabled else None
    http_task = asyncio.create_task(http.serve()) if http else None
    # Workers share one SMTP port but a web listener cannot be shared, so the parent serves the review page.
    web_app = build_app(settings, SystemClock()) if settings.web.listen else None
    web = _web_server(settings, web_app) if web_app else None
    web_task = asyncio.create_task(web.serve()) if web else None
    stop = asyncio.Event()
    _stop_on_signals(stop)
    while not stop.is_set() and any(p.is_alive() for p in procs):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
    for proc in procs:
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGTERM)
    await asyncio.to_thread(lambda: [p.join() for p in procs])
    if http and http_task:
        http.should_exit = True
        await http_task
    if web and web_task:
        web.should_exit = True
        await web_task
    if web_app:
        await web_app.close()


def run_workers(settings: Settings, count: int) -> None:
    """Start `count` worker processes on one port and supervise them until a signal arrives."""
    if settings.digest.enabled:
        digest_sender(settings)  # a digest that cannot work stops the start here, not in each worker
    metrics_dir = tempfile.mkdtemp(prefix="pitchgate-metrics-")
    # Children read this at import time of prometheus_client, so it must be in the environment they inherit.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_worker, args=(settings,), daemon=False) for _ in range(count)]
    for proc in procs:
        proc.start()
    asyncio.run(_parent(settings, procs, metrics_dir))
