"""The IMAP front against a real Dovecot (tests/dovecot.py): what lands where, with which flags, what is
learned from Sent and from drags, and that no message is ever lost (Message-IDs counted before and after).

One server, one store and one set of parts serve the whole module (the model loads once); each test has
its own user, so their state never meets. Without Dovecot the tests skip; under CI they fail instead.
"""

from __future__ import annotations

import asyncio
import io
import os
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import pytest_asyncio
from prometheus_client import CollectorRegistry

from gateway.app import App, build_app
from gateway.clock import ManualClock
from gateway.fronts.imap.config import ImapAccount
from gateway.metrics import Metrics
from gateway.settings import DigestSettings, load_settings
from gateway.store.base import ListKind
from tests import dovecot
from tests.dovecot import FULL_CAPABILITIES, Dovecot
from tests.imap_helpers import Introspection, new_account, pitch, wanted, watcher

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def server() -> Iterator[Dovecot]:
    with dovecot.running() as found:
        yield found


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    return ManualClock(0.0)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(tmp_path_factory: pytest.TempPathFactory, clock: ManualClock) -> AsyncIterator[App]:
    state = tmp_path_factory.mktemp("imap-state")
    settings = load_settings(None, {"store": {"state_dir": str(state)}, "scan": {"pool_processes": 0}})
    built = build_app(settings, clock, metrics=Metrics(CollectorRegistry()), front="imap")
    yield built
    await built.close()


def count(app: App, action: str) -> float:
    return app.metrics.front_messages.labels("imap", action)._value.get()


def all_ids(server: Dovecot, account: ImapAccount) -> list[str]:
    return sorted(
        server.message_ids(account.user, "INBOX") + server.message_ids(account.user, account.hold_folder)
    )


