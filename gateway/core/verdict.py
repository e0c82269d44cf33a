"""Evidence and the decision made from it: hits, their weights, the action and the verdict.

Plain data shared by the signals that emit hits and the policy that scores them, so that neither
imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Hit:
    """One piece of evidence: a symbol, how strongly it fired (0..1, or a count), and why."""

    symbol: str
    factor: float = 1.0
    evidence: str = ""
    notes: tuple[tuple[str, str], ...] = ()
    """Facts for the verdict's `extra` (e.g. the sequence a message was counted under), not evidence."""


def note(key: str, value: str) -> Hit:
    """A hit that only carries a note: no symbol, it scores nothing and is shown nowhere."""
    return Hit("", 0.0, "", ((key, value),))


class Action(StrEnum):
    PASS = "pass"
    TAG = "tag"
    QUARANTINE = "quarantine"


@dataclass(frozen=True)
class ScoredHit:
    """A hit with the weight it contributed to the score."""

    hit: Hit
    weight: float

    @property
    def contribution(self) -> float:
        return round(self.weight * self.hit.factor, 2)


@dataclass(frozen=True)
class Verdict:
    """The decision about one message, and everything needed to explain it."""

    action: Action
    score: float
    hits: tuple[ScoredHit, ...] = ()
    would: Action | None = None
    """In shadow mode, the action that would have been taken; the real action is then pass."""
    status: str | None = None
    """Why the message was not (fully) scanned, e.g. "unscanned (store)"."""
    list_match: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def symbols(self) -> dict[str, float]:
        return {s.hit.symbol: s.contribution for s in self.hits}


def unscanned(reason: str) -> Verdict:
    """The verdict for a message we could not judge: it passes, and says so."""
    return Verdict(Action.PASS, 0.0, status=f"unscanned ({reason})")
