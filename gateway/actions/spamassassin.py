"""SpamAssassin-compatible verdict headers, so that existing Sieve, Outlook and procmail rules keep working.

The formats are SpamAssassin's own defaults (Mail::SpamAssassin::PerMsgStatus tags):
`X-Spam-Status: _YESNO_, score=_SCORE_ required=_REQD_ tests=_TESTS_`, `X-Spam-Score: _SCORE_` and
`X-Spam-Level: _STARS(*)_`. "Yes" means the action is tag or quarantine; "required" is the tag threshold.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from gateway.core.policy import Action, Verdict

_MAX_STARS = 50
"""SpamAssassin caps X-Spam-Level at 50 stars."""
_WRAP_AT = 78
"""SpamAssassin folds X-Spam-Status at 78 columns, breaking after a comma or a space."""


@dataclass(frozen=True)
class SpamHeaders:
    """Names of the SpamAssassin-style headers ("" leaves one out) and the threshold shown as required."""

    status: str = "X-Spam-Status"
    score: str = "X-Spam-Score"
    level: str = "X-Spam-Level"
    required: float = 5.0

    def names(self) -> list[str]:
        return [n for n in (self.status, self.score, self.level) if n]


def _is_spam(verdict: Verdict) -> bool:
    return verdict.action in (Action.TAG, Action.QUARANTINE)


def score_text(verdict: Verdict, required: float) -> str:
    """_SCORE_: one decimal. Like SpamAssassin (its bug 2607), a message that is not spam never shows a
    score at or above the threshold ("No, score=5.0 required=5.0" would contradict itself), so rules on
    the score and rules on Yes/No agree; that matters for allow-listed and shadow-mode mail."""
    return _score_text(_is_spam(verdict), verdict.score, required)


def _score_text(spam: bool, score: float, required: float) -> str:
    shown, reqd = f"{score:.1f}", f"{required:.1f}"
    if spam or float(shown) < float(reqd):
        return shown
    return f"{float(reqd) - 0.1:.15g}"  # Perl prints the difference with 15 significant digits


def stars(score: float) -> str:
    """_STARS(*)_: int(score) asterisks, none for a score below 1 (negative included), at most 50."""
    return "*" * min(max(int(score), 0), _MAX_STARS)


def _fold(name: str, value: str) -> str:
    lines = textwrap.wrap(
        f"{name}: {value}",
        width=_WRAP_AT,
        break_long_words=False,
        break_on_hyphens=False,
        subsequent_indent="\t",
    )
    # textwrap breaks at spaces only; split the tests list after its commas as SpamAssassin does.
    out: list[str] = []
    for line in lines:
        while len(line) > _WRAP_AT and "," in line[1:_WRAP_AT]:
            cut = line.rindex(",", 1, _WRAP_AT) + 1
            out.append(line[:cut])
            line = "\t" + line[cut:]
        out.append(line)
    return "\r\n".join(out)


def spam_headers(verdict: Verdict, names: SpamHeaders) -> list[str]:
    """The header lines (unterminated, possibly folded) in SpamAssassin's order: Score, Level, Status."""
    symbols = [s.hit.symbol for s in verdict.hits]
    score = _score_text(_is_spam(verdict), verdict.score, names.required)
    return _lines(_is_spam(verdict), score, stars(verdict.score), symbols, names)


def released_lines(score_value: float, symbols: Iterable[str], names: SpamHeaders) -> list[str]:
    """The headers of a copy people released: No, its score shown below the threshold, and as few stars
    as that score, so that no Sieve or Outlook rule on Yes, on the score or on the stars files it as junk."""
    score = _score_text(False, score_value, names.required)
    return _lines(False, score, stars(float(score)), symbols, names)


def _lines(spam: bool, score: str, level: str, symbols: Iterable[str], names: SpamHeaders) -> list[str]:
    tests = ",".join(sorted(set(symbols))) or "none"
    lines = []
    if names.score:
        lines.append(f"{names.score}: {score}")
    if names.level:
        lines.append(f"{names.level}: {level}" if level else f"{names.level}:")
    if names.status:
        yesno = "Yes" if spam else "No"
        lines.append(
            _fold(names.status, f"{yesno}, score={score} required={names.required:.1f} tests={tests}")
        )
    return lines
