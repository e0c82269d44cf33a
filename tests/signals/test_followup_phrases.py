"""The follow-up phrases match lower-cased ASCII text without IGNORECASE (gateway/signals/followup.py
`Phrases`): what they find must be exactly what the IGNORECASE pattern finds in the original text."""

from __future__ import annotations

import re

import pytest

from gateway.core.mailsource import iter_messages
from gateway.core.message import Message
from gateway.core.signals import followup
from tests.scenarios.measure import HAM_ROOT

SOURCES = {"followup": followup._FOLLOWUP, "breakup": followup._BREAKUP}
SAMPLES = [
    "Just Following Up on my PREVIOUS EMAIL — did you get a chance to LOOK?",
    "ONE LAST TRY: should I close your file? I'll stop reaching out again.",
    "Any Thoughts on the proposal we sent last week?",
    "Juſt following up",  # long s: IGNORECASE folds it to s, lower() does not: the slow path answers
    "İn case my note got buried",  # dotted capital I lowers to two characters
    "Bumping this to the top of your inbox",
]


def _expected(source: str, text: str) -> list[str]:
    found = re.compile(source, re.IGNORECASE).finditer(text)
    return list(dict.fromkeys(" ".join(m.group(0).split()).lower() for m in found))


def _texts() -> list[str]:
    texts = list(SAMPLES)
    for folder in ("easy_ham", "hard_ham", "spam"):
        path = HAM_ROOT / folder
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file())[:150]
            for _, raw in iter_messages(files):
                msg = Message.from_bytes(raw)
                texts.append(msg.subject + "\n" + msg.author_text)
    return texts


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_phrases_find_what_ignorecase_finds(name: str) -> None:
    source = SOURCES[name]
    phrases = followup.Phrases(source)
    texts = _texts()
    differ = [t[:60] for t in texts if phrases.find(t, followup.lower_ascii(t)) != _expected(source, t)]
    assert not differ
    assert any(phrases.find(t, followup.lower_ascii(t)) for t in texts)  # the check saw matches


def test_phrases_refuse_an_upper_case_literal() -> None:
    with pytest.raises(ValueError):
        followup.Phrases(r"\bLast\s+try\b")
    followup.Phrases(r"\bfoo\S+\W")  # upper-case escapes are classes, not letters
