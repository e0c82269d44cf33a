"""Holding, listing, releasing and deleting messages, on top of the store.

What is held is exactly what would have been delivered (verdict headers included), so that a release
delivers the original bytes unchanged. A release makes the sender wanted for that recipient and records
a training example; the message leaves quarantine only once the upstream has accepted it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from gateway.message import Message
from gateway.metrics import Metrics
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
        )
        await self._store.quarantine_put(record, outgoing, self._ttl)
        await self.refresh_gauge()
        return record

    async def refresh_gauge(self) -> None:
        self._metrics.quarantine_messages.set(await self._store.quarantine_count())

    async def release(self, qid: str, relay: Relay) -> ReleaseResult:
        found = await self._store.quarantine_get(qid)
        if found is None:
            return ReleaseResult(Reply(550, f"no held message {qid}"), None)
        record, raw = found
        reply = await relay.deliver(record.sender, record.recipients, raw)
        if not reply.ok:
            return ReleaseResult(reply, record)
        await self._learn(record, raw, "wanted", ListKind.ALLOW)
        await self._store.quarantine_delete(qid)
        await self.refresh_gauge()
        return ReleaseResult(reply, record)

    async def confirm(self, qid: str) -> QuarantineRecord | None:
        """People say "this is a pitch": a training example and a block for that sender and recipient."""
        found = await self._store.quarantine_get(qid)
        if found is None:
            return None
        record, raw = found
        await self._learn(record, raw, "pitch", ListKind.BLOCK)
        await self._store.quarantine_delete(qid)
        await self.refresh_gauge()
        return record

    async def _learn(self, record: QuarantineRecord, raw: bytes, label: str, kind: ListKind) -> None:
        if record.sender:
            for rcpt in record.recipients:
                await self._store.list_add(kind, rcpt, record.sender)
        example = FeedbackExample(new_id(time.time()), label, time.time(), dict(record.symbols))
        await self._store.feedback_add(example, raw)
        feedback_kind = "released" if label == "wanted" else "confirmed"
        self._metrics.quarantine_decisions.labels(feedback_kind).inc()
        for symbol in record.symbols or {"none": 0.0}:
            self._metrics.feedback.labels(feedback_kind, symbol).inc()

    async def delete(self, qid: str) -> bool:
        deleted = await self._store.quarantine_delete(qid)
        await self.refresh_gauge()
        return deleted
