"""One message's way through the checks: every enabled signal, then the policy, and afterwards learning.

`judge` decides and changes nothing; `commit` runs once the message has been accepted (relayed or
held), recording metrics and letting stateful signals learn. A message the client will retry (4xx)
is never committed, so it is never counted twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from gateway.clock import Clock
from gateway.core.body import Body
from gateway.core.limits import ScanLimits
from gateway.core.message import Direction, Envelope, Message
from gateway.core.policy import Action, Policy, Verdict, unscanned
from gateway.core.recipients import Judged, alike, view_for
from gateway.core.scanpool import Heavy, ScanPool, ScanTimeout
from gateway.core.signals.base import Hit, Signal, Stateless
from gateway.metrics import Metrics
from gateway.store.base import StoreError
from gateway.store.view import MessageStore

log = logging.getLogger(__name__)
T = TypeVar("T")


class _SignalFailed(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class Pipeline:
    """Runs signals and policy for one message at a time; shared by serve, scan and replay."""

    def __init__(
        self,
        signals: Sequence[Signal],
        policy: Policy,
        clock: Clock,
        metrics: Metrics,
        *,
        timeout: float = 10.0,
        limits: ScanLimits | None = None,
        pool: ScanPool | None = None,
        heavy: Heavy | None = None,
        view: MessageStore | None = None,
        front: str = "smtp",
    ) -> None:
        self.signals = list(signals)
        self._policy = policy
        self._clock = clock
        self._metrics = metrics
        self._timeout = timeout
        self.limits = limits or ScanLimits()
        self.pool = pool
        self._heavy = heavy or Heavy()
        self._view = view
        """The signals' store (when they were built on one), batched per message while judging and learning."""
        self.front = front
        """The front this pipeline judges for: the `front` label of pitchgate_front_messages_total."""

    async def scan(self, raw: bytes, envelope: Envelope) -> tuple[Message, Verdict]:
        """Parse and judge raw bytes: ordinary mail inline (cheaper than any hand-off), heavy mail in the
        scanning pool, so that the loop keeps answering other clients while it is parsed."""
        msg, overran = await self._parse(raw, envelope)
        return msg, overran or await self.judge(msg)

    async def scan_each(self, raw: bytes, envelope: Envelope) -> tuple[Message, tuple[Judged, ...]]:
        """`scan` with one verdict per recipient (`judge_each`)."""
        msg, overran = await self._parse(raw, envelope)
        return msg, alike(msg, overran) if overran else await self.judge_each(msg)

    async def _parse(self, raw: bytes, envelope: Envelope) -> tuple[Message, Verdict | None]:
        """The parsed message, and the verdict already reached when parsing itself overran."""
        if envelope.direction is Direction.OUTBOUND:
            # Never judged. Learning reads the header block and, in a reply, whether its words decline (a
            # "no" is no consent): ordinary mail is parsed inline for that, heavy mail for its headers only.
            self._metrics.scan_path.labels("inline").inc()
            if self._heavy(raw):
                return Message.from_body(raw, envelope, Body()), None
            return Message.from_bytes(raw, envelope, self.limits), None
        if self.pool is None or not self._heavy(raw):
            self._metrics.scan_path.labels("inline").inc()
            return Message.from_bytes(raw, envelope, self.limits), None
        self._metrics.scan_path.labels("pool").inc()
        started = time.perf_counter()
        try:
            body = await asyncio.wait_for(self.pool.derive(raw), self._timeout)
        except (ScanTimeout, TimeoutError) as exc:
            log.warning("scan overran: %s", exc or "no worker free in time")
            return Message.from_body(raw, envelope, Body(truncated=("deadline",))), self._overran(started)
        return Message.from_body(raw, envelope, body), None

    def _overran(self, started: float) -> Verdict:
        self._metrics.scan_seconds.observe(time.perf_counter() - started)
        self._metrics.unscanned.labels("timeout").inc()
        return self._policy.unjudged("timeout")

    @property
    def weights(self) -> dict[str, float]:
        return self._policy.weights

    async def judge(self, msg: Message) -> Verdict:
        """The verdict for one message (every recipient at once). Never raises: a store or signal failure
        yields an unscanned pass, a timeout an unscanned tag."""
        if msg.envelope.direction is Direction.OUTBOUND:
            return Verdict(Action.PASS, 0.0, status="outbound")
        return await self._guarded(self._decide(msg), lambda failed: failed)

    async def judge_each(self, msg: Message) -> tuple[Judged, ...]:
        """One verdict per recipient. The signals that judge the relationship run once per recipient, on a
        one-recipient view; the others (text, headers, links) once for the message, their hits shared. A
        single recipient costs what `judge` costs; a failure gives every recipient the same verdict."""
        if len(msg.envelope.rcpt_tos) < 2 or msg.envelope.direction is not Direction.INBOUND:
            return alike(msg, await self.judge(msg))
        return await self._guarded(self._decide_each(msg), lambda failed: alike(msg, failed))

    async def _guarded(self, work: Coroutine[Any, Any, T], failed: Callable[[Verdict], T]) -> T:
        """Run the decision within the scan timeout; a failure becomes the verdict `failed` spreads."""
        started = time.perf_counter()
        verdict: Verdict | None = None
        try:
            with self._view.reading() if self._view else contextlib.nullcontext():
                result = await asyncio.wait_for(work, self._timeout)
        except StoreError as exc:
            log.warning("store failed during scan: %s", exc)
            verdict = unscanned("store")
        except _SignalFailed as exc:
            verdict = unscanned(f"signal {exc.name}")
        except TimeoutError:
            # The work per message is bounded and heavy parsing is off the loop, but a timeout may still be
            # the message's doing (a signal's regex), so it is tagged like a pool overrun, never passed.
            verdict = self._policy.unjudged("timeout")
        self._metrics.scan_seconds.observe(time.perf_counter() - started)
        if verdict is None:
            return result
        if verdict.status and verdict.status.startswith("unscanned"):
            self._metrics.unscanned.labels(verdict.status[len("unscanned (") : -1]).inc()
        return failed(verdict)

    async def _decide(self, msg: Message) -> Verdict:
        if msg.envelope.direction is Direction.INTERNAL:
            return Verdict(Action.PASS, 0.0, status="internal")
        results = await asyncio.gather(*(self._check(s, msg) for s in self.signals))
        hits = [hit for found in results for hit in found]
        return await self._policy.decide(msg, hits, self._clock.now())

    async def _decide_each(self, msg: Message) -> tuple[Judged, ...]:
        own = [i for i, s in enumerate(self.signals) if _per_recipient(s)]
        rest = [i for i in range(len(self.signals)) if i not in own]
        found: list[list[Hit]] = [[] for _ in self.signals]
        await self._check_into(found, rest, msg)
        judged: list[Judged] = []
        view = msg
        for rcpt in msg.envelope.rcpt_tos:
            # Each view starts from the last one, so what a relationship signal derived for the first
            # recipient (the LinkedIn view, the quoted history) is not derived again for the next.
            view = view_for(view, rcpt)
            await self._check_into(found, own, view)
            hits = [hit for hits in found for hit in hits]  # in signal order, as for one recipient
            judged.append(Judged(rcpt, view, await self._policy.decide(view, hits, self._clock.now())))
        return tuple(judged)

    async def _check_into(self, found: list[list[Hit]], which: list[int], msg: Message) -> None:
        results = await asyncio.gather(*(self._check(self.signals[i], msg) for i in which))
        for i, hits in zip(which, results, strict=True):
            found[i] = hits

    async def _check(self, signal: Signal, msg: Message) -> list[Hit]:
        try:
            return await signal.check(msg)
        except StoreError:
            raise
        except Exception as exc:  # a broken signal must not cost the message; it passes unscanned
            log.exception("signal %s raised", signal.name)
            raise _SignalFailed(signal.name) from exc

    def close(self) -> None:
        """Terminate the scanning pool's workers, if any were started."""
        if self.pool is not None:
            self.pool.close()

    async def commit(self, msg: Message, verdict: Verdict) -> None:
        """Record the accepted message: metrics, then what stateful signals learn from it."""
        await self.commit_each(alike(msg, verdict)[:1])

    async def commit_each(self, judged: Sequence[Judged]) -> None:
        """Record accepted copies: metrics once per recipient, and each view learns once, with its own
        recipient's verdict (a message judged alike for everyone learns once, as a whole)."""
        learned: set[int] = set()
        for one in judged:
            self._metrics.messages.labels(str(one.verdict.action)).inc()
            self._metrics.front_messages.labels(self.front, str(one.verdict.action)).inc()
            for scored in one.verdict.hits:
                self._metrics.symbols.labels(scored.hit.symbol).inc()
            if id(one.message) not in learned:
                learned.add(id(one.message))
                await self._learn(one.message, one.verdict)

    async def _learn(self, msg: Message, verdict: Verdict) -> None:
        try:
            async with self._view.learning() if self._view else contextlib.nullcontext():
                for signal in self.signals:
                    try:
                        await signal.learn(msg, verdict)
                    except Exception as exc:  # the message is accepted; losing one lesson is acceptable
                        log.warning("signal %s could not learn: %s", signal.name, type(exc).__name__)
        except Exception as exc:  # the writes the signals left to be applied together
            log.warning("learning could not be stored: %s", type(exc).__name__)


def _per_recipient(signal: Signal) -> bool:
    """Whether a signal's answer depends on the recipient: it keeps state (consent, sequences, anchors are
    all per recipient), unless it says otherwise with a `per_recipient` attribute."""
    return bool(getattr(signal, "per_recipient", not isinstance(signal, Stateless)))
