"""Waiting until a held message would survive a crash or a failover, before the client hears 250.

Redis acknowledges a write once it is in the primary's memory. `Durability.run` sends the writes and then,
on the same connection (WAIT and WAITAOF only cover the connection's own writes), asks for more:

* `WAITAOF 1 N` (Redis >= 7.2 with `appendonly yes`): the primary fsynced its AOF, and N replicas did.
* `WAIT N` (older Redis, or no AOF, with N > 0): N replicas have the write in memory.
* nothing can be confirmed (older Redis or no AOF, and N = 0): a warning, or a refusal when required.

N is `store.redis_wait_replicas`; `store.redis_require_durable` turns every "could not confirm" into a
StoreError (the client gets 4xx and retries later) instead of a warning. In a Cluster the writes of one
hold span slots on several primaries, so the wait is sent to each primary the writes went to.

Which command applies is probed once, on first use: `WAITAOF 1 0 0` fails on Redis 7.0 and without AOF.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from redis.asyncio.cluster import RedisCluster
from redis.exceptions import RedisError

from gateway.store.base import StoreError
from gateway.store.redis_connect import RedisClient

log = logging.getLogger(__name__)


class Durability:
    """Runs a pipeline of writes and waits for the configured confirmation of them."""

    def __init__(self, client: RedisClient, *, wait_replicas: int, require: bool, timeout_ms: int) -> None:
        self._client = client
        self._replicas = wait_replicas
        self._require = require
        self._timeout_ms = timeout_ms
        self._mode: str | None = None  # "waitaof", "wait" or "none", once probed
        self._warned = False

    async def run(self, pipe: Any, keys: list[str], what: str) -> None:
        """Execute `pipe` (writes to `keys`, among others) and wait as configured; StoreError when short."""
        mode = self._mode or await self._probe()
        if mode == "none":  # refuse before writing anything, or warn once and write
            self._unconfirmed(what, "this Redis cannot confirm an fsync (WAITAOF needs 7.2 and appendonly)")
        writes = len(pipe)
        for node in await self._nodes(keys):
            route = {} if node is None else {"target_nodes": node}
            if mode == "waitaof":
                pipe.execute_command("WAITAOF", 1, self._replicas, self._timeout_ms, **route)
            elif mode == "wait":
                pipe.execute_command("WAIT", self._replicas, self._timeout_ms, **route)
        results: list[Any] = await pipe.execute(raise_on_error=False)
        for result in results[:writes]:
            if isinstance(result, Exception):
                raise result
        for reply in results[writes:]:
            self._check(mode, reply, what)

    async def _probe(self) -> str:
        try:
            await self._client.redis.execute_command("WAITAOF", 1, 0, 100, **self._any_node())
            self._mode = "waitaof"
        except RedisError as exc:
            self._mode = "wait" if self._replicas else "none"
            log.info("redis has no WAITAOF here (%s): holds are confirmed by %s", exc, self._promise())
        return self._mode

    def _promise(self) -> str:
        return f"WAIT {self._replicas} (replicas' memory, not disk)" if self._replicas else "nothing"

    def _any_node(self) -> dict[str, Any]:
        return {"target_nodes": "random"} if self._client.is_cluster else {}

    async def _nodes(self, keys: list[str]) -> list[Any]:
        """The primaries `keys` live on (Cluster), or [None]: one server, the pipeline's one connection."""
        if not self._client.is_cluster:
            return [None]
        cluster = cast(RedisCluster, self._client.redis)
        await cluster.initialize()
        nodes = {}
        for key in keys:
            node = cluster.get_node_from_key(key)
            if node is None:
                raise StoreError(f"redis: no primary serves the slot of {key}")
            nodes[node.name] = node
        return list(nodes.values())

    def _check(self, mode: str, reply: Any, what: str) -> None:
        if isinstance(reply, Exception):
            self._unconfirmed(what, f"the wait failed: {reply}")
            return
        if mode == "waitaof":
            local, replicas = int(reply[0]), int(reply[1])
            if local < 1:
                raise StoreError(f"redis {what}: AOF fsync not confirmed within {self._timeout_ms} ms")
        else:
            replicas = int(reply)
        if replicas < self._replicas:
            self._unconfirmed(
                what, f"{replicas} of {self._replicas} replicas confirmed within {self._timeout_ms} ms"
            )

    def _unconfirmed(self, what: str, why: str) -> None:
        if self._require:
            raise StoreError(f"redis {what}: cannot confirm the hold is durable: {why}")
        if not self._warned:
            self._warned = True
            log.warning(
                "redis cannot confirm that held messages survive a crash or failover (%s): use Redis >= 7.2"
                " with appendonly yes, or replicas with store.redis_wait_replicas; or accept losing the"
                " last second of holds",
                why,
            )
