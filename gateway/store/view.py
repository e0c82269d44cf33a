"""The store as the signals see it for one message: reads batched and remembered, writes applied together.

`Pipeline.judge` runs the checks inside `view.reading()`: every `mark_get`/`sequence_get` asked while
the checks run side by side is collected until the loop turns, then answered by one `read_many` (one
round trip), and the same read asked again (consent is asked by two signals) is answered from memory.
A store whose reads cost no round trip (`batch_reads` False: SQLite) is only remembered, not batched.
Checks only read, so every answer is the one the plain call would have given at that moment.

`Pipeline.commit` runs learning inside `view.learning()`: `mark_set` and `sequence_answer` wait in a
list, and go to the store in one `write_many` (one transaction or script) when a result is needed (a
`sequence_touch`), when a read asks for a key a waiting write changes, before any other call, and at
the end. The writes keep their order, and a read never misses a write made before it, so the state
learned is the same as with one call per write.

Outside both (tests that call a signal directly, the quarantine's own calls) the view passes every call
straight to the store.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import Any

from gateway.store.base import (
    FeedbackExample,
    FolderCursor,
    ListKind,
    MarkGet,
    MarkSet,
    QuarantineRecord,
    Read,
    Sequence,
    SequenceAnswer,
    SequenceGet,
    SequenceTouch,
    Store,
    Write,
)

Answer = str | Sequence | None


def _key(op: Read | Write) -> tuple[str, ...]:
    """The stored item an operation reads or writes, whatever its `now`."""
    if isinstance(op, MarkGet | MarkSet):
        return ("mark", op.rcpt, op.kind, op.member)
    return ("seq", op.rcpt, op.counterpart)


class _Reading:
    """One message's checks: concurrent reads batched per loop turn, each distinct read asked once."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._answers: dict[Read, asyncio.Future[Answer]] = {}
        self._pending: list[Read] = []

    async def read(self, op: Read) -> Answer:
        found = self._answers.get(op)
        if found is None:
            found = asyncio.get_running_loop().create_future()
            self._answers[op] = found
            if not self._pending:
                asyncio.get_running_loop().call_soon(self._send)
            self._pending.append(op)
        return await asyncio.shield(found)

    def forget(self) -> None:
        """A check wrote something (none does today): nothing read before may be reused."""
        self._answers = {op: f for op, f in self._answers.items() if op in self._pending}

    def _send(self) -> None:
        batch, self._pending = self._pending, []
        futures = [self._answers[op] for op in batch]
        task = asyncio.ensure_future(self._store.read_many(batch))
        task.add_done_callback(lambda done: _settle(done, futures))


def _settle(done: asyncio.Future[list[Answer]], futures: list[asyncio.Future[Answer]]) -> None:
    error = None if done.cancelled() else done.exception()
    for index, future in enumerate(futures):
        if future.done():
            continue
        if done.cancelled():
            future.cancel()
        elif error is not None:
            future.set_exception(error)
            future.exception()  # a check that timed out awaits it no more: no "never retrieved" warning
        else:
            future.set_result(done.result()[index])


async def _one(store: Store, op: Read) -> Answer:
    if isinstance(op, MarkGet):
        return await store.mark_get(op.rcpt, op.kind, op.member, op.now)
    return await store.sequence_get(op.rcpt, op.counterpart, op.now)


