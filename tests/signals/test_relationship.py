"""Relationship first, sequences not single messages: the cadence signal with asks, bulk, declines and
campaign fingerprints, end to end through the real pipeline and policy, on SQLite and on Redis.

`FixedContent` stands in for the content classifier (another module, retrained on its own schedule): it
emits CONTENT_PITCH with the factor a test puts in an `X-Test-Pitch` header, so that what is tested here
is how sequences weigh content evidence, not what one model makes of one text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import pytest

from gateway.clock import ManualClock
from gateway.core.message import Message
from gateway.core.policy import Action, Verdict
from gateway.core.signals.base import Hit, SignalContext, Stateless
from tests.mail import make_message
from tests.signals.conftest import DAY, HOUR, RULES, SAM, Gateway, StoreFactory

DnsFunc = Callable[..., bytes | None]
TEMPLATE = (
    "I noticed {company} is hiring backend engineers again. We place vetted nearshore developers with "
    "product teams in under two weeks, and our clients keep them for years. Would it make sense to compare "
    "notes on how you are staffing the roadmap this quarter, and what it would take to speed it up?"
)


class FixedContent(Stateless):
    """CONTENT_PITCH with the factor named by the message's X-Test-Pitch header (none without it)."""

    name: ClassVar[str] = "content"
    symbols: ClassVar[dict[str, float]] = {"CONTENT_PITCH": 4.5}

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx

    async def check(self, msg: Message) -> list[Hit]:
        value = msg.header("X-Test-Pitch")
        return [Hit("CONTENT_PITCH", float(value), "stand-in")] if value else []


@pytest.fixture
def gw(make_store: StoreFactory, clock: ManualClock, dns: DnsFunc) -> Gateway:
    return Gateway(make_store(), clock, {"linkedin": {"dkim_dnsfunc": dns}}, [*RULES, FixedContent])


def mail(sender: str, subject: str, body: str, pitch: float | None = None, **kw: object) -> bytes:
    headers = dict(kw.pop("headers", {}) or {})  # type: ignore[call-overload]
    if pitch is not None:
        headers["X-Test-Pitch"] = str(pitch)
    return make_message(sender, SAM, subject, body, headers=headers, **kw)  # type: ignore[arg-type]


def escalated(verdict: Verdict) -> list[str]:
    return [s for s in verdict.symbols if s.startswith("FOLLOWUP_UNANSWERED_")]


async def test_a_clear_pitch_from_a_stranger_is_tagged_on_its_first_touch(gw: Gateway) -> None:
    body = "Hi Sam,\n\n" + TEMPLATE.format(company="Example") + "\n\nTom\n"
    first = await gw.deliver(mail("Tom Becker <tom@acme-growth.example>", "Engineers", body, pitch=0.95))
    assert first.action is Action.TAG, first.symbols
    assert "STRANGER_FIRST_TOUCH" in first.symbols
    assert first.extra["sequence"] == "tom@acme-growth.example"


async def test_rotating_senders_of_one_campaign_are_one_sequence(gw: Gateway) -> None:
    tom = "Tom Becker <tom@acme-growth.example>"
    body = "Hi Sam,\n\n" + TEMPLATE.format(company="Example") + "\n\nTom Becker\n"
    first = await gw.deliver(mail(tom, "Engineers", body, pitch=0.95))
    assert first.action is Action.TAG, first.symbols
    # Same template, another name and domain: the campaign's next touch, not a new stranger.
    anna = "Anna Roth <anna@acmegrowth-team.example>"
    again = "Hello Sam,\n\n" + TEMPLATE.format(company="your company") + "\n\nAnna Roth\n"
    second = await gw.deliver(mail(anna, "Engineers for Example", again), after=2 * DAY)
    assert second.action is Action.QUARANTINE, second.symbols
    assert "CAMPAIGN_ROTATING_SENDER" in second.symbols and escalated(second) == ["FOLLOWUP_UNANSWERED_2"]
    assert second.extra["sequence"] == "tom@acme-growth.example"
    # An unrelated stranger writing about something else is not joined to it.
    other = "Hi Sam,\n\nWe met at the meetup last night; here are the slides of my talk on Postgres tuning.\n"
    third = await gw.deliver(mail("Lea Vogt <lea@dbcraft.example>", "Slides", other), after=HOUR)
    assert "CAMPAIGN_ROTATING_SENDER" not in third.symbols and third.action is Action.PASS, third.symbols
    assert third.extra["sequence"] == "lea@dbcraft.example"


