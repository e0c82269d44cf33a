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
    seen, failed = [], 0
    for first in range(0, touches, batch):
        ops = []
        for i in range(first, min(first + batch, touches)):
            ops.append(store.sequence_touch("alice@example.org", "rep@vendor.example", now + i, ttl))
            ops.append(store.counter_incr("msgs:rep@vendor.example", 1, now + i, ttl))
            ops.append(store.window_add("rcpts:rep@vendor.example", f"ev-{(i * 7 + proc) % 400}", now, ttl))
        results = await asyncio.gather(*ops, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and type(result).__name__ != "StoreError":
                raise result
        failed += sum(isinstance(r, BaseException) for r in results)
        seen.extend(r.touches for r in results[0::3] if not isinstance(r, BaseException))
    await store.close()
    print(json.dumps({"seen": seen, "failed": failed}))

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), *map(int, sys.argv[5:7]),
                 *map(float, sys.argv[7:9])))
"""


def run_workers(backend: str, where: str) -> tuple[list[int], int]:
    """Start the processes together, wait for them; every touch count they were handed, and how many
    calls failed with StoreError (the store could not answer: the message would pass unscanned)."""
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
    failed = 0
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        report = json.loads(out)
        seen.extend(report["seen"])
        failed += report["failed"]
    return seen, failed


def expected_events() -> int:
    return len({(i * 7 + proc) % 400 for proc in range(PROCESSES) for i in range(TOUCHES)})


async def check_final_state(store: Store, seen: list[int], failed: int = 0) -> None:
    total = PROCESSES * TOUCHES
    if failed:
        await check_never_doubled(store, seen)
        return
    # Every touch was handed a different count: no two read-modify-writes interleaved.
    assert sorted(seen) == list(range(1, total + 1))
    seq = await store.sequence_get("alice@example.org", "rep@vendor.example", NOW + TOUCHES)
    assert seq is not None
    assert (seq.touches, seq.unanswered) == (total, total)
    assert await store.counter_incr("msgs:rep@vendor.example", 0, NOW + TOUCHES, TTL) == total
    assert await store.window_add("rcpts:rep@vendor.example", "ev-0", NOW, TTL) == expected_events()


async def check_never_doubled(store: Store, seen: list[int]) -> None:
    """With failed calls: no two touches were handed the same count, and the final count lies between
    the touches that answered and all touches (a failed call may or may not have run)."""
    total = PROCESSES * TOUCHES
    assert len(set(seen)) == len(seen) and max(seen, default=0) <= total
    seq = await store.sequence_get("alice@example.org", "rep@vendor.example", NOW + TOUCHES)
    assert seq is not None and len(seen) <= seq.touches <= total


async def test_sqlite_processes_share_one_file(tmp_path: Path) -> None:
    seen, failed = run_workers("sqlite", str(tmp_path))
    assert failed == 0
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
        seen, failed = run_workers("redis", f"{url} {prefix}")
        print(topology, "calls failed:", failed)
        # On a loaded host (8 test runs on 2 cores) calls time out (2 s); the Cluster client then drops the
        # process's other connections to that node too. Those calls fail and are never retried, so
        # nothing counts twice, but whether each failed call counted is unknown: exactness is then
        # checked as "never doubled" (README "More than one gateway" has the figures).
        await check_final_state(store, seen, failed)
    finally:
        await store.delete_all()
        await store.close()
