"""Shared fixtures: a sink server and a gateway in front of it, both on 127.0.0.1 in the test's loop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.redis_topologies import redis_cluster, redis_sentinel  # noqa: F401  (session fixtures)
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway


@pytest.fixture
async def sink() -> AsyncIterator[Sink]:
    server = Sink()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def gateway(sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    gw = await start_gateway(make_settings(tmp_path / "state", sink.port))
    yield gw
    await gw.stop()


def _redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(7) == b"+PONG\r\n"
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def redis_server() -> Iterator[None]:
    """The Redis tests need a real server on 127.0.0.1:6379: use the one running, or start one."""
    import shutil
    import subprocess
    import time

    if _redis_answers():
        yield
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.exit(
            "no Redis on 127.0.0.1:6379 and no redis-server to start (apt-get install redis-server)", 2
        )
    proc = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", "6379", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not _redis_answers() and time.monotonic() < deadline:
        time.sleep(0.1)
    yield
    proc.terminate()
    proc.wait(10)
