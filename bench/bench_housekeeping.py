"""How long the digest and retention take: composing digests, and purging held messages from each store.

Composes digests of 10 and 100 entries (links signed, both parts rendered, serialised) and purges
N held messages from a fresh SQLite store and from Redis (db 14, its own key prefix, deleted after).
Figures, not assertions.

    python bench/bench_housekeeping.py [--held 2000] [--redis-url redis://127.0.0.1:6379/14]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from email import policy
from pathlib import Path

from prometheus_client import CollectorRegistry

from gateway.actions.digest import Digester, compose
from gateway.actions.links import LinkSigner
from gateway.actions.relay import Relay
from gateway.metrics import Metrics
from gateway.store.base import QuarantineRecord, Store
from gateway.store.redis import RedisStore
from gateway.store.sqlite import SQLiteStore

DAY = 86400.0
RAW = b"From: sdr@pitcher.test\r\nSubject: Quick call?\r\n\r\n" + b"We help SaaS teams. " * 200 + b"\r\n"


def record(i: int, now: float) -> QuarantineRecord:
    return QuarantineRecord(
        id=f"q{i:06d}",
        message_id=f"<{i}@pitcher.test>",
        sender="sdr@pitcher.test",
        recipients=("alice@example.com",),
        subject=f"Quick call? ({i})",
        score=12.5,
        symbols={"FOLLOWUP_UNANSWERED_2": 11.0, "BOOKING_LINK": 1.5},
        received_at=now - i,
    )


def bench_compose() -> None:
    now = time.time()
    digester = Digester(
        SQLiteStore(Path(tempfile.mkdtemp())),  # never opened: only digest_for and compose run
        Relay("127.0.0.1", 1),
        Metrics(CollectorRegistry()),
        LinkSigner("bench-secret", 7 * DAY),
        base_url="https://quarantine.example.com",
        sender="postmaster@example.com",
        subject="Held for review: {count} message(s)",
        retention_days=30,
        link_days=7,
    )
    for entries in (10, 100):
        records = [record(i, now) for i in range(entries)]
        times, size = [], 0
        for _ in range(50):
            started = time.perf_counter()
            raw = compose(digester.digest_for("alice@example.com", records, now), now).as_bytes(
                policy=policy.SMTP
            )
            times.append(time.perf_counter() - started)
            size = len(raw)
        print(
            f"compose digest of {entries:3d} entries: {statistics.median(times) * 1000:6.2f} ms, {size:,} bytes"
        )


async def bench_purge(name: str, store: Store, held: int) -> None:
    now = time.time()
    try:
        for i in range(held):
            await store.quarantine_put(record(i, now), RAW, 30 * DAY)
        started = time.perf_counter()
        purged = await store.quarantine_purge(now + 1)
        elapsed = time.perf_counter() - started
        print(f"purge {purged:,} held messages from {name}: {elapsed:.2f} s ({purged / elapsed:,.0f}/s)")
    finally:
        if isinstance(store, RedisStore):
            await store.delete_all()
        await store.close()


async def main(held: int, redis_url: str) -> None:
    bench_compose()
    with tempfile.TemporaryDirectory() as state:
        await bench_purge("SQLite", SQLiteStore(Path(state)), held)
    await bench_purge("Redis", RedisStore(redis_url, prefix=f"pgbench-{uuid.uuid4().hex}"), held)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held", type=int, default=2000)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    asyncio.run(main(args.held, args.redis_url))
