"""Several gateways sharing one state: msg/s through 1, 2 and 4 `pitchgate serve` processes on a Redis
Cluster (3 primaries, 3 replicas) and on one standalone Redis, with store commands per message and p99.

Everything is started here on loopback: an aiosmtpd sink (bench/servers.py), the Redis servers (from
tests/redis_topologies.py, never the shared one on 6379) and four gateways per store. The same 16 client
connections are spread over the gateways in use; recipients vary (64 of them) so that the Cluster's
slots, not one hot key, carry the load. Holds wait for one replica (`store.redis_wait_replicas = 1`) on
the Cluster. Figures, not assertions: note the load average (`uptime`) beside them.

    python bench/bench_cluster.py [--messages 600] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiosmtplib

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_gateway import free_port, load_messages  # noqa: E402

from tests.redis_topologies import Node, RedisClusterProcs, command, wait_until  # noqa: E402

GATEWAYS = (1, 2, 4)
RECIPIENTS = 64


def start_gateway(sink_port: int, url: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "gateway",
        "serve",
        "--local-domain",
        "example.com",
        "--log-level",
        "WARNING",
    ]
    cmd += ["--listen", f"127.0.0.1:{port}", "--upstream", f"127.0.0.1:{sink_port}", "--workers", "1"]
    cmd += ["--metrics-listen", f"127.0.0.1:{free_port()}", "--redis-url", url]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env), port


def _open(port: int) -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


async def push(ports: list[int], messages: list[bytes], concurrency: int) -> tuple[float, list[float], int]:
    """Send every message over `concurrency` connections spread over `ports`; seconds, latencies, refusals."""
    queue = list(enumerate(messages))
    latencies: list[float] = []
    refused = 0

    async def worker(port: int) -> None:
        nonlocal refused
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=60)
        await client.connect()
        while queue:
            i, raw = queue.pop()
            started = time.perf_counter()
            try:
                await client.sendmail(f"rep{i % 97}@partner.test", [f"user{i % RECIPIENTS}@example.com"], raw)
            except aiosmtplib.SMTPException:
                refused += 1
            latencies.append(time.perf_counter() - started)
        await client.quit()

    started = time.perf_counter()
    await asyncio.gather(*(worker(ports[c % len(ports)]) for c in range(concurrency)))
    return time.perf_counter() - started, latencies, refused


def commands_processed(ports: list[int]) -> int:
    total = 0
    for port in ports:
        for line in command(port, "INFO", "stats").splitlines():
            if line.startswith("total_commands_processed:"):
                total += int(line.split(":")[1])
    return total


def bench_store(
    name: str, url: str, redis_ports: list[int], args: argparse.Namespace, env: dict[str, str]
) -> None:
    messages = load_messages(args.messages)
    sink_port = free_port()
    sink = subprocess.Popen([sys.executable, str(ROOT / "bench" / "servers.py"), "sink", str(sink_port)])
    gateways = [start_gateway(sink_port, url, env) for _ in range(max(GATEWAYS))]
    try:
        wait_until(lambda: all(_open(p) for _, p in gateways) and _open(sink_port), 300, "gateways")
        ports = [p for _, p in gateways]
        asyncio.run(push(ports, messages[:64], 8))  # warm-up: imports, pools, scripts
        for count in GATEWAYS:
            before = commands_processed(redis_ports)
            seconds, latencies, refused = asyncio.run(push(ports[:count], messages, args.concurrency))
            per_msg = (commands_processed(redis_ports) - before) / len(messages)
            latencies.sort()
            p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
            load = os.getloadavg()[0]
            print(
                f"{name:<11} {count} gateway(s) {len(messages) / seconds:>7.0f} msg/s   "
                f"p50 {statistics.median(latencies) * 1000:>7.1f} ms   p99 {p99:>7.1f} ms   "
                f"store commands/msg {per_msg:>5.1f}   refused {refused}   load {load:.1f}"
            )
    finally:
        for proc, _ in gateways:
            proc.terminate()
        for proc, _ in gateways:
            proc.wait(30)
        sink.terminate()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    base = {**os.environ, "PITCHGATE_SCAN__POOL_PROCESSES": "0"}
    print(f"{args.messages} messages per run, {args.concurrency} connections, cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="pgbench-") as workdir:
        single = Node(Path(workdir), ["--appendonly", "yes", "--appendfsync", "everysec"])
        single.start()
        try:
            bench_store("standalone", f"redis://127.0.0.1:{single.port}/0", [single.port], args, base)
        finally:
            single.kill()
        cluster = RedisClusterProcs(Path(workdir) / "cluster")
        cluster.start()
        try:
            replicated = {**base, "PITCHGATE_STORE__REDIS_WAIT_REPLICAS": "1"}
            primaries = [n.port for n in cluster.primaries()]
            bench_store("cluster", cluster.url, primaries, args, replicated)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
