"""Acting on per-recipient verdicts: the copies one message becomes, and how they leave without loss or double.

Recipients judged alike (the same action and the same verdict headers) share one copy: one upstream
transaction per delivered copy, one durable write per held copy. SMTP has one reply for the whole
message (LMTP's per-recipient replies are not available to a before-queue proxy), so the order is chosen
so that a 4xx is only ever said while nothing has been done that a retry would repeat:

1. Held copies are written first (local, and the one step that can be taken back).
2. Delivered copies follow, one transaction each. If the first one fails, nothing was delivered: the
   holds are taken back and the client hears the upstream's reply (4xx: it retries everything).
3. If a later one fails, an earlier copy is already delivered and a 4xx would deliver it twice on the
   retry. The failed copy is then held durably instead (extra `deferred` says why, the review page and
   `quarantine release` deliver it) and the client hears 250. Only if that write fails too does the
   client hear 4xx, and the delivered copies may arrive twice: doubling is chosen over losing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from gateway.actions.quarantine import Quarantine, evidence_of
from gateway.actions.relay import Reply
from gateway.core.message import normalize_address
from gateway.core.recipients import Judged
from gateway.core.verdict import Action, Verdict
from gateway.store.base import QuarantineRecord, StoreError

log = logging.getLogger(__name__)

QUARANTINE_FAILED = Reply(451, "4.3.0 Cannot store the message right now, try again later")


@dataclass(frozen=True)
class Copy:
    """The recipients judged alike, and the verdict they share."""

    judged: tuple[Judged, ...]

    @property
    def verdict(self) -> Verdict:
        return self.judged[0].verdict

    @property
    def held(self) -> bool:
        return self.verdict.action is Action.QUARANTINE

    @property
    def recipients(self) -> tuple[str, ...]:
        """As the client wrote them at RCPT (what the upstream is sent)."""
        return tuple(j.recipient for j in self.judged)

    @property
    def addresses(self) -> tuple[str, ...]:
        """Normalised, as the quarantine records them."""
        return tuple(dict.fromkeys(normalize_address(r) for r in self.recipients))


@dataclass(frozen=True)
class Done:
    """What became of one copy: the reply it got (upstream, or our own for a hold) and its quarantine id."""

    copy: Copy
    reply: Reply
    qid: str | None = None


def group(judged: Sequence[Judged], key: Callable[[Verdict], bytes]) -> list[Copy]:
    """The copies, held ones first, each in the order its first recipient came. `key` gives the verdict
    headers, so that recipients share a copy only when they would receive the same bytes; held ones also
    only when their record would say the same (evidence and extra), so each keeps its own explanation."""
    if all(one.verdict is judged[0].verdict for one in judged):
        return [Copy(tuple(judged))]  # one verdict for all (one recipient, outbound, a failed scan): no key
    groups: dict[tuple[bool, bytes, str], list[Judged]] = {}
    for one in judged:
        held = one.verdict.action is Action.QUARANTINE
        record = (evidence_of(one.verdict), sorted(one.verdict.extra.items())) if held else None
        groups.setdefault((held, key(one.verdict), repr(record)), []).append(one)
    copies = [Copy(tuple(members)) for members in groups.values()]
    return sorted(copies, key=lambda c: not c.held)


Payload = Callable[[Copy], bytes]
Send = Callable[[Copy, bytes], Awaitable[Reply]]


def _in(copy: Copy, done: list[Done]) -> bool:
    return any(d.copy is copy for d in done)


class Dispatch:
    """Carries out the copies of one message in the order the module docstring gives."""

    def __init__(self, quarantine: Quarantine, now: float) -> None:
        self._quarantine = quarantine
        self._now = now
        self._holds: list[QuarantineRecord] = []

    async def run(self, copies: Sequence[Copy], payload: Payload, send: Send) -> tuple[Reply, list[Done]]:
        """The client's reply and each copy's fate."""
        done: list[Done] = []
        for copy in (c for c in copies if c.held):
            try:
                done.append(await self._hold(copy, payload(copy)))
            except StoreError as exc:
                log.error("quarantine write failed: %s", exc)
                return await self._undo(copies, QUARANTINE_FAILED)
        delivered = False
        for copy in (c for c in copies if not c.held):
            data = payload(copy)
            reply = await send(copy, data)
            if reply.ok:
                done.append(Done(copy, reply))
                delivered = True
            elif not delivered:
                return await self._undo(copies, reply)
            else:
                deferred = await self._defer(copy, data, reply)
                if deferred is None:
                    failed = reply if reply.code < 500 else Reply(451, reply.text)
                    return failed, [*done, *(Done(c, failed) for c in copies if not _in(c, done))]
                done.append(deferred)
        first = next((d.reply for d in done if d.qid is None), done[0].reply)
        return first, done

    async def _hold(self, copy: Copy, data: bytes, note: dict[str, str] | None = None) -> Done:
        record = await self._quarantine.hold(
            copy.judged[0].message, copy.verdict, data, self._now, recipients=copy.addresses, note=note
        )
        self._holds.append(record)
        return Done(copy, Reply(250, f"2.0.0 Ok: queued as {record.id}"), record.id)

    async def _defer(self, copy: Copy, data: bytes, reply: Reply) -> Done | None:
        """Keep a copy the upstream refused after another was delivered; None when even that failed."""
        why = " ".join(str(reply).split())[:200]
        log.warning("upstream refused one copy after another was delivered (%s); holding it", why)
        try:
            return await self._hold(copy, data, {"deferred": why})
        except StoreError as exc:
            log.error("could not hold the refused copy (%s); the client retries, delivered copies twice", exc)
            return None

    async def _undo(self, copies: Sequence[Copy], reply: Reply) -> tuple[Reply, list[Done]]:
        """Nothing was delivered: take the holds back, so the client's retry holds them once."""
        for record in self._holds:
            try:
                await self._quarantine.discard(record)
            except StoreError as exc:
                log.error("could not take back hold %s (%s); the retry holds it again", record.id, exc)
        return reply, [Done(c, reply) for c in copies]
