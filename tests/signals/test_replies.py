"""The replies signal: consent from the recipient's own mail, and replies that only pretend to be."""

from __future__ import annotations

from collections.abc import Callable

from gateway.clock import ManualClock
from gateway.core.policy import Action
from gateway.fronts.replay.runner import load
from gateway.store.base import Store
from tests.mail import make_message
from tests.signals.conftest import DAY, HOUR, LOCAL, SAM, WITH_CONTENT, Gateway, Key, sign

DnsFunc = Callable[..., bytes | None]


async def test_fake_re_subject(gateway: Gateway) -> None:
    raw = make_message(
        "Tom Hale <tom@reachout.example>", SAM, "Re: our conversation", "Hi Sam, as promised...\n"
    )
    verdict = await gateway.deliver(raw)
    assert "FAKE_REPLY" in verdict.symbols


async def test_in_reply_to_nothing_the_recipient_saw(gateway: Gateway) -> None:
    headers = {"In-Reply-To": "<never-sent@reachout.example>"}
    raw = make_message("tom@reachout.example", SAM, "Following up", "Hi Sam\n", headers=headers)
    assert "FAKE_REPLY" in (await gateway.deliver(raw)).symbols


async def test_threading_onto_mail_the_recipient_received_is_not_fake(gateway: Gateway) -> None:
    await gateway.deliver(
        make_message("tom@reachout.example", SAM, "Hello", "Hi\n", message_id="<m1@reachout.example>")
    )
    headers = {"In-Reply-To": "<m1@reachout.example>"}
    raw = make_message("tom@reachout.example", SAM, "Re: Hello", "Hi again\n", headers=headers)
    verdict = await gateway.deliver(raw, after=DAY)
    assert "FAKE_REPLY" not in verdict.symbols and "REPLY_TO_OURS" not in verdict.symbols


async def test_vendor_the_recipient_contacted_first_passes(
    store: Store, clock: ManualClock, dns: DnsFunc, vendor_key: Key
) -> None:
    stub = {"dkim_dnsfunc": dns}
    gw = Gateway(store, clock, {"linkedin": stub, "replies": stub, "cadence": stub}, WITH_CONTENT)
    await gw.deliver(
        make_message(SAM, "sales@cloudvault.example", "Pricing", "Hi, what does the Team plan cost?\n")
    )
    # The vendor answers through its ESP: the envelope sender is a bounce address, From is the rep,
    # and the vendor's own DKIM signature (d=cloudvault.example) is what aligns From.
    pitchy = (
        "Hi Sam,\n\nThanks for reaching out! Our platform starts at $12/seat; we help teams like yours "
        "cut backup costs. Book a call: https://calendly.com/cloudvault/demo\n"
    )
    headers = {"Return-Path": "<bounce-xy12@em.cloudvault-mail.example>"}
    for step in range(3):
        body = pitchy if step == 0 else "Just following up - did you get a chance to look at the quote?\n"
        msg = make_message("Rita Gomez <sales@cloudvault.example>", SAM, "Re: Pricing", body, headers=headers)
        msg = sign(msg, vendor_key, domain=b"cloudvault.example")
        verdict = await gw.deliver(msg, after=2 * DAY)
        assert verdict.action is Action.PASS, verdict.symbols
        assert "CONSENT_WROTE_FIRST" in verdict.symbols


async def test_domain_consent_only_for_company_domains(gateway: Gateway) -> None:
    await gateway.deliver(make_message(SAM, "ceo@acme.example", "Hi", "Hello\n"))
    await gateway.deliver(make_message(SAM, "friend@gmail.com", "Hi", "Hello\n"))
    colleague = await gateway.deliver(make_message("cfo@acme.example", SAM, "Re: Hi", "Hello\n"), after=HOUR)
    assert "CONSENT_WROTE_DOMAIN" in colleague.symbols
    stranger = await gateway.deliver(make_message("seller@gmail.com", SAM, "Offer", "Hello\n"), after=HOUR)
    assert "CONSENT_WROTE_DOMAIN" not in stranger.symbols


async def test_salesperson_the_recipient_answered_passes(gateway: Gateway) -> None:
    rep = "Noah Berg <noah@ledgerly.example>"
    first = make_message(rep, SAM, "Ledgerly for Example Co", "We help finance teams close faster. Demo?\n")
    await gateway.deliver(first)
    await gateway.deliver(
        make_message(SAM, rep, "Re: Ledgerly for Example Co", "Sure, send details.\n"), after=HOUR
    )
    verdict = await gateway.deliver(
        make_message(rep, SAM, "Details", "Here they are, following up as promised.\n"), after=DAY
    )
    assert verdict.action is Action.PASS and "CONSENT_WROTE_FIRST" in verdict.symbols


async def test_mailing_list_replies_are_not_fake(gateway: Gateway) -> None:
    headers = {"List-Id": "<dev.lists.example.org>", "In-Reply-To": "<old-post@lists.example.org>"}
    raw = make_message("dev@lists.example.org", SAM, "Re: [dev] release", "+1\n", headers=headers)
    assert "FAKE_REPLY" not in (await gateway.deliver(raw)).symbols


async def test_a_reply_to_two_continues_one_recipients_thread_for_both(gateway: Gateway) -> None:
    # Judged per recipient, Bob's copy of a partner's reply to Carol and Bob must not read as a fake reply
    # just because Bob never saw the message Carol sent (found by merging per-recipient verdicts).
    carol, bob = "carol@example.com", "bob@example.com"
    await gateway.deliver(
        make_message(carol, "pat@partner.test", "Plan", "Hi Pat\n", message_id="<c1@example.com>")
    )
    headers = {"In-Reply-To": "<c1@example.com>", "Cc": bob}
    raw = make_message("pat@partner.test", carol, "Re: Plan", "Looping in Bob.\n", headers=headers)
    gateway.clock.advance(HOUR)
    judged = await gateway.pipeline.judge_each(load(raw, LOCAL))
    by_rcpt = {j.recipient: j.verdict.symbols for j in judged}
    assert set(by_rcpt) == {carol, bob}
    assert "REPLY_TO_OURS" in by_rcpt[carol]
    assert "FAKE_REPLY" not in by_rcpt[bob] and "REPLY_TO_OURS" not in by_rcpt[bob], by_rcpt[bob]


async def test_a_thread_nobody_here_saw_is_still_fake_for_each(gateway: Gateway) -> None:
    carol, bob = "carol@example.com", "bob@example.com"
    headers = {"In-Reply-To": "<never@partner.test>", "Cc": bob}
    raw = make_message("pat@partner.test", carol, "Re: Plan", "Following up.\n", headers=headers)
    judged = await gateway.pipeline.judge_each(load(raw, LOCAL))
    assert all("FAKE_REPLY" in j.verdict.symbols for j in judged) and len(judged) == 2
