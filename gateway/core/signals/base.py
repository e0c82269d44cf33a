"""The signal contract: a check emits named symbols with a factor and evidence; it decides, it changes nothing.

A signal that keeps state records it in `learn`, after the verdict, so that scanning a message twice
(for instance `pitchgate scan`) never counts it twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from gateway.clock import Clock
from gateway.core.message import Message
from gateway.core.verdict import Hit as Hit
from gateway.core.verdict import Verdict
from gateway.core.verdict import note as note
from gateway.store.base import Store


@dataclass(frozen=True)
class SignalContext:
    """What every signal is built with: the store, the clock, the local domains and its own options."""

    store: Store
    clock: Clock
    local_domains: frozenset[str]
    options: Mapping[str, Any]


class Signal(Protocol):
    """A check. `symbols` maps every symbol it can emit to its default weight; `reasons` maps each to a
    plain-language sentence for the people reading the review page and the digest (gateway/core/reasons.py
    fills in `{n}`, `{ordinal}` and `{evidence}`)."""

    name: ClassVar[str]
    symbols: ClassVar[dict[str, float]]
    reasons: ClassVar[dict[str, str]] = {}

    async def check(self, msg: Message) -> list[Hit]: ...

    async def learn(self, msg: Message, verdict: Verdict) -> None: ...


class SignalFactory(Protocol):
    """A signal class: its name, symbols, and a constructor taking the context."""

    # Plain members, not ClassVar: here the class object itself is what must match.
    name: str
    symbols: dict[str, float]

    def __call__(self, ctx: SignalContext) -> Signal: ...


class Stateless:
    """Mixin for signals that learn nothing."""

    async def learn(self, msg: Message, verdict: Verdict) -> None:
        return None
