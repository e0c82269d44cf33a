"""Holding, listing, releasing and deleting messages, on top of the store.

What is held is exactly what would have been delivered (verdict headers included), so that a release
delivers the original bytes unchanged. A release makes the sender wanted for that recipient and records
a training example; the message leaves quarantine only once the upstream has accepted it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, replace

from gateway.message import Message
from gateway.metrics import NO_SYMBOL, Metrics
from gateway.policy import Verdict
from gateway.relay import Relay, Reply
from gateway.store.base import FeedbackExample, ListKind, QuarantineRecord, Store

DAY = 86400.0


def new_id(now: float) -> str:
    """Sortable by time, unguessable: the hex time then 64 random bits."""
    return f"{int(now):x}{secrets.token_hex(8)}"


@dataclass(frozen=True)
class ReleaseResult:
    reply: Reply
    record: QuarantineRecord | None


class Quarantine:
    """The quarantine as people and the gateway use it."""

    def __init__(self, store: Store, metrics: Metrics, retention_days: float = 30.0) -> None:
        self._store = store
        self._metrics = metrics
        self._ttl = retention_days * DAY

    async def hold(self, msg: Message, verdict: Verdict, outgoing: bytes, now: float) -> QuarantineRecord:
        """Store the message durably; raises StoreError if it could not be (the client then gets 451)."""
        record = QuarantineRecord(
            id=new_id(now),
            message_id=msg.message_id,
            sender=msg.sender,
            recipients=msg.recipients,
            subject=msg.subject,
            score=verdict.score,
            symbols=verdict.symbols,
            received_at=now,
            size=len(outgoing),
            client_addr=msg.envelope.client_addr,
            # Which list entry decided, for whoever reviews the message.
            extra={"list": verdict.list_match} if verdict.list_match else {},
        )
        await self._store.quarantine_put(record, outgoing, self._ttl)
        for symbol in record.symbols or {NO_SYMBOL: 0.0}:
            self._metrics.quarantined.labels(symbol).inc()
        await self.refresh_gauge()
        return record

    async def refresh_gauge(self) -> None:
        self._metrics.quarantine_messages.set(await self._store.quarantine_count())

    async def release(self, qid: str, relay: Relay, recipient: str | None = None) -> ReleaseResult:
        """Deliver the held message (to `recipient` only, when given) once the upstream accepts it."""
        found = await self._take(qid, recipient)
        if found is None:
            return ReleaseResult(Reply(550, f"no held message {qid}"), None)
        record, raw = found
        reply = await relay.deliver(record.sender, record.recipients, raw)
        if not reply.ok:
            return ReleaseResult(reply, record)
        await self._learn(record, raw, "wanted", ListKind.ALLOW)
        await self._forget(qid, record)
        return ReleaseResult(reply, record)

    async def confirm(self, qid: str, recipient: str | None = None) -> QuarantineRecord | None:
        """People say "this is a pitch": a training example and a block for that sender and recipient."""
        found = await self._take(qid, recipient)
        if found is None:
            return None
        record, raw = found
        await self._learn(record, raw, "pitch", ListKind.BLOCK)
        await self._forget(qid, record)
        return record

    async def delete(self, qid: str, recipient: str | None = None) -> bool:
        found = await self._take(qid, recipient)
        if found is None:
            return False
        await self._forget(qid, found[0])
        return True

    async def _take(self, qid: str, recipient: str | None) -> tuple[QuarantineRecord, bytes] | None:
        """The held message narrowed to one recipient's copy, so that one recipient's decision (through
        a signed link) never delivers, blocks or deletes another recipient's mail."""
        found = await self._store.quarantine_get(qid)
        if found is None or recipient is None:
            return found
        record, raw = found
        if recipient.lower() not in record.recipients:
            return None
        return replace(record, recipients=(recipient.lower(),)), raw

    async def _forget(self, qid: str, done: QuarantineRecord) -> None:
        """Remove the copies that were acted on; the other recipients' copy stays held as it was.

        The rest is written before the original is deleted: a crash in between leaves a duplicate, never
        a loss. The record is read again rather than taken from before the delivery, because another
        recipient may have acted on their copy meanwhile; their rest must not be held a second time."""
        found = await self._store.quarantine_get(qid)
        if found is not None:
            record, raw = found
            rest = tuple(r for r in record.recipients if r not in done.recipients)
            if rest:
                kept = replace(record, id=new_id(record.received_at), recipients=rest)
                remaining = max(record.received_at + self._ttl - time.time(), 60.0)
                await self._store.quarantine_put(kept, raw, remaining)
            await self._store.quarantine_delete(qid)
        await self.refresh_gauge()

    async def _learn(self, record: QuarantineRecord, raw: bytes, label: str, kind: ListKind) -> None:
        if record.sender:
            for rcpt in record.recipients:
                await self._store.list_add(kind, rcpt, record.sender)
        example = FeedbackExample(new_id(time.time()), label, time.time(), dict(record.symbols))
        await self._store.feedback_add(example, raw)
        feedback_kind = "released" if label == "wanted" else "confirmed"
        self._metrics.quarantine_decisions.labels(feedback_kind).inc()
        for symbol in record.symbols or {NO_SYMBOL: 0.0}:
            self._metrics.feedback.labels(feedback_kind, symbol).inc()

    async def purge(self, older_than: float) -> int:
        """Delete every message held since before `older_than` (retention); return how many."""
        purged = await self._store.quarantine_purge(older_than)
        self._metrics.quarantine_purged.inc(purged)
        await self.refresh_gauge()
        return purged

    @property
    def retention(self) -> float:
        """Seconds a message stays held."""
        return self._ttl
