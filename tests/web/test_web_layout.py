"""The review page as a person sees it, in real Chromium at 390 × 844 (a phone) and 1280 × 800 (a desktop).

Every page (the list, a message with its headers open, the lists page, each one-click page and what it
answers, a bulk result, signing out) is screenshotted to artifacts/web/, measured (no element wider
than the viewport, no sideways scrolling, touch-sized controls on the phone) and checked with axe-core
(no serious or critical violation). The held mail arrives over SMTP as in production, plus one record
put into the real store with the symbols of a follow-up sequence, so that the plain-language reasons show.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.actions.links import LinkAction, action_url, review_url
from gateway.actions.quarantine import new_id
from gateway.store.base import QuarantineRecord
from tests.mail import make_message
from tests.web.conftest import ADMIN_TOKEN, Site
from tests.web.layout import DESKTOP, OVERFLOW, PHONE, SMALL_TARGETS, TOUCH, axe_violations, check_page
from tests.web.test_web_digest import send_digest

BOB = "bob@example.com"
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
LONG = "https://track.pitcher.test/c/" + "x" * 300


async def _held_mail(site: Site) -> str:
    """Three touches of Sam's sequence and one from a rotating address, a long subject, a long link;
    returns the id of Sam's latest (the one with symbols)."""
    for n, subject in enumerate(["Scale your pipeline", "Re: Scale your pipeline"], 1):
        await site.hold(BOB, subject, sender="sam@pitcher.test")
        site.clock.advance(2 * 86400 + n * 3600)
    await site.hold(
        BOB,
        "An exceptionally long subject line that keeps going, 50% off offshore developers, book a call today",
        raw=make_message(
            sender="Rep Rotating <rep7@pitcher.test>",
            to=BOB,
            subject="An exceptionally long subject line that keeps going, 50% off offshore developers",
            body=f"Hi Bob,\n\nSee {LONG}\n\nRep\n",
        ),
        sender="rep7@pitcher.test",
    )
    now = site.clock.now()
    record = QuarantineRecord(
        id=new_id(now),
        message_id="<touch3@pitcher.test>",
        sender="sam@pitcher.test",
        recipients=(BOB,),
        subject="Re: Re: Scale your pipeline (last try)",
        score=17.7,
        symbols={"FOLLOWUP_UNANSWERED_3": 12.0, "CONTENT_PITCH": 4.2, "BOOKING_LINK": 1.5},
        received_at=now,
        extra={"sequence": "sam@pitcher.test"},
    )
    raw = make_message(
        sender="Sam Seller <sam@pitcher.test>",
        to=BOB,
        subject=record.subject,
        body="Hi Bob,\n\nJust bumping this to the top of your inbox. Book a call: https://cal.test/sam\n\nSam\n",
    )
    await site.gateway.app.store.quarantine_put(record, raw, 30 * 86400)
    return record.id


async def _page(browser: Any, size: dict[str, int]) -> Any:
    phone = size["width"] < 600
    context = await browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
    return await context.new_page()


