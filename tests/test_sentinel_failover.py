"""A Sentinel failover under a store: holds confirmed on the replica survive, and the store finds the new
primary by itself.

Real processes on loopback (tests/redis_topologies.py): one primary, one replica, three Sentinels; the
primary is SIGKILLed, the Sentinels promote the replica. A test of its own instance, since it breaks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from pathlib import Path

from gateway.store import StoreError
from gateway.store.redis import RedisStore
from tests.redis_topologies import SentinelProcs, command
from tests.test_store_contract import record

T0 = 1_700_000_000.0
DAY = 86_400.0


async def test_holds_survive_a_sentinel_failover_and_the_store_reconnects() -> None:
    with tempfile.TemporaryDirectory(prefix="pgsentinel-") as workdir:
        procs = SentinelProcs(Path(workdir))
        try:
            procs.start()
            store = RedisStore(procs.url, "pgfail", wait_replicas=1, require_durable=True)
            for i in range(20):
                await store.quarantine_put(record(f"q-{i}", T0 + i), f"held {i}\n".encode(), DAY)
            procs.primary.kill()
            # Until the Sentinels agree the primary is gone, calls fail (mail would pass unscanned).
            started, recovered = time.monotonic(), None
            while time.monotonic() - started < 60:
                with contextlib.suppress(StoreError):
                    await store.sequence_touch("alice@example.org", "rep@vendor.example", T0, DAY)
                    recovered = time.monotonic() - started
                    break
                await asyncio.sleep(0.2)
            assert recovered is not None, "the store never reached the promoted replica"
            assert "role:master" in command(procs.replica.port, "INFO", "replication")
            print(f"sentinel failover: store answered again after {recovered:.1f} s")
            # Every hold acknowledged before the failover is on the new primary.
            held = {r.id for r in await store.quarantine_list()}
            assert held == {f"q-{i}" for i in range(20)}
            found = await store.quarantine_get("q-7")
            assert found is not None and found[1] == b"held 7\n"
            # With no replica left to confirm, a new hold is refused (451), not acknowledged half-durable.
            try:
                await store.quarantine_put(record("q-late", T0), b"late\n", DAY)
                refused = False
            except StoreError:
                refused = True
            assert refused and await store.quarantine_get("q-late") is None
            await store.close()
        finally:
            procs.stop()