async def test_a_follow_up_that_resends_the_pitch_under_a_new_name_inherits_it(gw: Gateway) -> None:
    body = "Hi Sam,\n\n" + TEMPLATE.format(company="Example") + "\n\nTom Becker\n"
    await gw.deliver(mail("Tom Becker <tom@acme-growth.example>", "Engineers", body, pitch=0.95))
    quoted = "\n".join(f"> {line}" for line in body.splitlines())
    resend = (
        "Hi Sam, bringing this back up in case it got buried.\n\n"
        f"On Mon, 3 Mar 2025 at 10:02, Tom Becker <tom@acme-growth.example> wrote:\n{quoted}\n"
    )
    verdict = await gw.deliver(
        mail("Max Kern <max@acme-outreach.example>", "Re: Engineers", resend), after=DAY
    )
    assert "CAMPAIGN_ROTATING_SENDER" in verdict.symbols, verdict.symbols
    assert verdict.action is Action.QUARANTINE and verdict.extra["sequence"] == "tom@acme-growth.example"


async def test_a_booking_link_ties_two_senders_with_different_words(gw: Gateway) -> None:
    link = "https://calendly.com/acme-growth/intro-20"
    await gw.deliver(
        mail(
            "Tom Becker <tom@acme-growth.example>", "Idea", f"Hi Sam, one idea for your hiring: {link}\n", 0.9
        )
    )
    later = await gw.deliver(
        mail("Ola Berg <ola@acme-talent.example>", "Quick one", f"Sam, still worth 20 minutes? {link}\n"),
        after=3 * DAY,
    )
    assert "CAMPAIGN_ROTATING_SENDER" in later.symbols and escalated(later), later.symbols


async def test_an_under_the_line_first_touch_does_not_forgive_the_second(gw: Gateway) -> None:
    rep = "Kim Lund <kim@leadsly.example>"
    first = await gw.deliver(mail(rep, "Pipeline", "Hi Sam, a thought on your pipeline.\n", pitch=0.6))
    assert first.action is Action.PASS, first.symbols
    second = await gw.deliver(mail(rep, "Pipeline", "Hi Sam, any thoughts on this?\n"), after=3 * DAY)
    assert escalated(second) == ["FOLLOWUP_UNANSWERED_2"], second.symbols
    # Weak content evidence (a model's near miss on a person's note) still earns one plain reminder.
    pal = "Jo Park <jo@oldfriends.example>"
    await gw.deliver(mail(pal, "Hello", "Hi Sam, long time! Coffee soon?\n", pitch=0.3), after=HOUR)
    nudge = await gw.deliver(mail(pal, "Hello", "Hi Sam, any thoughts on coffee?\n"), after=3 * DAY)
    assert "FOLLOWUP_FIRST_NUDGE" in nudge.symbols and not escalated(nudge), nudge.symbols


async def test_a_stranger_who_asks_is_never_escalated_however_often(gw: Gateway) -> None:
    customer = "Raj Patel <raj@customer-corp.example>"
    ask = "Hi, since this morning our export is not working and returns a 502 error. Can you look into it?\n"
    # The content stand-in misreads the customer a little, as a model may.
    first = await gw.deliver(mail(customer, "Export down", ask, pitch=0.5, message_id="<ask1@customer>"))
    assert "ASKS_RECIPIENT" in first.symbols and "STRANGER_FIRST_TOUCH" not in first.symbols
    thread = {"In-Reply-To": "<ask1@customer>", "References": "<ask1@customer>"}
    for n in range(3):
        nudge = await gw.deliver(
            mail(customer, "Re: Export down", "Just following up, any update?\n", 0.5, headers=thread),
            after=DAY,
        )
        assert nudge.action is Action.PASS and not escalated(nudge), (n, nudge.symbols)
        assert "FOLLOWUP_OF_REQUEST" in nudge.symbols


@pytest.mark.parametrize(
    "decline",
    [
        "Not interested, please remove me from your list.",
        "Kein Interesse, bitte entfernen Sie mich aus Ihrem Verteiler.",
        "Merci, mais ça ne nous intéresse pas. Merci de me retirer de vos envois.",
        "No me interesa, por favor dejen de escribirme.",
        "Geen interesse, haal me van de lijst alstublieft.",
    ],
)
async def test_a_no_is_not_consent_and_the_next_touch_escalates(gw: Gateway, decline: str) -> None:
    rep = "Kim Lund <kim@leadsly.example>"
    await gw.deliver(mail(rep, "Pipeline", "Hi Sam, a thought on your pipeline.\n", pitch=0.6))
    answer = make_message(SAM, rep, "Re: Pipeline", f"{decline}\n\nSam\n")
    assert (await gw.deliver(answer, after=HOUR)).status == "outbound"
    after = await gw.deliver(mail(rep, "Re: Pipeline", "Understood! One last idea though.\n"), after=DAY)
    assert "CONSENT_WROTE_FIRST" not in after.symbols and "REPLY_TO_OURS" not in after.symbols
    assert "FOLLOWUP_AFTER_DECLINE" in after.symbols and escalated(after), after.symbols
    assert after.action is Action.QUARANTINE