@pytest.mark.parametrize("size", SIZES)
async def test_admin_pages_fit_and_pass_axe(site: Site, browser: Any, size: dict[str, int]) -> None:
    latest = await _held_mail(site)
    page = await _page(browser, size)
    await page.goto(f"{site.url}/?token={ADMIN_TOKEN}")
    await page.wait_for_url(f"{site.url}/")
    main = page.locator("main")
    assert await page.locator("li.entry").count() == 2  # Sam's three touches are one entry
    sams = page.locator("li.entry").filter(has_text="All from sam@pitcher.test")
    assert "3rd message from this sender with no answer from you" in await sams.inner_text()
    assert "3 messages" in await sams.inner_text()
    await check_page(page, "list-admin")

    await page.goto(f"{site.url}/?q=rep7&sort=score")
    assert await page.locator("ul.messages li").count() == 1
    assert "exceptionally long subject" in await main.inner_text()
    await check_page(page, "list-search")

    await page.goto(f"{site.url}/m/{latest}")
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Download the original (.eml)").click()
    assert (await download.value).suggested_filename == f"pitchgate-{latest}.eml"
    why = await page.locator("section.why").inner_text()
    for sentence in (
        "3rd message from this sender with no answer from you",
        "reads like a sales pitch",
        "asks you to book a meeting through a scheduling link",
    ):
        assert sentence in why
    assert await page.locator("ul.touches li").count() == 2  # the two earlier touches, both held
    await page.locator("details.raw-headers summary").click()
    assert "Message-ID: <" in await page.locator("details.raw-headers pre").inner_text()
    await check_page(page, "message")

    await page.goto(f"{site.url}/lists")
    await page.get_by_label("Address or domain").fill("friend.test")
    await page.get_by_role("button", name="Add").click()
    assert "friend.test is on the allow list." in await main.inner_text()
    await check_page(page, "lists-admin")

    await page.goto(f"{site.url}/")
    await page.locator("li.entry", has_text="rep7@pitcher.test").locator("input[name=sequence]").check()
    await page.get_by_role("button", name="Delete").click()
    assert "Deleted: 1 message" in await main.inner_text()
    await check_page(page, "bulk-done")

    await page.get_by_role("button", name="Sign out").click()
    assert "Signed out" in await main.inner_text()
    await check_page(page, "signed-out")
    response = await page.goto(f"{site.url}/")
    assert response.status == 401
    await page.context.close()


@pytest.mark.parametrize("size", SIZES)
async def test_the_digest_reads_on_a_phone_and_a_desktop(
    site: Site, browser: Any, size: dict[str, int]
) -> None:
    """The digest's HTML part as a mail client shows it (no CSP there: it is mail, not our page)."""
    await _held_mail(site)
    digest = await send_digest(site)
    html = digest.get_body(("html",))
    assert html is not None
    page = await _page(browser, size)
    await page.set_content(str(html.get_content()))
    shown = await page.locator("body").inner_text()
    assert "Sam Seller <sam@pitcher.test>" in shown and "3 messages since" in shown
    assert "Held because: 3rd message from this sender with no answer from you" in shown
    await check_page(page, "digest")
    await page.context.close()


@pytest.mark.parametrize("size", SIZES)
async def test_one_click_pages_fit_and_pass_axe(site: Site, browser: Any, size: dict[str, int]) -> None:
    latest = await _held_mail(site)
    page = await _page(browser, size)
    await page.goto(review_url(site.url, site.link(BOB)))
    await page.wait_for_url(f"{site.url}/")
    await check_page(page, "list-recipient")
    others = sorted(await site.held_ids() - {latest})
    for qid, action, name, button, done in (
        (latest, LinkAction.RELEASE_ONCE, "one-click-release", "Release it", "Released"),
        (others[0], LinkAction.RELEASE, "one-click-trust", "Release and trust sender", "sender is trusted"),
        (others[1], LinkAction.BLOCK, "one-click-block", "Stop this sender", "Marked as a pitch"),
    ):
        await page.goto(action_url(site.url, site.link(BOB, action, qid)))
        reason = "3rd message from this sender" if qid == latest else "is on a block list"
        assert reason in await page.locator("main").inner_text()
        await check_page(page, name)
        await page.get_by_role("button", name=button).click()
        await page.wait_for_load_state()
        assert done in await page.locator("h1").inner_text()
        await check_page(page, f"{name}-done")
    await page.context.close()


async def test_the_checks_catch_a_page_that_overflows_or_fails_axe(browser: Any) -> None:
    """The control: the measurements and axe-core do find what they look for."""
    page = await _page(browser, PHONE)
    await page.set_content(
        '<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width">'
        "<title>bad</title></head><body><main><div style='width:900px'>wide</div>"
        "<button></button></main></body></html>"
    )
    measured = await page.evaluate(OVERFLOW)
    assert measured["scrollWidth"] > PHONE["width"] and measured["over"], measured
    assert "button-name" in {v["id"] for v in await axe_violations(page)}
    assert await page.evaluate(SMALL_TARGETS, TOUCH)
    await page.context.close()
