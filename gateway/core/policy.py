"""Turning evidence into a verdict: one weight table, two thresholds, allow/block lists, shadow mode.

Pure apart from list lookups: it reads hits and lists and returns a Verdict; it never touches the message,
the network or metrics. Weight × factor summed over hits gives the score, thresholds give the action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from gateway.core.message import Message, domain_of
from gateway.core.verdict import Action, Hit, ScoredHit, Verdict, unscanned
from gateway.errors import ConfigError
from gateway.store.base import GLOBAL_SCOPE, ListKind, Store

__all__ = ["Action", "Hit", "Policy", "ScoredHit", "Thresholds", "Verdict", "unscanned"]


@dataclass(frozen=True)
class Thresholds:
    tag: float = 5.0
    quarantine: float = 10.0

    def __post_init__(self) -> None:
        if self.quarantine < self.tag:
            raise ConfigError("policy.quarantine_score must be >= policy.tag_score")


def build_weights(defaults: Mapping[str, float], overrides: Mapping[str, float]) -> dict[str, float]:
    """The weight table: signal defaults with `[scores]` overrides. An unknown symbol is a start-up error."""
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        raise ConfigError(f"scores: unknown symbol(s) {', '.join(unknown)}")
    return {**defaults, **overrides}


def candidates(sender: str) -> list[str]:
    """The list entries that would match a sender: the address, its domain and each parent domain."""
    domain = domain_of(sender)
    parts = domain.split(".")
    domains = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    return [sender, *domains]


class Policy:
    """Scores hits with the weight table and applies lists and shadow mode."""

    def __init__(
        self, weights: Mapping[str, float], thresholds: Thresholds, store: Store, shadow: bool
    ) -> None:
        self._weights = dict(weights)
        self._thresholds = thresholds
        self._store = store
        self._shadow = shadow

    @property
    def weights(self) -> dict[str, float]:
        """The effective weight table: defaults with the `[scores]` overrides (check-config prints it)."""
        return dict(self._weights)

    def score(self, hits: list[Hit]) -> tuple[float, tuple[ScoredHit, ...]]:
        scored = tuple(ScoredHit(h, self._weights.get(h.symbol, 0.0)) for h in hits)
        return round(sum(s.contribution for s in scored), 2), scored

    def action_for(self, score: float) -> Action:
        if score >= self._thresholds.quarantine:
            return Action.QUARANTINE
        if score >= self._thresholds.tag:
            return Action.TAG
        return Action.PASS

    async def decide(self, msg: Message, hits: list[Hit], now: float) -> Verdict:
        notes = {key: value for hit in hits for key, value in hit.notes}
        score, scored = self.score([hit for hit in hits if hit.symbol])
        listed = await self._list_lookup(msg)
        if listed is not None:
            kind, entry = listed
            action = Action.PASS if kind is ListKind.ALLOW else Action.QUARANTINE
            verdict = self._finish(action, score, scored, f"{kind}:{entry}")
        else:
            verdict = self._finish(self.action_for(score), score, scored, None)
        verdict.extra.update(notes)
        return verdict

    def unjudged(self, reason: str) -> Verdict:
        """The verdict for a message whose own content ran the scan out of time: tagged, not passed, so
        that padding a pitch until the scan gives up never buys it a delivery (shadow mode still applies)."""
        verdict = self._finish(Action.TAG, 0.0, (), None)
        return replace(verdict, status=f"unscanned ({reason})")

    def _finish(
        self, action: Action, score: float, scored: tuple[ScoredHit, ...], match: str | None
    ) -> Verdict:
        if self._shadow and action is not Action.PASS:
            return Verdict(Action.PASS, score, scored, would=action, list_match=match)
        return Verdict(action, score, scored, list_match=match)

    async def _list_lookup(self, msg: Message) -> tuple[ListKind, str] | None:
        """Allow wins over block, and a recipient's own entry wins over a global one."""
        # The envelope sender, not From: a From header is free text for a forger.
        return await self._store.list_lookup([*msg.recipients, GLOBAL_SCOPE], candidates(msg.sender))


def normalize_entry(entry: str) -> str:
    """An allow/block entry as stored: a bare lower-case address or domain. Raises ValueError if it is neither."""
    value = entry.strip().lower().strip("<>").lstrip("@")
    host = value.rpartition("@")[2]
    if not value or "." not in host or " " in value or value.count("@") > 1:
        raise ValueError(f"not an address or domain: {entry!r}")
    return value
