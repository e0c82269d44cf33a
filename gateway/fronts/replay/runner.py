"""Driving the pipeline without a socket: `scan` one message, or `replay` a mailbox in Date order.

Replay answers "what would pitchgate have done to my mailbox last month?": every message goes through
the same judge-then-commit path as in `serve`, with the clock set to the message's Date, so that
follow-up cadence and consent are learned exactly as they would have been live.
"""

from __future__ import annotations

import dataclasses
import email.utils
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from gateway.clock import ManualClock
from gateway.core.mailsource import iter_messages
from gateway.core.message import Direction, Envelope, Message, direction_of, is_local, normalize_address
from gateway.core.pipeline import Pipeline
from gateway.core.policy import Verdict
from gateway.core.recipients import Judged, actions, strongest


def _addresses(msg: Message, *names: str) -> list[str]:
    pairs = email.utils.getaddresses([v for n in names for v in msg.headers(n)])
    return [a.lower() for _, a in pairs if "@" in a]


def envelope_from_headers(msg: Message, local_domains: frozenset[str]) -> Envelope:
    """Reconstruct the envelope of a stored message: Return-Path/From, then Delivered-To/X-Original-To/To."""
    sender = normalize_address(msg.header("Return-Path")) or msg.from_addr
    if msg.from_addr and is_local(msg.from_addr, local_domains):
        sender = msg.from_addr  # a Sent folder: the local author matters, not a bounce address
    if local_domains and is_local(sender, local_domains):
        rcpts = _addresses(msg, "To", "Cc", "Bcc")
    else:
        rcpts = (
            _addresses(msg, "Delivered-To") or _addresses(msg, "X-Original-To") or _addresses(msg, "To", "Cc")
        )
    rcpts = list(dict.fromkeys(rcpts))
    return Envelope(sender, tuple(rcpts), direction=direction_of(sender, tuple(rcpts), local_domains))


def load(raw: bytes, local_domains: frozenset[str], recipients: Sequence[str] = ()) -> Message:
    """Parse a stored message and give it the envelope its headers imply (to `recipients`, if given)."""
    parsed = Message.from_bytes(raw)
    envelope = envelope_from_headers(parsed, local_domains)
    if recipients:
        rcpts = tuple(recipients)
        direction = direction_of(envelope.mail_from, rcpts, local_domains)
        envelope = dataclasses.replace(envelope, rcpt_tos=rcpts, direction=direction)
    return dataclasses.replace(parsed, envelope=envelope)


@dataclass(frozen=True)
class Outcome:
    """One replayed message, its strongest verdict over the recipients, and each recipient's."""

    name: str
    message: Message
    verdict: Verdict
    judged: tuple[Judged, ...] = ()

    def as_json(self) -> dict[str, object]:
        date = self.message.date
        return {
            "message_id": self.message.message_id,
            "date": email.utils.formatdate(date, usegmt=True) if date is not None else None,
            "direction": str(self.message.envelope.direction),
            "action": str(self.verdict.action),
            "score": self.verdict.score,
            "symbols": self.verdict.symbols,
            "would": str(self.verdict.would) if self.verdict.would else None,
            "status": self.verdict.status,
            "sequence": self.verdict.extra.get("sequence"),
            "file": self.name,
            "recipients": actions(self.judged),
        }


@dataclass
class Summary:
    """Counts of actions and symbols over a replay."""

    actions: Counter[str] = field(default_factory=Counter)
    symbols: Counter[str] = field(default_factory=Counter)
    directions: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        self.directions[str(outcome.message.envelope.direction)] += 1
        if outcome.message.envelope.direction is not Direction.OUTBOUND:
            self.actions[str(outcome.verdict.would or outcome.verdict.action)] += 1
        self.symbols.update(outcome.verdict.symbols.keys())


def ordered(paths: Iterable[Path], local_domains: frozenset[str]) -> list[tuple[str, Message]]:
    """Every message under the paths, sorted by Date; undated messages keep their place after the dated."""
    loaded = [(name, load(raw, local_domains)) for name, raw in iter_messages(list(paths))]
    return sorted(loaded, key=lambda item: (item[1].date is None, item[1].date or 0.0))


async def replay(
    messages: list[tuple[str, Message]], pipeline: Pipeline, clock: ManualClock
) -> AsyncIterator[Outcome]:
    """Judge and commit each message in order, with the clock on its Date."""
    for name, msg in messages:
        if msg.date is not None:
            clock.set(max(clock.now(), msg.date))
        judged = await pipeline.judge_each(msg)
        await pipeline.commit_each(judged)
        yield Outcome(name, msg, strongest(judged).verdict, judged)


async def replay_with_progress(
    messages: list[tuple[str, Message]], pipeline: Pipeline, clock: ManualClock
) -> AsyncIterator[Outcome]:
    """`replay` with a progress bar on stderr (shown only on a terminal)."""
    with tqdm(total=len(messages), unit="msg", file=sys.stderr, disable=None, leave=False) as bar:
        async for outcome in replay(messages, pipeline, clock):
            bar.update(1)
            yield outcome
