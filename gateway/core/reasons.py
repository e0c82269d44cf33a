"""Plain-language reasons: what a symbol means, in words a recipient reads on the review page and in the digest.

Each signal carries its own sentences (`Signal.reasons`: symbol -> a template that may use `{n}`, the
factor as an integer, `{ordinal}`, its ordinal, and `{evidence}`); this module looks the template up in
the registry and fills it in. A symbol no signal explains (a signal since removed, a custom symbol) still
gets a sentence, so a reader never sees a bare name alone.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from gateway.core.signals import SIGNALS, default_weights
from gateway.store.base import QuarantineRecord

EVIDENCE_CHARS = 300
"""Evidence is the sender's own words at times: clip it in a sentence meant to be read at a glance."""


@dataclass(frozen=True)
class Reason:
    """One line of "why it was held": the sentence, and apart from it the evidence and the points."""

    symbol: str
    contribution: float
    sentence: str
    evidence: str


@cache
def templates() -> dict[str, str]:
    """Every registered signal's sentences, by symbol."""
    found: dict[str, str] = {}
    for factory in SIGNALS:
        found.update(getattr(factory, "reasons", {}))
    return found


@cache
def _weights() -> dict[str, float]:
    return default_weights()


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def reason_for(symbol: str, factor: float, evidence: str = "") -> str:
    """The sentence for one symbol that fired with `factor` and `evidence`."""
    template = templates().get(symbol)
    clipped = _clip(evidence)
    if template is None:
        return f"matched the check {symbol}" + (f": {clipped}" if clipped else "")
    n = max(round(factor), 0)
    fields = {"n": str(n), "ordinal": ordinal(n), "evidence": clipped}
    # Only the three known fields are filled; a stray brace in a template is shown, never an error.
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if names - set(fields):
        return template
    return template.format_map(fields)


def _factor(symbol: str, contribution: float, weights: Mapping[str, float]) -> float:
    weight = weights.get(symbol, 0.0)
    return contribution / weight if weight else 1.0


def _list_reason(entry: str) -> Reason | None:
    kind, _, what = entry.partition(":")
    if kind != "block":
        return None
    sentence = f"the sender ({what}) is on a block list" if what else "the sender is on a block list"
    return Reason("BLOCK_LIST", 0.0, sentence, entry)


def record_reasons(record: QuarantineRecord, weights: Mapping[str, float] | None = None) -> list[Reason]:
    """Why `record` was held, strongest first: a block-list entry that decided, then each symbol.

    Reads the stored evidence lines (symbol, contribution, evidence) when the record has them, and
    falls back to its symbols (symbol -> contribution) for records held before evidence was stored."""
    table = _weights() if weights is None else weights
    stored: tuple[tuple[str, float, str], ...] = getattr(record, "evidence", ())
    lines = list(stored) or [(s, c, "") for s, c in record.symbols.items()]
    found = [
        Reason(symbol, contribution, reason_for(symbol, _factor(symbol, contribution, table), text), text)
        for symbol, contribution, text in lines
    ]
    found.sort(key=lambda r: (-r.contribution, r.symbol))
    listed = _list_reason(record.extra.get("list", ""))
    return [listed, *found] if listed else found


def top_reason(record: QuarantineRecord) -> str:
    """The one sentence that best says why `record` was held."""
    found = record_reasons(record)
    return found[0].sentence if found else "its score reached the quarantine line"
