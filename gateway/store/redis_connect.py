"""The Redis client for a store URL: one server, a Redis Cluster, or the primary a Sentinel names.

`connect(target, ...)` builds it without connecting (every client here connects on first use). What each
topology does when a node goes away:

* standalone: a bounded, blocking pool; a command that met a broken connection is retried twice.
* Cluster (`redis.asyncio.cluster.RedisCluster`): on a connection error the client re-reads the slot map
  from any node that answers and retries, so after a replica takes over a primary's slots the next call
  reaches it. Timeouts are NOT retried (a script that ran but whose reply was lost would count twice).
* Sentinel (`redis.asyncio.sentinel`): each new connection asks the Sentinels for the current primary, and
  a connection to a demoted primary is dropped, so after a failover the next call reaches the new one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel, SentinelConnectionPool
from redis.backoff import EqualJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from gateway.store.redis_url import RedisTarget, Topology

HEALTH_CHECK_INTERVAL = 10
MAX_CONNECTIONS = 64
"""Connections per pool (per node in a Cluster)."""
CLUSTER_MAX_CONNECTIONS = 256
"""A Cluster node's pool does not block when full (it fails the call): commands queue before it."""
CLUSTER_IN_FLIGHT = 16
"""Commands one Cluster client has in flight at once; more wait their turn (see _Cluster)."""
POOL_TIMEOUT = 5.0
"""Seconds a call waits for a free pooled connection before failing."""
CLUSTER_RETRIES = 3
"""Slot-map refreshes and retries after a connection error: about a second in all, the failover window."""