async def test_pitch_moved_tagged_keeps_keyword_wanted_untouched(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    await watcher(app, clock, account).once()  # first start: an empty INBOX, nothing to backfill
    before = count(app, "quarantine")
    user = account.user
    server.deliver(user, wanted(user, "<w1@partner.test>"))
    server.deliver(user, pitch(user, "<t1@growthly.test>", sender="tom@growthly.test", outreach=False))
    server.deliver(user, pitch(user, "<p1@growthly.test>"))
    delivered = all_ids(server, account)
    await watcher(app, clock, account).once()
    assert server.message_ids(user, "INBOX") == ["<t1@growthly.test>", "<w1@partner.test>"]
    assert server.message_ids(user, "Pitches") == ["<p1@growthly.test>"]
    inbox = server.flags(user, "INBOX")
    assert "$Pitch" in inbox["<t1@growthly.test>"] and "\\Seen" not in inbox["<t1@growthly.test>"]
    assert inbox["<w1@partner.test>"] == set()  # untouched: no keyword, not even \Seen
    assert "\\Seen" not in server.flags(user, "Pitches")["<p1@growthly.test>"]
    assert all_ids(server, account) == delivered  # nothing lost, nothing doubled
    assert count(app, "quarantine") == before + 1


async def test_a_restart_resumes_after_the_last_uid(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    await watcher(app, clock, account).once()
    server.deliver(account.user, wanted(account.user, "<r1@partner.test>"))
    await watcher(app, clock, account).once()
    passed = count(app, "pass")
    server.deliver(account.user, wanted(account.user, "<r2@partner.test>"))
    await watcher(app, clock, account).once()  # a new process: new connection, cursor from the store
    await watcher(app, clock, account).once()  # and again with nothing new
    assert count(app, "pass") == passed + 1  # r2 judged once, r1 never again
    cursor = await app.store.cursor_get(account.key, "INBOX")
    assert cursor is not None and cursor.last_uid == 2


async def test_a_drag_out_of_pitches_is_a_release_and_consent(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    user = account.user
    await watcher(app, clock, account).once()
    server.deliver(user, pitch(user, "<d1@growthly.test>"))
    await watcher(app, clock, account).once()
    assert server.message_ids(user, "Pitches") == ["<d1@growthly.test>"]
    released = app.metrics.quarantine_decisions.labels("released")._value.get()
    with server.client(user) as client:  # the person drags it back
        client.select_folder("Pitches")
        client.move(client.search("ALL"), "INBOX")
    await watcher(app, clock, account).once()
    assert server.message_ids(user, "INBOX") == ["<d1@growthly.test>"]  # not moved back
    assert await app.store.list_contains(ListKind.ALLOW, user, ["dana@growthly.test"]) == "dana@growthly.test"
    assert app.metrics.quarantine_decisions.labels("released")._value.get() == released + 1
    server.deliver(user, pitch(user, "<d2@growthly.test>"))  # the same sender again: now wanted
    await watcher(app, clock, account).once()
    assert server.message_ids(user, "INBOX") == ["<d1@growthly.test>", "<d2@growthly.test>"]
    assert server.message_ids(user, "Pitches") == []


async def test_a_drag_into_pitches_is_a_confirmation_and_a_block(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    user = account.user
    await watcher(app, clock, account).once()
    server.deliver(user, wanted(user, "<c1@nagging.test>", sender="pat@nagging.test"))
    await watcher(app, clock, account).once()
    confirmed = app.metrics.quarantine_decisions.labels("confirmed")._value.get()
    with server.client(user) as client:
        client.select_folder("INBOX")
        client.move(client.search("ALL"), "Pitches")
    await watcher(app, clock, account).once()
    assert await app.store.list_contains(ListKind.BLOCK, user, ["pat@nagging.test"]) == "pat@nagging.test"
    assert app.metrics.quarantine_decisions.labels("confirmed")._value.get() == confirmed + 1
    server.deliver(user, wanted(user, "<c2@nagging.test>", sender="pat@nagging.test"))
    await watcher(app, clock, account).once()
    assert server.message_ids(user, "Pitches") == ["<c1@nagging.test>", "<c2@nagging.test>"]
    assert server.message_ids(user, "INBOX") == []


async def test_a_sent_message_makes_the_reply_wanted(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    user = account.user
    server.deliver(user, wanted("x@nowhere.test", "<seed@x>"), folder="Sent")  # Sent exists at first start
    await watcher(app, clock, account).once()
    ask = (
        f"From: {user}\r\nTo: dana@growthly.test\r\nSubject: Your demo\r\nMessage-ID: <ask1@example.com>\r\n"
        "Date: Tue, 01 Dec 2026 09:00:00 +0000\r\n\r\nHi Dana, could you send me your pricing?\r\n"
    ).encode()
    server.deliver(user, ask, folder="Sent")
    reply = pitch(user, "<re1@growthly.test>").replace(
        b"Subject: Quick call?", b"Subject: Re: Your demo\r\nIn-Reply-To: <ask1@example.com>"
    )
    server.deliver(user, reply)
    await watcher(app, clock, account).once()
    assert server.message_ids(user, "INBOX") == ["<re1@growthly.test>"]
    assert server.message_ids(user, "Pitches") == []
    # The control: the same reply to someone who never sent the question is a pitch (a fake reply, too).
    other = new_account(server, tmp_path)
    await watcher(app, clock, other).once()
    server.deliver(other.user, reply.replace(user.encode(), other.user.encode()))
    await watcher(app, clock, other).once()
    assert server.message_ids(other.user, "Pitches") == ["<re1@growthly.test>"]


async def test_a_renumbered_inbox_is_not_judged_again(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    user = account.user
    await watcher(app, clock, account).once()
    server.deliver(user, wanted(user, "<u1@partner.test>"))
    await watcher(app, clock, account).once()
    passed = count(app, "pass")
    server.set_uidvalidity(user, "INBOX", 4242)
    await watcher(app, clock, account).once()  # renumbered: resume after its newest message
    assert count(app, "pass") == passed
    server.deliver(user, pitch(user, "<u2@growthly.test>"))
    await watcher(app, clock, account).once()
    assert server.message_ids(user, "Pitches") == ["<u2@growthly.test>"]
    cursor = await app.store.cursor_get(account.key, "INBOX")
    assert cursor is not None and cursor.uidvalidity == 4242


async def test_a_refused_move_leaves_the_message_in_the_inbox(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    user = account.user
    first = watcher(app, clock, account)
    await first.once()
    server.deliver(user, pitch(user, "<f1@growthly.test>"))
    held = count(app, "quarantine")
    sync = await first._open()
    try:
        with server.client(user) as client:  # the hold folder vanishes between start and move
            client.delete_folder("Pitches")
        await sync.folder("INBOX", sync.inbox_arrival)
    finally:
        await asyncio.to_thread(sync.mailbox.close)
    assert server.message_ids(user, "INBOX") == ["<f1@growthly.test>"]
    assert count(app, "quarantine") == held  # not counted as held: it was not


async def test_backfill_changes_nothing_and_says_what_it_would_move(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    user = account.user
    server.deliver(user, wanted(user, "<b1@partner.test>"))
    server.deliver(user, pitch(user, "<b2@growthly.test>"))
    server.deliver(user, wanted("carol@client.test", "<b3@example.com>", sender=user), folder="Sent")
    before = {f: server.flags(user, f) for f in ("INBOX", "Sent")}
    out = io.StringIO()
    found = watcher(app, clock, account)
    found.out = out
    await found.once()
    assert {f: server.flags(user, f) for f in ("INBOX", "Sent")} == before  # no keyword, no \Seen, no move
    assert server.message_ids(user, "Pitches") == []
    assert "would move UID 2 to Pitches" in out.getvalue()
    assert "backfill of" in out.getvalue() and "2 INBOX and 1 Sent" in out.getvalue()
    assert await app.store.list_contains(ListKind.ALLOW, user, ["carol@client.test"]) is None
    cursor = await app.store.cursor_get(account.key, "INBOX")
    assert cursor is not None and cursor.last_uid == 2


async def test_idle_survives_a_server_restart_and_moves_within_seconds(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    user = account.user
    running = watcher(app, clock, account, poll_seconds=30.0, max_backoff=1.0)
    task = asyncio.create_task(running.run())
    try:
        await _until(lambda: running.sessions == 1)
        await asyncio.sleep(0.5)  # in IDLE now
        started = time.monotonic()
        await asyncio.to_thread(server.deliver, user, pitch(user, "<i1@growthly.test>"))
        await _until(lambda: server.message_ids(user, "Pitches") == ["<i1@growthly.test>"])
        latency = time.monotonic() - started
        await asyncio.to_thread(server.restart)
        await asyncio.to_thread(server.deliver, user, pitch(user, "<i2@growthly.test>"))
        await _until(lambda: len(server.message_ids(user, "Pitches")) == 2, timeout=30)
        assert running.sessions >= 2
        assert server.message_ids(user, "INBOX") == []
    finally:
        running.stopping.set()
        await asyncio.wait_for(task, 15)
    print(f"APPEND to move under IDLE: {latency:.2f} s (load {os.getloadavg()[0]:.1f})")
    assert latency < 10


async def _until(check: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(check):  # type: ignore[arg-type]
            return
        await asyncio.sleep(0.2)
    raise AssertionError("condition not reached in time")


@pytest.fixture(scope="module")
def plain_server() -> Iterator[Dovecot]:
    """A server without MOVE and IDLE: COPY + UID EXPUNGE, and polling."""
    if not dovecot.available():
        pytest.skip("no Dovecot")
    caps = " ".join(c for c in FULL_CAPABILITIES.split() if c not in ("MOVE", "IDLE"))
    found = Dovecot(capabilities=caps)
    found.start()
    yield found
    found.remove()


async def test_without_move_or_idle_it_copies_expunges_and_polls(
    plain_server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(plain_server, tmp_path)
    user = account.user
    running = watcher(app, clock, account, poll_seconds=0.5)
    task = asyncio.create_task(running.run())
    try:
        await _until(lambda: running.sessions == 1)
        await asyncio.to_thread(plain_server.deliver, user, wanted(user, "<m1@partner.test>"))
        await asyncio.to_thread(plain_server.deliver, user, pitch(user, "<m2@growthly.test>"))
        await _until(lambda: plain_server.message_ids(user, "Pitches") == ["<m2@growthly.test>"])
        await _until(lambda: plain_server.message_ids(user, "INBOX") == ["<m1@partner.test>"])
    finally:
        running.stopping.set()
        await asyncio.wait_for(task, 15)
    assert "\\Deleted" not in plain_server.flags(user, "Pitches")["<m2@growthly.test>"]
    assert "\\Deleted" not in plain_server.flags(user, "INBOX")["<m1@partner.test>"]


async def test_the_digest_is_appended_to_the_inbox_once_a_day_and_never_judged(
    server: Dovecot, app: App, clock: ManualClock, tmp_path: Path
) -> None:
    account = new_account(server, tmp_path)
    user = account.user
    # This hour: a scheduler started after the digest's hour leaves that day alone (actions/schedule.py).
    daily = DigestSettings(enabled=True, hour=datetime.now().hour)
    await watcher(app, clock, account).once()
    server.deliver(user, pitch(user, "<g1@growthly.test>"))
    server.deliver(user, pitch(user, "<g2@growthly.test>", sender="max@growthly.test"))
    await watcher(app, clock, account, digest=daily).once()
    assert server.message_ids(user, "Pitches") == ["<g1@growthly.test>", "<g2@growthly.test>"]
    (digest_id,) = server.message_ids(user, "INBOX")
    with server.client(user) as client:
        client.select_folder("INBOX", readonly=True)
        (data,) = client.fetch(client.search("ALL"), ["BODY.PEEK[]"]).values()
    text = bytes(data[b"BODY[]"]).decode()
    assert "Subject: Held for review: 2 messages" in text and "Auto-Submitted: auto-generated" in text
    assert "dana@growthly.test" in text and "max@growthly.test" in text and "drag it from Pitches" in text
    server.deliver(user, pitch(user, "<g3@growthly.test>", sender="sam@growthly.test"))
    await watcher(app, clock, account, digest=daily).once()  # the digest itself is never judged or moved
    assert server.message_ids(user, "INBOX") == [digest_id]
    assert "$Pitch" not in server.flags(user, "INBOX")[digest_id]
    assert len(server.message_ids(user, "Pitches")) == 3  # and today's digest is not appended twice


@pytest.fixture(scope="module")
def oauth_server() -> Iterator[tuple[Dovecot, Introspection]]:
    if not dovecot.available():
        pytest.skip("no Dovecot")
    issuer = Introspection()
    found = Dovecot(oauth2_introspection=issuer.url, users=3)
    found.start()
    yield found, issuer
    found.remove()
    issuer.close()


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
async def test_oauth2_token_from_a_command(
    oauth_server: tuple[Dovecot, Introspection], app: App, clock: ManualClock, tmp_path: Path, mechanism: str
) -> None:
    server, issuer = oauth_server
    user = server.take_user()
    token_file = tmp_path / "token"
    token_file.write_text(issuer.issue(user))
    account = ImapAccount(
        host="127.0.0.1",
        port=server.port,
        tls="none",
        user=user,
        oauth2_token_command=f"cat {token_file}",
        oauth2_mechanism=mechanism,  # type: ignore[arg-type]
    )
    await watcher(app, clock, account).once()
    server.deliver(user, pitch(user, "<o1@growthly.test>"))
    token_file.write_text(issuer.issue(user))  # refreshed meanwhile: read again at the next login
    await watcher(app, clock, account).once()
    assert server.message_ids(user, "Pitches") == ["<o1@growthly.test>"]
    revoked = account.model_copy(update={"oauth2_token_command": "echo expired-token"})
    with pytest.raises(Exception, match="Authentication failed"):
        await watcher(app, clock, revoked).once()
