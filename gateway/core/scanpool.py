"""The scanning pool: big or complex messages get their body derived in worker processes, under a deadline.

The event loop also serves every other SMTP session, the review page and /metrics, so a message whose
parse costs more than a few milliseconds is sent here instead. concurrent.futures cannot kill one task,
so this is a small pool of its own over multiprocessing: each worker owns a pipe, and a worker that
overruns its deadline (or dies) is terminated and replaced. Results come back as JSON, not pickle: a
process that just parsed hostile input is not trusted to hand the gateway objects to unpickle.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import multiprocessing
import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from gateway.core.body import Body
from gateway.core.limits import ScanLimits

log = logging.getLogger(__name__)
_READY = b"ready"
_START_TIMEOUT = 60.0
"""A fresh worker imports the parsers before it can work; that is not the message's time."""


@dataclass(frozen=True)
class Heavy:
    """Which messages go to the pool: the cheap tests (a length, two byte counts in C) of what makes a
    parse costly: size, HTML tags (table layout is the dearest per byte), MIME boundaries."""

    size: int = 256 * 1024
    tags: int = 2000
    parts: int = 50

    def __call__(self, raw: bytes) -> bool:
        return len(raw) > self.size or raw.count(b"<") > self.tags or raw.count(b"\n--") > self.parts


class ScanTimeout(Exception):
    """The message overran the deadline (or killed its worker); the worker was replaced."""


def _serve(conn: Connection, limits: ScanLimits) -> None:
    """A worker's life: raw bytes in, the body view as JSON out, until the gateway closes the pipe."""
    from gateway.core.message import Message  # imported here: the worker pays the import, once

    # Only the gateway ends a worker (SIGKILL, or closing the pipe): a SIGTERM or Ctrl-C meant for the
    # gateway's process group must not kill the scans of the messages it is still draining.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn.send_bytes(_READY)
    while True:
        try:
            raw = conn.recv_bytes()
            body = Message.from_bytes(raw, limits=limits).body
            conn.send_bytes(json.dumps(body.to_json()).encode())
        except (EOFError, OSError):
            return  # the gateway is gone


class _Worker:
    def __init__(self, limits: ScanLimits) -> None:
        ctx = multiprocessing.get_context("spawn")  # no fork: the gateway's sockets and threads stay home
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(target=_serve, args=(child, limits), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self) -> bool:
        """True once the worker has imported its parsers and said so. Runs in a thread."""
        try:
            return self.conn.poll(_START_TIMEOUT) and self.conn.recv_bytes() == _READY
        except (EOFError, OSError):
            return False

    def roundtrip(self, raw: bytes, deadline: float) -> bytes | None:
        """The worker's answer for `raw`, or None when it overran `deadline` or died. Runs in a thread."""
        try:
            self.conn.send_bytes(raw)
            return self.conn.recv_bytes() if self.conn.poll(deadline) else None
        except (EOFError, OSError):
            return None

    def kill(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()  # SIGKILL: the worker ignores SIGTERM (see _serve)
        self.process.join(5)


class ScanPool:
    """`size` worker processes, started on first use; `derive` is the only way in."""

    def __init__(
        self, size: int, limits: ScanLimits, deadline: float, on_kill: Callable[[], None] | None = None
    ) -> None:
        self._size = size
        self._limits = limits
        self._deadline = deadline
        self._on_kill = on_kill
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()

    async def derive(self, raw: bytes) -> Body:
        """The body view of `raw`, computed in a worker. Raises ScanTimeout when it overran."""
        idle = self.start()
        worker = await idle.get()
        job = asyncio.get_running_loop().run_in_executor(None, worker.roundtrip, raw, self._deadline)
        # The worker goes back (or is replaced) when the job ends, even if our caller was cancelled.
        job.add_done_callback(lambda done: self._finish(worker, done))
        answer = await asyncio.shield(job)
        if answer is None:
            raise ScanTimeout(f"no answer within {self._deadline:g} s")
        return Body.from_json(json.loads(answer))

    def start(self) -> asyncio.Queue[_Worker]:
        """Start the workers (once), so that the first heavy message does not wait for their imports."""
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self._size):
                self._spawn()
        return self._idle

    async def ready(self) -> None:
        """Wait until every worker started so far is ready to take a message."""
        self.start()
        while self._starting:
            await asyncio.gather(*self._starting)

    def _spawn(self) -> None:
        """A new worker, queued as idle only once it is ready: its start-up is not a message's time."""
        worker = _Worker(self._limits)
        self._all.add(worker)
        task = asyncio.get_running_loop().create_task(self._admit(worker))
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _admit(self, worker: _Worker) -> None:
        ready = await asyncio.get_running_loop().run_in_executor(None, worker.wait_ready)
        if self._idle is None or worker not in self._all:
            return  # closed meanwhile
        if ready:
            self._idle.put_nowait(worker)
            return
        log.error("scan worker %s did not start; replacing it", worker.process.pid)
        self._all.discard(worker)
        worker.kill()
        await asyncio.sleep(1.0)  # a worker that cannot start must not spin the CPU
        if self._idle is not None:
            self._spawn()

    def _finish(self, worker: _Worker, done: asyncio.Future[bytes | None]) -> None:
        if self._idle is None:
            return  # closed meanwhile
        if not done.cancelled() and done.exception() is None and done.result() is not None:
            self._idle.put_nowait(worker)
            return
        log.warning("scan worker %s overran or died; replacing it", worker.process.pid)
        if self._on_kill is not None:
            self._on_kill()
        self._all.discard(worker)
        worker.kill()
        self._spawn()

    def close(self) -> None:
        """Terminate every worker; the next `derive` would start a fresh set."""
        self._idle = None
        for task in self._starting:
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(OSError):
                worker.kill()
        self._all.clear()
