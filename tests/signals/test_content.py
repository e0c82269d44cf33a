"""The content signal: the shipped classifier's judgement of the author's words, as CONTENT_PITCH."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.clock import ManualClock
from gateway.core.policy import Action
from gateway.core.signals import SIGNALS
from gateway.core.signals.base import SignalContext
from gateway.core.signals.content import Content, even_odds
from gateway.errors import ConfigError
from gateway.store.base import Store
from tests.mail import make_message
from tests.signals.conftest import LOCAL, Gateway, fixture, parse

PITCH = (
    "Hi Sam,\n\nThanks for connecting! I run a lead generation agency and we help B2B SaaS companies like yours "
    "book 20-30 qualified sales meetings every month with done-for-you outbound campaigns. Our clients typically "
    "see a 3x increase in pipeline within 90 days.\n\nWould you be open to a quick 15-minute call this week? "
    "Here is my calendar: https://calendly.com/growth-team/15min\n\nBest,\nMark\n"
)
HAM = (
    "Hi Sam,\n\nThe build on the staging cluster failed again last night; the migration for the invoices table "
    "timed out after the index rebuild. I rolled it back and will retry tonight with the batch size halved.\n\n"
    "Can you check whether the nightly export still ran?\n\nThanks,\nPriya\n"
)


def content(store: Store, clock: ManualClock, **options: object) -> Content:
    return Content(SignalContext(store, clock, LOCAL, options))


async def test_a_pitch_fires_with_evidence(store: Store, clock: ManualClock) -> None:
    msg = parse(make_message("mark@growthlab.example", "sam.okafor@example.com", "Quick call?", PITCH))
    [hit] = await content(store, clock).check(msg)
    assert hit.symbol == "CONTENT_PITCH"
    assert 0.5 <= hit.factor <= 1.0
    assert hit.evidence.startswith("pitch probability ")
    assert "'" in hit.evidence  # the n-grams that pushed the score up are quoted


async def test_ordinary_work_mail_does_not_fire(store: Store, clock: ManualClock) -> None:
    msg = parse(make_message("priya@partner.example", "sam.okafor@example.com", "staging build", HAM))
    assert await content(store, clock).check(msg) == []


async def test_linkedin_notifications_without_member_text_are_not_judged(
    store: Store, clock: ManualClock
) -> None:
    assert await content(store, clock).check(parse(fixture("job_alert.eml"))) == []


async def test_threshold_option_overrides_the_model(store: Store, clock: ManualClock) -> None:
    msg = parse(make_message("mark@growthlab.example", "sam.okafor@example.com", "Quick call?", PITCH))
    assert await content(store, clock, threshold=1.0).check(msg) == []


def test_missing_model_is_a_configuration_error(store: Store, clock: ManualClock, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"signals\.content\.model"):
        content(store, clock, model=str(tmp_path / "absent.skops"))


def test_even_odds_reweights_a_rare_class_prior() -> None:
    assert even_odds(0.01, 0.01) == pytest.approx(0.5)
    assert even_odds(0.5, 0.5) == pytest.approx(0.5)
    assert even_odds(0.09, 0.01) > 0.9


async def test_short_friendly_text_does_not_fire(store: Store, clock: ManualClock) -> None:
    """The issue's two examples: a lunch note scored CONTENT_PITCH(4.19), a new connection's slides were tagged."""
    signal = content(store, clock)
    for subject, body in [
        ("", "Hi Bob, lunch?\n"),
        (
            "Slides from the summit",
            "Great to meet you at the summit, here are the slides as promised.\n\nAnna\n",
        ),
    ]:
        msg = parse(make_message("anna@friend.example", "bob@example.com", subject, body))
        assert await signal.check(msg) == [], body


async def test_a_few_words_are_not_called_a_pitch(store: Store, clock: ManualClock) -> None:
    # "hi" with a subject had a pitch probability of 0.37 from the shipped model: CONTENT_PITCH 4.37, a tag.
    gateway = Gateway(store, clock, {}, list(SIGNALS))
    raw = make_message("spammer@evil.test", "bob@example.com", "relay test", "hi\n")
    verdict = await gateway.judge(raw)
    assert verdict.action is Action.PASS, verdict.symbols
    assert 0.0 < verdict.symbols.get("CONTENT_PITCH", 0.0) < 1.5, verdict.symbols
