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
"""A Cluster node's pool does not block when full (it fails the call), so it is larger."""
POOL_TIMEOUT = 5.0
"""Seconds a call waits for a free pooled connection before failing."""
CLUSTER_RETRIES = 3
"""Slot-map refreshes and retries after a connection error: about a second in all, the failover window."""


class _Cluster(RedisCluster):
    # A timeout may come after the server ran the command: retrying it could count a touch twice.
    ERRORS_ALLOW_RETRY = tuple(  # type: ignore[assignment]  # a subset of the base's tuple
        e for e in RedisCluster.ERRORS_ALLOW_RETRY if e is not RedisTimeoutError
    )


class _SentinelBlockingPool(SentinelConnectionPool, BlockingConnectionPool):
    """Sentinel discovery with a pool that queues callers when full, as the standalone pool does."""


@dataclass
class RedisClient:
    """A connected (lazily) client and what else must be closed with it."""

    redis: Redis | RedisCluster
    topology: Topology
    _others: list[Redis] = field(default_factory=list)

    @property
    def is_cluster(self) -> bool:
        return isinstance(self.redis, RedisCluster)

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
        cluster = _Cluster(
            startup_nodes=[ClusterNode(host, port) for host, port in target.nodes],
            # Keep serving the slots that are covered while another shard fails over.
            require_full_coverage=False,
            retry=_backoff_retry(CLUSTER_RETRIES),
            max_connections=CLUSTER_MAX_CONNECTIONS,
            username=target.username,
            password=target.password,
            **common,
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
