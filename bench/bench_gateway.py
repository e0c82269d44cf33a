"""Throughput, latency, CPU per message and store round trips of `pitchgate serve` (issue 15).

Starts an aiosmtpd sink, a private `redis-server` (so no other client's commands are counted) and
`pitchgate serve` as separate processes, then pushes the corpus over `--concurrency` connections, for each
store and worker count asked. Per run it prints messages per second, p50/p99 latency, the CPU milliseconds
per message of the gateway (utime + stime of its whole process tree: parent, workers, scan pool, from
/proc), of the sink and of the load client, of redis-server, the Redis commands per message (INFO
commandstats, which counts the commands a Lua script runs too: bench_redis_trips.py counts only those
the gateway sends) and the peak RSS (VmHWM)
of the parent and of the largest worker. With `--runs 3` each figure is the median of three runs.

    python bench/bench_gateway.py [--corpus easy_ham|scenarios|DIR] [--messages 2000] [--concurrency 16]
        [--stores sqlite,redis] [--workers 1,2] [--runs 3] [--baselines]

Figures, not assertions: the machine's load (printed) moves them; compare runs taken together.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiosmtplib
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SA = ROOT.parent / "shared" / "corpus" / "spamassassin"
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _crlf(raw: bytes) -> bytes | None:
    """CRLF lines a stock server accepts, or None for a message with a line past 990 octets."""
    if any(len(line) >= 990 for line in raw.splitlines()):
        return None
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def load_messages(corpus: str, count: int) -> list[bytes]:
    """`count` messages (repeating the corpus when it is smaller) from easy_ham, the scenarios or a directory."""
    from gateway.core.mailsource import iter_messages

    if corpus == "scenarios":
        from tests.scenarios.generate import generate

        with tempfile.TemporaryDirectory() as temp:
            boxes = [p for p in generate(Path(temp), 20260105).mailboxes if "inbox" in p.name]
            raws = [raw for _, raw in iter_messages(boxes)]
    else:
        folder = SA / "easy_ham" if corpus == "easy_ham" else Path(corpus)
        raws = [raw for _, raw in iter_messages([folder])]
    found = [m for m in map(_crlf, raws) if m is not None]
    if not found:
        raise SystemExit(f"no usable messages in {corpus}")
    return [found[i % len(found)] for i in range(count)]


def start(cmd: list[str], port: int, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{cmd[0:4]} did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


# -- /proc ------------------------------------------------------------------------------------------------
def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(c) for c in task.read_text().split()]
    return found


def cpu_seconds(pid: int) -> float:
    """utime + stime of the tree, with the reaped children's time (cutime + cstime) each process holds."""
    total = 0
    for each in tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += sum(int(f) for f in fields[11:15])
    return total / TICK


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- load -------------------------------------------------------------------------------------------------
async def push(port: int, messages: list[bytes], concurrency: int) -> tuple[float, list[float], int]:
    """Send every message; returns wall seconds, per-message latencies and how many were refused."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for raw in messages:
        queue.put_nowait(raw)
    latencies: list[float] = []
    failures = 0

    async def worker() -> None:
        nonlocal failures
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=60)
        await client.connect()
        while not queue.empty():
            raw = queue.get_nowait()
            started = time.perf_counter()
            try:
                await client.sendmail("sender@partner.test", ["bob@example.com"], raw)
            except aiosmtplib.SMTPException:
                failures += 1
            latencies.append(time.perf_counter() - started)
        await client.quit()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, failures


@dataclass
class Run:
    rate: float
    p50: float
    p99: float
    refused: int
    gateway_ms: float
    sink_ms: float
    client_ms: float
    redis_ms: float
    redis_calls: float
    parent_mb: float
    worker_mb: float


def _calls(client: redis.Redis | None) -> int:
    if client is None:
        return 0
    stats = client.info("commandstats")
    return sum(int(v["calls"]) for k, v in stats.items() if k not in ("cmdstat_info", "cmdstat_flushall"))


class Rig:
    """The sink and a private redis-server, shared by every gateway run."""

    def __init__(self) -> None:
        servers = [sys.executable, str(ROOT / "bench" / "servers.py")]
        self.sink_port = free_port()
        self.sink = start([*servers, "sink", str(self.sink_port)], self.sink_port)
        self.redis_port = free_port()
        binary = shutil.which("redis-server") or "redis-server"
        args = ["--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.redis = start([binary, *args], self.redis_port)
        self.client = redis.Redis(port=self.redis_port)

    def close(self) -> None:
        self.client.close()
        for proc in (self.sink, self.redis):
            proc.terminate()
            proc.wait(10)


def measure(rig: Rig, store: str, workers: int, messages: list[bytes], concurrency: int) -> Run:
    gw_port = free_port()
    with tempfile.TemporaryDirectory() as state:
        rig.client.flushall()
        url = f"redis://127.0.0.1:{rig.redis_port}/0"
        where = ["--redis-url", url] if store == "redis" else ["--state-dir", state]
        gateway = [sys.executable, "-m", "gateway", "serve", "--local-domain", "example.com"]
        gateway += ["--listen", f"127.0.0.1:{gw_port}", "--upstream", f"127.0.0.1:{rig.sink_port}"]
        gateway += ["--metrics-listen", f"127.0.0.1:{free_port()}", "--log-level", "WARNING"]
        gateway += ["--workers", str(workers), *where]
        proc = start(gateway, gw_port, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            asyncio.run(push(gw_port, messages[: 100 * workers], 4 * workers))  # warm-up
            time.sleep(0.5)
            gw0, sink0, redis0 = cpu_seconds(proc.pid), cpu_seconds(rig.sink.pid), cpu_seconds(rig.redis.pid)
            calls0, self0 = _calls(rig.client if store == "redis" else None), os.times()
            seconds, latencies, refused = asyncio.run(push(gw_port, messages, concurrency))
            self1 = os.times()
            calls = _calls(rig.client if store == "redis" else None) - calls0
            time.sleep(0.2)  # let the last commits (after the 250) land before reading the CPU
            count = len(messages)
            per = 1000 / count
            latencies.sort()
            kids = [p for p in tree(proc.pid) if p != proc.pid]
            return Run(
                rate=count / seconds,
                p50=statistics.median(latencies) * 1000,
                p99=latencies[int(len(latencies) * 0.99) - 1] * 1000,
                refused=refused,
                gateway_ms=(cpu_seconds(proc.pid) - gw0) * per,
                sink_ms=(cpu_seconds(rig.sink.pid) - sink0) * per,
                client_ms=(self1.user + self1.system - self0.user - self0.system) * per,
                redis_ms=(cpu_seconds(rig.redis.pid) - redis0) * per if store == "redis" else 0.0,
                redis_calls=calls / count,
                parent_mb=peak_rss_mb(proc.pid),
                worker_mb=max(peak_rss_mb(k) for k in (kids if workers > 1 else [proc.pid])),
            )
        finally:
            proc.terminate()
            proc.wait(30)


HEADER = (
    f"{'store':<7}{'workers':>7}{'msg/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'gw ms':>8}{'sink ms':>8}"
    f"{'client':>8}{'redis':>7}{'cmdstat':>8}{'parent MB':>10}{'worker MB':>10}"
)


def row(store: str, workers: int, run: Run) -> str:
    return (
        f"{store:<7}{workers:>7}{run.rate:>8.0f}{run.p50:>8.2f}{run.p99:>8.2f}{run.gateway_ms:>8.2f}"
        f"{run.sink_ms:>8.2f}{run.client_ms:>8.2f}{run.redis_ms:>7.2f}{run.redis_calls:>8.2f}"
        f"{run.parent_mb:>10.0f}{run.worker_mb:>10.0f}" + (f"   refused {run.refused}" if run.refused else "")
    )


def median_run(runs: list[Run]) -> Run:
    fields = Run.__dataclass_fields__
    return Run(**{name: statistics.median(getattr(r, name) for r in runs) for name in fields})


def baselines(rig: Rig, messages: list[bytes], concurrency: int) -> None:
    """Straight into the sink, and through aiosmtpd's stock Proxy: what an SMTP hop costs at the least."""
    proxy_port = free_port()
    servers = [sys.executable, str(ROOT / "bench" / "servers.py")]
    proxy = start([*servers, "proxy", str(proxy_port), str(rig.sink_port)], proxy_port)
    try:
        for name, port in (("direct into sink", rig.sink_port), ("aiosmtpd Proxy", proxy_port)):
            seconds, latencies, _ = asyncio.run(push(port, messages, concurrency))
            print(
                f"{name:<20}{len(messages) / seconds:>8.0f} msg/s  p50 {statistics.median(latencies) * 1000:.2f} ms"
            )
    finally:
        proxy.terminate()
        proxy.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default="easy_ham", help="easy_ham, scenarios or a directory")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--stores", default="sqlite,redis")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--runs", type=int, default=1, help="each figure is the median of this many runs")
    parser.add_argument("--baselines", action="store_true", help="also time the sink and a stock proxy")
    args = parser.parse_args()

    messages = load_messages(args.corpus, args.messages)
    size = statistics.mean(len(m) for m in messages)
    print(
        f"{len(messages)} messages ({args.corpus}) of {size / 1024:.1f} KB mean, {args.concurrency} "
        f"connections, {args.runs} run(s) each, cores: {os.cpu_count()}, load: {os.getloadavg()}"
    )
    rig = Rig()
    try:
        if args.baselines:
            baselines(rig, messages, args.concurrency)
        print(HEADER)
        for store in args.stores.split(","):
            for workers in map(int, args.workers.split(",")):
                runs = [measure(rig, store, workers, messages, args.concurrency) for _ in range(args.runs)]
                print(row(store, workers, median_run(runs)), flush=True)
    finally:
        rig.close()
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
