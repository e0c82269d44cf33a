"""An ASGI app (metrics and health, or the review page) on its own address, in the gateway's event loop.

The socket is bound when the listener is made, before the SMTP front opens, so that a taken port stops
`pitchgate serve` with a clear message instead of a traceback from a server that died after mail was
already flowing.
"""

from __future__ import annotations

import asyncio
import socket

import uvicorn
from starlette.types import ASGIApp

from gateway.settings import parse_hostport


def bind(listen: str) -> socket.socket:
    """A listening TCP socket on HOST:PORT; OSError when the address is taken or not ours."""
    host, port = parse_hostport(listen)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family)


class HttpListener:
    def __init__(self, listen: str, app: ASGIApp) -> None:
        self.socket = bind(listen)
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        return int(self.socket.getsockname()[1])

    @property
    def started(self) -> bool:
        return self._server.started

    def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve(sockets=[self.socket]))

    async def stop(self) -> None:
        self._server.should_exit = True
        if self._task is not None:
            await self._task
        self.socket.close()