class _Remembering:
    """One message's checks on a store whose reads cost no round trip (SQLite reads on the loop's own
    thread): batching would only add work, so each distinct read is just asked once."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._answers: dict[Read, Answer] = {}

    async def read(self, op: Read) -> Answer:
        if op not in self._answers:
            self._answers[op] = await _one(self._store, op)
        return self._answers[op]

    def forget(self) -> None:
        self._answers = {}


class _Learning:
    """One message's learning: writes deferred and applied together, reads remembered until written."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._writes: list[Write] = []
        self._answers: dict[Read, Answer] = {}

    async def read(self, op: Read) -> Answer:
        if any(_key(w) == _key(op) for w in self._writes):
            await self.flush()
        if op not in self._answers:
            self._answers[op] = await _one(self._store, op)
        return self._answers[op]

    def defer(self, op: Write) -> None:
        self._writes.append(op)
        self._answers = {r: a for r, a in self._answers.items() if _key(r) != _key(op)}

    async def touch(self, op: SequenceTouch) -> Sequence:
        self.defer(op)
        result = (await self.flush())[-1]
        assert result is not None  # write_many answers a SequenceTouch with its Sequence
        return result

    async def flush(self) -> list[Sequence | None]:
        writes, self._writes = self._writes, []
        return await self._store.write_many(writes) if writes else []


_current: ContextVar[_Reading | _Remembering | _Learning | None] = ContextVar(
    "pitchgate_message_store", default=None
)


