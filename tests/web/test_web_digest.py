"""The digest end to end: it arrives at the sink, and its links, followed in a real browser and over HTTP,
release a held message to the sink or stop its sender, with no login."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from typing import Any

from gateway.actions.digest import Digester
from gateway.actions.links import LinkSigner
from gateway.store.base import ListKind
from tests.mail import make_message
from tests.web.client import Client
from tests.web.conftest import LINK_SECRET, Site

BOB = "bob@example.com"
DAY = 86400.0


async def send_digest(site: Site) -> EmailMessage:
    app = site.gateway.app
    digester = Digester(
        app.store,
        app.relay,
        app.metrics,
        LinkSigner(LINK_SECRET, 7 * DAY),
        base_url=site.url,
        sender="postmaster@example.com",
        subject="Held for review: {count} message(s)",
        retention_days=30,
        link_days=7,
    )
    report = await digester.send(site.clock.now(), BOB)
    assert report.sent == 1 and report.failed == 0
    digest = site.sink.received.pop()
    assert digest.rcpt_tos == [BOB]
    parsed = email.message_from_bytes(digest.data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _links(digest: EmailMessage, label: str) -> list[str]:
    html = digest.get_body(("html",))
    assert html is not None
    return re.findall(rf'<a href="([^"]+)"[^>]*>{label}</a>', html.get_content())


async def test_digest_links_release_in_a_browser_and_stop_a_sender_without_login(
    site: Site, browser: Any
) -> None:
    first = await site.hold(BOB, "Scale your pipeline", sender="sam@pitcher.test")
    second = await site.hold(BOB, "Offshore team, 50% off", sender="rep@pitcher.test")
    digest = await send_digest(site)
    assert digest["X-Pitchgate-Digest"] == "1" and digest["Auto-Submitted"] == "auto-generated"
    releases, stops = _links(digest, "Release"), _links(digest, "Stop this sender")
    assert len(releases) == len(stops) == 2 and all(u.startswith(f"{site.url}/a/") for u in releases + stops)

    by_qid = {site.signer.verify(url.rsplit("/", 1)[1], site.clock.now()).qid: url for url in releases}
    assert set(by_qid) == {first, second}
    page = await browser.new_page()
    await page.goto(by_qid[first])
    assert await site.held_ids() == {first, second}  # opening the link changed nothing
    await page.get_by_role("button", name="Release it").click()
    await page.wait_for_load_state()
    assert "Released" in await page.content()
    (delivered,) = site.sink.received
    assert delivered.rcpt_tos == [BOB] and b"Subject: Scale your pipeline" in delivered.data
    await page.close()

    (stop,) = [u for u in stops if site.signer.verify(u.rsplit("/", 1)[1], site.clock.now()).qid == second]
    stopped = await Client(site.port).post(stop[len(site.url) :])
    assert stopped.status == 200 and await site.held_ids() == set() and len(site.sink.received) == 1
    assert (BOB, "rep@pitcher.test") in await site.gateway.app.store.list_entries(ListKind.BLOCK, BOB)


async def test_one_entry_per_sequence_with_name_reason_preview_and_plurals(site: Site) -> None:
    for n in range(3):
        raw = make_message(
            sender="Sam Seller <sam@pitcher.test>",
            to=BOB,
            subject=f"Touch {n + 1}",
            body=f"Hi Bob,\n\nWe help SaaS teams book more demos, touch {n + 1}.\n\nSam\n",
        )
        await site.hold(BOB, f"Touch {n + 1}", raw=raw, sender="sam@pitcher.test")
        site.clock.advance(DAY)
    await site.hold(BOB, "Offshore team", sender="rep@pitcher.test")
    digest = await send_digest(site)
    text = digest.get_body(("plain",))
    html = digest.get_body(("html",))
    assert text is not None and html is not None
    plain, markup = str(text.get_content()), str(html.get_content())
    assert plain.count("Release:") == 2 and len(_links(digest, "Release")) == 2  # two sequences
    assert "pitchgate held 4 messages for bob@example.com." in plain
    assert "From:    Sam Seller <sam@pitcher.test>" in plain
    assert "Subject: Touch 3" in plain and "Touch 1" not in plain  # the latest, and the count
    assert "Held:    3 messages since " in plain and "Held:    1 message, " in plain
    assert "Why:     the sender (pitcher.test) is on a block list" in plain
    assert "Preview: Hi Bob, We help SaaS teams book more demos, touch 3. Sam" in plain
    assert "<strong>Sam Seller</strong> &lt;sam@pitcher.test&gt;" in markup
    assert "waits 30 days" in plain and "for 7 days" in plain and "(s)" not in plain
