"""Acting on held mail under races and hostile input: double releases, other recipients' links, huge
Subjects, file permissions of the state, and login CSRF on the review page.

Everything is real: `pitchgate serve` subprocesses or the in-process review page on real sockets, a real
aiosmtpd sink upstream, messages sent over SMTP and digests parsed back from the bytes the sink received.
"""

from __future__ import annotations

import asyncio
import email
import os
import re
import stat
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib

from gateway.actions.digest import SIZE_BUDGET, Digester
from gateway.display import SUBJECT_CHARS
from gateway.store.base import FeedbackExample, ListKind, QuarantineRecord
from gateway.store.sqlite import SQLiteStore
from tests.mail import make_message
from tests.procs import run
from tests.smtp_helpers import Sink
from tests.web.client import Client
from tests.web.conftest import ADMIN_TOKEN, BLOCKED, Site
from tests.web.test_web_serve import TOKEN, serving

BOB, CAROL = "bob@example.com", "carol@example.com"
DELIVERY_SECONDS = 1.0
"""The sink takes this long per message, so that a second action arrives while the first delivers."""


# -- two releases at once -------------------------------------------------------------------------------
async def test_two_simultaneous_releases_on_a_served_page_deliver_once(sink: Sink, tmp_path: Path) -> None:
    async with serving(sink, tmp_path) as served:
        qid = await served.hold_pitch()
        sink.data_delay = DELIVERY_SECONDS
        admin = {"Authorization": f"Bearer {TOKEN}"}
        first, second = await asyncio.gather(
            Client(served.web_port, default_headers=admin).post(f"/m/{qid}/release"),
            Client(served.web_port, default_headers=admin).post(f"/m/{qid}/release"),
        )
        assert len(sink.received) == 1, "a double release delivered twice"
        # One did it; the other waited for it, found the message gone and did nothing.
        assert sorted([first.status, second.status]) == [200, 404]
        assert "Already handled" in (second if second.status == 404 else first).text
        listed = await Client(served.web_port, default_headers=admin).get("/")
        assert qid not in listed.text


async def test_two_cli_releases_at_once_deliver_once(sink: Sink, tmp_path: Path) -> None:
    """Two processes on one SQLite store: the claim is in the store, not in one process's memory."""
    async with serving(sink, tmp_path) as served:
        qid = await served.hold_pitch()
    sink.data_delay = DELIVERY_SECONDS
    state = str(tmp_path / "state")
    upstream = f"127.0.0.1:{sink.port}"
    results = await asyncio.gather(
        *(run("quarantine", "release", qid, "--state-dir", state, "--upstream", upstream) for _ in range(2))
    )
    assert len(sink.received) == 1, [r.err for r in results]
    assert sorted(r.code for r in results) == [0, 1], [(r.code, r.err) for r in results]
    assert any(f"no held message {qid}" in r.err for r in results)


