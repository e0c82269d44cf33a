"""Running the real `pitchgate` command in a subprocess, without blocking the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PITCHGATE = [sys.executable, "-m", "gateway"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Result:
    code: int
    out: str
    err: str


async def run(*args: str, stdin: bytes | None = None, timeout: float = 60.0) -> Result:
    proc = await asyncio.create_subprocess_exec(
        *PITCHGATE,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin), timeout)
    assert proc.returncode is not None
    return Result(proc.returncode, out.decode(), err.decode())


# 60 s, not 20: two workers each importing scikit-learn took over 20 s on a loaded 2-core machine.
async def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.1)


async def start_serve(
    state_dir: Path,
    upstream_port: int,
    *extra: str,
    startup_timeout: float = 60.0,
    command: Sequence[str] = PITCHGATE,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[asyncio.subprocess.Process, int, int]:
    """`pitchgate serve` (or `command serve`) on free ports; returns the process, its SMTP port and its
    metrics port. A serve that exits before its ports open, or never opens them, fails the test with its
    stderr and is not left running.

    Workers each load the model: on a loaded 2-core machine `--workers 2` took 25 s to open its port.
    """
    smtp_port, metrics_port = free_port(), free_port()
    proc = await asyncio.create_subprocess_exec(
        *command,
        "serve",
        "--local-domain",
        "example.com",
        "--listen",
        f"127.0.0.1:{smtp_port}",
        "--upstream",
        f"127.0.0.1:{upstream_port}",
        "--metrics-listen",
        f"127.0.0.1:{metrics_port}",
        "--state-dir",
        str(state_dir),
        *extra,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=cwd,
        env=None if env is None else dict(env),
    )
    await _until_listening(proc, (smtp_port, metrics_port), startup_timeout)
    return proc, smtp_port, metrics_port


async def _until_listening(proc: asyncio.subprocess.Process, ports: Sequence[int], timeout: float) -> None:
    exited = asyncio.ensure_future(proc.wait())
    ready = asyncio.ensure_future(asyncio.gather(*(wait_for_port(p, timeout) for p in ports)))
    await asyncio.wait({exited, ready}, return_when=asyncio.FIRST_COMPLETED)
    if ready.done() and ready.exception() is None:
        exited.cancel()
        return
    ready.cancel()
    with contextlib.suppress(asyncio.CancelledError, OSError):
        await ready
    if proc.returncode is None:
        proc.kill()
        await proc.wait()
    assert proc.stderr is not None
    stderr = (await proc.stderr.read()).decode(errors="replace")
    raise AssertionError(f"pitchgate serve did not start (exit {proc.returncode}):\n{stderr}")
