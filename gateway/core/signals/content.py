"""Does the text read like an unsolicited sales pitch? The trained classifier's answer, as a symbol.

The model judges the subject and the author's own words (a LinkedIn member's message rather than
LinkedIn's boilerplate; no quoted history, no signature), in any of the languages it was trained on. Its
probabilities are Platt-calibrated to the training mix, where pitches are rare and short friendly text
(SMS-style notes, thank-yous, replies) is plentiful, so a one-line "lunch?" scores near zero and emits
nothing. The factor is the probability re-weighted to even odds: a score at the model's threshold already
means "more likely a pitch than not" under that prior.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import ClassVar

from gateway.core.classifier import ModelError, PitchModel, shipped_model_path
from gateway.core.linkedin_mail import Kind
from gateway.core.message import Message
from gateway.core.signals.base import Hit, SignalContext, Stateless
from gateway.errors import ConfigError

# Invitation notes are one line of courtesy at most; judging them would only tag LinkedIn's own mail.
_JUDGED = frozenset({Kind.MESSAGE, Kind.INMAIL})


def even_odds(probability: float, prior: float) -> float:
    """Re-weight a probability calibrated at base rate `prior` to what it would be at 50/50."""
    p = min(max(probability, 1e-9), 1 - 1e-9)
    odds = p / (1 - p) / (prior / (1 - prior))
    return odds / (1 + odds)


def _prior(model: PitchModel) -> float:
    counts = model.meta.get("train_counts", {})
    pitch, legit = float(counts.get("pitch", 1)), float(counts.get("legit", 1))
    return max(pitch / (pitch + legit), 1e-6)


class Content(Stateless):
    """Emits CONTENT_PITCH with factor = the even-odds pitch probability, when it clears the threshold."""

    name: ClassVar[str] = "content"
    symbols: ClassVar[dict[str, float]] = {"CONTENT_PITCH": 4.5}
    reasons: ClassVar[dict[str, str]] = {"CONTENT_PITCH": "reads like a sales pitch"}

    def __init__(self, ctx: SignalContext) -> None:
        path = Path(str(ctx.options.get("model") or shipped_model_path()))
        try:
            self._model = PitchModel.load(path)
        except (ModelError, OSError) as exc:
            raise ConfigError(f"signals.content.model: {exc}") from exc
        self._threshold = float(ctx.options.get("threshold", self._model.threshold))
        self._prior = _prior(self._model)
        self._explain = int(ctx.options.get("explain_ngrams", 4))
        self._short_words = max(1, int(ctx.options.get("short_words", 12)))

    async def check(self, msg: Message) -> list[Hit]:
        text = self._judged_text(msg)
        if text is None:
            return []
        subject = "" if msg.linkedin is not None else msg.subject
        probability = self._model.probability(subject, text)
        if probability < self._threshold:
            return []
        # A few words carry too little to call a pitch ("hi", "Hi Bob, lunch?"): the model's probability on
        # them is mostly its prior, so the factor grows with the words, full from `short_words` on.
        words = len(f"{subject} {text}".split())
        short = min(1.0, words / self._short_words)
        factor = round(even_odds(probability, self._prior) * short, 3)
        evidence = self._evidence(subject, text, probability)
        if short < 1.0:
            evidence += f"; only {words} words, factor x{short:.2f}"
        return [Hit("CONTENT_PITCH", factor, evidence)]

    @staticmethod
    def _judged_text(msg: Message) -> str | None:
        """The words to judge, or None for LinkedIn notifications that carry no member text."""
        found = msg.linkedin
        if found is not None and found.kind not in _JUDGED:
            return None
        return msg.author_text or msg.text

    def _evidence(self, subject: str, text: str, probability: float) -> str:
        top = self._model.explain(subject, text, k=self._explain)
        grams = ", ".join(f"{gram!r}" for gram, _ in top)
        logit = math.log(probability / (1 - probability)) if 0 < probability < 1 else 0.0
        return f"pitch probability {probability:.3f} (threshold {self._threshold:.3f}, logit {logit:.1f}); {grams}"
