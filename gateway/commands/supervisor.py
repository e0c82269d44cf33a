"""The `--workers` parent: a light process that starts the workers, serves their merged metrics and stops them.

`pitchgate serve --workers N` checks the configuration and binds the metrics port in the full process,
then replaces itself (exec, so the PID a service manager watches stays the same) with this module, which
imports no part of the application: no model, no parser, no pydantic; about a sixth of a worker's memory.
What it needs arrives in an unlinked private temporary file whose descriptor it inherits: the worker
count, the bound metrics socket's descriptor, and the settings as JSON for the workers (they
hold secrets, so never on the command line or in the environment).

    python -m gateway.commands.supervisor FD
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import multiprocessing
import os
import signal
import socket
import sys
import tempfile
from typing import Any

import uvicorn
from prometheus_client import CollectorRegistry, make_asgi_app, multiprocess
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("gateway.commands.supervisor")


class Exposition:
    """prometheus_client's ASGI app as a plain route: mounted, `/metrics` would answer 307 to `/metrics/`.

    A class, because Starlette treats a bare function endpoint as a request handler, not an ASGI app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


def parent_app(registry: CollectorRegistry) -> Starlette:
    """/healthz, /readyz (the parent is ready once it runs) and the workers' merged /metrics."""

    async def ok(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok\n")

    metrics = Exposition(make_asgi_app(registry))
    routes = [
        Route("/healthz", ok),
        Route("/readyz", ok),
        Route("/metrics", metrics),
        Route("/metrics/", metrics),
    ]
    return Starlette(routes=routes)


def exec_supervisor(
    entry: str, settings_blob: bytes, count: int, metrics: socket.socket | None, log_level: str
) -> None:
    """Replace this process with the light supervisor of `count` workers running `entry` (does not
    return)."""
    order = tempfile.TemporaryFile()  # noqa: SIM115 - its descriptor is handed over by exec
    descriptor = None if metrics is None else metrics.fileno()
    header = {"entry": entry, "count": count, "metrics_fd": descriptor, "log_level": log_level}
    order.write(json.dumps({**header, "settings": base64.b64encode(settings_blob).decode()}).encode())
    order.flush()
    order.seek(0)
    os.set_inheritable(order.fileno(), True)
    if metrics is not None:
        os.set_inheritable(metrics.fileno(), True)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "gateway.commands.supervisor", str(order.fileno())])


def _worker(entry: str, settings_blob: bytes, serve_web: bool) -> None:
    """A worker: `entry` ("module:function", named by serve, which this module never imports) run in
    the spawned child, which alone imports the application."""
    import importlib

    module, _, function = entry.partition(":")
    run = getattr(importlib.import_module(module), function)
    run(settings_blob, serve_web)  # JSON from our own parent (gateway.settings.settings_to_json)


async def _supervise(procs: list[Any], http: uvicorn.Server | None, sock: socket.socket | None) -> None:
    task = asyncio.create_task(http.serve(sockets=[sock])) if http is not None and sock is not None else None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    while not stop.is_set() and any(p.is_alive() for p in procs):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
    for proc in procs:
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGTERM)
    await asyncio.to_thread(lambda: [p.join() for p in procs])
    if http is not None and task is not None:
        http.should_exit = True
        await task


def main(argv: list[str]) -> None:
    with os.fdopen(int(argv[1]), "rb") as order_file:
        order = json.loads(order_file.read())
    logging.basicConfig(level=order["log_level"], format="%(levelname)s %(name)s: %(message)s")
    metrics_dir = tempfile.mkdtemp(prefix="pitchgate-metrics-")
    # The workers read this when they import prometheus_client, so it goes into what they inherit.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=metrics_dir)  # type: ignore[no-untyped-call]
    sock = None if order["metrics_fd"] is None else socket.socket(fileno=order["metrics_fd"])
    http = None
    if sock is not None:
        config = uvicorn.Config(parent_app(registry), log_level="warning", lifespan="off", access_log=False)
        http = uvicorn.Server(config)
    blob = base64.b64decode(order["settings"])
    ctx = multiprocessing.get_context("spawn")
    # A web listener cannot share its port, so the first worker alone serves the review page.
    entry = order["entry"]
    procs = [ctx.Process(target=_worker, args=(entry, blob, i == 0)) for i in range(order["count"])]
    for proc in procs:
        proc.start()
    asyncio.run(_supervise(procs, http, sock))


if __name__ == "__main__":
    main(sys.argv)
