"""One message's way through the checks: every enabled signal, then the policy, and afterwards learning.

`judge` decides and changes nothing; `commit` runs once the message has been accepted (relayed or
held), recording metrics and letting stateful signals learn. A message the client will retry (4xx)
is never committed, so it is never counted twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from gateway.clock import Clock
from gateway.core.body import Body
from gateway.core.limits import ScanLimits
from gateway.core.message import Direction, Envelope, Message
from gateway.core.policy import Action, Policy, Verdict, unscanned
from gateway.core.scanpool import Heavy, ScanPool, ScanTimeout
from gateway.core.signals.base import Hit, Signal
from gateway.metrics import Metrics
from gateway.store.base import StoreError

log = logging.getLogger(__name__)


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
        self.front = front
        """The front this pipeline judges for: the `front` label of pitchgate_front_messages_total."""

    async def scan(self, raw: bytes, envelope: Envelope) -> tuple[Message, Verdict]:
        """Parse and judge raw bytes: ordinary mail inline (cheaper than any hand-off), heavy mail in the
        scanning pool, so that the loop keeps answering other clients while it is parsed."""
        if envelope.direction is Direction.OUTBOUND:
            # Never judged. Learning reads the header block and, in a reply, whether its words decline (a
            # "no" is no consent): ordinary mail is parsed inline for that, heavy mail for its headers only.
            self._metrics.scan_path.labels("inline").inc()
            if self._heavy(raw):
                msg = Message.from_body(raw, envelope, Body())
            else:
                msg = Message.from_bytes(raw, envelope, self.limits)
            return msg, await self.judge(msg)
        if self.pool is None or not self._heavy(raw):
            self._metrics.scan_path.labels("inline").inc()
            msg = Message.from_bytes(raw, envelope, self.limits)
            return msg, await self.judge(msg)
        self._metrics.scan_path.labels("pool").inc()
        started = time.perf_counter()
        try:
            body = await asyncio.wait_for(self.pool.derive(raw), self._timeout)
        except (ScanTimeout, TimeoutError) as exc:
            log.warning("scan overran: %s", exc or "no worker free in time")
            return Message.from_body(raw, envelope, Body(truncated=("deadline",))), self._overran(started)
        msg = Message.from_body(raw, envelope, body)
        return msg, await self.judge(msg)

    def _overran(self, started: float) -> Verdict:
        self._metrics.scan_seconds.observe(time.perf_counter() - started)
        self._metrics.unscanned.labels("timeout").inc()
        return self._policy.unjudged("timeout")

    @property
    def weights(self) -> dict[str, float]:
        return self._policy.weights

    async def judge(self, msg: Message) -> Verdict:
        """The verdict for one message. Never raises: a store or signal failure yields an unscanned pass,
        a timeout an unscanned tag."""
        if msg.envelope.direction is Direction.OUTBOUND:
            return Verdict(Action.PASS, 0.0, status="outbound")
        started = time.perf_counter()
        try:
            verdict = await asyncio.wait_for(self._decide(msg), self._timeout)
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
        if verdict.status and verdict.status.startswith("unscanned"):
            self._metrics.unscanned.labels(verdict.status[len("unscanned (") : -1]).inc()
        return verdict

    async def _decide(self, msg: Message) -> Verdict:
        if msg.envelope.direction is Direction.INTERNAL:
            return Verdict(Action.PASS, 0.0, status="internal")
        results = await asyncio.gather(*(self._check(s, msg) for s in self.signals))
        hits = [hit for found in results for hit in found]
        return await self._policy.decide(msg, hits, self._clock.now())

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
        self._metrics.messages.labels(str(verdict.action)).inc()
        self._metrics.front_messages.labels(self.front, str(verdict.action)).inc()
        for scored in verdict.hits:
            self._metrics.symbols.labels(scored.hit.symbol).inc()
        for signal in self.signals:
            try:
                await signal.learn(msg, verdict)
            except Exception as exc:  # the message is already accepted; losing one lesson is acceptable
                log.warning("signal %s could not learn: %s", signal.name, type(exc).__name__)
