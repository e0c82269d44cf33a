"""Real Redis topologies on loopback for the tests: a 3-primary/3-replica Cluster and a Sentinel setup.

Both are started from `redis-server` on free ports in a temporary directory (never the shared server on
6379) and torn down by killing every process they started. `redis_cluster` and `redis_sentinel` are
session fixtures (tests/conftest.py imports them); a test that kills nodes starts its own instance.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.procs import free_port

SERVICE = "pgtest"
NODE_TIMEOUT_MS = 5000
"""Cluster node timeout and Sentinel down-after. Not shorter: on a loaded 2-core host a 1 s timeout saw
healthy nodes as failed."""


def _binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(
            "redis-server is needed for the Cluster and Sentinel tests (apt-get install redis-server)"
        )
    return binary


def command(port: int, *args: str, timeout: float = 2.0) -> str:
    """One command through redis-cli, its reply as text ("" when the node does not answer)."""
    done = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done.stdout if done.returncode == 0 else ""


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(7) == b"+PONG\r\n"
    except OSError:
        return False


def wait_until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def _info(port: int, section: str) -> dict[str, str]:
    lines = command(port, "INFO", section).splitlines()
    return dict(line.strip().split(":", 1) for line in lines if ":" in line)


def replica_online(port: int) -> bool:
    """The primary on `port` has exactly one replica, and it finished its first sync (WAIT counts it)."""
    info = _info(port, "replication")
    return info.get("connected_slaves") == "1" and "state=online" in info.get("slave0", "")


class Node:
    """One redis-server process on a fixed port, which may be killed and started again with its files."""

    def __init__(self, workdir: Path, args: list[str], port: int | None = None) -> None:
        self.port = port or free_port()
        self.dir = workdir / str(self.port)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.args = args
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        listen = ["--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir)]
        # A replica's first sync straight from memory, at once (the default waits 5 s for more replicas).
        sync = ["--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"]
        self.proc = subprocess.Popen(
            [_binary(), *self.args, *listen, *sync, "--save", "", "--logfile", str(self.dir / "log")],
            stdout=subprocess.DEVNULL,
        )
        wait_until(lambda: _answers(self.port), 10, f"redis-server on {self.port}")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


class RedisClusterProcs:
    """Six nodes, `redis-cli --cluster create --cluster-replicas 1`: three primaries, one replica each."""

    def __init__(self, workdir: Path, node_timeout_ms: int = NODE_TIMEOUT_MS) -> None:
        self.workdir = workdir
        self.nodes: list[Node] = []
        for _ in range(6):
            bus = free_port()
            args = [
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", str(node_timeout_ms), "--cluster-port", str(bus),
                "--cluster-require-full-coverage", "no",
                "--appendonly", "yes", "--appendfsync", "everysec",
            ]  # fmt: skip
            self.nodes.append(Node(workdir, args))

    @property
    def url(self) -> str:
        return "redis+cluster://" + ",".join(f"127.0.0.1:{n.port}" for n in self.nodes[:3])

    def start(self) -> None:
        for node in self.nodes:
            node.start()
        addresses = [f"127.0.0.1:{n.port}" for n in self.nodes]
        subprocess.run(
            ["redis-cli", "--cluster", "create", *addresses, "--cluster-replicas", "1", "--cluster-yes"],
            capture_output=True,
            check=True,
            timeout=60,
        )
        self.wait_healthy()

    def primaries(self) -> list[Node]:
        return [n for n in self.nodes if n.proc and _info(n.port, "replication").get("role") == "master"]

    def healthy(self) -> bool:
        primaries = self.primaries()
        return len(primaries) == 3 and all(
            "cluster_state:ok" in command(n.port, "CLUSTER", "INFO") and replica_online(n.port)
            for n in primaries
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        """Every primary serves its slots and has its replica attached (WAIT 1 can succeed)."""
        wait_until(self.healthy, timeout, "a healthy cluster (3 primaries, each with a replica)")

    def node_for(self, key: str) -> Node:
        slot = int(command(self.nodes[0].port, "CLUSTER", "KEYSLOT", key).strip())
        for node in self.primaries():
            for line in command(node.port, "CLUSTER", "NODES").splitlines():
                fields = line.split()
                if "myself" in fields[2]:
                    for span in fields[8:]:
                        low, _, high = span.partition("-")
                        if low.isdigit() and int(low) <= slot <= int(high or low):
                            return node
        raise RuntimeError(f"no primary serves slot {slot}")

    def stop(self) -> None:
        for node in self.nodes:
            node.kill()


class SentinelProcs:
    """One primary, one replica, three Sentinels agreeing (quorum 2) on service `pgtest`."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.primary = Node(workdir, ["--appendonly", "yes", "--appendfsync", "everysec"])
        self.replica = Node(
            workdir, ["--replicaof", "127.0.0.1", str(self.primary.port), "--appendonly", "yes"]
        )
        self.sentinels = [Node(workdir, []) for _ in range(3)]

    @property
    def url(self) -> str:
        return "redis+sentinel://" + ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels) + "/" + SERVICE

    def start(self) -> None:
        self.primary.start()
        self.replica.start()
        for sentinel in self.sentinels:
            conf = sentinel.dir / "sentinel.conf"
            conf.write_text(
                f"sentinel monitor {SERVICE} 127.0.0.1 {self.primary.port} 2\n"
                f"sentinel down-after-milliseconds {SERVICE} {NODE_TIMEOUT_MS}\n"
                f"sentinel failover-timeout {SERVICE} 5000\n"
            )
            sentinel.args = [str(conf), "--sentinel"]
            sentinel.start()
        wait_until(self._agreed, 60, "three Sentinels that know the primary, its replica and each other")

    def _agreed(self) -> bool:
        for sentinel in self.sentinels:
            lines = command(sentinel.port, "SENTINEL", "MASTER", SERVICE).splitlines()
            fields = dict(zip(lines[0::2], lines[1::2], strict=False))
            if fields.get("num-slaves") != "1" or fields.get("num-other-sentinels") != "2":
                return False
        return replica_online(self.primary.port)

    def stop(self) -> None:
        for node in (*self.sentinels, self.replica, self.primary):
            node.kill()


@contextlib.contextmanager
def running(
    kind: type[RedisClusterProcs] | type[SentinelProcs],
) -> Iterator[RedisClusterProcs | SentinelProcs]:
    """Start a topology in a fresh temporary directory; kill it and remove the directory afterwards."""
    with tempfile.TemporaryDirectory(prefix="pgredis-") as workdir:
        procs = kind(Path(workdir) / "1")
        try:
            try:
                procs.start()
            except (RuntimeError, subprocess.SubprocessError):
                # Free ports are picked before the servers bind them, and other test runs share the
                # host: a port taken in between, or a start slower than the wait, gets one fresh try.
                procs.stop()
                procs = kind(Path(workdir) / "2")
                procs.start()
            yield procs
        finally:
            procs.stop()


@pytest.fixture(scope="session")
def redis_cluster() -> Iterator[RedisClusterProcs]:
    with running(RedisClusterProcs) as procs:
        assert isinstance(procs, RedisClusterProcs)
        yield procs


@pytest.fixture(scope="session")
def redis_sentinel() -> Iterator[SentinelProcs]:
    with running(SentinelProcs) as procs:
        assert isinstance(procs, SentinelProcs)
        yield procs
