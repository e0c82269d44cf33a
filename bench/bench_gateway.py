"""Throughput and latency through the gateway, against sending straight into the same sink.

Starts an aiosmtpd sink and `pitchgate serve` as separate processes, then pushes the same messages over
16 concurrent connections three ways: straight into the sink, through a stock aiosmtpd `Proxy` relay (the
reference), and through pitchgate (scanning included). Prints messages per second, p50/p99 latency and
the ratios. Figures, not assertions: run it on a quiet machine.

    python bench/bench_gateway.py [--messages 2000] [--concurrency 16] [--redis-url redis://127.0.0.1:6379/14]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiosmtplib

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "spamassassin" / "easy_ham"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_messages(count: int) -> list[bytes]:
    """Real ham when the shared corpus is there (lines a stock server accepts), else generated 6 KB mail."""
    found: list[bytes] = []
    if CORPUS.is_dir():
        for path in sorted(CORPUS.iterdir())[: count * 2]:
            raw = path.read_bytes().split(b"\n", 1)[1]  # drop the mbox "From " line
            if all(len(line) < 990 for line in raw.splitlines()):
                found.append(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    rng = random.Random(7)
    while len(found) < count:
        words = [rng.choice(["lorem", "ipsum", "dolor", "sit", "amet", "pitch"]) for _ in range(1000)]
        body = "\r\n".join(" ".join(words[i : i + 12]) for i in range(0, len(words), 12))
        found.append(f"From: a{len(found)}@partner.test\r\nSubject: bench\r\n\r\n{body}\r\n".encode())
    return [found[i % len(found)] for i in range(count)]


def start(cmd: list[str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{cmd[0:4]} did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


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


def report(name: str, count: int, result: tuple[float, list[float], int]) -> float:
    seconds, latencies, failures = result
    latencies.sort()
    rate = count / seconds
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"{name:<28}{rate:>10.0f} msg/s   p50 {p50:>7.2f} ms   p99 {p99:>7.2f} ms   refused {failures}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--redis-url", default="", help="Bench the Redis store instead of the embedded one.")
    args = parser.parse_args()

    messages = load_messages(args.messages)
    size = statistics.mean(len(m) for m in messages)
    sink_port, proxy_port, gw_port = free_port(), free_port(), free_port()
    servers = [sys.executable, str(ROOT / "bench" / "servers.py")]
    procs = [start([*servers, "sink", str(sink_port)], sink_port)]
    procs.append(start([*servers, "proxy", str(proxy_port), str(sink_port)], proxy_port))
    with tempfile.TemporaryDirectory() as state:
        store = ["--redis-url", args.redis_url] if args.redis_url else ["--state-dir", state]
        gateway = [sys.executable, "-m", "gateway", "serve", "--local-domain", "example.com"]
        gateway += ["--listen", f"127.0.0.1:{gw_port}", "--upstream", f"127.0.0.1:{sink_port}"]
        gateway += ["--metrics-listen", f"127.0.0.1:{free_port()}", "--log-level", "WARNING", *store]
        procs.append(start(gateway, gw_port))
        try:
            print(
                f"{len(messages)} messages of {size / 1024:.1f} KB mean, {args.concurrency} connections, "
                f"store: {'redis' if args.redis_url else 'sqlite'}, cores: {os.cpu_count()}"
            )
            asyncio.run(push(gw_port, messages[:100], 4))  # warm-up: imports, pools, SQLite pages
            direct = report(
                "direct into sink", len(messages), asyncio.run(push(sink_port, messages, args.concurrency))
            )
            proxy = report(
                "aiosmtpd Proxy relay",
                len(messages),
                asyncio.run(push(proxy_port, messages, args.concurrency)),
            )
            gated = report(
                "pitchgate (scanning)", len(messages), asyncio.run(push(gw_port, messages, args.concurrency))
            )
            print(f"ratio aiosmtpd Proxy / direct: {proxy / direct:.2f}")
            print(f"ratio pitchgate / direct:      {gated / direct:.2f}")
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(10)


if __name__ == "__main__":
    main()
