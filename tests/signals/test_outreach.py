"""The outreach signal: sales-engagement tool fingerprints, tracking, booking links, templated "iPhone" mail."""

from __future__ import annotations

import pytest

from gateway.clock import ManualClock
from gateway.core.signals import SignalContext
from gateway.core.signals.outreach import Outreach, tool_for_host
from gateway.store.base import Store
from tests.mail import make_message
from tests.signals.conftest import LOCAL, SAM, fixture, parse


def html_message(html: str, *, text: str = "", headers: dict[str, str] | None = None) -> bytes:
    """A multipart/alternative message with a plain and an HTML part."""
    lines = [
        "From: Jess Park <jess@growthloop.example>",
        f"To: {SAM}",
        "Subject: Idea for Example Co",
        "Message-ID: <h1@growthloop.example>",
        "Date: Tue, 04 Mar 2025 10:00:00 +0000",
        "MIME-Version: 1.0",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
        'Content-Type: multipart/alternative; boundary="b1"',
        "",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        text or "Hi Sam, quick idea for you.",
        "--b1",
        "Content-Type: text/html; charset=utf-8",
        "",
        html,
        "--b1--",
        "",
    ]
    return "\r\n".join(lines).encode()


async def found(store: Store, clock: ManualClock, raw: bytes) -> dict[str, str]:
    hits = await Outreach(SignalContext(store, clock, LOCAL, {})).check(parse(raw))
    return {h.symbol: h.evidence for h in hits}


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Mailer": "lemlist"},
        {"X-Outreach-Mailing-Id": "88213"},
        {"X-Mailer": "Apollo.io mailer"},
        {"X-Reply-Io-Campaign": "c-19"},
        {"Return-Path": "<bounce-77@mail.instantly.ai>"},
    ],
)
async def test_tool_headers(store: Store, clock: ManualClock, headers: dict[str, str]) -> None:
    raw = make_message("jess@growthloop.example", SAM, "Idea", "Hi Sam\n", headers=headers)
    assert "OUTREACH_TOOL" in await found(store, clock, raw)


async def test_tool_message_id(store: Store, clock: ManualClock) -> None:
    raw = make_message(
        "jess@growthloop.example", SAM, "Idea", "Hi\n", message_id="<abc.123@mail.woodpecker.co>"
    )
    assert "Woodpecker" in (await found(store, clock, raw))["OUTREACH_TOOL"]


async def test_tool_tracking_hosts(store: Store, clock: ManualClock) -> None:
    html = '<p>Hi Sam</p><img src="https://t.sidekickopen87.com/e1t/o/5/abc" width="1" height="1">'
    symbols = await found(store, clock, html_message(html))
    assert "HubSpot" in symbols["OUTREACH_TOOL"]
    assert "TRACKING_PIXEL" in symbols
    assert tool_for_host("t.yesware.com") == "Yesware"
    assert tool_for_host("example.com") == ""


async def test_generic_pixel_and_redirect_on_personal_looking_mail(store: Store, clock: ManualClock) -> None:
    html = (
        '<p>Hi Sam, <a href="https://go.growthloop.example/c?url=https%3A%2F%2Fgrowthloop.example%2Fcase">'
        'see our case</a></p><img src="https://go.growthloop.example/open/8812.gif" width="1" height="1">'
    )
    symbols = await found(store, clock, html_message(html))
    assert {"TRACKING_PIXEL", "LINK_TRACKING"} <= set(symbols)
    # A newsletter says what it is (list headers, its platform's Feedback-ID); its tracking is no disguise.
    bulk = {"List-Unsubscribe": "<https://growthloop.example/u>", "Feedback-ID": "3:news:growthloop:esp"}
    listed = html_message(html, headers=bulk)
    assert not {"TRACKING_PIXEL", "LINK_TRACKING"} & set(await found(store, clock, listed))
    # A sequencer that only adds List-Unsubscribe to one-to-one mail still poses as personal.
    unsub = html_message(html, headers={"List-Unsubscribe": "<https://growthloop.example/u>"})
    assert {"TRACKING_PIXEL", "LINK_TRACKING"} <= set(await found(store, clock, unsub))


@pytest.mark.parametrize(
    "url",
    [
        "https://calendly.com/jess-park/20min",
        "https://cal.com/jess/intro",
        "https://meetings.hubspot.com/jess-park",
        "https://savvycal.com/jess/chat",
        "https://calendar.app.google/AbC123xyz",
        "https://calendar.google.com/calendar/appointments/schedules/AcZssZ3",
        "https://jess.chilipiper.com/book/me",
        "https://zcal.co/jess/30min",
        "https://tidycal.com/jess/15",
    ],
)
async def test_booking_links(store: Store, clock: ManualClock, url: str) -> None:
    raw = make_message("jess@growthloop.example", SAM, "Chat?", f"Hi Sam,\n\nPick a time: {url}\n")
    assert "BOOKING_LINK" in await found(store, clock, raw)


async def test_sent_from_iphone_under_a_template(store: Store, clock: ManualClock) -> None:
    html = (
        '<table><tr><td><p>Hi Sam, we help teams ship faster.</p><a href="https://growthloop.example/a">A</a>'
        '<a href="https://growthloop.example/b">B</a><p>Sent from my iPhone</p></td></tr></table>'
    )
    text = "Hi Sam, we help teams ship faster.\n\nSent from my iPhone"
    assert "SENT_FROM_PHONE_TEMPLATED" in await found(store, clock, html_message(html, text=text))
    plain = make_message(
        "friend@mail.example", SAM, "Running late", "Ten minutes late, sorry!\n\nSent from my iPhone\n"
    )
    assert await found(store, clock, plain) == {}


async def test_personal_mail_and_linkedin_mail_have_no_fingerprints(store: Store, clock: ManualClock) -> None:
    plain = make_message(
        "ana@partner.example", SAM, "Notes", "Hi Sam,\n\nNotes: https://docs.partner.example/n\n"
    )
    assert await found(store, clock, plain) == {}
    assert await found(store, clock, fixture("message.eml")) == {}