async def test_an_engaging_reply_makes_the_sender_wanted(gw: Gateway) -> None:
    rep = "Kim Lund <kim@leadsly.example>"
    await gw.deliver(mail(rep, "Pipeline", "Hi Sam, a thought on your pipeline.\n", pitch=0.9))
    answer = make_message(SAM, rep, "Re: Pipeline", "Sounds interesting, send me more details.\n")
    await gw.deliver(answer, after=HOUR)
    after = await gw.deliver(mail(rep, "Re: Pipeline", "Great, here is the deck.\n", pitch=0.9), after=HOUR)
    assert after.action is Action.PASS and "CONSENT_WROTE_FIRST" in after.symbols, after.symbols


async def test_a_subscribed_newsletter_never_escalates_but_a_sequencer_does(gw: Gateway) -> None:
    news = "Weekly Growth <news@growthweekly.example>"
    bulk = {"List-Unsubscribe": "<https://growthweekly.example/u>", "Feedback-ID": "7:weekly:gw:esp"}
    for n in range(3):
        issue = await gw.deliver(
            mail(news, f"Issue {n}", "This week: ten ways to grow.\n", pitch=0.95, headers=bulk),
            after=7 * DAY,
        )
        assert not escalated(issue) and "STRANGER_FIRST_TOUCH" not in issue.symbols, issue.symbols
    assert issue.extra.get("sequence") is None
    # One-to-one mail with only a List-Unsubscribe added is no newsletter: it escalates.
    rep, unsub = "Kim Lund <kim@leadsly.example>", {"List-Unsubscribe": "<mailto:u@leadsly.example>"}
    await gw.deliver(mail(rep, "Pipeline", "Hi Sam, a thought.\n", pitch=0.95, headers=unsub), after=HOUR)
    second = await gw.deliver(mail(rep, "Pipeline", "Hi Sam, any thoughts?\n", headers=unsub), after=2 * DAY)
    assert escalated(second) == ["FOLLOWUP_UNANSWERED_2"], second.symbols


async def test_a_sales_tools_traces_link_senders_even_under_the_line(gw: Gateway) -> None:
    """A foreign-language first touch the content model misses still leaves its tool's booking link."""
    link = "https://calendly.com/vertriebsteam-nord/erstgespraech"
    first = await gw.deliver(
        mail("Jan Weber <jan@nordvertrieb.example>", "Kurze Frage", f"Hallo Sam, passt ein Termin? {link}\n")
    )
    assert first.action is Action.PASS and "BOOKING_LINK" in first.symbols, first.symbols
    later = await gw.deliver(
        mail("Eva Kuhn <eva@nord-sales.example>", "Nochmal", f"Hallo Sam, noch Interesse? {link}\n"),
        after=3 * DAY,
    )
    assert "CAMPAIGN_ROTATING_SENDER" in later.symbols and escalated(later), later.symbols
    assert later.extra["sequence"] == "jan@nordvertrieb.example"


async def test_another_sender_replying_in_the_pitchs_thread_continues_it(gw: Gateway) -> None:
    first = mail(
        "Jan Weber <jan@nordvertrieb.example>", "Idee", "Hallo Sam, eine Idee.\n", 0.95, message_id="<p1@nv>"
    )
    assert (await gw.deliver(first)).action is Action.TAG
    thread = {"In-Reply-To": "<p1@nv>", "References": "<p1@nv>"}
    nudge = mail(
        "Eva Kuhn <eva@nord-sales.example>", "Re: Idee", "Hallo Sam, kurze Nachfrage.\n", headers=thread
    )
    later = await gw.deliver(nudge, after=2 * DAY)
    assert "CAMPAIGN_ROTATING_SENDER" in later.symbols and later.action is Action.QUARANTINE, later.symbols


async def test_a_shared_name_alone_does_not_link_two_people(gw: Gateway) -> None:
    body = "Hi Sam,\n\n" + TEMPLATE.format(company="Example") + "\n\nJesse de Wit\n"
    await gw.deliver(mail("Jesse de Wit <jesse@acme-growth.example>", "Engineers", body, pitch=0.95))
    friend = await gw.deliver(
        mail("Jesse de Wit <jesse.dewit@web.example>", "Lunch", "Hi Sam, lunch on Friday?\n"), after=DAY
    )
    assert "CAMPAIGN_ROTATING_SENDER" not in friend.symbols and friend.action is Action.PASS, friend.symbols
    # The same name from a new address with the sales tool's traces is the campaign's next touch.
    link = "https://calendly.com/jdw-growth/intro"
    nudge = mail(
        "Jesse de Wit <jdw@acme-talent.example>", "Quick one", f"Sam, did you see my last email? {link}\n"
    )
    later = await gw.deliver(nudge, after=DAY)
    assert "CAMPAIGN_ROTATING_SENDER" in later.symbols and escalated(later), later.symbols
