"""Holding, listing, releasing and deleting messages, on top of the store.

What is held is exactly what would have been delivered (verdict headers included). A release delivers
those bytes with the verdict rewritten (X-Pitchgate-Action: released, who and when, spam headers saying
No) and records a training example; "release and trust" also makes the sender wanted for that recipient.
The message leaves quarantine only once the upstream has accepted it. "This is a pitch" removes what a
release trusted (an allow entry wins over a block), so that the sender is held again.

Every action (release, confirm, delete; from the page, a digest link or the CLI) first claims the message
in the store, so that two at once (a double click, two admins) act once: the second waits for the first,
then finds the copy gone and does nothing. A failed delivery gives the claim back; the message stays
held. A message keeps its id for its whole life: one recipient's action narrows it to the others, whose
digest links therefore keep working.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime

from gateway.actions.headers import HeaderStyle, released_bytes
from gateway.actions.relay import Relay, Reply
from gateway.core.message import Message
from gateway.core.policy import Verdict
from gateway.display import clip_subject
from gateway.metrics import NO_SYMBOL, Metrics
from gateway.store.base import FeedbackExample, ListKind, QuarantineRecord, Store, StoreError

log = logging.getLogger(__name__)

DAY = 86400.0
CLAIM_LEASE = 900.0
"""Seconds a claim lasts if its holder dies: longer than any delivery (upstream_timeout is 60 s)."""
CLAIM_WAIT = 20.0
"""Seconds a second action on the same message waits for the first before answering "busy"."""
CLAIM_POLL = 0.05
EVIDENCE_LINES = 40
"""Evidence lines kept per held message: more hits than any real verdict has."""
EVIDENCE_CHARS = 300
"""Characters of one evidence text kept: a signal may quote what the sender wrote, which has no limit."""


class QuarantineBusy(Exception):
    """Another action on this message is still under way; nothing was done, try again."""


def evidence_of(verdict: Verdict) -> tuple[tuple[str, float, str], ...]:
    """The verdict's explanation as it is kept with a hold: (symbol, contribution, evidence), capped, so
    that the reason stays readable after the weights, the model or the sender's history have changed."""
    return tuple(
        (s.hit.symbol[:80], s.contribution, s.hit.evidence[:EVIDENCE_CHARS])
        for s in verdict.hits[:EVIDENCE_LINES]
    )


def new_id(now: float) -> str:
    """Sortable by time, unguessable: the hex time then 64 random bits."""
    return f"{int(now):x}{secrets.token_hex(8)}"


@dataclass(frozen=True)
class ReleaseResult:
    reply: Reply
    record: QuarantineRecord | None


