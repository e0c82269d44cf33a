"""State that outlives one message: sequences, marks, counters, allow/block lists, quarantine, feedback.

`base.Store` is the contract. Two backends implement it and pass one contract test suite:

* `sqlite.SQLiteStore` — the embedded default: one file under the state directory, shared safely by the
  gateway's worker processes on one host.
* `redis.RedisStore` — shared by gateway instances on many hosts: one Redis, a Redis Cluster or a
  Sentinel-managed primary, chosen by the URL (`redis_url`).

Use `open_store` rather than a backend class so that configuration picks the backend in one place.
"""

from __future__ import annotations

from pathlib import Path

from gateway.clock import Clock
from gateway.store.base import (
    GLOBAL_SCOPE,
    MAX_TIMES,
    FeedbackExample,
    ListKind,
    QuarantineRecord,
    Sequence,
    Store,
    StoreError,
)

__all__ = [
    "GLOBAL_SCOPE",
    "MAX_TIMES",
    "FeedbackExample",
    "ListKind",
    "QuarantineRecord",
    "Sequence",
    "Store",
    "StoreError",
    "open_store",
]


def open_store(
    state_dir: Path | None,
    redis_url: str | None,
    *,
    prefix: str = "pg",
    clock: Clock | None = None,
    require_durable: bool = False,
    wait_replicas: int = 0,
) -> Store:
    """Redis when a URL is given, else SQLite under `state_dir` (the caller picks the default directory).

    Nothing connects yet: both backends open lazily, so call `await store.ping()` to fail early. `clock`
    only drives quarantine expiry (the one part of the interface without a `now` argument).
    `require_durable` (Redis only): refuse to hold a message when Redis cannot confirm it is durable;
    `wait_replicas` (Redis only): how many replicas must have a held message before it counts as held.
    """
    if redis_url:
        # Imported here so that an embedded deployment never imports the Redis client.
        from gateway.store.redis import RedisStore

        return RedisStore(
            redis_url, prefix, clock=clock, require_durable=require_durable, wait_replicas=wait_replicas
        )
    if state_dir is None:
        raise ValueError("open_store needs a state directory when no Redis URL is given")
    from gateway.store.sqlite import SQLiteStore

    return SQLiteStore(state_dir, clock=clock)
