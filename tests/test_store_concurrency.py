"""Four gateway processes sharing one store must count exactly as one process would.

Each test starts four OS processes that open the same store (one SQLite file, or one Redis prefix on one
server, a Redis Cluster or a Sentinel-managed primary) and hammer the same keys with concurrent
read-modify-writes. Lost updates would show as a final count below the total, or as two touches that were
handed the same count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from gateway.store.base import Store
from gateway.store.redis import RedisStore
from gateway.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/15"
PROCESSES = 4
TOUCHES = 300
BATCH = 50
NOW = 1_700_000_000.0
TTL = 86_400.0

# Runs in each child: waits for a common start time so both really overlap, then prints what it saw.
WORKER = """
import asyncio, json, sys, time
from pathlib import Path

async def main(backend, where, proc, start_at, touches, batch, now, ttl):
    if backend == "sqlite":
        from gateway.store.sqlite import SQLiteStore
        store = SQLiteStore(Path(where))
    else:
        from gateway.store.redis import RedisStore
        url, prefix = where.split(" ")
        store = RedisStore(url, prefix)
    time.sleep(max(0.0, start_at - time.time()))
    seen = []
    for first in range(0, touches, batch):
        ops = []
        for i in range(first, min(first + batch, touches)):
            ops.append(store.sequence_touch("alice@example.org", "rep@vendor.example", now + i, ttl))
            ops.append(store.counter_incr("msgs:rep@vendor.example", 1, now + i, ttl))
            ops.append(store.window_add("rcpts:rep@vendor.example", f"ev-{(i * 7 + proc) % 400}", now, ttl))
        results = await asyncio.gather(*ops)
        seen.extend(r.touches for r in results[0::3])
    await store.close()
    print(json.dumps(seen))

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), *map(int, sys.argv[5:7]),
                 *map(float, sys.argv[7:9])))
"""


def run_workers(backend: str, where: str) -> list[int]:
    """Start the processes together, wait for them, and return every touch count they were handed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    start_at = time.time() + 1.5
    args = [str(start_at), str(TOUCHES), str(BATCH), str(NOW), str(TTL)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, backend, where, str(proc), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for proc in range(PROCESSES)
    ]
    seen: list[int] = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        seen.extend(json.loads(out))
    return seen


def expected_events() -> int:
    return len({(i * 7 + proc) % 400 for proc in range(PROCESSES) for i in range(TOUCHES)})


async def check_final_state(store: Store, seen: list[int]) -> None:
    total = PROCESSES * TOUCHES
    # Every touch was handed a different count: no two read-modify-writes interleaved.
    assert sorted(seen) == list(range(1, total + 1))
    seq = await store.sequence_get("alice@example.org", "rep@vendor.example", NOW + TOUCHES)
    assert seq is not None
    assert (seq.touches, seq.unanswered) == (total, total)
    assert await store.counter_incr("msgs:rep@vendor.example", 0, NOW + TOUCHES, TTL) == total
    assert await store.window_add("rcpts:rep@vendor.example", "ev-0", NOW, TTL) == expected_events()


async def test_sqlite_processes_share_one_file(tmp_path: Path) -> None:
    seen = run_workers("sqlite", str(tmp_path))
    store = SQLiteStore(tmp_path)
    try:
        await check_final_state(store, seen)
    finally:
        await store.close()


@pytest.mark.parametrize("topology", ["standalone", "cluster", "sentinel"])
async def test_redis_processes_share_one_prefix(request: pytest.FixtureRequest, topology: str) -> None:
    url = REDIS_URL
    if topology != "standalone":
        url = str(request.getfixturevalue(f"redis_{topology}").url)
    prefix = f"pgtest-{uuid.uuid4().hex}"
    store = RedisStore(url, prefix)
    try:
        await store.ping()
        seen = run_workers("redis", f"{url} {prefix}")
        await check_final_state(store, seen)
    finally:
        await store.delete_all()
        await store.close()
