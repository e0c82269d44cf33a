"""The followup signal: follow-up and break-up language in the new words only, and self-quoting."""

from __future__ import annotations

import pytest

from gateway.clock import ManualClock
from gateway.core.policy import Action
from gateway.core.signals import SignalContext
from gateway.core.signals.followup import Followup
from gateway.store.base import Store
from tests.mail import make_message
from tests.signals.conftest import HOUR, LOCAL, SAM, Gateway, parse

FOLLOW_UPS = [
    "Just following up on the note I sent last week.",
    "Quick follow-up: is this on your radar?",
    "Bumping this to the top of your inbox.",
    "Circling back on my earlier message.",
    "Wanted to touch base about the proposal.",
    "Did you get a chance to look at this?",
    "Have you had a chance to review the deck?",
    "Did you see my previous email?",
    "I haven't heard back from you yet, so trying again.",
    "Floating this back up to the top.",
    "Any thoughts on the above?",
    "In case my last email got buried, here it is again.",
    "Gentle nudge on this one.",
    "Just wanted to ping you about the idea below.",
    "I know you're busy, so I'll keep it short.",
    "Resending this in case it slipped through the cracks.",
]
BREAK_UPS = [
    "This is my last attempt to reach you.",
    "One last try before I close your file.",
    "Should I stop reaching out?",
    "I'll assume now isn't the right time and won't email you again.",
    "Is this still a priority for you?",
    "Permission to close the loop?",
    "I haven't been able to reach you, so this is my final note.",
]
NEUTRAL = [
    "Your order #4411 has shipped and will arrive on Thursday.",
    "Click the link below to reset your password. The link expires in one hour.",
    "Check-in opens at 3pm; please follow the signs to reception.",
    "Here are the slides from the summit, great meeting you!",
    "The build is green again after the last deploy.",
]


def signal(store: Store, clock: ManualClock) -> Followup:
    return Followup(SignalContext(store, clock, LOCAL, {}))


async def symbols(store: Store, clock: ManualClock, raw: bytes) -> dict[str, str]:
    return {h.symbol: h.evidence for h in await signal(store, clock).check(parse(raw))}


@pytest.mark.parametrize("text", FOLLOW_UPS)
async def test_follow_up_phrasings(store: Store, clock: ManualClock, text: str) -> None:
    raw = make_message("rep@vendor.example", SAM, "Hello", f"Hi Sam,\n\n{text}\n\nBest,\nRep\n")
    assert "FOLLOWUP_PHRASE" in await symbols(store, clock, raw)


@pytest.mark.parametrize("text", BREAK_UPS)
async def test_break_up_phrasings(store: Store, clock: ManualClock, text: str) -> None:
    raw = make_message("rep@vendor.example", SAM, "Hello", f"Hi Sam,\n\n{text}\n\nRep\n")
    assert "FOLLOWUP_BREAKUP" in await symbols(store, clock, raw)


@pytest.mark.parametrize("text", NEUTRAL)
async def test_ordinary_mail_is_not_a_follow_up(store: Store, clock: ManualClock, text: str) -> None:
    raw = make_message("notify@shop.example", SAM, "Update", f"Hello,\n\n{text}\n")
    assert await symbols(store, clock, raw) == {}


async def test_subject_counts_and_evidence_names_the_phrase(store: Store, clock: ManualClock) -> None:
    found = await symbols(
        store, clock, make_message("a@b.example", SAM, "Following up", "Hi Sam, thoughts?\n")
    )
    assert found == {"FOLLOWUP_PHRASE": "'following up'"}


async def test_phrase_only_in_quoted_history_does_not_count(store: Store, clock: ManualClock) -> None:
    body = (
        "Thanks, that works for me.\n\n"
        "On Tue, 4 Mar 2025 at 09:00, Sam Okafor <sam.okafor@example.com> wrote:\n"
        "> Just following up on this - did you get a chance to look?\n"
    )
    found = await symbols(store, clock, make_message("Ana Ruiz <ana@partner.example>", SAM, "Re: Plan", body))
    assert found == {}


async def test_quoting_only_your_own_unanswered_mail(store: Store, clock: ManualClock) -> None:
    body = (
        "Hi Sam, see below.\n\n"
        "On Fri, 7 Mar 2025 at 11:30, Jake Miller <jake@scalefast.example> wrote:\n"
        "> Hi Sam, we build landing pages that convert. Interested?\n"
    )
    found = await symbols(
        store, clock, make_message("Jake Miller <jake@scalefast.example>", SAM, "Re: Pages", body)
    )
    assert "FOLLOWUP_SELF_QUOTE" in found
    outlook = (
        "Hi Sam, resurfacing my note.\n\n"
        "________________________________\n"
        "From: Jake Miller <jake@scalefast.example>\n"
        "Sent: Friday, March 7, 2025 11:30 AM\n"
        "To: Sam Okafor\n"
        "Subject: Pages\n\n"
        "Hi Sam, we build landing pages that convert.\n"
    )
    found = await symbols(
        store, clock, make_message("Jake Miller <jake@scalefast.example>", SAM, "RE: Pages", outlook)
    )
    assert "FOLLOWUP_SELF_QUOTE" in found


async def test_quoting_the_recipient_is_a_conversation(store: Store, clock: ManualClock) -> None:
    body = (
        "Sure, attached.\n\n"
        "On Fri, 7 Mar 2025 at 12:00, Sam Okafor <sam.okafor@example.com> wrote:\n"
        "> Can you send the invoice?\n"
        ">\n"
        "> On Fri, 7 Mar 2025 at 11:30, Jake Miller <jake@scalefast.example> wrote:\n"
        ">> Here is the quote.\n"
    )
    found = await symbols(
        store, clock, make_message("Jake Miller <jake@scalefast.example>", SAM, "Re: Quote", body)
    )
    assert "FOLLOWUP_SELF_QUOTE" not in found


async def test_colleague_nudging_twice_passes(gateway: Gateway) -> None:
    colleague = "Ana Ruiz <ana.ruiz@example.com>"
    for text in (
        "Just following up on this - did you get a chance to review?",
        "Bumping this again, any thoughts?",
    ):
        verdict = await gateway.deliver(
            make_message(colleague, SAM, "Q3 budget", f"Hi Sam,\n\n{text}\n"), after=HOUR
        )
        assert verdict.action is Action.PASS and verdict.status == "internal"


async def test_follow_up_in_a_thread_the_recipient_started_passes(gateway: Gateway) -> None:
    partner = "Luis Ortega <luis@partner.example>"
    await gateway.deliver(
        make_message(SAM, partner, "Contract", "Hi Luis, draft attached.\n", message_id="<c1@example.com>")
    )
    for _ in range(2):
        nudge = make_message(
            partner,
            SAM,
            "Re: Contract",
            "Just following up - did you get a chance to look at my comments? Any thoughts?\n",
            headers={"In-Reply-To": "<c1@example.com>", "References": "<c1@example.com>"},
        )
        verdict = await gateway.deliver(nudge, after=2 * 24 * HOUR)
        assert verdict.action is Action.PASS, verdict.symbols
        assert "REPLY_TO_OURS" in verdict.symbols
