"""The linkedin signal: classify and parse notifications, trust only LinkedIn's DKIM, record anchors.

DNS is stubbed (tests/signals/conftest.py `dns`) because there is no network: the stub serves the
public half of a key generated for the session, as LinkedIn's DNS would serve theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dkim
import pytest

from gateway.clock import ManualClock
from gateway.core.linkedin_mail import Kind, linkable, normalize_name
from gateway.core.policy import Action
from gateway.core.signals import SignalContext
from gateway.core.signals.linkedin import Anchor, LinkedIn, connection_anchor
from gateway.store.base import Store
from tests.mail import make_message
from tests.signals.conftest import LOCAL, MINUTE, SAM, Gateway, Key, fixture, parse, sign

CORPUS = Path("/work/shared/corpus/linkedin")


def signal(store: Store, clock: ManualClock, **options: object) -> LinkedIn:
    return LinkedIn(SignalContext(store, clock, LOCAL, {"connection_ttl_days": 30.0, **options}))


@pytest.mark.parametrize(
    ("name", "kind", "member", "headline"),
    [
        ("accepted.eml", Kind.ACCEPTED, "Dariusz Kowalczyk", "Head of Partnerships at Brightforge Digital"),
        ("new_connection.eml", Kind.ACCEPTED, "Mei-Lin Zhao", "Product Designer at Northwind Studio"),
        ("message.eml", Kind.MESSAGE, "Dariusz Kowalczyk", "Head of Partnerships at Brightforge Digital"),
        ("inmail.eml", Kind.INMAIL, "Renata Oyelaran", "Growth Lead, TestPilot Outsourcing"),
        ("invitation.eml", Kind.INVITATION, "Tomasz Wierzbicki", "Staff SRE at Kestrel Systems"),
        ("job_alert.eml", Kind.OTHER, "", ""),
    ],
)
def test_classifies_and_extracts_the_member(name: str, kind: Kind, member: str, headline: str) -> None:
    found = parse(fixture(name)).linkedin
    assert found is not None
    assert (found.kind, found.member, found.headline) == (kind, member, headline)


def test_member_text_is_the_members_words_without_boilerplate() -> None:
    msg = parse(fixture("message.eml"))
    assert msg.linkedin is not None
    text = msg.author_text
    assert text.startswith("Hi Sam, thanks for connecting!")
    assert "15-minute call" in text
    for boilerplate in (
        "View profile",
        "Reply",
        "intended for",
        "LinkedIn Corporation",
        "Head of Partnerships",
    ):
        assert boilerplate not in text
    assert msg.linkedin.url.startswith("https://www.linkedin.com/comm/messaging/thread/")


def test_invitation_note_and_ordinary_mail() -> None:
    assert parse(fixture("invitation.eml")).author_text.startswith("Hi Sam, we met at the DevOps summit")
    plain = parse(make_message("ana@partner.test", SAM, "Lunch", "Hi Sam,\n\nLunch Friday?\n"))
    assert plain.linkedin is None
    assert plain.author_text.startswith("Hi Sam")


@pytest.mark.skipif(not CORPUS.exists(), reason="shared LinkedIn corpus not present")
def test_real_invitation_sample_parses() -> None:
    raw = (CORPUS / "imapdigester_invitation_2016-05-02_michael_mcauliffe.eml").read_bytes()
    found = parse(raw).linkedin
    assert found is not None
    assert (found.kind, found.member, found.headline) == (
        Kind.INVITATION,
        "Michael McAuliffe",
        "Managing Director",
    )
    assert "AAsAAAJUVTYB" in found.url  # the member's profile, not the recipient's own in the HTML header


def test_name_normalization() -> None:
    assert normalize_name("José  Álvarez-Ruiz, MBA (he/him)") == "jose alvarez ruiz"
    assert normalize_name("Dariusz Kowalczyk via LinkedIn") == "dariusz kowalczyk"
    assert normalize_name("Dr. Jane O'Neil | Growth") == "jane o neil"
    assert not linkable(normalize_name("Sales"))


async def test_genuine_notification_passes_and_records_the_anchor(
    gateway: Gateway, linkedin_key: Key, store: Store, clock: ManualClock
) -> None:
    verdict = await gateway.deliver(sign(fixture("accepted.eml"), linkedin_key))
    assert verdict.action is Action.PASS
    assert verdict.symbols["LINKEDIN_NOTIFICATION"] < 0
    assert "LINKEDIN_FORGED" not in verdict.symbols
    ctx = SignalContext(store, clock, LOCAL, {})
    anchor = await connection_anchor(ctx, SAM, "dariusz kowalczyk", clock.now())
    assert anchor == Anchor(
        clock.now(), "accepted", "https://www.linkedin.com/comm/in/dariusz-kowalczyk-4b1a2"
    )


@pytest.mark.parametrize("name", ["job_alert.eml", "invitation.eml", "new_connection.eml"])
async def test_linkedin_own_notifications_pass(gateway: Gateway, linkedin_key: Key, name: str) -> None:
    verdict = await gateway.deliver(sign(fixture(name), linkedin_key))
    assert verdict.action is Action.PASS and verdict.score < 0, verdict.symbols


async def test_forged_notification_gains_nothing(gateway: Gateway, store: Store, clock: ManualClock) -> None:
    # X-LinkedIn-* headers and a linkedin.com From, but no signature: anyone can write that.
    verdict = await gateway.deliver(fixture("accepted.eml"))
    assert "LINKEDIN_NOTIFICATION" not in verdict.symbols
    assert verdict.symbols["LINKEDIN_FORGED"] > 0
    assert verdict.score > 0
    assert await store.mark_get(SAM, "conn", "dariusz kowalczyk", clock.now()) is None


async def test_signature_by_another_key_or_altered_body_is_forged(
    store: Store, clock: ManualClock, dns: Callable[..., bytes | None], linkedin_key: Key, attacker_key: Key
) -> None:
    li = signal(store, clock, dkim_dnsfunc=dns)
    wrong_key = sign(fixture("message.eml"), attacker_key)
    altered = sign(fixture("message.eml"), linkedin_key).replace(b"twice as fast", b"ten times as fast")
    for raw in (wrong_key, altered):
        assert [h.symbol for h in await li.check(parse(raw))] == ["LINKEDIN_FORGED"]
    genuine = await li.check(parse(sign(fixture("message.eml"), linkedin_key)))
    assert [h.symbol for h in genuine] == ["LINKEDIN_MESSAGE"]
    assert "Dariusz Kowalczyk" in genuine[0].evidence


async def test_signature_by_another_domain_does_not_count(
    store: Store, clock: ManualClock, dns: Callable[..., bytes | None], attacker_key: Key
) -> None:
    raw = sign(fixture("message.eml"), attacker_key, domain=b"growthhackers.example")
    hits = await signal(store, clock, dkim_dnsfunc=dns).check(parse(raw))
    assert [h.symbol for h in hits] == ["LINKEDIN_FORGED"]
    assert "no linkedin.com DKIM signature" in hits[0].evidence


async def test_trusted_authentication_results(store: Store, clock: ManualClock) -> None:
    header = b"Authentication-Results: mx.example.com; dkim=pass (2048-bit key) header.d=linkedin.com header.s=s1\r\n"
    # Our MX writes its verdict above the Received header it adds; only that position is trusted.
    received = b"Received: from mail.linkedin.com by mx.example.com (Postfix) with ESMTPS id 4X1\r\n"
    raw = header + received + fixture("job_alert.eml")
    trusting = signal(store, clock, trusted_authserv_ids=["mx.example.com"], verify_dkim=False)
    assert [h.symbol for h in await trusting.check(parse(raw))] == ["LINKEDIN_NOTIFICATION"]
    # The same header from a server we do not trust (or a forger) is just text.
    stranger = signal(store, clock, trusted_authserv_ids=["mx.other.net"], verify_dkim=False)
    assert [h.symbol for h in await stranger.check(parse(raw))] == ["LINKEDIN_FORGED"]
    failing = raw.replace(b"dkim=pass", b"dkim=fail")
    assert [h.symbol for h in await trusting.check(parse(failing))] == ["LINKEDIN_FORGED"]
    # The client's own copy of the header, below our Received, is the client's claim, not our verdict.
    planted = received + header + fixture("job_alert.eml")
    assert [h.symbol for h in await trusting.check(parse(planted))] == ["LINKEDIN_FORGED"]


async def test_dns_outage_is_neither_trust_nor_penalty(
    store: Store, clock: ManualClock, linkedin_key: Key
) -> None:
    def down(name: bytes, timeout: int = 5) -> bytes | None:
        raise dkim.DnsTimeoutError("stubbed resolver timeout")

    hits = await signal(store, clock, dkim_dnsfunc=down).check(
        parse(sign(fixture("accepted.eml"), linkedin_key))
    )
    assert [h.symbol for h in hits] == ["LINKEDIN_UNVERIFIED"]


async def test_member_the_recipient_emailed_is_a_known_contact(gateway: Gateway, linkedin_key: Key) -> None:
    out = make_message(
        SAM, "Dariusz Kowalczyk <dariusz@brightforge.example>", "Your proposal", "Send it over.\n"
    )
    await gateway.deliver(out)
    verdict = await gateway.deliver(sign(fixture("message.eml"), linkedin_key), after=10 * MINUTE)
    assert "LINKEDIN_KNOWN_CONTACT" in verdict.symbols
    assert verdict.action is Action.PASS