class Quarantine:
    """The quarantine as people and the gateway use it."""

    def __init__(
        self,
        store: Store,
        metrics: Metrics,
        retention_days: float = 30.0,
        *,
        feedback_ttl_days: float = 365.0,
        allow_ttl_days: float = 365.0,
        style: HeaderStyle | None = None,
    ) -> None:
        self._store = store
        self._metrics = metrics
        self._ttl = retention_days * DAY
        self._feedback_ttl = feedback_ttl_days * DAY
        self._allow_ttl = allow_ttl_days * DAY
        self._style = style or HeaderStyle()

    async def hold(
        self,
        msg: Message,
        verdict: Verdict,
        outgoing: bytes,
        now: float,
        *,
        recipients: tuple[str, ...] | None = None,
        note: dict[str, str] | None = None,
    ) -> QuarantineRecord:
        """Store the message durably, for `recipients` (normalised; default all of the message's); raises
        StoreError if it could not be (the client then gets 451). `note` adds to the record's extra."""
        record = QuarantineRecord(
            id=new_id(now),
            message_id=msg.message_id,
            # Kept whole, as a release sends with it; a held bounce leaves with its null sender, not the From
            # it fell back to.
            sender="" if msg.envelope.rcpt_tos and not msg.envelope.mail_from else msg.sender,
            recipients=msg.recipients if recipients is None else recipients,
            subject=clip_subject(msg.subject),
            score=verdict.score,
            symbols=verdict.symbols,
            received_at=now,
            size=len(outgoing),
            client_addr=msg.envelope.client_addr,
            # What the signals noted (a sequence's id, for the review page) and which list entry decided.
            extra={
                **verdict.extra,
                **({"list": verdict.list_match} if verdict.list_match else {}),
                **(note or {}),
            },
            evidence=evidence_of(verdict),
        )
        await self._store.quarantine_put(record, outgoing, self._ttl)
        for symbol in record.symbols or {NO_SYMBOL: 0.0}:
            self._metrics.quarantined.labels(symbol).inc()
        await self.refresh_gauge()
        return record

    async def redeliver(self, relay: Relay) -> int:
        """Deliver the copies held only because the upstream refused them (4xx) after another copy of
        the same message had been delivered (`extra.deferred`, see the SMTP front's copies), as they
        would have left; return how many went. A permanent refusal (5xx) waits for a person."""
        delivered = 0
        for record in await self._store.quarantine_list():
            if not record.extra.get("deferred", "").startswith("4"):
                continue
            try:
                async with self._claimed(record.id):
                    found = await self._store.quarantine_get(record.id)
                    if found is None:  # released or deleted by someone meanwhile
                        continue
                    held, raw = found
                    reply = await relay.deliver(held.sender, held.recipients, raw)
                    if reply.ok:
                        await self._store.quarantine_delete(record.id)
                        delivered += 1
            except QuarantineBusy:
                continue
        if delivered:
            await self.refresh_gauge()
        return delivered

    async def discard(self, record: QuarantineRecord) -> None:
        """Take back a hold nobody has acted on yet: the client is told 4xx after all and will send the
        message again (see the SMTP handler's per-recipient copies)."""
        await self._store.quarantine_delete(record.id)
        await self.refresh_gauge()

    async def refresh_gauge(self) -> None:
        self._metrics.quarantine_messages.set(await self._store.quarantine_count())

    async def release(
        self,
        qid: str,
        relay: Relay,
        recipient: str | None = None,
        *,
        trust: bool = False,
        by: str = "admin",
        now: float | None = None,
    ) -> ReleaseResult:
        """Deliver the held message (to `recipient` only, when given) once the upstream accepts it, marked
        as released by `by`; with `trust`, the sender is wanted by those recipients from now on.

        No record in the result: it was not held (or no longer: released, deleted or confirmed by then).
        Raises QuarantineBusy when another action on it does not finish in time."""
        at = time.time() if now is None else now
        async with self._claimed(qid):
            found = await self._take(qid, recipient)
            if found is None:
                return ReleaseResult(Reply(550, f"no held message {qid}"), None)
            record, raw = found
            copy = released_bytes(raw, self._style, by, _rfc5322(at), record.score, list(record.symbols))
            reply = await relay.deliver(record.sender, record.recipients, copy)
            if not reply.ok:
                return ReleaseResult(reply, record)
            await self._learn(record, raw, "wanted", ListKind.ALLOW if trust else None)
            await self._forget(qid, record)
            return ReleaseResult(reply, record)

    async def confirm(self, qid: str, recipient: str | None = None) -> QuarantineRecord | None:
        """People say "this is a pitch": a training example and a block for that sender and recipient."""
        async with self._claimed(qid):
            found = await self._take(qid, recipient)
            if found is None:
                return None
            record, raw = found
            await self._learn(record, raw, "pitch", ListKind.BLOCK)
            await self._forget(qid, record)
            return record

    async def decided(self, record: QuarantineRecord, raw: bytes, *, wanted: bool) -> None:
        """A decision taken outside this quarantine (a drag out of or into a mailbox's hold folder): the
        same lessons and metrics as a trusting release (wanted) or a confirmation."""
        await self._learn(
            record, raw, "wanted" if wanted else "pitch", ListKind.ALLOW if wanted else ListKind.BLOCK
        )

    async def delete(self, qid: str, recipient: str | None = None) -> bool:
        async with self._claimed(qid):
            found = await self._take(qid, recipient)
            if found is None:
                return False
            await self._forget(qid, found[0])
            return True

    def claimed(self, qid: str) -> AbstractAsyncContextManager[None]:
        """The claim every action holds (for actions done elsewhere, such as on an IMAP folder)."""
        return self._claimed(qid)

    @asynccontextmanager
    async def _claimed(self, qid: str) -> AsyncIterator[None]:
        """Hold the store's claim on `qid` for one action; it is given back however the action ends."""
        deadline = time.monotonic() + CLAIM_WAIT
        while (token := await self._store.quarantine_claim(qid, CLAIM_LEASE)) is None:
            if time.monotonic() >= deadline:
                raise QuarantineBusy(f"another action on {qid} is still under way")
            await asyncio.sleep(CLAIM_POLL)
        try:
            yield
        finally:
            await self._unclaim(qid, token)

    async def _unclaim(self, qid: str, token: str) -> None:
        # Shielded: a client that hangs up mid-release must not leave the claim to lapse by itself. A
        # store failure here must not turn a done action into an error: the claim then lapses.
        try:
            await asyncio.shield(self._store.quarantine_unclaim(qid, token))
        except StoreError:
            log.warning("could not give back the claim on %s; it lapses in %.0f s", qid, CLAIM_LEASE)

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
        """Remove the copies that were acted on; the other recipients' copy stays held under the same id
        and expiry, so that the links already in their digests keep working. (The claim keeps any other
        action off this message meanwhile.)"""
        found = await self._store.quarantine_get(qid)
        if found is not None:
            rest = tuple(r for r in found[0].recipients if r not in done.recipients)
            if rest:
                await self._store.quarantine_narrow(qid, rest)
            else:
                await self._store.quarantine_delete(qid)
        await self.refresh_gauge()

    async def _learn(self, record: QuarantineRecord, raw: bytes, label: str, kind: ListKind | None) -> None:
        if record.sender and kind is not None:
            # A release's "wanted" lapses (store.allow_ttl_days); "stop this sender" stays until removed.
            ttl = self._allow_ttl if kind is ListKind.ALLOW else None
            for rcpt in record.recipients:
                if kind is ListKind.BLOCK:
                    # An allow entry wins over a block: a "this is a pitch" after a trusting release must
                    # take the trust back, or that sender keeps passing.
                    await self._store.list_remove(ListKind.ALLOW, rcpt, record.sender)
                await self._store.list_add(kind, rcpt, record.sender, ttl)
        example = FeedbackExample(new_id(time.time()), label, time.time(), dict(record.symbols))
        await self._store.feedback_add(example, raw, self._feedback_ttl)
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


def _rfc5322(timestamp: float) -> str:
    """A date as RFC 5322 writes it, in UTC ("+0000", not the "-0000" of an unknown zone)."""
    return format_datetime(datetime.fromtimestamp(timestamp, UTC))
