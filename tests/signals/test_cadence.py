"""The cadence signal, end to end through the real pipeline and policy, on SQLite and on Redis.

Multi-message cases play out like replay: a ManualClock moves between messages, each message is judged
and then committed. `StandInContent` plays the content classifier (off until its model lands).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gateway.clock import ManualClock
from gateway.core.policy import Action, Verdict
from gateway.core.signals.cadence import age_text, regular_gaps
from tests.mail import make_message
from tests.signals.conftest import (
    DAY,
    HOUR,
    MINUTE,
    SAM,
    WITH_CONTENT,
    Gateway,
    Key,
    StoreFactory,
    fixture,
    parse,
    sign,
)

DARIUSZ = "Dariusz Kowalczyk <dariusz@brightforge.example>"
DnsFunc = Callable[..., bytes | None]


@pytest.fixture
def gw(make_store: StoreFactory, clock: ManualClock, dns: DnsFunc) -> Gateway:
    return Gateway(make_store(), clock, {"linkedin": {"dkim_dnsfunc": dns}}, WITH_CONTENT)


def reply(sender: str, subject: str, body: str, **kw: object) -> bytes:
    return make_message(sender, SAM, subject, body, **kw)  # type: ignore[arg-type]


def held(verdict: Verdict) -> bool:
    return verdict.action is Action.QUARANTINE


async def test_linkedin_connection_then_message_pitch_then_email_follow_up(
    gw: Gateway, linkedin_key: Key
) -> None:
    assert (await gw.deliver(sign(fixture("accepted.eml"), linkedin_key))).action is Action.PASS

    pitch = await gw.deliver(sign(fixture("message.eml"), linkedin_key), after=43 * MINUTE)
    assert pitch.action in (Action.TAG, Action.QUARANTINE), pitch.symbols
    new_conn = next(s.hit for s in pitch.hits if s.hit.symbol == "LINKEDIN_NEW_CONNECTION")
    assert new_conn.factor > 0.95
    assert new_conn.evidence == "first touch; connected 00:43 ago via LinkedIn"

    # Three days later the same person writes from his own address: linked by name to the anchor.
    email = reply(
        DARIUSZ, "Our call?", "Hi Sam,\n\nDid you get a chance to read my note on LinkedIn?\n\nDariusz\n"
    )
    follow = await gw.deliver(email, after=3 * DAY)
    assert held(follow), follow.symbols
    hit = next(s.hit for s in follow.hits if s.hit.symbol == "FOLLOWUP_UNANSWERED_2")
    assert (
        "linkedin:dariusz kowalczyk" in hit.evidence and "linked to the LinkedIn connection" in hit.evidence
    )

    # Sam answers the email; the linked sequence is answered too, and the next mail is welcome.
    await gw.deliver(make_message(SAM, DARIUSZ, "Re: Our call?", "Thursday works.\n"), after=HOUR)
    after = await gw.deliver(reply(DARIUSZ, "Thursday", "Great, sending an invite.\n"), after=HOUR)
    assert after.action is Action.PASS, after.symbols
    assert not any(s.startswith("FOLLOWUP_UNANSWERED") for s in after.symbols)


async def test_freemail_pitch_is_tagged_and_its_unanswered_follow_ups_quarantined(gw: Gateway) -> None:
    kyle = "Kyle Brandt <kyle.growthpro@gmail.com>"
    first = reply(
        kyle,
        "Re: quick question",
        "Hey Sam,\n\nWe help SaaS teams book 30+ qualified meetings a month with done-for-you outbound.\n"
        "Worth a chat? Grab a slot: https://calendly.com/kyle-growthpro/15min\n\nKyle\n",
    )
    v1 = await gw.deliver(first)
    assert v1.action in (Action.TAG, Action.QUARANTINE), v1.symbols
    v2 = await gw.deliver(
        reply(kyle, "Re: quick question", "Sam - floating this back up. Thoughts?\n"), after=2 * DAY
    )
    assert held(v2) and v2.symbols["FOLLOWUP_UNANSWERED_2"] >= 10, v2.symbols
    v3 = await gw.deliver(reply(kyle, "closing the loop", "Should I close your file?\n"), after=4 * DAY)
    assert held(v3) and "FOLLOWUP_UNANSWERED_3" in v3.symbols
    assert "touch 3 from kyle.growthpro@gmail.com" in next(
        s.hit.evidence for s in v3.hits if s.hit.symbol == "FOLLOWUP_UNANSWERED_3"
    )


async def test_second_unanswered_pitch_reaches_quarantine_on_its_own(gw: Gateway) -> None:
    sender = "Priya Raman <priya@leadcraft.example>"
    pitch = "Hi Sam,\n\nOur agency delivers qualified leads for engineering consultancies. Open to a quick call?\n"
    assert (await gw.deliver(reply(sender, "Pipeline for Example Co", pitch))).action is Action.TAG
    # A bland second touch: no follow-up words, no fingerprints. Escalation alone carries it.
    second = await gw.deliver(reply(sender, "Pipeline", "Hi Sam, thoughts on the above.\n"), after=3 * DAY)
    assert second.symbols["FOLLOWUP_UNANSWERED_2"] >= 10 and held(second), second.symbols


@pytest.mark.parametrize(
    ("sender", "first", "nudge"),
    [
        (
            "Lena Fischer <lena@harbor-logistics.example>",
            "Hi, we're evaluating tools for a 40-person team. Could you send pricing, and do you support SSO?",
            "Just following up on my question below - any update on pricing?",
        ),
        (
            "Omar Haddad <omar.haddad@outlook.com>",
            "Dear hiring team, please find my application for the backend engineer role attached.",
            "I wanted to follow up on my application - have you had a chance to review it?",
        ),
        (
            "Ines Moreau <ines@dailyledger.example>",
            "I'm writing a piece on developer burnout and would love a quote from you by Friday.",
            "Did you get a chance to see my earlier email? My deadline is tomorrow.",
        ),
        (
            "Raj Patel <raj@customer-corp.example>",
            "Since this morning our dashboard shows 502 errors for every export. Can you look into it?",
            "Checking in on this - we're still seeing the 502s and haven't heard back.",
        ),
    ],
)
async def test_stranger_and_one_polite_nudge_pass(gw: Gateway, sender: str, first: str, nudge: str) -> None:
    v1 = await gw.deliver(
        reply(sender, "Question", f"Hi,\n\n{first}\n\nThanks\n", message_id="<q1@stranger>")
    )
    quoted = "\n".join(f"> {line}" for line in first.splitlines())
    body = f"Hi,\n\n{nudge}\n\nOn Mon, 3 Mar 2025 at 10:02, {sender} wrote:\n{quoted}\n"
    headers = {"In-Reply-To": "<q1@stranger>", "References": "<q1@stranger>"}
    v2 = await gw.deliver(reply(sender, "Re: Question", body, headers=headers), after=3 * DAY)
    assert v1.action is Action.PASS, v1.symbols
    assert v2.action is Action.PASS, v2.symbols
    # The sender asks something of the recipient: the nudge is no evidence of a sequence.
    assert "ASKS_RECIPIENT" in v1.symbols and "FAKE_REPLY" not in v2.symbols
    assert not [s for s in v2.symbols if s.startswith("FOLLOWUP_UNANSWERED_")], v2.symbols


async def test_second_instance_sees_the_first_instances_touches(
    make_store: StoreFactory, clock: ManualClock, dns: DnsFunc
) -> None:
    one = Gateway(make_store(), clock, {"linkedin": {"dkim_dnsfunc": dns}}, WITH_CONTENT)
    two = Gateway(make_store(), clock, {"linkedin": {"dkim_dnsfunc": dns}}, WITH_CONTENT)
    sender = "Nate Cole <nate@devshore.example>"
    body = "Hi Sam, our offshore developers can join your team next week. Quick call?\n"
    assert (await one.deliver(reply(sender, "Developers", body))).action is Action.TAG
    second = await two.deliver(reply(sender, "Developers", "Bumping this up.\n"), after=DAY)
    assert held(second), second.symbols


async def test_connection_factor_decays_with_time(gw: Gateway, linkedin_key: Key) -> None:
    await gw.deliver(sign(fixture("accepted.eml"), linkedin_key))
    later = await gw.deliver(sign(fixture("message.eml"), linkedin_key), after=6 * DAY)
    hit = next(s.hit for s in later.hits if s.hit.symbol == "LINKEDIN_NEW_CONNECTION")
    assert 0.1 < hit.factor < 0.15  # three half-lives of two days
    assert hit.evidence.startswith("first touch; connected 6d 00:00 ago")


async def test_regular_schedule_is_noticed(gw: Gateway) -> None:
    sender = "Ops Bot <seq@pipeline-pros.example>"
    for step in range(3):
        verdict = await gw.deliver(reply(sender, "Hello", f"Step {step}: any thoughts?\n"), after=2 * DAY)
    assert "SEQUENCE_REGULAR_INTERVAL" in verdict.symbols


async def test_mailing_lists_are_not_sequences(gw: Gateway) -> None:
    headers = {"List-Id": "<dev.lists.example.org>"}
    for _ in range(3):
        verdict = await gw.deliver(
            reply("dev@lists.example.org", "[dev] patch", "LGTM\n", headers=headers), after=HOUR
        )
    assert not any(s.startswith(("FOLLOWUP_UNANSWERED", "SEQUENCE")) for s in verdict.symbols)


async def test_reply_to_address_answers_the_sequence(gw: Gateway) -> None:
    sender = "Maya Lind <maya@mail.sendtool.example>"
    headers = {"Reply-To": "maya@lindconsulting.example"}
    body = "Hi Sam, we help teams cut cloud spend by 30%. Open to a quick call?\n"
    await gw.deliver(reply(sender, "Cloud spend", body, headers=headers))
    await gw.deliver(
        make_message(SAM, "maya@lindconsulting.example", "Re: Cloud spend", "Tell me more.\n"), after=HOUR
    )
    verdict = await gw.deliver(
        reply(sender, "Cloud spend", "Here are the details.\n", headers=headers), after=HOUR
    )
    assert not any(s.startswith("FOLLOWUP_UNANSWERED") for s in verdict.symbols), verdict.symbols


def test_regular_gaps_and_age_text() -> None:
    t = 1_741_000_000.0
    assert regular_gaps([t, t + 3 * DAY, t + 6 * DAY], 0.2)
    assert regular_gaps([t, t + 2 * DAY, t + 5 * DAY + 600], 0.2)  # whole days, same time of day
    assert not regular_gaps([t, t + 2 * DAY + 5 * HOUR, t + 7 * DAY], 0.2)
    assert not regular_gaps([t, t + 3 * DAY], 0.2)  # one gap says nothing
    assert age_text(42 * MINUTE) == "00:42"
    assert age_text(3 * DAY + 4 * HOUR + 10 * MINUTE) == "3d 04:10"


async def test_a_feed_item_judged_a_pitch_does_not_condemn_the_feed(gw: Gateway) -> None:
    feed = "Tech Feed <feeds@news.example>"
    for n in range(6):
        await gw.deliver(reply(feed, f"Item {n}", "A new article was posted.\n"), after=DAY)
    # The 7th item reads like a pitch and is tagged, but the sender has long been a feed.
    pitchy = "Our agency helps you grow your pipeline with qualified leads.\n"
    assert (await gw.deliver(reply(feed, "Sponsored", pitchy), after=DAY)).action is Action.TAG
    after = await gw.deliver(reply(feed, "Item 8", "A new article was posted.\n"), after=DAY)
    assert after.action is Action.PASS and "FOLLOWUP_UNANSWERED" in after.symbols


async def test_several_touches_a_day_are_a_stream(gw: Gateway) -> None:
    alerts = "alerts@monitor.example"
    pitchy = "Upgrade today: our platform offers a limited-time discount for teams like yours.\n"
    assert (await gw.deliver(reply(alerts, "Offer", pitchy))).action is Action.TAG
    for _ in range(3):
        verdict = await gw.deliver(reply(alerts, "Alert", "CPU high on web-1.\n"), after=2 * HOUR)
    assert verdict.action is Action.PASS, verdict.symbols
    assert "a stream, not a sequence" in next(s.hit.evidence for s in verdict.hits)


async def test_an_unsubscribe_link_does_not_excuse_a_follow_up(gw: Gateway) -> None:
    sender = "Grace Lee <grace@martech.example>"
    pitch = "Hi Sam, we help teams automate reporting. Open to a quick call?\n"
    assert (await gw.deliver(reply(sender, "Reporting", pitch))).action is Action.TAG
    headers = {"List-Unsubscribe": "<mailto:unsub@martech.example>"}
    second = await gw.deliver(
        reply(sender, "Reporting", "Hi Sam, thoughts?\n", headers=headers), after=3 * DAY
    )
    assert second.symbols["FOLLOWUP_UNANSWERED_2"] == 11.0 and held(second), second.symbols


async def test_list_and_bulk_traffic_is_no_sequence(gw: Gateway) -> None:
    sender = "Tim Chapman <timc@lists.example>"
    headers = {"Precedence": "bulk", "List-Unsubscribe": "<mailto:group-unsubscribe@groups.example>"}
    verdicts = [
        await gw.deliver(
            reply(sender, "Re: weekend", f"Post {i}: we help and offer. Quick call?\n", headers=headers),
            after=DAY,
        )
        for i in range(4)
    ]
    assert not any(s.startswith("FOLLOWUP_") for v in verdicts for s in v.symbols), [
        v.symbols for v in verdicts
    ]


async def test_pitch_score_option_decouples_escalation_from_the_tag_threshold(
    make_store: StoreFactory, clock: ManualClock, dns: DnsFunc
) -> None:
    options = {"linkedin": {"dkim_dnsfunc": dns}, "cadence": {"pitch_score": 3.0}}
    gw = Gateway(make_store(), clock, options)  # no content stand-in: the first pitch scores 3.0
    sender = "Ben Ito <ben.ito.growth@gmail.com>"
    body = "Hi Sam, our agency can grow your pipeline. Grab a time: https://calendly.com/ben-ito/15\n"
    first = await gw.deliver(reply(sender, "Pipeline", body))
    assert first.action is Action.PASS and first.score >= 3.0
    second = await gw.deliver(reply(sender, "Pipeline", "Hi Sam, any thoughts?\n"), after=2 * DAY)
    assert held(second), second.symbols


def _below_pitch_line(make_store: StoreFactory, clock: ManualClock, dns: DnsFunc) -> Gateway:
    """pitch_score 99 keeps every touch below the pitch line: only the selling-evidence path can escalate."""
    options = {
        "linkedin": {"dkim_dnsfunc": dns},
        "cadence": {"suspect_symbols": ["CONTENT_STANDIN"], "pitch_score": 99},
    }
    return Gateway(make_store(), clock, options, WITH_CONTENT)


async def test_untagged_selling_touch_escalates_from_the_third_touch(
    make_store: StoreFactory, clock: ManualClock, dns: DnsFunc
) -> None:
    gw = _below_pitch_line(make_store, clock, dns)
    sender = "Vera Lind <vera@seoshop.example>"
    first = await gw.deliver(
        reply(sender, "SEO", "Hi Sam, we help companies like yours rank higher. Quick call?\n")
    )
    assert "CONTENT_STANDIN" in first.symbols
    second = await gw.deliver(reply(sender, "SEO", "Just bumping this.\n"), after=3 * DAY)
    assert "FOLLOWUP_FIRST_NUDGE" in second.symbols, second.symbols
    third = await gw.deliver(reply(sender, "SEO", "Any thoughts?\n"), after=3 * DAY)
    assert held(third), third.symbols
    assert "FOLLOWUP_UNANSWERED_3" in third.symbols


async def test_nothing_escalates_without_selling_evidence(gw: Gateway) -> None:
    sender = "Kim Berg <kim@customer.example>"
    verdicts = [
        await gw.deliver(
            reply(sender, "Export broken", f"Reminder {i}: exports still fail.\n"), after=2 * DAY
        )
        for i in range(4)
    ]
    assert all(v.action is Action.PASS for v in verdicts), [v.symbols for v in verdicts]
    assert not any(s.startswith("FOLLOWUP_UNANSWERED_") for v in verdicts for s in v.symbols)


async def test_inmail_then_email_under_the_same_name_is_one_sequence(gw: Gateway, linkedin_key: Key) -> None:
    inmail = await gw.deliver(sign(fixture("inmail.eml"), linkedin_key))
    assert "LINKEDIN_INMAIL" in inmail.symbols
    member = next(s.hit for s in inmail.hits if s.hit.symbol == "LINKEDIN_INMAIL")
    assert member.evidence
    name = parse(sign(fixture("inmail.eml"), linkedin_key)).linkedin
    assert name is not None and name.member
    email = reply(
        f"{name.member} <{name.member_key.replace(' ', '.')}@somewhere.example>",
        "Following up",
        "Hi Sam, following up on my InMail.\n",
    )
    follow = await gw.deliver(email, after=2 * DAY)
    touch = next(s.hit for s in follow.hits if s.hit.symbol.startswith("FOLLOWUP_"))
    assert f"linkedin:{name.member_key}" in touch.evidence, follow.symbols


async def test_a_faked_thread_is_no_polite_reminder(
    make_store: StoreFactory, clock: ManualClock, dns: DnsFunc
) -> None:
    gw = _below_pitch_line(make_store, clock, dns)
    sender = "Ivo Marsh <ivo@leadfarm.example>"
    await gw.deliver(reply(sender, "Leads", "Hi Sam, we help SaaS teams book demos. Quick call?\n"))
    second = await gw.deliver(reply(sender, "Re: Leads", "Circling back on this.\n"), after=3 * DAY)
    assert "FOLLOWUP_FIRST_NUDGE" not in second.symbols
    assert held(second), second.symbols
