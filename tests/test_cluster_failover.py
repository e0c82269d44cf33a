"""Four gateways share a Redis Cluster; a primary is killed while they take mail; nothing is lost.

Everything is real: four `pitchgate serve` processes with `--redis-url redis+cluster://...`, a 3-primary /
3-replica Cluster of our own on loopback (never the shared Redis), SMTP clients over sockets and an SMTP
sink. The gateways wait for one replica on every hold and refuse to hold without it
(`store.redis_wait_replicas = 1`, `store.redis_require_durable = true`), the setting that promises a held
message survives its primary. The primary killed is the one serving the quarantine index, so every hold
during the failover window meets it.
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import tempfile
import time
from pathlib import Path

from gateway.store import GLOBAL_SCOPE, ListKind
from gateway.store.redis import RedisStore
from tests.procs import start_serve
from tests.redis_topologies import RedisClusterProcs, wait_until
from tests.reliability.helpers import Outcome, assert_nothing_lost, mixed_messages, send_all
from tests.smtp_helpers import Sink

GATEWAYS = 4
PER_GATEWAY = 40
NODE_TIMEOUT_MS = 2000


def delivered_ids(sink: Sink) -> list[str]:
    return [str(email.message_from_bytes(r.data)["Message-ID"]) for r in sink.received]


async def held_ids(url: str) -> list[str]:
    store = RedisStore(url)
    try:
        return [r.message_id for r in await store.quarantine_list(None)]
    finally:
        await store.close()


async def _failover(cluster: RedisClusterProcs, key: str) -> float:
    """Kill the primary serving `key`, wait until a replica took over, restart the dead node (it rejoins
    as a replica, so holds can be confirmed again); return the seconds until the takeover."""
    victim = cluster.node_for(key)
    killed = time.monotonic()
    victim.kill()
    promoted = "a replica promoted in place of the killed primary"
    await asyncio.to_thread(wait_until, lambda: len(cluster.primaries()) == 3, 60, promoted)
    took_over = time.monotonic() - killed
    victim.start()
    await asyncio.to_thread(cluster.wait_healthy, 60)
    return took_over


async def test_four_gateways_lose_nothing_when_a_primary_fails(tmp_path: Path) -> None:
    sink = Sink()
    await sink.start()
    with tempfile.TemporaryDirectory(prefix="pgfailover-") as workdir:
        cluster = RedisClusterProcs(Path(workdir), node_timeout_ms=NODE_TIMEOUT_MS)
        procs: list[asyncio.subprocess.Process] = []
        try:
            cluster.start()
            seed = RedisStore(cluster.url)
            await seed.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
            await seed.close()
            env = {
                **os.environ,
                "PITCHGATE_STORE__REDIS_WAIT_REPLICAS": "1",
                "PITCHGATE_STORE__REDIS_REQUIRE_DURABLE": "true",
                # One process per gateway, no scan pool: four model loads on a shared 2-core host are
                # slow enough already.
                "PITCHGATE_SCAN__POOL_PROCESSES": "0",
            }
            started = await asyncio.gather(
                *(
                    start_serve(
                        tmp_path / f"state{i}",
                        sink.port,
                        "--redis-url",
                        cluster.url,
                        "--workers",
                        "1",
                        env=env,
                        startup_timeout=150,
                    )
                    for i in range(GATEWAYS)
                )
            )
            procs = [proc for proc, _, _ in started]
            ports = [port for _, port, _ in started]
            sending = [
                asyncio.create_task(send_all(port, mixed_messages(PER_GATEWAY, f"gw{i}-"), 2, pause=0.05))
                for i, port in enumerate(ports)
            ]
            await asyncio.sleep(1.0)
            took_over = await _failover(cluster, "pg:q:index")
            outcomes: list[Outcome] = await asyncio.gather(*sending)
            after = await asyncio.gather(
                *(send_all(port, mixed_messages(5, f"after{i}-"), 1) for i, port in enumerate(ports))
            )
            held = await held_ids(cluster.url)
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                await asyncio.wait_for(proc.wait(), 30)
            cluster.stop()
            await sink.stop()
    outcome = Outcome({mid: code for o in (*outcomes, *after) for mid, code in o.codes.items()})
    delivered = delivered_ids(sink)
    unscanned = sum(b"unscanned (store)" in r.data for r in sink.received)
    print(
        f"failover in {took_over:.1f} s:",
        outcome.summary(),
        "delivered",
        len(delivered),
        "held",
        len(held),
        "unscanned",
        unscanned,
    )
    assert set(outcome.summary()) <= {250, 451}, outcome.summary()
    # Every 250 is at the sink or held, exactly once; a 451 (the hold could not be confirmed) is nowhere.
    assert_nothing_lost(outcome, delivered, held)
    assert len(outcome.codes) == GATEWAYS * (PER_GATEWAY + 5)
    # After the failover every gateway found the new primary by itself: all mail accepted and scanned,
    # the blocked sender's held.
    for i, late in enumerate(after):
        assert late.summary() == {250: 5}, late.summary()
        assert f"<after{i}-0@test>" in held
    assert not [r for r in sink.received if b"<after" in r.data and b"unscanned" in r.data]
