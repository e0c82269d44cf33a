"""The IMAP front's latency from APPEND to move: how long a pitch stays in the INBOX under IDLE.

Starts a private Dovecot (tests/dovecot.py) and `pitchgate imap`'s watcher in process, APPENDs N pitches
one at a time (each after the previous one was moved), and measures from the APPEND's completion until the
message is in the hold folder (looked for every 20 ms on a second connection). Prints the median, p90 and
max with the load average. Figures, not assertions.

    python bench/bench_imap_latency.py [--messages 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from prometheus_client import CollectorRegistry

from gateway.app import build_app
from gateway.clock import ManualClock
from gateway.metrics import Metrics
from gateway.settings import load_settings
from tests.dovecot import Dovecot
from tests.imap_helpers import new_account, pitch, watcher


def _held(server: Dovecot, user: str, mid: str) -> bool:
    return mid in server.message_ids(user, "Pitches")


async def measure(count: int, tmp: Path) -> list[float]:
    server = Dovecot(users=1)
    server.start()
    settings = load_settings(
        None, {"store": {"state_dir": str(tmp / "store")}, "scan": {"pool_processes": 0}}
    )
    clock = ManualClock(0.0)
    app = build_app(settings, clock, metrics=Metrics(CollectorRegistry()), front="imap")
    account = new_account(server, tmp)
    running = watcher(app, clock, account, poll_seconds=60.0)
    task = asyncio.create_task(running.run())
    latencies = []
    try:
        while running.sessions == 0:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        for i in range(count):
            mid = f"<lat{i}@growthly.test>"
            await asyncio.to_thread(server.deliver, account.user, pitch(account.user, mid))
            appended = time.monotonic()
            while not await asyncio.to_thread(_held, server, account.user, mid):
                await asyncio.sleep(0.02)
            latencies.append(time.monotonic() - appended)
    finally:
        running.stopping.set()
        await task
        await app.close()
        server.remove()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measured = asyncio.run(measure(args.messages, Path(tmp)))
    found = sorted(measured)
    p90 = found[int(len(found) * 0.9) - 1] if len(found) >= 10 else found[-1]
    print(
        f"APPEND to move, {len(found)} pitches under IDLE: median {statistics.median(found) * 1000:.0f} ms,"
        f" p90 {p90 * 1000:.0f} ms, max {found[-1] * 1000:.0f} ms (pitch {measured.index(found[-1]) + 1});"
        f" load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
