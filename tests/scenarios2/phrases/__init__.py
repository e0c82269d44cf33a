"""Phrase banks by language: every language fills the same slots, in its own words."""

from __future__ import annotations

import random

from tests.scenarios2.phrases import de, en, es, fr, nl

BANKS: dict[str, dict[str, list[str]]] = {
    "en": en.BANK,
    "de": de.BANK,
    "fr": fr.BANK,
    "es": es.BANK,
    "nl": nl.BANK,
}


def pick(rng: random.Random, language: str, slot: str) -> str:
    """One alternative for a slot."""
    return rng.choice(BANKS[language][slot])


def fill(rng: random.Random, language: str, slot: str, context: dict[str, str]) -> str:
    """One alternative for a slot, with its placeholders filled from the context."""
    return pick(rng, language, slot).format_map(context)
