"""Redis round trips per message: the commands pitchgate itself sends, told apart from those its scripts run.

INFO commandstats counts a command run inside a Lua script like one a client sent, so it cannot say how
many times a message waited on Redis. This bench runs the pipeline in process (scan, then commit, as serve
does) against a private redis-server, watches it with MONITOR, and counts per message the commands that
came from a client (not from "lua"), next to the commandstats total.

    python bench/bench_redis_trips.py [--corpus easy_ham|scenarios|DIR] [--messages 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_gateway import free_port, load_messages  # noqa: E402
from gateway.app import build_app  # noqa: E402
from gateway.clock import SystemClock  # noqa: E402
from gateway.core.message import Envelope  # noqa: E402
from gateway.settings import load_settings  # noqa: E402


async def run(port: int, messages: list[bytes], client: redis.Redis) -> tuple[Counter[str], int]:
    url = f"redis://127.0.0.1:{port}/0"
    settings = load_settings(
        None, {"server": {"local_domains": ["example.com"]}, "store": {"redis_url": url}}
    )
    app = build_app(settings, SystemClock())
    env = Envelope("sender@partner.test", ("bob@example.com",))
    try:
        for raw in messages[:20]:  # warm-up: scripts loaded, connections open
            msg, verdict = await app.pipeline.scan(raw, env)
            await app.pipeline.commit(msg, verdict)
        with tempfile.TemporaryFile() as out:
            monitor = subprocess.Popen(["redis-cli", "-p", str(port), "monitor"], stdout=out)
            time.sleep(0.5)
            before = client.info("commandstats")
            for raw in messages:
                msg, verdict = await app.pipeline.scan(raw, env)
                await app.pipeline.commit(msg, verdict)
            after = client.info("commandstats")
            time.sleep(0.5)
            monitor.terminate()
            monitor.wait(10)
            out.seek(0)
            sent: Counter[str] = Counter()
            for line in out.read().decode(errors="replace").splitlines():
                if "] " in line and "[0 lua]" not in line:
                    command = line.split("] ", 1)[1].split(" ", 1)[0].strip('"').lower()
                    if command not in ("info", "ok"):
                        sent[command] += 1
    finally:
        await app.close()
    total = sum(int(v["calls"]) - int(before.get(k, {"calls": 0})["calls"]) for k, v in after.items())
    return sent, total - 2  # the two INFO calls


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default="easy_ham")
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    messages = load_messages(args.corpus, args.messages + 20)
    port = free_port()
    binary = shutil.which("redis-server") or "redis-server"
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    client = redis.Redis(port=port)
    try:
        sent, total = asyncio.run(run(port, messages[20:], client))
    finally:
        client.close()
        server.terminate()
        server.wait(10)
    count = args.messages
    print(f"{count} messages ({args.corpus}), load {os.getloadavg()}")
    print(f"client commands (round trips) per message: {sum(sent.values()) / count:.2f}")
    for command, n in sent.most_common():
        print(f"  {command:<12}{n / count:>6.2f}")
    print(f"INFO commandstats calls per message (scripts' own commands included): {total / count:.2f}")


if __name__ == "__main__":
    main()