async def test_a_failed_release_gives_the_claim_back(site: Site) -> None:
    qid = await site.hold(BOB, "Scale your pipeline")
    bearer = Client(site.port, default_headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    site.sink.data_reply = "451 4.3.0 Try again later"
    assert (await bearer.post(f"/m/{qid}/release")).status == 502
    site.sink.data_reply = None
    # Released right away (not after the claim's lease): the failed attempt left no claim behind.
    released = await asyncio.wait_for(bearer.post(f"/m/{qid}/release"), 5)
    assert released.status == 200 and len(site.sink.received) == 1
    assert qid not in await site.held_ids()


# -- other recipients' digest links ---------------------------------------------------------------------
def _digests(sink: Sink) -> dict[str, EmailMessage]:
    found = {}
    for received in sink.received:
        parsed = email.message_from_bytes(received.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        if parsed["X-Pitchgate-Digest"]:
            found[received.rcpt_tos[0]] = parsed
    return found


def _text(digest: EmailMessage) -> str:
    body = digest.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def _link_path(digest: EmailMessage, label: str) -> str:
    found = re.search(rf"{label}:\s+http://[^/]+(/a/\S+)", _text(digest))
    assert found, _text(digest)
    return found.group(1)


def _digester(site: Site) -> Digester:
    app = site.gateway.app
    return Digester(
        app.store,
        app.relay,
        app.metrics,
        site.signer,
        base_url=site.url,
        sender="postmaster@example.com",
        subject="Held for review: {count} message(s)",
        retention_days=30,
        link_days=7,
    )


async def test_a_second_recipients_digest_links_work_after_the_first_acted(site: Site) -> None:
    sender = f"sam@{BLOCKED}"
    raw = make_message(sender=sender, to=f"{BOB}, {CAROL}", subject="For you both", body="Hi.\n")
    await aiosmtplib.send(
        raw, sender=sender, recipients=[BOB, CAROL], hostname="127.0.0.1", port=site.gateway.port
    )
    assert (await _digester(site).send(site.clock.now())).sent == 2
    digests = _digests(site.sink)
    bob = Client(site.port)
    assert (await bob.post(_link_path(digests[BOB], "Release"))).status == 200
    carol_release = _link_path(digests[CAROL], "Release")
    shown = await Client(site.port).get(carol_release)
    assert shown.status == 200 and "For you both" in shown.text, "Carol's link broke after Bob acted"
    assert (await Client(site.port).post(carol_release)).status == 200
    delivered = [r.rcpt_tos for r in site.sink.received if b"X-Pitchgate-Digest" not in r.data]
    assert delivered == [[BOB], [CAROL]]
    assert await site.held_ids() == set()
    # Bob's link, used again (a double click), does nothing.
    again = await bob.post(_link_path(digests[BOB], "Release"))
    assert again.status == 404 and len(site.sink.received) == 4


# -- a huge Subject ---------------------------------------------------------------------------------------
def _with_folded_subject(raw: bytes, size: int) -> bytes:
    word = b"Quick call about your pipeline? "
    folded = b"\r\n ".join(word.strip() for _ in range(size // len(word)))
    head, _, rest = raw.partition(b"\r\nSubject: ")
    _, _, tail = rest.partition(b"\r\n")
    return head + b"\r\nSubject: " + folded + b"\r\n" + tail


async def test_a_six_megabyte_subject_gives_a_digest_under_budget(site: Site) -> None:
    sender = f"sam@{BLOCKED}"
    raw = _with_folded_subject(make_message(sender=sender, to=BOB, subject="x"), 6 * 1024 * 1024)
    assert len(raw) > 6_000_000
    qid = await site.hold(BOB, "", raw=raw, sender=sender)
    found = await site.gateway.app.store.quarantine_get(qid)
    assert found is not None and len(found[0].subject) <= SUBJECT_CHARS
    assert len(found[1]) > len(raw), "the held bytes must keep the whole Subject"
    page = await Client(site.port, default_headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).get("/")
    assert page.status == 200 and len(page.text) < 100_000
    assert (await _digester(site).send(site.clock.now())).sent == 1
    (digest,) = [r.data for r in site.sink.received]
    assert len(digest) < SIZE_BUDGET, f"digest of {len(digest)} bytes"
    assert "Quick call about your pipeline?" in _text(_digests(site.sink)[BOB])


async def test_a_digest_over_its_budget_says_and_n_more(site: Site) -> None:
    for i in range(120):
        long_subject = f"Pitch {i} " + "é&<" * 300
        await site.gateway.app.store.quarantine_put(
            QuarantineRecord(
                # One sender each: one sender's messages make one digest entry (a sequence).
                f"q{i:04d}",
                f"<{i}@x>",
                f"sam{i}@{BLOCKED}",
                (BOB,),
                long_subject,
                20.0,
                {},
                1e9 + i,
            ),
            b"Subject: x\r\n\r\nbody\r\n",
            86400.0,
        )
    digester = _digester(site)
    report = await digester.send(site.clock.now())
    assert report.sent == 1
    (digest,) = [r.data for r in site.sink.received]
    assert len(digest) < SIZE_BUDGET
    text = _text(_digests(site.sink)[BOB])
    shown = len(re.findall(r"^Release:", text, re.M))
    assert 0 < shown <= 100 and f"and {120 - shown} more message" in text


# -- file permissions -------------------------------------------------------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_state_directory_and_files_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, under which the state used to come out 0755 / 0644
    try:
        state = tmp_path / "state"
        store = SQLiteStore(state)
        record = QuarantineRecord("q1", "<1@x>", "sam@pitcher.test", (BOB,), "Hi", 20.0, {}, 1e9)
        await store.quarantine_put(record, b"Subject: Hi\r\n\r\nbody\r\n", 86400.0)
        await store.feedback_add(FeedbackExample("f1", "pitch", 1e9, {}), b"Subject: Hi\r\n\r\nbody\r\n")
        await store.list_add(ListKind.ALLOW, BOB, "a@b.c", 86400.0)
        files = [
            state / "pitchgate.sqlite3",
            state / "pitchgate.sqlite3-wal",
            state / "pitchgate.sqlite3-shm",
        ]
        files += [state / "quarantine" / "q1.eml", state / "feedback" / "f1.eml"]
        for path in files:
            assert path.exists(), path
            assert _mode(path) == 0o600, f"{path.name} is {oct(_mode(path))}"
        for directory in (state, state / "quarantine", state / "feedback"):
            assert _mode(directory) == 0o700, f"{directory.name}/ is {oct(_mode(directory))}"
        await store.close()
    finally:
        os.umask(old)


async def test_files_left_readable_by_an_older_version_are_tightened(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = SQLiteStore(state)
    await first.ping()
    await first.close()
    (state / "pitchgate.sqlite3").chmod(0o644)
    second = SQLiteStore(state)
    await second.ping()
    assert _mode(state / "pitchgate.sqlite3") == 0o600
    await second.close()


# -- login CSRF -------------------------------------------------------------------------------------------
async def _signed_in_admin(site: Site) -> Client:
    admin = Client(site.port)
    assert (await admin.get(f"/?token={ADMIN_TOKEN}", sec_fetch_site="none")).status == 200
    assert admin.cookie
    return admin


async def test_a_cross_site_link_does_not_replace_an_admin_session(site: Site) -> None:
    await site.hold(BOB, "For Bob")
    await site.hold(CAROL, "For Carol")
    admin = await _signed_in_admin(site)
    attackers = site.link("mallory@example.com")
    # What an <img src> or a top-level navigation from another site sends.
    lured = await admin.get(f"/?link={attackers}", sec_fetch_site="cross-site")
    assert "set-cookie" not in lured.headers and "Sign in" in lured.text
    listed = await admin.get("/")
    assert listed.status == 200 and "For Bob" in listed.text and "For Carol" in listed.text
    # Even from our own origin, a link never ends an admin session.
    assert (await admin.get(f"/?link={attackers}", sec_fetch_site="same-origin")).status == 200
    listed = await admin.get("/")
    assert "For Bob" in listed.text and "For Carol" in listed.text


async def test_a_cross_site_link_signs_in_only_by_a_same_origin_button(site: Site) -> None:
    await site.hold(BOB, "For Bob")
    link = site.link(BOB)
    visitor = Client(site.port)
    shown = await visitor.get(f"/?link={link}", sec_fetch_site="cross-site")
    assert shown.status == 200 and not visitor.cookie
    assert (await visitor.get("/")).status == 401
    # The button's POST, made from another site, is refused; from the page itself, it signs in.
    forged = await visitor.post("/", {"link": link}, sec_fetch_site="cross-site")
    assert forged.status == 403 and not visitor.cookie
    pressed = await visitor.post("/", {"link": link}, sec_fetch_site="same-origin", origin="null")
    assert pressed.status == 200 and visitor.cookie
    listed = await visitor.get("/")
    assert listed.status == 200 and "For Bob" in listed.text


async def test_a_link_opened_directly_still_signs_in_at_once(site: Site) -> None:
    """A desktop mail client's click arrives with Sec-Fetch-Site: none (or, from old browsers, nothing)."""
    await site.hold(BOB, "For Bob")
    for headers in ({"sec_fetch_site": "none"}, {}):
        visitor = Client(site.port)
        assert (await visitor.get(f"/?link={site.link(BOB)}", **headers)).status == 200
        assert visitor.cookie and "For Bob" in (await visitor.get("/")).text


async def test_in_chromium_another_sites_link_leaves_the_admin_signed_in(site: Site, browser: Any) -> None:
    """A real browser, a real cross-site navigation: an attacker's page (on localhost, another site than
    127.0.0.1) sends the admin to the review page with the attacker's link."""
    await site.hold(BOB, "For Bob")
    await site.hold(CAROL, "For Carol")
    lure = f'<meta http-equiv="refresh" content="0; url={site.url}/?link={site.link("mallory@example.com")}">'
    body = lure.encode()

    async def attacker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n")
        writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(attacker, "127.0.0.1", 0)
    try:
        page = await browser.new_page()
        await page.goto(f"{site.url}/?token={ADMIN_TOKEN}")
        await page.wait_for_url(f"{site.url}/")
        await page.goto(f"http://localhost:{server.sockets[0].getsockname()[1]}/")
        await page.wait_for_url(f"{site.url}/?link=*")
        assert await page.locator("button", has_text="Sign in").count() == 1
        await page.goto(f"{site.url}/")
        listed = await page.content()
        assert "For Bob" in listed and "For Carol" in listed, "the attacker's link replaced the admin session"
    finally:
        server.close()
        await server.wait_closed()
