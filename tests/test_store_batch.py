"""Batched store calls (issue 15) on both backends: `write_many`, `read_many` and `list_lookup` leave and
answer exactly what the single calls do, and the per-message view (gateway/store/view.py) batches reads,
defers writes and still never answers a read with state older than a write made before it.

SQLite in a temporary directory; Redis at 127.0.0.1:6379 db 15 and the test Cluster, each store under its
own key prefix (deleted afterwards), as in test_store_contract.py.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from gateway.clock import ManualClock
from gateway.store.base import (
    GLOBAL_SCOPE,
    ListKind,
    MarkGet,
    MarkSet,
    Read,
    Sequence,
    SequenceAnswer,
    SequenceGet,
    SequenceTouch,
    Store,
    Write,
)
from gateway.store.redis import RedisStore
from gateway.store.sqlite import SQLiteStore
from gateway.store.view import MessageStore
from tests.test_store_contract import redis_url_for

REDIS_URL = "redis://127.0.0.1:6379/15"
T0 = 1_700_000_000.123456
DAY = 86_400.0
RCPTS = ("bob@example.com", "alice@example.com")
MEMBERS = ("a@x.test", "b@y.test", "c@z.test")


@pytest.fixture(params=["sqlite", "redis", "redis-cluster"])
async def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Callable[[], Store]]:
    """Each call opens a store on its own, empty state (on a Cluster too: the scripts must keep to one
    slot each)."""
    opened: list[Store] = []
    prefixes: list[str] = []
    clock = ManualClock(T0)
    url = redis_url_for(request, request.param) if request.param != "sqlite" else ""

    def make() -> Store:
        if request.param == "sqlite":
            store: Store = SQLiteStore(tmp_path / f"state-{len(opened)}", clock=clock)
        else:
            prefixes.append(f"pgbatch-{uuid.uuid4().hex}")
            store = RedisStore(url, prefix=prefixes[-1], clock=clock)
        opened.append(store)
        return store

    yield make
    for prefix in prefixes:
        await RedisStore(url, prefix=prefix).delete_all()
    for store in opened:
        await store.close()


def random_writes(rng: random.Random, count: int) -> list[Write]:
    writes: list[Write] = []
    now = T0
    for _ in range(count):
        now += rng.choice([0.0, 1.5, 3600.0, 40 * DAY])  # some writes outlive the ones before
        rcpt, member = rng.choice(RCPTS), rng.choice(MEMBERS)
        ttl = rng.choice([30 * DAY, 365 * DAY])
        kind = rng.randrange(3)
        if kind == 0:
            writes.append(MarkSet(rcpt, rng.choice(["wrote", "seen"]), member, f"v{rng.random()}", now, ttl))
        elif kind == 1:
            writes.append(SequenceTouch(rcpt, member, now, ttl))
        else:
            writes.append(SequenceAnswer(rcpt, member, now, ttl))
    return writes


def every_read(now: float) -> list[Read]:
    reads: list[Read] = []
    for rcpt in RCPTS:
        for member in MEMBERS:
            reads += [MarkGet(rcpt, k, member, now) for k in ("wrote", "seen")]
            reads.append(SequenceGet(rcpt, member, now))
    return reads


async def single_reads(store: Store, reads: list[Read]) -> list[str | Sequence | None]:
    out: list[str | Sequence | None] = []
    for r in reads:
        if isinstance(r, MarkGet):
            out.append(await store.mark_get(r.rcpt, r.kind, r.member, r.now))
        else:
            out.append(await store.sequence_get(r.rcpt, r.counterpart, r.now))
    return out


async def test_write_many_leaves_what_single_writes_leave(make_store: Callable[[], Store]) -> None:
    rng = random.Random(15)
    for _ in range(4):
        batched, single = make_store(), make_store()
        writes = random_writes(rng, 40)
        results = await batched.write_many(writes)
        expected = await Store.write_many(single, writes)  # the one-by-one default
        assert results == expected
        assert any(isinstance(r, Sequence) for r in results)
        for now in (T0, writes[-1].now, writes[-1].now + 100 * DAY):
            reads = every_read(now)
            assert await batched.read_many(reads) == await single_reads(single, reads)
            assert await single_reads(batched, reads) == await single_reads(single, reads)


async def test_read_many_of_nothing_stored(make_store: Callable[[], Store]) -> None:
    store = make_store()
    assert await store.read_many(every_read(T0)) == [None] * len(every_read(T0))
    assert await store.write_many([]) == []


async def test_list_lookup_follows_scope_then_allow_then_entry_order(make_store: Callable[[], Store]) -> None:
    store = make_store()
    bob, entries = RCPTS[0], ["x@growth.test", "growth.test"]
    scopes = [bob, GLOBAL_SCOPE]
    cases = [
        [],
        [(ListKind.BLOCK, GLOBAL_SCOPE, "growth.test")],
        [(ListKind.ALLOW, GLOBAL_SCOPE, "growth.test"), (ListKind.BLOCK, bob, "growth.test")],
        [(ListKind.BLOCK, bob, "growth.test"), (ListKind.BLOCK, bob, "x@growth.test")],
        [(ListKind.ALLOW, bob, "growth.test"), (ListKind.BLOCK, bob, "x@growth.test")],
    ]
    for case in cases:
        for kind, scope, entry in case:
            await store.list_add(kind, scope, entry)
        expected = await Store.list_lookup(store, scopes, entries)
        assert await store.list_lookup(scopes, entries) == expected
        for kind, scope, entry in case:
            await store.list_remove(kind, scope, entry)
    await store.list_add(ListKind.BLOCK, bob, "growth.test")
    assert await store.list_lookup(scopes, entries) == (ListKind.BLOCK, "growth.test")
    await store.list_add(ListKind.ALLOW, bob, "x@growth.test", ttl=-1.0)  # already lapsed
    assert await store.list_lookup(scopes, entries) == (ListKind.BLOCK, "growth.test")
    assert await store.list_lookup(scopes, []) is None


class Counting(SQLiteStore):
    """A real SQLite store that counts the batches it is asked, batching reads as Redis does."""

    batch_reads = True

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.reads: list[int] = []
        self.writes: list[int] = []
        self.single: list[MarkGet] = []

    async def mark_get(self, rcpt: str, kind: str, member: str, now: float) -> str | None:
        self.single.append(MarkGet(rcpt, kind, member, now))
        return await super().mark_get(rcpt, kind, member, now)

    async def read_many(self, reads: list[Read]) -> list[str | Sequence | None]:
        self.reads.append(len(reads))
        return await super().read_many(reads)

    async def write_many(self, writes: list[Write]) -> list[Sequence | None]:
        self.writes.append(len(writes))
        return await super().write_many(writes)


async def test_view_batches_concurrent_reads_and_asks_each_once(tmp_path: Path) -> None:
    store = Counting(tmp_path)
    await store.mark_set(RCPTS[0], "wrote", MEMBERS[0], "yes", T0, DAY)
    view = MessageStore(store)
    with view.reading():
        first = await asyncio.gather(
            view.mark_get(RCPTS[0], "wrote", MEMBERS[0], T0),
            view.mark_get(RCPTS[0], "wrote", MEMBERS[1], T0),
            view.sequence_get(RCPTS[0], MEMBERS[0], T0),
            view.mark_get(RCPTS[0], "wrote", MEMBERS[0], T0),
        )
        again = await view.mark_get(RCPTS[0], "wrote", MEMBERS[0], T0)
    assert first == ["yes", None, None, "yes"] and again == "yes"
    assert store.reads == [3]  # one batch of the three distinct reads; the repeat came from memory
    assert await view.mark_get(RCPTS[0], "wrote", MEMBERS[1], T0) is None  # outside: straight through
    assert store.reads == [3]


async def test_view_defers_writes_but_never_reads_past_them(tmp_path: Path) -> None:
    store = Counting(tmp_path)
    view = MessageStore(store)
    rcpt, cp = RCPTS[0], MEMBERS[0]
    async with view.learning():
        assert await view.mark_get(rcpt, "seen", cp, T0) is None
        await view.mark_set(rcpt, "seen", cp, "in", T0, DAY)
        await view.sequence_answer(rcpt, cp, T0, DAY)
        assert store.writes == []  # waiting
        assert await view.mark_get(rcpt, "seen", cp, T0) == "in"  # the read flushed them first
        assert store.writes == [2]
        await view.mark_set(rcpt, "wrote", cp, "1", T0, DAY)
        seq = await view.sequence_touch(rcpt, cp, T0 + 1, DAY)
        assert seq == Sequence(1, 1, (T0 + 1,), T0)
        assert store.writes == [2, 2]  # the waiting mark went with the touch
        await view.mark_set(rcpt, "pitched", cp, "2", T0, DAY)
    assert store.writes == [2, 2, 1]  # applied on the way out
    assert await store.mark_get(rcpt, "pitched", cp, T0) == "2"
    assert await store.mark_get(rcpt, "wrote", cp, T0) == "1"


async def test_view_on_local_reads_asks_each_read_once_without_batching(tmp_path: Path) -> None:
    store = Counting(tmp_path)
    store.batch_reads = False  # as SQLiteStore itself: its reads cost no round trip
    await store.mark_set(RCPTS[0], "wrote", MEMBERS[0], "yes", T0, DAY)
    view = MessageStore(store)
    with view.reading():
        first = await asyncio.gather(
            view.mark_get(RCPTS[0], "wrote", MEMBERS[0], T0), view.mark_get(RCPTS[0], "wrote", MEMBERS[1], T0)
        )
        again = await view.mark_get(RCPTS[0], "wrote", MEMBERS[0], T0)
    assert first == ["yes", None] and again == "yes"
    assert store.reads == [] and len(store.single) == 2
