"""What the mailbox teaches, which an SMTP proxy never sees: the person's Sent folder and their drags.

A Sent message is the person writing: consent and reply tracking, learned by the same signals as outbound
SMTP mail. A message the front moved to the hold folder is marked in the store by its Message-ID; one that
comes back into the INBOX was dragged out (a release: consent and a "wanted" example), one that appears in
the hold folder without the mark was dragged in (a confirmation: a block and a "pitch" example). Both are
counted by the quarantine's own feedback metrics.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, replace

from gateway.actions.quarantine import Quarantine, new_id
from gateway.clock import ManualClock
from gateway.core.message import Message
from gateway.core.pipeline import Pipeline
from gateway.core.policy import Verdict
from gateway.display import clip_subject
from gateway.fronts.imap import envelope
from gateway.fronts.imap.config import ImapAccount
from gateway.fronts.imap.mailbox import Fetched
from gateway.store.base import QuarantineRecord, Store

log = logging.getLogger(__name__)

OWN = "imap-own"
"""The mark kind of messages this front appended itself, the digest (member: Message-ID; wall clock)."""
HELD = "imap-held"
"""The mark kind: member a Message-ID, value "held <symbols JSON>", "returned" or "released"."""
RETURNED = "returned"
"""The review page moved it back to the INBOX and learned the release itself (fronts/imap/review.py)."""


@dataclass
class Learning:
    account: ImapAccount
    store: Store
    quarantine: Quarantine
    pipeline: Pipeline
    clock: ManualClock
    ttl: float

    def at(self, fetched: Fetched) -> float:
        """Move the clock to the message's arrival (INTERNALDATE), never backwards."""
        self.clock.set(max(self.clock.now(), fetched.internaldate))
        return self.clock.now()

    async def held_symbols(self, message_id: str) -> dict[str, float] | None:
        """The symbols of a message this front moved to the hold folder and nobody released since."""
        if not message_id:
            return None
        value = await self.store.mark_get(self.account.key, HELD, message_id, self.clock.now())
        if value is None or not value.startswith("held "):
            return None
        symbols = json.loads(value[len("held ") :])
        return {str(k): float(v) for k, v in symbols.items()}

    async def mark_held(self, message_id: str, symbols: dict[str, float]) -> None:
        if message_id:
            value = "held " + json.dumps(symbols, sort_keys=True)
            await self.store.mark_set(self.account.key, HELD, message_id, value, self.clock.now(), self.ttl)

    async def own(self, message_id: str) -> bool:
        """True for a message this front appended (the digest): it is never judged."""
        found = message_id and await self.store.mark_get(self.account.key, OWN, message_id, time.time())
        return bool(found)

    async def returned(self, message_id: str) -> bool:
        """True once for a message the review page released: it is neither judged nor learned again."""
        if not message_id:
            return False
        value = await self.store.mark_get(self.account.key, HELD, message_id, self.clock.now())
        if value != RETURNED:
            return False
        await self.store.mark_set(self.account.key, HELD, message_id, "released", self.clock.now(), self.ttl)
        return True

    async def record_held(self, msg: Message, verdict: Verdict) -> None:
        """The review page's record of a message this front moved: the bytes it fetched (so "show" works)
        and where it went. Only with a Message-ID, by which the page finds it in the hold folder."""
        if not msg.message_id:
            return
        record = self._record(msg, verdict.score, verdict.symbols)
        extra = {"imap_account": self.account.key, "imap_folder": self.account.hold_folder}
        if verdict.list_match:
            extra["list"] = verdict.list_match
        record = replace(record, extra=extra)
        await self.store.quarantine_put(record, msg.raw, self.quarantine.retention)
        await self.quarantine.refresh_gauge()

    async def forget_records(self, message_id: str) -> None:
        """The message left the hold folder (a drag out): its page record goes too."""
        gone = [
            r.id
            for r in await self.store.quarantine_list(self.account.own_addresses[0])
            if r.message_id == message_id and r.extra.get("imap_account") == self.account.key
        ]
        for qid in gone:
            await self.store.quarantine_delete(qid)
        if gone:
            await self.quarantine.refresh_gauge()

    async def unmark(self, message_id: str) -> None:
        """The move did not happen: the message stayed in the INBOX and is nobody's decision."""
        if message_id:
            await self.store.mark_set(self.account.key, HELD, message_id, "kept", self.clock.now(), self.ttl)

    def _record(self, msg: Message, score: float, symbols: dict[str, float]) -> QuarantineRecord:
        now = self.clock.now()
        return QuarantineRecord(
            id=new_id(now),
            message_id=msg.message_id,
            sender=msg.sender,
            recipients=self.account.own_addresses,
            subject=clip_subject(msg.subject),
            score=score,
            symbols=symbols,
            received_at=now,
            size=len(msg.raw),
        )

    async def released(self, msg: Message, symbols: dict[str, float]) -> None:
        """Dragged out of the hold folder: the sender is wanted, the message a "wanted" example."""
        await self.quarantine.decided(self._record(msg, 0.0, symbols), msg.raw, wanted=True)
        await self.forget_records(msg.message_id)
        await self.store.mark_set(
            self.account.key, HELD, msg.message_id, "released", self.clock.now(), self.ttl
        )
        log.info("released by a drag out of %s: %s", self.account.hold_folder, msg.message_id)

    async def confirmed(self, msg: Message, verdict: Verdict) -> None:
        """Dragged into the hold folder: the sender is blocked, the message a "pitch" example."""
        await self.quarantine.decided(
            self._record(msg, verdict.score, verdict.symbols), msg.raw, wanted=False
        )
        await self.mark_held(msg.message_id, verdict.symbols)
        log.info("confirmed by a drag into %s: %s", self.account.hold_folder, msg.message_id)

    async def sent(self, fetched: Fetched) -> None:
        """One message of the Sent folder: learned as the person's own outbound mail."""
        self.at(fetched)
        outbound = envelope.outbound(envelope.head(fetched.raw), self.account)
        msg, verdict = await self.pipeline.scan(fetched.raw, outbound)
        await self.pipeline.commit(msg, verdict)
