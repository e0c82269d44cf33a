"""One contract suite for every `Store` backend: what signals and policy may rely on, whatever the backend.

Redis tests run against the real server at 127.0.0.1:6379 db 15, each under its own key prefix (deleted
afterwards) so that they never touch other data or each other.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis

from gateway import app as gateway_app
from gateway.clock import ManualClock
from gateway.settings import load_settings
from gateway.store import open_store
from gateway.store import redis as redis_store
from gateway.store.base import (
    GLOBAL_SCOPE,
    MAX_TIMES,
    FeedbackExample,
    FolderCursor,
    ListKind,
    QuarantineRecord,
    Store,
    StoreError,
)
from gateway.store.redis import RedisStore
from gateway.store.sqlite import SQLiteStore
from tests.reliability.helpers import PrivateRedis

REDIS_URL = "redis://127.0.0.1:6379/15"
T0 = 1_700_000_000.123456
DAY = 86_400.0

StoreFactory = Callable[[], Store]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def redis_url_for(request: pytest.FixtureRequest, backend: str) -> str:
    """The URL of the Redis topology a test runs on; Cluster and Sentinel start only when asked for."""
    if backend == "redis-cluster":
        return str(request.getfixturevalue("redis_cluster").url)
    if backend == "redis-sentinel":
        return str(request.getfixturevalue("redis_sentinel").url)
    return REDIS_URL


@pytest.fixture(params=["sqlite", "redis", "redis-cluster", "redis-sentinel"])
async def make_store(
    request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[StoreFactory]:
    """Opens stores on one backend and one shared state (so a second instance sees the first's data).

    Cluster and Sentinel stores wait for one replica on every hold (`WAIT 1`, required), as a deployment
    that promises holds survive a failover would."""
    opened: list[Store] = []
    prefix = f"pgtest-{uuid.uuid4().hex}"
    url = "" if request.param == "sqlite" else redis_url_for(request, request.param)
    replicas = 0 if request.param in ("sqlite", "redis") else 1

    def make() -> Store:
        if request.param == "sqlite":
            store: Store = SQLiteStore(tmp_path / "state", clock=clock)
        else:
            store = RedisStore(
                url, prefix=prefix, clock=clock, wait_replicas=replicas, require_durable=bool(replicas)
            )
        opened.append(store)
        return store

    yield make
    if url:
        cleaner = RedisStore(url, prefix=prefix)
        await cleaner.delete_all()
        await cleaner.close()
    for store in opened:
        await store.close()


@pytest.fixture
async def store(make_store: StoreFactory) -> Store:
    return make_store()


def record(
    qid: str, received_at: float, recipients: tuple[str, ...] = ("alice@example.org",)
) -> QuarantineRecord:
    return QuarantineRecord(
        id=qid,
        message_id=f"<{qid}@pitch.example>",
        sender="rep@vendor.example",
        recipients=recipients,
        subject="Quick question — 15 minutes?",
        score=7.25,
        symbols={"PG_UNANSWERED_3": 3.0, "PG_FOLLOWUP": 1.5},
        received_at=received_at,
        size=1234,
        client_addr="192.0.2.7",
        extra={"helo": "mx.vendor.example", "note": "naïve ünïcode"},
        evidence=(
            ("PG_UNANSWERED_3", 3.0, "3 unanswered since 2026-11-02"),
            ("PG_FOLLOWUP", 1.5, "“just bumping”"),
        ),
    )


def awkward_message(size: int = 200_000) -> bytes:
    """Bytes that break anything decoding, normalising line ends or truncating: binary, bare LF, CR, NUL."""
    rng = random.Random(42)
    head = b"From: rep@vendor.example\nSubject: =?utf-8?q?Hi?=\r\n\r\nLatin-1 caf\xe9\n\x00\xff\xfe\r\r\n"
    return head + rng.randbytes(size - len(head))


# -- lifecycle -------------------------------------------------------------------------------------------
async def test_ping(store: Store) -> None:
    await store.ping()


async def test_state_survives_reopening(make_store: StoreFactory) -> None:
    first = make_store()
    await first.sequence_touch("alice@example.org", "rep@vendor.example", T0, DAY)
    await first.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "vendor.example")
    await first.close()
    second = make_store()
    seq = await second.sequence_get("alice@example.org", "rep@vendor.example", T0 + 1)
    assert seq is not None and seq.touches == 1
    assert await second.list_contains(ListKind.BLOCK, GLOBAL_SCOPE, ["vendor.example"]) == "vendor.example"


# -- sequences -------------------------------------------------------------------------------------------
async def test_sequence_absent(store: Store) -> None:
    assert await store.sequence_get("alice@example.org", "rep@vendor.example", T0) is None


async def test_sequence_touch_counts_and_records_times(store: Store) -> None:
    first = await store.sequence_touch("alice@example.org", "rep@vendor.example", T0, DAY)
    assert (first.touches, first.unanswered, first.times, first.last_answered) == (1, 1, (T0,), None)
    second = await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + 60.5, DAY)
    assert (second.touches, second.unanswered, second.times) == (2, 2, (T0, T0 + 60.5))
    assert await store.sequence_get("alice@example.org", "rep@vendor.example", T0 + 61) == second


async def test_sequence_times_trimmed_to_newest(store: Store) -> None:
    for i in range(MAX_TIMES + 5):
        seq = await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + i, DAY)
    assert seq.touches == MAX_TIMES + 5
    assert seq.times == tuple(T0 + i for i in range(5, MAX_TIMES + 5))


async def test_sequence_times_sorted_when_replayed_out_of_order(store: Store) -> None:
    for offset in (30.0, 10.0, 20.0):
        seq = await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + offset, DAY)
    assert seq.times == (T0 + 10, T0 + 20, T0 + 30)


async def test_sequence_answer_resets_unanswered(store: Store) -> None:
    for i in range(3):
        await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + i, DAY)
    await store.sequence_answer("alice@example.org", "rep@vendor.example", T0 + 10, DAY)
    seq = await store.sequence_get("alice@example.org", "rep@vendor.example", T0 + 11)
    assert seq is not None
    assert (seq.touches, seq.unanswered, seq.last_answered) == (3, 0, T0 + 10)
    after = await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + 20, DAY)
    assert (after.touches, after.unanswered, after.last_answered) == (4, 1, T0 + 10)


async def test_sequence_answer_before_any_touch(store: Store) -> None:
    await store.sequence_answer("alice@example.org", "rep@vendor.example", T0, DAY)
    seq = await store.sequence_get("alice@example.org", "rep@vendor.example", T0 + 1)
    assert seq is not None
    assert (seq.touches, seq.unanswered, seq.times, seq.last_answered) == (0, 0, (), T0)


async def test_sequence_logical_expiry(store: Store) -> None:
    await store.sequence_touch("alice@example.org", "rep@vendor.example", T0, 100)
    assert await store.sequence_get("alice@example.org", "rep@vendor.example", T0 + 99.9) is not None
    assert await store.sequence_get("alice@example.org", "rep@vendor.example", T0 + 100) is None
    fresh = await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + 150, 100)
    assert (fresh.touches, fresh.unanswered, fresh.times) == (1, 1, (T0 + 150,))


async def test_sequence_touch_and_answer_extend_expiry(store: Store) -> None:
    await store.sequence_touch("alice@example.org", "rep@vendor.example", T0, 100)
    await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + 50, 100)
    assert await store.sequence_get("alice@example.org", "rep@vendor.example", T0 + 120) is not None
    await store.sequence_answer("alice@example.org", "rep@vendor.example", T0 + 140, 100)
    seq = await store.sequence_get("alice@example.org", "rep@vendor.example", T0 + 200)
    assert seq is not None and seq.touches == 2
    assert await store.sequence_get("alice@example.org", "rep@vendor.example", T0 + 240) is None


async def test_sequence_pairs_are_independent(store: Store) -> None:
    await store.sequence_touch("alice@example.org", "rep@vendor.example", T0, DAY)
    await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + 1, DAY)
    other = await store.sequence_touch("bob@example.org", "rep@vendor.example", T0 + 2, DAY)
    assert other.touches == 1
    assert await store.sequence_get("alice@example.org", "x@vendor.example", T0) is None
    # Braces and colons in addresses must not merge keys (they are hash-tag and separator syntax in Redis).
    odd = await store.sequence_touch("a}b{c@example.org", "d:e%7B@x.example", T0, DAY)
    assert odd.touches == 1
    assert await store.sequence_get("a%7Db%7Bc@example.org", "d:e%7B@x.example", T0) is None


# -- marks -----------------------------------------------------------------------------------------------
async def test_mark_set_get_and_overwrite(store: Store) -> None:
    assert await store.mark_get("alice@example.org", "wrote", "rep@vendor.example", T0) is None
    await store.mark_set("alice@example.org", "wrote", "rep@vendor.example", "msg-1", T0, DAY)
    assert await store.mark_get("alice@example.org", "wrote", "rep@vendor.example", T0 + 1) == "msg-1"
    await store.mark_set(
        "alice@example.org", "wrote", "rep@vendor.example", "msg 2: with spaces", T0 + 5, DAY
    )
    assert (
        await store.mark_get("alice@example.org", "wrote", "rep@vendor.example", T0 + 6)
        == "msg 2: with spaces"
    )


async def test_mark_scoped_by_recipient_kind_and_member(store: Store) -> None:
    await store.mark_set("alice@example.org", "msgid", "<a:b@host>", "1", T0, DAY)
    assert await store.mark_get("alice@example.org", "msgid", "<a:b@host>", T0) == "1"
    assert await store.mark_get("bob@example.org", "msgid", "<a:b@host>", T0) is None
    assert await store.mark_get("alice@example.org", "conn", "<a:b@host>", T0) is None
    assert await store.mark_get("alice@example.org", "msgid", "<a:c@host>", T0) is None
    await store.mark_set("alice@example.org", "a", "b:c", "x", T0, DAY)
    assert await store.mark_get("alice@example.org", "a:b", "c", T0) is None


async def test_mark_expiry_and_refresh(store: Store) -> None:
    await store.mark_set("alice@example.org", "conn", "198.51.100.1", "", T0, 100)
    assert await store.mark_get("alice@example.org", "conn", "198.51.100.1", T0 + 99) == ""
    assert await store.mark_get("alice@example.org", "conn", "198.51.100.1", T0 + 100) is None
    await store.mark_set("alice@example.org", "conn", "198.51.100.1", "again", T0 + 90, 100)
    assert await store.mark_get("alice@example.org", "conn", "198.51.100.1", T0 + 150) == "again"
    assert await store.mark_get("alice@example.org", "conn", "198.51.100.1", T0 + 190) is None


# -- windows and counters --------------------------------------------------------------------------------
async def test_window_counts_distinct_events(store: Store) -> None:
    assert await store.window_add("rcpts:rep@vendor.example", "alice", T0, 60) == 1
    assert await store.window_add("rcpts:rep@vendor.example", "bob", T0 + 1, 60) == 2
    assert await store.window_add("rcpts:rep@vendor.example", "alice", T0 + 2, 60) == 2
    assert await store.window_add("rcpts:other", "alice", T0 + 2, 60) == 1


async def test_window_slides(store: Store) -> None:
    await store.window_add("k", "a", T0, 60)
    await store.window_add("k", "b", T0 + 30, 60)
    # At T0+60 "a" (seen at T0) has left the window; "b" and "c" remain.
    assert await store.window_add("k", "c", T0 + 60, 60) == 2
    # Seeing "b" again moves it forward: at T0+100 only "b" (T0+95) and "c" (T0+60) count.
    await store.window_add("k", "b", T0 + 95, 60)
    assert await store.window_add("k", "d", T0 + 100, 60) == 3
    assert await store.window_add("k", "e", T0 + 200, 60) == 1


async def test_counter_incr(store: Store) -> None:
    assert await store.counter_incr("msgs:rep@vendor.example", 1, T0, 100) == 1
    assert await store.counter_incr("msgs:rep@vendor.example", 5, T0 + 1, 100) == 6
    assert await store.counter_incr("msgs:rep@vendor.example", -2, T0 + 2, 100) == 4
    assert await store.counter_incr("msgs:other", 1, T0 + 2, 100) == 1


async def test_counter_expires_from_its_start(store: Store) -> None:
    await store.counter_incr("c", 1, T0, 100)
    assert await store.counter_incr("c", 1, T0 + 99, 100) == 2
    # The window is fixed when the counter starts: increments do not extend it.
    assert await store.counter_incr("c", 1, T0 + 100, 100) == 1
    assert await store.counter_incr("c", 1, T0 + 199, 100) == 2


# -- allow and block lists -------------------------------------------------------------------------------
async def test_lists_global_and_per_recipient(store: Store) -> None:
    await store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "vendor.example")
    await store.list_add(ListKind.BLOCK, "alice@example.org", "rep@other.example")
    await store.list_add(ListKind.ALLOW, "alice@example.org", "friend@example.net")
    await store.list_add(ListKind.BLOCK, "alice@example.org", "rep@other.example")  # idempotent

    assert await store.list_contains(
        ListKind.BLOCK, GLOBAL_SCOPE, ["rep@vendor.example", "vendor.example"]
    ) == ("vendor.example")
    assert await store.list_contains(ListKind.BLOCK, "alice@example.org", ["vendor.example"]) is None
    assert await store.list_contains(ListKind.BLOCK, "bob@example.org", ["rep@other.example"]) is None
    assert await store.list_contains(ListKind.ALLOW, "alice@example.org", ["rep@other.example"]) is None
    assert await store.list_contains(ListKind.ALLOW, "alice@example.org", []) is None

    assert await store.list_entries(ListKind.BLOCK) == [
        (GLOBAL_SCOPE, "vendor.example"),
        ("alice@example.org", "rep@other.example"),
    ]
    assert await store.list_entries(ListKind.BLOCK, "alice@example.org") == [
        ("alice@example.org", "rep@other.example")
    ]
    assert await store.list_entries(ListKind.ALLOW) == [("alice@example.org", "friend@example.net")]
    assert await store.list_entries(ListKind.ALLOW, "nobody@example.org") == []


async def test_list_contains_returns_first_in_callers_order(store: Store) -> None:
    await store.list_add(ListKind.ALLOW, "alice@example.org", "example.net")
    await store.list_add(ListKind.ALLOW, "alice@example.org", "friend@example.net")
    found = await store.list_contains(
        ListKind.ALLOW, "alice@example.org", ["friend@example.net", "example.net"]
    )
    assert found == "friend@example.net"


async def test_list_remove(store: Store) -> None:
    await store.list_add(ListKind.ALLOW, GLOBAL_SCOPE, "example.net")
    await store.list_add(ListKind.ALLOW, "alice@example.org", "example.net")
    assert await store.list_remove(ListKind.ALLOW, GLOBAL_SCOPE, "example.net") is True
    assert await store.list_remove(ListKind.ALLOW, GLOBAL_SCOPE, "example.net") is False
    assert await store.list_remove(ListKind.BLOCK, "alice@example.org", "example.net") is False
    assert await store.list_contains(ListKind.ALLOW, GLOBAL_SCOPE, ["example.net"]) is None
    assert await store.list_entries(ListKind.ALLOW) == [("alice@example.org", "example.net")]


# -- quarantine ------------------------------------------------------------------------------------------
async def test_quarantine_round_trips_bytes_exactly(store: Store) -> None:
    raw = awkward_message()
    held = record("q-1", T0)
    await store.quarantine_put(held, raw, DAY)
    found = await store.quarantine_get("q-1")
    assert found is not None
    got_record, got_raw = found
    assert got_record == held
    assert got_raw == raw
    assert await store.quarantine_get("q-missing") is None


async def test_quarantine_evidence_survives_reopening(make_store: StoreFactory) -> None:
    held = record("q-why", T0)
    await make_store().quarantine_put(held, b"why\n", DAY)
    found = await make_store().quarantine_get("q-why")
    assert found is not None
    assert found[0].evidence == held.evidence
    assert [r.evidence for r in await make_store().quarantine_list("alice@example.org")] == [held.evidence]


async def test_quarantine_list_newest_first_and_by_recipient(store: Store) -> None:
    await store.quarantine_put(record("q-old", T0, ("alice@example.org",)), b"old\n", DAY)
    await store.quarantine_put(
        record("q-new", T0 + 20, ("alice@example.org", "bob@example.org")), b"new\n", DAY
    )
    await store.quarantine_put(record("q-mid", T0 + 10, ("bob@example.org",)), b"mid\n", DAY)
    assert [r.id for r in await store.quarantine_list()] == ["q-new", "q-mid", "q-old"]
    assert [r.id for r in await store.quarantine_list("alice@example.org")] == ["q-new", "q-old"]
    assert [r.id for r in await store.quarantine_list("bob@example.org")] == ["q-new", "q-mid"]
    assert await store.quarantine_list("carol@example.org") == []
    assert await store.quarantine_count() == 3


async def test_quarantine_delete(store: Store) -> None:
    await store.quarantine_put(record("q-1", T0, ("alice@example.org",)), b"one\n", DAY)
    await store.quarantine_put(record("q-2", T0 + 1, ("alice@example.org",)), b"two\n", DAY)
    assert await store.quarantine_delete("q-1") is True
    assert await store.quarantine_delete("q-1") is False
    assert await store.quarantine_get("q-1") is None
    assert [r.id for r in await store.quarantine_list("alice@example.org")] == ["q-2"]
    assert await store.quarantine_count() == 1


async def test_quarantine_expires(store: Store, clock: ManualClock) -> None:
    await store.quarantine_put(record("q-short", T0), b"short\n", 100)
    await store.quarantine_put(record("q-long", T0), b"long\n", 1000)
    clock.advance(100)
    assert await store.quarantine_get("q-short") is None
    assert [r.id for r in await store.quarantine_list()] == ["q-long"]
    assert [r.id for r in await store.quarantine_list("alice@example.org")] == ["q-long"]
    assert await store.quarantine_count() == 1
    clock.advance(900)
    assert await store.quarantine_count() == 0
    assert await store.quarantine_list() == []


async def test_quarantine_purge_deletes_only_older_messages(make_store: StoreFactory) -> None:
    store = make_store()
    await store.quarantine_put(record("q-old", T0, ("alice@example.org", "bob@example.org")), b"o\n", DAY)
    await store.quarantine_put(record("q-edge", T0 + 10, ("alice@example.org",)), b"e\n", DAY)
    await store.quarantine_put(record("q-new", T0 + 20, ("bob@example.org",)), b"n\n", DAY)
    assert await store.quarantine_purge(T0 + 10) == 1
    assert await store.quarantine_purge(T0 + 10) == 0
    assert await store.quarantine_get("q-old") is None
    assert await store.quarantine_count() == 2
    assert [r.id for r in await store.quarantine_list("alice@example.org")] == ["q-edge"]
    assert [r.id for r in await store.quarantine_list("bob@example.org")] == ["q-new"]
    # A second instance on the same state sees the purge, and a purge of everything empties it.
    other = make_store()
    assert [r.id for r in await other.quarantine_list()] == ["q-new", "q-edge"]
    assert await other.quarantine_purge(T0 + 21) == 2
    assert await store.quarantine_list() == [] and await store.quarantine_count() == 0
    assert await store.quarantine_get("q-new") is None


async def test_quarantine_purge_in_batches(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redis_store, "PURGE_BATCH", 2)  # Redis deletes in rounds; cross their borders
    for i in range(6):
        await store.quarantine_put(record(f"q-{i}", T0 + i), b"x\n", DAY)
    assert await store.quarantine_purge(T0 + 5) == 5
    assert [r.id for r in await store.quarantine_list()] == ["q-5"]


async def test_quarantine_rejects_unsafe_ids(store: Store) -> None:
    with pytest.raises(ValueError):
        await store.quarantine_put(record("../escape", T0), b"x", DAY)
    assert await store.quarantine_get("../escape") is None
    assert await store.quarantine_delete("../escape") is False


async def test_quarantine_claim_is_exclusive_across_instances(make_store: StoreFactory) -> None:
    first, second = make_store(), make_store()
    await first.quarantine_put(record("q-1", T0), b"x\n", DAY)
    # Many claimers at once on two instances (two processes or hosts): exactly one wins.
    tokens = await asyncio.gather(*(s.quarantine_claim("q-1", 60) for s in (first, second) * 4))
    winners = [t for t in tokens if t is not None]
    assert len(winners) == 1
    # Only the winner's token gives it back; then someone else may claim.
    await second.quarantine_unclaim("q-1", "not-the-token")
    assert await second.quarantine_claim("q-1", 60) is None
    await first.quarantine_unclaim("q-1", winners[0])
    again = await second.quarantine_claim("q-1", 60)
    assert again is not None and again != winners[0]
    # Claims are per message.
    assert await first.quarantine_claim("q-2", 60) is not None


async def test_quarantine_claim_lapses_after_its_lease(store: Store) -> None:
    stale = await store.quarantine_claim("q-1", 0.2)
    assert stale is not None and await store.quarantine_claim("q-1", 60) is None
    await asyncio.sleep(0.4)  # wall clock: a crashed holder must not block the message for ever
    fresh = await store.quarantine_claim("q-1", 60)
    assert fresh is not None
    # The old holder's late unclaim does not end the new holder's claim.
    await store.quarantine_unclaim("q-1", stale)
    assert await store.quarantine_claim("q-1", 60) is None


async def test_quarantine_narrow_keeps_the_id_and_expiry(store: Store, clock: ManualClock) -> None:
    both = ("alice@example.org", "bob@example.org")
    await store.quarantine_put(record("q-1", T0, both), b"bytes\n", 100)
    assert await store.quarantine_narrow("q-1", ("bob@example.org",)) is True
    found = await store.quarantine_get("q-1")
    assert found is not None and found[0].recipients == ("bob@example.org",) and found[1] == b"bytes\n"
    assert await store.quarantine_list("alice@example.org") == []
    assert [r.id for r in await store.quarantine_list("bob@example.org")] == ["q-1"]
    assert await store.quarantine_count() == 1
    clock.advance(100)  # narrowing did not extend its life
    assert await store.quarantine_get("q-1") is None
    assert await store.quarantine_narrow("q-missing", ("bob@example.org",)) is False


async def test_list_entries_with_a_ttl_lapse(store: Store, clock: ManualClock) -> None:
    alice = "alice@example.org"
    await store.list_add(ListKind.ALLOW, alice, "lapsing.example", ttl=100)
    await store.list_add(ListKind.ALLOW, alice, "kept.example")
    await store.list_add(ListKind.ALLOW, alice, "renewed.example", ttl=100)
    await store.list_add(ListKind.ALLOW, alice, "made-permanent.example", ttl=100)
    await store.list_add(ListKind.ALLOW, alice, "made-permanent.example")
    await store.list_add(ListKind.ALLOW, alice, "kept.example", ttl=10)  # a ttl never shortens "for ever"
    clock.advance(60)
    await store.list_add(ListKind.ALLOW, alice, "renewed.example", ttl=100)
    clock.advance(40)
    names = ["lapsing.example", "kept.example", "renewed.example", "made-permanent.example"]
    assert await store.list_contains(ListKind.ALLOW, alice, names[:1]) is None
    assert await store.list_contains(ListKind.ALLOW, alice, names) == "kept.example"
    assert [e for _, e in await store.list_entries(ListKind.ALLOW, alice)] == sorted(names[1:])
    assert (alice, "lapsing.example") not in await store.list_entries(ListKind.ALLOW)
    # Added again after lapsing, it counts again, for its new ttl.
    await store.list_add(ListKind.ALLOW, alice, "lapsing.example", ttl=100)
    assert await store.list_contains(ListKind.ALLOW, alice, ["lapsing.example"]) == "lapsing.example"
    clock.advance(100)
    assert await store.list_contains(ListKind.ALLOW, alice, ["lapsing.example"]) is None


async def test_feedback_with_a_ttl_lapses(store: Store, clock: ManualClock) -> None:
    short = FeedbackExample("fb-short", "pitch", T0, {})
    kept = FeedbackExample("fb-kept", "wanted", T0 + 1, {})
    await store.feedback_add(short, b"short\n", ttl=100)
    await store.feedback_add(kept, b"kept\n", ttl=1000)
    clock.advance(100)
    assert await store.feedback_list() == [(kept, b"kept\n")]
    clock.advance(900)
    assert await store.feedback_list() == []


# -- feedback --------------------------------------------------------------------------------------------
async def test_feedback_add_and_list(store: Store) -> None:
    assert await store.feedback_list() == []
    pitch = FeedbackExample("fb-2", "pitch", T0 + 5, {"PG_UNANSWERED_3": 3.0})
    wanted = FeedbackExample("fb-1", "wanted", T0, {"PG_REPLY": -2.0})
    raw = awkward_message(50_000)
    await store.feedback_add(pitch, raw)
    await store.feedback_add(wanted, b"Subject: thanks\n\nbare LF only\n")
    assert await store.feedback_list() == [(wanted, b"Subject: thanks\n\nbare LF only\n"), (pitch, raw)]


# -- backend specifics -----------------------------------------------------------------------------------
async def test_redis_unreachable_fails_fast() -> None:
    store = RedisStore("redis://127.0.0.1:1/0")
    try:
        for call in (store.ping, lambda: store.sequence_touch("a@example.org", "b@example.org", T0, DAY)):
            started = time.monotonic()
            with pytest.raises(StoreError):
                await call()
            assert time.monotonic() - started < 5
    finally:
        await store.close()


async def test_redis_reconnects_after_connection_loss() -> None:
    """A Redis restart drops every connection; the next call must reconnect instead of failing."""
    prefix, name = f"pgtest-{uuid.uuid4().hex}", f"pgtest-{uuid.uuid4().hex[:12]}"
    store = RedisStore(REDIS_URL, prefix, client_name=name)
    admin = Redis.from_url(REDIS_URL)
    try:
        await store.sequence_touch("alice@example.org", "rep@vendor.example", T0, DAY)
        clients = await admin.client_list()
        killed = [await admin.client_kill_filter(_id=c["id"]) for c in clients if c.get("name") == name]
        assert killed
        seq = await store.sequence_touch("alice@example.org", "rep@vendor.example", T0 + 1, DAY)
        assert seq.touches == 2
    finally:
        await store.delete_all()
        await store.close()
        await admin.connection_pool.disconnect()


async def test_sqlite_message_files_and_purge(tmp_path: Path, clock: ManualClock) -> None:
    store = SQLiteStore(tmp_path, clock=clock)
    try:
        await store.quarantine_put(record("q-1", T0), b"held\n", 100)
        await store.sequence_touch("alice@example.org", "rep@vendor.example", T0, 100)
        assert (tmp_path / "quarantine" / "q-1.eml").read_bytes() == b"held\n"
        clock.advance(100)
        assert await store.purge(T0 + 100) == 2
        assert not (tmp_path / "quarantine" / "q-1.eml").exists()
        await store.quarantine_put(record("q-2", T0), b"held\n", DAY)
        assert await store.quarantine_purge(T0 + 1) == 1
        assert list((tmp_path / "quarantine").iterdir()) == []
    finally:
        await store.close()


async def test_sqlite_purge_removes_lapsed_feedback_and_list_entries(
    tmp_path: Path, clock: ManualClock
) -> None:
    store = SQLiteStore(tmp_path, clock=clock)
    try:
        await store.feedback_add(FeedbackExample("fb-1", "pitch", T0, {}), b"body\n", ttl=100)
        await store.list_add(ListKind.ALLOW, "alice@example.org", "vendor.example", ttl=100)
        clock.advance(100)
        assert await store.purge(T0) == 2
        assert list((tmp_path / "feedback").iterdir()) == []
    finally:
        await store.close()


async def test_sqlite_upgrades_a_version_1_file(tmp_path: Path) -> None:
    """A file written before lists and feedback could lapse: its entries stay, and now may lapse."""
    db = sqlite3.connect(tmp_path / "pitchgate.sqlite3")
    db.executescript(
        "CREATE TABLE lists (kind TEXT NOT NULL, scope TEXT NOT NULL, entry TEXT NOT NULL,"
        " PRIMARY KEY (kind, scope, entry)) WITHOUT ROWID;"
        "CREATE TABLE feedback (id TEXT PRIMARY KEY, recorded_at REAL NOT NULL, meta TEXT NOT NULL) WITHOUT ROWID;"
        "INSERT INTO lists VALUES ('allow', 'alice@example.org', 'old.example');"
        "PRAGMA user_version = 1;"
    )
    db.close()
    store = SQLiteStore(tmp_path)
    try:
        await store.list_add(ListKind.ALLOW, "alice@example.org", "new.example", ttl=DAY)
        await store.feedback_add(FeedbackExample("fb-1", "pitch", T0, {}), b"x\n", ttl=DAY)
        entries = await store.list_entries(ListKind.ALLOW)
        assert entries == [("alice@example.org", "new.example"), ("alice@example.org", "old.example")]
        assert len(await store.feedback_list()) == 1
        assert await store.quarantine_claim("q-1", 60) is not None
        await store.cursor_set("alice@example.org", "INBOX", FolderCursor(3, 4))  # version 3's table
        assert await store.cursor_get("alice@example.org", "INBOX") == FolderCursor(3, 4)
    finally:
        await store.close()


async def test_redis_require_durable_is_a_setting(tmp_path: Path) -> None:
    """With store.redis_require_durable a Redis that cannot confirm the AOF fsync (WAITAOF needs 7.2; the
    one here is older, or has no AOF) refuses to hold, so the client gets a 4xx rather than a 250."""
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        url = server.url
        info = await Redis.from_url(url).info("server")
        strict = gateway_app.make_store(
            load_settings(None, {"store": {"redis_url": url, "redis_require_durable": True}})
        )
        lenient = gateway_app.make_store(load_settings(None, {"store": {"redis_url": url}}))
        held = record("q-1", T0)
        if tuple(int(p) for p in str(info["redis_version"]).split(".")[:2]) >= (7, 2):
            pytest.skip("this Redis confirms the fsync, so nothing is refused")
        with pytest.raises(StoreError, match="fsync"):
            await strict.quarantine_put(held, b"x\n", DAY)
        await lenient.quarantine_put(held, b"x\n", DAY)
        assert await lenient.quarantine_get("q-1") is not None
        await strict.close()
        await lenient.close()
    finally:
        server.kill()


def test_open_store_picks_backend(tmp_path: Path) -> None:
    assert isinstance(open_store(tmp_path, None), SQLiteStore)
    assert isinstance(open_store(tmp_path, REDIS_URL), RedisStore)
    with pytest.raises(ValueError):
        open_store(None, None)


# -- mailbox cursors -------------------------------------------------------------------------------------
async def test_cursor_absent_until_set(store: Store) -> None:
    assert await store.cursor_get("bob@example.com", "INBOX") is None


async def test_cursor_replaced_and_kept_per_account_and_folder(make_store: StoreFactory) -> None:
    first = make_store()
    await first.cursor_set("bob@example.com", "INBOX", FolderCursor(1700, 41))
    await first.cursor_set("bob@example.com", "INBOX", FolderCursor(1700, 42))
    await first.cursor_set("bob@example.com", "Pitches", FolderCursor(1701, 3))
    await first.cursor_set("eve@example.com", "INBOX", FolderCursor(9, 7))
    await first.close()
    second = make_store()  # cursors survive a restart: that is what keeps a restart from rescanning
    assert await second.cursor_get("bob@example.com", "INBOX") == FolderCursor(1700, 42)
    assert await second.cursor_get("bob@example.com", "Pitches") == FolderCursor(1701, 3)
    assert await second.cursor_get("eve@example.com", "INBOX") == FolderCursor(9, 7)
    assert await second.cursor_get("eve@example.com", "Pitches") is None


async def test_cursor_with_new_uidvalidity_replaces_a_higher_uid(store: Store) -> None:
    await store.cursor_set("bob@example.com", "INBOX", FolderCursor(1700, 5000))
    await store.cursor_set("bob@example.com", "INBOX", FolderCursor(1800, 0))
    assert await store.cursor_get("bob@example.com", "INBOX") == FolderCursor(1800, 0)


async def test_cursor_folder_names_are_data(store: Store) -> None:
    # IMAP folder names hold spaces, dots, braces and modified UTF-7; none may collide with another.
    names = ["[Gmail]/Sent Mail", "[Gmail].Sent Mail", "Sent {x}", "&AMk-l&AOk-ments envoy&AOk-s"]
    for uid, name in enumerate(names, 1):
        await store.cursor_set("bob@example.com", name, FolderCursor(1, uid))
    assert [await store.cursor_get("bob@example.com", n) for n in names] == [
        FolderCursor(1, uid) for uid in range(1, len(names) + 1)
    ]


# -- marks read and written several at a time, and a number kept at its maximum ---------------------------
async def test_marks_get_many_in_order_live_only_and_scoped(store: Store) -> None:
    rcpt = "alice@example.org"
    await store.mark_set(rcpt, "pitched", "x@vendor.example", "1.5", T0, DAY)
    await store.mark_set(rcpt, "best", "x@vendor.example", "0.9", T0, 10.0)
    await store.mark_set("bob@example.org", "pitched", "y@vendor.example", "2", T0, DAY)
    items = [("best", "x@vendor.example"), ("pitched", "y@vendor.example"), ("pitched", "x@vendor.example")]
    assert await store.marks_get_many(rcpt, items, T0 + 1) == ["0.9", None, "1.5"]
    # An expired member reads as absent, like mark_get.
    assert await store.marks_get_many(rcpt, items, T0 + 11) == [None, None, "1.5"]
    assert await store.marks_get_many(rcpt, [], T0) == []
    many = [("pitched", f"n{i}@vendor.example") for i in range(450)] + [("pitched", "x@vendor.example")]
    found = await store.marks_get_many(rcpt, many, T0 + 1)
    assert found[-1] == "1.5" and found[:-1] == [None] * 450


async def test_marks_set_many_then_read_back(store: Store) -> None:
    rcpt = "alice@example.org"
    await store.marks_set_many(
        rcpt, "campaign", {"t:0:ab": "x@a.example", "sig:tom b": "x@a.example"}, T0, DAY
    )
    await store.marks_set_many(rcpt, "campaign", {}, T0, DAY)
    got = await store.marks_get_many(rcpt, [("campaign", "t:0:ab"), ("campaign", "sig:tom b")], T0 + 1)
    assert got == ["x@a.example", "x@a.example"]
    assert await store.mark_get(rcpt, "campaign", "t:0:ab", T0 + DAY) is None
    assert await store.mark_get("bob@example.org", "campaign", "t:0:ab", T0) is None


async def test_mark_max_keeps_the_larger_and_lapses(store: Store) -> None:
    rcpt = "alice@example.org"
    assert await store.mark_max(rcpt, "best", "x@vendor.example", 0.4, T0, DAY) == 0.4
    assert await store.mark_max(rcpt, "best", "x@vendor.example", 0.25, T0 + 1, DAY) == 0.4
    assert await store.mark_max(rcpt, "best", "x@vendor.example", 0.875, T0 + 2, DAY) == 0.875
    assert await store.mark_get(rcpt, "best", "x@vendor.example", T0 + 3) == "0.875"
    # Each call refreshes the expiry; once it lapses the old maximum no longer counts.
    assert await store.mark_max(rcpt, "best", "x@vendor.example", 0.1, T0 + 2 + DAY, DAY) == 0.1
    # A value that is not a number counts as lower than anything.
    await store.mark_set(rcpt, "best", "y@vendor.example", "junk", T0, DAY)
    assert await store.mark_max(rcpt, "best", "y@vendor.example", -3.0, T0, DAY) == -3.0
