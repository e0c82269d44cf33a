"""The daily digest: the real `pitchgate digest send` into a real SMTP sink, its parts, and its signed links.

The review page that answers the links lives in another module; here every link is checked the way that
page checks it (LinkSigner.verify), and its URL against the shape links.py builds.
"""

from __future__ import annotations

import email
import re
import time
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

from gateway.actions.digest import MAX_ENTRIES, Digest, Entry, compose, fit
from gateway.actions.links import Grant, LinkAction, LinkSigner
from gateway.store.base import ListKind, QuarantineRecord
from gateway.store.sqlite import SQLiteStore
from tests.mail import make_message
from tests.procs import run
from tests.smtp_helpers import Received, Sink

SECRET = "digest-test-secret-0123456789abcdef"
BASE = "https://quarantine.example.com/pg"
DAY = 86400.0


def held(
    qid: str, recipients: tuple[str, ...], subject: str, at: float, sender: str = "sdr@pitcher.test"
) -> QuarantineRecord:
    return QuarantineRecord(
        id=qid,
        message_id=f"<{qid}@pitcher.test>",
        sender=sender,
        recipients=recipients,
        subject=subject,
        score=12.5,
        symbols={"FOLLOWUP_UNANSWERED_2": 11.0, "BOOKING_LINK": 1.5},
        received_at=at,
    )


async def seed(state: Path, records: list[QuarantineRecord], stopped: tuple[str, str] | None = None) -> None:
    """Hold `records`; `stopped` is a (recipient, entry) pair on that recipient's own block list."""
    store = SQLiteStore(state)
    try:
        if stopped is not None:
            await store.list_add(ListKind.BLOCK, *stopped)
        for record in records:
            raw = make_message(sender=record.sender, to=record.recipients[0], subject=record.subject)
            await store.quarantine_put(record, raw, 30 * DAY)
    finally:
        await store.close()


