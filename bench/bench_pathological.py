"""Pathological messages: the scan's CPU per message, and a second client's banner latency meanwhile.

Two parts. First, in this process, each message of the generated corpus (tests/pathological.py: 5 and
20 MB of table HTML, 200,000 MIME parts, 5 MB of "On a ..." lines, 100,000 URLs, a pitch padded with 8 MB
of HTML) is parsed and judged by the same pipeline the gateway builds, on an in-memory SQLite store:
CPU seconds per message, against the 250 ms goal, and the cost of an ordinary message inline. Second,
`pitchgate serve` and a sink run as processes; each message is sent while a probe process opens a
session every 50 ms and times the banner. Figures, not assertions.

    python bench/bench_pathological.py [--scale 1.0] [--ordinary 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gateway.app import build_app  # noqa: E402
from gateway.clock import SystemClock  # noqa: E402
from gateway.core.message import Envelope, Message  # noqa: E402
from gateway.settings import load_settings  # noqa: E402
from tests.mail import make_message  # noqa: E402
from tests.pathological import corpus  # noqa: E402
from tests.procs import free_port  # noqa: E402

ENVELOPE = Envelope("dana@vendor.test", ("bob@example.com",))
GOAL_MS = 250.0


async def cpu_per_message(messages: dict[str, bytes], ordinary: int) -> None:
    with tempfile.TemporaryDirectory() as state:
        settings = load_settings(
            None, {"server": {"local_domains": ["example.com"]}, "store": {"state_dir": state}}
        )
        app = build_app(settings, SystemClock())
        pipeline = app.pipeline
        print(
            f"{'message':22s} {'MB':>6s} {'parse ms':>9s} {'judge ms':>9s} {'total ms':>9s}  goal  caps hit"
        )
        worst = 0.0
        for name, raw in messages.items():
            started = time.process_time()
            msg = Message.from_bytes(raw, ENVELOPE, pipeline.limits)
            _ = msg.body
            parsed = time.process_time()
            await pipeline.judge(msg)
            done = time.process_time()
            total = (done - started) * 1000
            worst = max(worst, total)
            ok = "ok" if total < GOAL_MS else "MISS"
            print(
                f"{name:22s} {len(raw) / 1e6:6.1f} {(parsed - started) * 1000:9.1f} {(done - parsed) * 1000:9.1f}"
                f" {total:9.1f}  {ok:4s}  {'; '.join(msg.truncated)}"
            )
        print(
            f"worst scan CPU per message: {worst:.1f} ms (goal {GOAL_MS:.0f} ms, ratio {worst / GOAL_MS:.2f})"
        )
        costs = []
        for i in range(ordinary):
            raw = make_message(sender=f"a{i}@partner.test", body="Hi Bob,\n\nLunch on Friday?\n\nAlice\n" * 3)
            started = time.process_time()
            msg = Message.from_bytes(raw, ENVELOPE, pipeline.limits)
            await pipeline.judge(msg)
            costs.append((time.process_time() - started) * 1000)
        print(f"ordinary message inline: median {statistics.median(costs):.2f} ms CPU ({ordinary} messages)")
        await pool_cost(app.pipeline, messages)
        await app.close()


async def pool_cost(pipeline: object, messages: dict[str, bytes]) -> None:
    """What the hand-off to a worker costs the gateway's own process (CPU on the loop side) per message."""
    from gateway.core.pipeline import Pipeline

    assert isinstance(pipeline, Pipeline) and pipeline.pool is not None
    await pipeline.pool.ready()
    for name, raw in messages.items():
        cpu, wall = time.process_time(), time.perf_counter()
        await pipeline.scan(raw, ENVELOPE)
        print(
            f"pool path {name:22s} gateway CPU {(time.process_time() - cpu) * 1000:7.1f} ms,"
            f" wall {(time.perf_counter() - wall) * 1000:7.1f} ms"
        )


def wait_port(port: int, timeout: float = 60.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open")


async def send(port: int, raw: bytes) -> str:
    import aiosmtplib

    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=300)
    await client.connect()
    try:
        _, reply = await client.sendmail("dana@vendor.test", ["bob@example.com"], raw)
        return reply
    finally:
        await client.quit()


async def banner_latency(messages: dict[str, bytes]) -> None:
    sink_port, port, http_port = free_port(), free_port(), free_port()
    with tempfile.TemporaryDirectory() as state:
        sink = subprocess.Popen([sys.executable, str(REPO / "bench" / "servers.py"), "sink", str(sink_port)])
        cmd = [sys.executable, "-m", "gateway", "serve", "--local-domain", "example.com"]
        cmd += ["--listen", f"127.0.0.1:{port}", "--upstream", f"127.0.0.1:{sink_port}"]
        cmd += ["--metrics-listen", f"127.0.0.1:{http_port}", "--state-dir", state]
        gateway = subprocess.Popen(cmd, cwd=REPO, stderr=subprocess.DEVNULL)
        try:
            wait_port(sink_port)
            wait_port(port)
            wait_port(http_port)
            await asyncio.sleep(2)  # the scan workers import their parsers
            print(
                f"\n{'message':22s} {'banner p50 ms':>14s} {'banner max ms':>14s} {'healthz max ms':>15s}  reply"
            )
            for name, raw in messages.items():
                probe = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "tests.reliability.probe", str(port), str(http_port),
                    cwd=REPO, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                )  # fmt: skip
                assert probe.stdin is not None and probe.stdout is not None
                await asyncio.sleep(0.2)
                reply = await send(port, raw)
                probe.stdin.close()
                samples = json.loads(await probe.stdout.read())
                await probe.wait()
                banner, health = samples["banner"], samples["healthz"]
                print(
                    f"{name:22s} {statistics.median(banner) * 1000:14.1f} {max(banner) * 1000:14.1f}"
                    f" {max(health) * 1000:15.1f}  {reply.split()[0] if reply else ''}"
                )
        finally:
            gateway.terminate()
            gateway.wait(60)
            sink.terminate()
            sink.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="corpus size relative to the issue's")
    parser.add_argument("--ordinary", type=int, default=200, help="ordinary messages timed inline")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    messages = corpus(args.scale)
    asyncio.run(cpu_per_message(messages, args.ordinary))
    if not args.skip_latency:
        asyncio.run(banner_latency(messages))


if __name__ == "__main__":
    main()
