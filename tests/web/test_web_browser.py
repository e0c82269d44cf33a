"""The review page in real headless Chromium: sign in, read, release, per-recipient links, hostile HTML."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.actions.links import review_url
from tests.web.conftest import ADMIN_TOKEN, Site

BOB, CAROL = "bob@example.com", "carol@example.com"
SCREENSHOT = Path(__file__).resolve().parents[2] / "artifacts" / "quarantine-list.png"
PIXEL = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


class Tracker:
    """An HTTP server standing in for the sender's image and script host: it counts every request."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []
        self.server: asyncio.Server | None = None
        self.url = ""

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        self.requests.append(head.split(b"\r\n", 1)[0])
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nConnection: close\r\n")
        writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(PIXEL), PIXEL))
        await writer.drain()
        writer.close()

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        return self.url


@pytest.fixture
async def tracker() -> AsyncIterator[Tracker]:
    found = Tracker()
    await found.start()
    yield found
    assert found.server is not None
    found.server.close()
    await found.server.wait_closed()


def _raw(subject: str, content_type: str, body: str) -> bytes:
    head = (
        f"From: Sam <sam@pitcher.test>\r\nTo: {BOB}\r\nSubject: {subject}\r\n"
        f"Message-ID: <{abs(hash(subject))}@pitcher.test>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: {content_type}; charset=utf-8\r\n\r\n"
    )
    return (head + body.replace("\n", "\r\n")).encode()


async def _admin_page(site: Site, browser: Any) -> Any:
    page = await browser.new_page(viewport={"width": 1280, "height": 640})
    await page.goto(f"{site.url}/?token={ADMIN_TOKEN}")
    await page.wait_for_url(f"{site.url}/")  # the page moved on by itself: no token left in the address
    return page


async def test_admin_reads_a_held_message_and_releases_it(site: Site, browser: Any) -> None:
    await site.hold(CAROL, "Offshore developers at $15/hour")
    site.clock.advance(26 * 3600)
    await site.hold(BOB, "Quick question about your lead generation")
    site.clock.advance(3 * 3600)
    await site.hold(BOB, "Re: Quick question about your lead generation")
    site.clock.advance(240)
    page = await _admin_page(site, browser)
    assert await page.locator("ul.messages li").count() == 3
    assert await page.locator("li.entry").count() == 2  # Bob's two messages from Sam are one sequence
    SCREENSHOT.parent.mkdir(exist_ok=True)
    await page.screenshot(path=str(SCREENSHOT), full_page=True)
    print(f"screenshot of the list page: {SCREENSHOT}")

    await page.get_by_role("link", name="Re: Quick question about your lead generation").click()
    await page.wait_for_url(f"{site.url}/m/*")
    body = page.locator("pre.body")
    assert "Re: Quick question about your lead generation." in await body.inner_text()

    await page.get_by_role("button", name="Release (deliver this one)").click()
    await page.wait_for_url(f"{site.url}/m/*/release")
    assert await page.locator("h1").inner_text() == "Released"
    [delivered] = site.sink.received
    assert delivered.rcpt_tos == [BOB]
    assert b"Subject: Re: Quick question about your lead generation" in delivered.data

    await page.goto(f"{site.url}/")
    assert await page.locator("ul.messages li").count() == 2
    assert "Re: Quick" not in await page.locator("ul.entries").inner_text()


async def test_a_recipient_link_shows_only_that_recipients_mail(site: Site, browser: Any) -> None:
    await site.hold(BOB, "For Bob only")
    carols = await site.hold(CAROL, "For Carol only")
    page = await browser.new_page()
    await page.goto(review_url(site.url, site.link(BOB)))
    await page.wait_for_url(f"{site.url}/")
    listed = await page.locator("main").inner_text()
    assert "For Bob only" in listed and "For Carol only" not in listed
    response = await page.goto(f"{site.url}/m/{carols}")
    assert response.status == 404 and "For Carol only" not in await page.content()


async def test_expired_or_tampered_links_are_refused(site: Site, browser: Any) -> None:
    await site.hold(BOB, "For Bob only")
    page = await browser.new_page()
    link = site.link(BOB)
    response = await page.goto(review_url(site.url, link[:-4] + "AAAA"))
    assert response.status == 403 and "invalid link" in await page.locator("main").inner_text()
    site.clock.advance(-8 * 86400)
    expired = site.link(BOB)
    site.clock.advance(8 * 86400)
    response = await page.goto(review_url(site.url, expired))
    assert response.status == 403 and "expired" in await page.locator("main").inner_text()
    assert "For Bob only" not in await page.content()


async def test_hostile_html_runs_nothing_and_loads_nothing(
    site: Site, browser: Any, tracker: Tracker
) -> None:
    remote = tracker.url
    html = (
        "<html><head><script>document.title='pwned';window.pwned=1</script>"
        f'<link rel="stylesheet" href="{remote}/style.css"></head>'
        '<body onload="window.pwned=2"><p>Hello Bob, about our offer.</p>'
        f'<img src="{remote}/pixel.gif" width="1" height="1"><iframe src="{remote}/frame"></iframe>'
        "</body></html>\n"
    )
    literal = (
        "Hello Bob,\n<script>document.title='pwned';window.pwned=3</script>\n"
        f'<img src="{remote}/plain.gif" onerror="window.pwned=4">\n'
    )
    html_qid = await site.hold(BOB, "HTML pitch", _raw("HTML pitch", "text/html", html))
    text_qid = await site.hold(BOB, "Literal tags", _raw("Literal tags", "text/plain", literal))
    page = await _admin_page(site, browser)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    await page.goto(f"{site.url}/m/{html_qid}")
    assert "Hello Bob, about our offer." in await page.locator("pre.body").inner_text()
    assert "1 image." in await page.locator("main").inner_text()
    await page.goto(f"{site.url}/m/{text_qid}")
    shown = await page.locator("pre.body").inner_text()
    assert "<script>document.title='pwned';window.pwned=3</script>" in shown  # shown as text, not run
    await page.wait_for_timeout(300)  # give anything that slipped through time to run or fetch

    assert "pwned" not in await page.title()
    assert await page.evaluate("typeof window.pwned") == "undefined"
    assert tracker.requests == []
    assert requested and all(url.startswith(site.url) for url in requested), requested

    # The control: the same HTML rendered live, without the page's protections, does run and fetch.
    control = await browser.new_page()
    await control.set_content(html)
    await control.wait_for_load_state("load")
    assert await control.title() == "pwned" and tracker.requests