def write_config(path: Path, **web: str) -> Path:
    values = {"link_secret": SECRET, "base_url": BASE, **web}
    lines = ["[server]", 'local_domains = ["example.com"]', "[web]"]
    lines += [f'{key} = "{value}"' for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def parse(received: Received) -> EmailMessage:
    msg = email.message_from_bytes(received.data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def parts(msg: EmailMessage) -> tuple[str, str]:
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)
            if name in ("src", "background") or tag in ("link", "img", "script", "iframe"):
                self.resources.append(f"{tag} {name}={value}")


def grants(urls: list[str]) -> list[Grant]:
    """Each URL checked against the shapes links.py builds, then its token verified like the page does."""
    signer, found = LinkSigner(SECRET, 7 * DAY), []
    for url in urls:
        shape = re.fullmatch(re.escape(BASE) + r"/(?:a/|\?link=)([A-Za-z0-9_.-]+)", url)
        assert shape is not None, url
        grant = signer.verify(shape[1], time.time())
        assert (grant.action is LinkAction.VIEW) == url.startswith(f"{BASE}/?link="), url
        found.append(grant)
    return found


async def test_digest_send_delivers_one_digest_per_recipient_with_signed_links(
    sink: Sink, tmp_path: Path
) -> None:
    state, now = tmp_path / "state", time.time()
    await seed(
        state,
        [
            held("q-a1", ("alice@example.com",), "<b>Quick call?</b> & more", now - 60),
            held("q-ab", ("alice@example.com", "bob@example.com"), "Following up", now - 3600),
            held("q-b1", ("bob@example.com",), "Last try!", now - 7200),
            held("q-stop", ("alice@example.com",), "Stopped sender", now - 10, sender="rep@pushy.test"),
            held("q-admin", ("bob@example.com",), "Not stopped by Bob", now - 5, sender="rep@pushy.test"),
        ],
        stopped=("alice@example.com", "pushy.test"),
    )
    config = write_config(tmp_path / "pg.toml")
    common = ["--config", str(config), "--state-dir", str(state), "--upstream", f"127.0.0.1:{sink.port}"]

    only_bob = await run("digest", "send", "--recipient", "Bob@Example.com", *common)
    assert only_bob.code == 0, only_bob.err
    assert "1 digest(s) sent listing 3 held message(s), 0 failed" in only_bob.out
    assert [r.rcpt_tos for r in sink.received] == [["bob@example.com"]]

    everyone = await run("digest", "send", *common)
    assert everyone.code == 0, everyone.err
    assert "2 digest(s) sent listing 5 held message(s), 0 failed" in everyone.out
    by_rcpt = {r.rcpt_tos[0]: r for r in sink.received[1:]}
    assert sorted(by_rcpt) == ["alice@example.com", "bob@example.com"]

    expected = {"alice@example.com": {"q-a1", "q-ab"}, "bob@example.com": {"q-ab", "q-b1", "q-admin"}}
    # One entry per sequence, its links on the latest message: sdr@ wrote to Alice twice (q-a1, q-ab) and
    # to Bob twice (q-ab, q-b1), and rep@ once to Bob.
    latest = {"alice@example.com": {"q-a1"}, "bob@example.com": {"q-ab", "q-admin"}}
    for rcpt, received in by_rcpt.items():
        assert received.mail_from == "postmaster@example.com"
        msg = parse(received)
        assert msg["To"] == rcpt and msg["From"] == "postmaster@example.com"
        assert msg["Subject"] == f"Held for review: {len(expected[rcpt])} messages"
        assert msg["X-Pitchgate-Digest"] == "1" and msg["Auto-Submitted"] == "auto-generated"
        text, html = parts(msg)
        urls = re.findall(r"https://\S+", text)
        found = grants(urls)
        assert {g.recipient for g in found} == {rcpt}
        assert [g.qid for g in found if g.action is LinkAction.VIEW] == [""]
        for action in (LinkAction.RELEASE_ONCE, LinkAction.RELEASE, LinkAction.BLOCK):
            qids = [g.qid for g in found if g.action is action]
            assert sorted(qids) == sorted(latest[rcpt]), (rcpt, action)
        tags = _Tags()
        tags.feed(html)
        assert tags.resources == []
        assert sorted(tags.hrefs) == sorted(urls)

    alice_text, alice_html = parts(parse(by_rcpt["alice@example.com"]))
    assert "<b>Quick call?</b> & more" in alice_text
    assert "&lt;b&gt;Quick call?&lt;/b&gt; &amp; more" in alice_html and "<b>Quick" not in alice_html
    assert "Blocked sender" not in alice_text


async def test_digest_send_refuses_without_signed_links(sink: Sink, tmp_path: Path) -> None:
    await seed(tmp_path / "state", [held("q-1", ("alice@example.com",), "Hi", time.time())])
    for web in ({"link_secret": ""}, {"base_url": ""}):
        config = write_config(tmp_path / "pg.toml", **web)
        result = await run(
            "digest", "send", "--config", str(config), "--state-dir", str(tmp_path / "state"),
            "--upstream", f"127.0.0.1:{sink.port}",
        )  # fmt: skip
        assert result.code == 1 and "web.link_secret and web.base_url" in result.err
    assert sink.received == []


async def test_digest_send_reports_a_refused_recipient_and_sends_the_others(
    sink: Sink, tmp_path: Path
) -> None:
    now = time.time()
    await seed(
        tmp_path / "state",
        [held("q-a", ("alice@example.com",), "One", now), held("q-b", ("bob@example.com",), "Two", now)],
    )
    sink.refuse_rcpt["alice@example.com"] = "550 5.1.1 No such user"
    result = await run(
        "digest", "send", "--config", str(write_config(tmp_path / "pg.toml")),
        "--state-dir", str(tmp_path / "state"), "--upstream", f"127.0.0.1:{sink.port}",
    )  # fmt: skip
    assert result.code == 1
    assert "1 digest(s) sent listing 1 held message(s), 1 failed" in result.out
    assert "not delivered to alice@example.com: 550" in result.err
    assert [r.rcpt_tos for r in sink.received] == [["bob@example.com"]]


def test_a_long_quarantine_lists_the_newest_and_counts_the_rest() -> None:
    now = time.time()
    entries = [
        Entry(
            held(f"q-{i}", ("alice@example.com",), f"Pitch {i}", now - i),
            f"{BASE}/a/r{i}",
            f"{BASE}/a/b{i}",
            f"{BASE}/a/o{i}",
        )
        for i in range(MAX_ENTRIES)
    ]
    digest = Digest("alice@example.com", "pg@example.com", "Held: 130", f"{BASE}/?link=v", entries, more=30)
    text, html = parts(parse(Received("", [], compose(digest, now).as_bytes(policy=policy.SMTP))))
    assert text.count("Release:") == MAX_ENTRIES and "and 30 more messages on the review page" in text
    assert "held 130 messages" in text and "<strong>130 messages</strong>" in html


def test_a_digest_over_its_size_budget_lists_fewer_and_says_how_many_more() -> None:
    url = "https://review.example.com/a/" + "t" * 150
    records = [
        QuarantineRecord(
            f"q{i}", f"<{i}@x>", f"rep{i}@vendor.example", ("bob@example.com",), "é&<" * 300, 9.0, {}, 1e9
        )
        for i in range(40)
    ]
    digest = Digest(
        "bob@example.com", "postmaster@example.com", "Held", url, [Entry(r, url, url, url) for r in records]
    )
    whole = compose(digest, 1e9).as_bytes(policy=policy.SMTP)
    budget = len(whole) // 3
    raw = fit(digest, 1e9, budget)
    assert len(raw) <= budget < len(whole)
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    body = parsed.get_body(("plain",))
    assert body is not None
    text = str(body.get_content())
    shown = text.count("Release:")
    assert 0 < shown < 40 and f"and {40 - shown} more messages" in text