class MessageStore(Store):
    """A `Store` that batches the signal calls of the message being judged or learned from."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Scope of one message's checks (tasks started inside inherit it)."""
        state = _Reading(self.store) if self.store.batch_reads else _Remembering(self.store)
        token = _current.set(state)
        try:
            yield
        finally:
            _current.reset(token)

    @asynccontextmanager
    async def learning(self) -> AsyncIterator[None]:
        """Scope of one message's learning; the writes still waiting are applied on the way out (its
        StoreError, if any, is raised there)."""
        state = _Learning(self.store)
        token = _current.set(state)
        try:
            yield
        finally:
            _current.reset(token)
        await state.flush()

    async def _settled(self) -> None:
        """Before any call the view does not batch: apply waiting writes, forget what was read."""
        state = _current.get()
        if isinstance(state, _Learning):
            await state.flush()
        elif state is not None:
            state.forget()

    # -- batched -----------------------------------------------------------------------------------------
    async def mark_get(self, rcpt: str, kind: str, member: str, now: float) -> str | None:
        state = _current.get()
        if state is None:
            return await self.store.mark_get(rcpt, kind, member, now)
        found = await state.read(MarkGet(rcpt, kind, member, now))
        assert found is None or isinstance(found, str)
        return found

    async def sequence_get(self, rcpt: str, counterpart: str, now: float) -> Sequence | None:
        state = _current.get()
        if state is None:
            return await self.store.sequence_get(rcpt, counterpart, now)
        found = await state.read(SequenceGet(rcpt, counterpart, now))
        assert found is None or isinstance(found, Sequence)
        return found

    async def mark_set(self, rcpt: str, kind: str, member: str, value: str, now: float, ttl: float) -> None:
        state = _current.get()
        if isinstance(state, _Learning):
            state.defer(MarkSet(rcpt, kind, member, value, now, ttl))
            return
        await self._settled()
        await self.store.mark_set(rcpt, kind, member, value, now, ttl)

    async def sequence_answer(self, rcpt: str, counterpart: str, now: float, ttl: float) -> None:
        state = _current.get()
        if isinstance(state, _Learning):
            state.defer(SequenceAnswer(rcpt, counterpart, now, ttl))
            return
        await self._settled()
        await self.store.sequence_answer(rcpt, counterpart, now, ttl)

    async def sequence_touch(self, rcpt: str, counterpart: str, now: float, ttl: float) -> Sequence:
        state = _current.get()
        if isinstance(state, _Learning):
            return await state.touch(SequenceTouch(rcpt, counterpart, now, ttl))
        await self._settled()
        return await self.store.sequence_touch(rcpt, counterpart, now, ttl)

    async def read_many(self, reads: list[Read]) -> list[str | Sequence | None]:
        await self._settled()
        return await self.store.read_many(reads)

    async def write_many(self, writes: list[Write]) -> list[Sequence | None]:
        await self._settled()
        return await self.store.write_many(writes)

    # -- passed through (after the waiting writes) -------------------------------------------------------
    async def ping(self) -> None:
        await self.store.ping()

    async def close(self) -> None:
        await self.store.close()

    async def window_add(self, key: str, event: str, now: float, window: float) -> int:
        await self._settled()
        return await self.store.window_add(key, event, now, window)

    async def counter_incr(self, key: str, amount: int, now: float, ttl: float) -> int:
        await self._settled()
        return await self.store.counter_incr(key, amount, now, ttl)

    async def list_add(self, kind: ListKind, scope: str, entry: str, ttl: float | None = None) -> None:
        await self._settled()
        await self.store.list_add(kind, scope, entry, ttl)

    async def list_remove(self, kind: ListKind, scope: str, entry: str) -> bool:
        await self._settled()
        return await self.store.list_remove(kind, scope, entry)

    async def list_entries(self, kind: ListKind, scope: str | None = None) -> list[tuple[str, str]]:
        return await self.store.list_entries(kind, scope)

    async def list_contains(self, kind: ListKind, scope: str, entries: list[str]) -> str | None:
        return await self.store.list_contains(kind, scope, entries)

    async def list_lookup(self, scopes: list[str], entries: list[str]) -> tuple[ListKind, str] | None:
        return await self.store.list_lookup(scopes, entries)

    async def quarantine_put(self, record: QuarantineRecord, raw: bytes, ttl: float) -> None:
        await self._settled()
        await self.store.quarantine_put(record, raw, ttl)

    async def quarantine_get(self, qid: str) -> tuple[QuarantineRecord, bytes] | None:
        return await self.store.quarantine_get(qid)

    async def quarantine_list(self, recipient: str | None = None) -> list[QuarantineRecord]:
        return await self.store.quarantine_list(recipient)

    async def quarantine_delete(self, qid: str) -> bool:
        await self._settled()
        return await self.store.quarantine_delete(qid)

    async def quarantine_claim(self, qid: str, lease: float) -> str | None:
        await self._settled()
        return await self.store.quarantine_claim(qid, lease)

    async def quarantine_unclaim(self, qid: str, token: str) -> None:
        await self._settled()
        await self.store.quarantine_unclaim(qid, token)

    async def quarantine_narrow(self, qid: str, recipients: tuple[str, ...]) -> bool:
        await self._settled()
        return await self.store.quarantine_narrow(qid, recipients)

    async def quarantine_count(self) -> int:
        return await self.store.quarantine_count()

    async def quarantine_purge(self, older_than: float) -> int:
        await self._settled()
        return await self.store.quarantine_purge(older_than)

    async def feedback_add(self, example: FeedbackExample, raw: bytes, ttl: float | None = None) -> None:
        await self._settled()
        await self.store.feedback_add(example, raw, ttl)

    async def feedback_list(self) -> list[tuple[FeedbackExample, bytes]]:
        return await self.store.feedback_list()

    async def marks_get_many(self, rcpt: str, items: list[tuple[str, str]], now: float) -> list[str | None]:
        await self._settled()
        return await self.store.marks_get_many(rcpt, items, now)

    async def marks_set_many(
        self, rcpt: str, kind: str, members: dict[str, str], now: float, ttl: float
    ) -> None:
        await self._settled()
        await self.store.marks_set_many(rcpt, kind, members, now, ttl)

    async def mark_max(
        self, rcpt: str, kind: str, member: str, value: float, now: float, ttl: float
    ) -> float:
        # A read-modify-write in the store itself: waiting writes go first, remembered reads are dropped.
        await self._settled()
        return await self.store.mark_max(rcpt, kind, member, value, now, ttl)

    async def cursor_get(self, account: str, folder: str) -> FolderCursor | None:
        return await self.store.cursor_get(account, folder)

    async def cursor_set(self, account: str, folder: str, cursor: FolderCursor) -> None:
        await self._settled()
        await self.store.cursor_set(account, folder, cursor)

    def __getattr__(self, name: str) -> Any:
        # Backend extras (SQLiteStore.purge, RedisStore.delete_all) reach the store itself.
        return getattr(self.store, name)