class _Cluster(RedisCluster):
    """RedisCluster that queues commands past MAX_CONNECTIONS in flight, and never retries a timeout."""

    # A timeout or a dropped connection may come after the server ran the command: retrying could count
    # a touch twice. Those fail the call (the message passes unscanned) and the next call re-reads the
    # slot map; only refusals (CLUSTERDOWN, an uncovered slot) are retried.
    ERRORS_ALLOW_RETRY = tuple(  # type: ignore[assignment]  # a subset of the base's tuple
        e
        for e in RedisCluster.ERRORS_ALLOW_RETRY
        if not issubclass(e, (RedisTimeoutError, RedisConnectionError))
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # A node's own pool fails when full instead of waiting, and a burst of hundreds of new
        # connections on a loaded host ends in timeouts; queueing here bounds both, like the
        # standalone pool.
        self._in_flight = asyncio.Semaphore(CLUSTER_IN_FLIGHT)

    async def execute_command(self, *args: Any, **kwargs: Any) -> Any:
        async with self._in_flight:
            try:
                return await super().execute_command(*args, **kwargs)
            except AttributeError as exc:
                # redis-py 8.1 sometimes closes a node's connection while another task is about to write
                # on it (seen under load with many connections opening at once). Nothing was written, so
                # one more try cannot run the command twice; anything else is a connection error.
                if not _unsent(exc):
                    raise RedisConnectionError(f"connection closed under the command: {exc}") from exc
            try:
                return await super().execute_command(*args, **kwargs)
            except AttributeError as exc:
                raise RedisConnectionError(f"connection closed under the command: {exc}") from exc


def _unsent(exc: BaseException) -> bool:
    """Whether `exc` came from writing a command on a connection already closed (so it was never sent)."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and frame.tb_frame.f_code.co_name == "_send_packed_command"


class _SentinelBlockingPool(SentinelConnectionPool, BlockingConnectionPool):
    """Sentinel discovery with a pool that queues callers when full, as the standalone pool does."""


class _Eval:
    """A Lua script sent whole (EVAL) each time: a Cluster node that never saw it (a replica promoted a
    second ago) runs it anyway, instead of answering NOSCRIPT to every caller at once."""

    def __init__(self, redis: RedisCluster, body: str) -> None:
        self._redis, self._body = redis, body

    async def __call__(self, keys: Sequence[str], args: Sequence[Any]) -> Any:
        return await self._redis.eval(self._body, len(keys), *keys, *args)


@dataclass
class RedisClient:
    """A connected (lazily) client and what else must be closed with it."""

    redis: Redis | RedisCluster
    topology: Topology
    _others: list[Redis] = field(default_factory=list)

    @property
    def is_cluster(self) -> bool:
        return isinstance(self.redis, RedisCluster)

    def script(self, body: str) -> Callable[..., Awaitable[Any]]:
        """A callable `(keys=[...], args=[...])` running the Lua script `body` on the keys' node."""
        if isinstance(self.redis, RedisCluster):
            return _Eval(self.redis, body)
        return self.redis.register_script(body)

    async def close(self) -> None:
        await self.redis.aclose()
        for other in self._others:
            await other.aclose()


def _backoff_retry(retries: int) -> Retry:
    return Retry(EqualJitterBackoff(cap=0.5, base=0.05), retries, supported_errors=(RedisConnectionError,))


def _tls(target: RedisTarget) -> dict[str, Any]:
    if not target.tls:
        return {}
    options: dict[str, Any] = {"ssl": True, "ssl_cert_reqs": target.options.get("ssl_cert_reqs", "required")}
    if "ssl_ca_certs" in target.options:
        options["ssl_ca_certs"] = target.options["ssl_ca_certs"]
    return options


def connect(target: RedisTarget, *, socket_timeout: float, client_name: str) -> RedisClient:
    """A client for `target`; nothing connects until the first command."""
    common: dict[str, Any] = {
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
        "health_check_interval": HEALTH_CHECK_INTERVAL,
        "client_name": client_name,
    }
    if target.topology is Topology.CLUSTER:
        # Cluster connections send nothing on connect (no CLIENT SETNAME / SETINFO): redis-py 8.1 can drop
        # a Cluster connection between those handshake commands when many open at once (AttributeError on
        # a closed writer), which would fail the call for no reason.
        handshake_free = {**common, "client_name": None, "driver_info": None}
        cluster = _Cluster(
            startup_nodes=[ClusterNode(host, port) for host, port in target.nodes],
            # Keep serving the slots that are covered while another shard fails over.
            require_full_coverage=False,
            protocol=2,
            retry=_backoff_retry(CLUSTER_RETRIES),
            max_connections=CLUSTER_MAX_CONNECTIONS,
            username=target.username,
            password=target.password,
            **handshake_free,
            **_tls(target),
        )
        return RedisClient(cluster, Topology.CLUSTER)
    if target.topology is Topology.SENTINEL:
        return _sentinel_client(target, common)
    # A bounded pool: hundreds of concurrent sessions queue for a connection instead of each opening its
    # own socket to Redis.
    pool = BlockingConnectionPool.from_url(
        target.url, max_connections=MAX_CONNECTIONS, timeout=POOL_TIMEOUT, retry=_backoff_retry(2), **common
    )
    return RedisClient(Redis(connection_pool=pool), Topology.STANDALONE)


def _sentinel_client(target: RedisTarget, common: dict[str, Any]) -> RedisClient:
    sentinel_auth = {
        "username": target.options.get("sentinel_username") or None,
        "password": target.options.get("sentinel_password") or None,
    }
    sentinel_kwargs = {
        "socket_timeout": common["socket_timeout"],
        "socket_connect_timeout": common["socket_connect_timeout"],
        **sentinel_auth,
        **_tls(target),
    }
    sentinel = Sentinel(list(target.nodes), sentinel_kwargs=sentinel_kwargs)  # type: ignore[no-untyped-call]
    primary = sentinel.master_for(
        target.service,
        connection_pool_class=_SentinelBlockingPool,
        max_connections=MAX_CONNECTIONS,
        timeout=POOL_TIMEOUT,
        retry=_backoff_retry(2),
        db=target.db,
        username=target.username,
        password=target.password,
        **common,
        **_tls(target),
    )
    return RedisClient(primary, Topology.SENTINEL, list(sentinel.sentinels))
