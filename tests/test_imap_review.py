"""The review page and the digest's signed links in IMAP mode, against a real Dovecot (tests/dovecot.py)
and over real HTTP (tests/web/client.py): what the front moved to the hold folder is listed and shown, a
release (POST) moves it back to the INBOX and makes its sender wanted, "this is a pitch" blocks the sender,
"delete" only takes it off the page, a GET changes nothing, and a drag out takes it off the page too.

One server, one store and one app serve the module (the model loads once); each test has its own user.
"""

from __future__ import annotations

import asyncio
import email
import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
import pytest_asyncio
from prometheus_client import CollectorRegistry

from gateway.app import App, build_app
from gateway.clock import ManualClock
from gateway.fronts.imap.account import Parts
from gateway.fronts.imap.config import ImapAccount, ImapSettings
from gateway.fronts.imap.learning import Learning
from gateway.fronts.imap.links import DigestLinks
from gateway.fronts.imap.run import web_listener
from gateway.fronts.imap.watcher import Watcher
from gateway.fronts.smtp.listener import HttpListener
from gateway.metrics import Metrics
from gateway.settings import DigestSettings, Settings, load_settings
from gateway.store.base import ListKind, QuarantineRecord
from tests import dovecot
from tests.dovecot import Dovecot
from tests.imap_helpers import new_account, pitch
from tests.web.client import Client

pytestmark = pytest.mark.asyncio(loop_scope="module")

ADMIN_TOKEN = "admin-token-for-the-imap-review-tests"
LINK_SECRET = "link-secret-for-the-imap-review-tests"
DANA = "dana@growthly.test"


@pytest.fixture(scope="module")
def server() -> Iterator[Dovecot]:
    with dovecot.running() as found:
        yield found


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    return ManualClock(0.0)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    state = tmp_path_factory.mktemp("imap-review-state")
    web = {
        "listen": "127.0.0.1:0",
        "admin_token": ADMIN_TOKEN,
        "link_secret": LINK_SECRET,
        "base_url": "http://127.0.0.1:8025",
    }
    overrides = {"store": {"state_dir": str(state)}, "scan": {"pool_processes": 0}, "web": web}
    return load_settings(None, overrides)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def app(settings: Settings, clock: ManualClock) -> AsyncIterator[App]:
    built = build_app(settings, clock, metrics=Metrics(CollectorRegistry()), front="imap")
    yield built
    await built.close()


class Mailbox:
    """One user's account, its watcher and the review page over its hold folder."""

    def __init__(self, server: Dovecot, app: App, clock: ManualClock, settings: Settings, tmp: Path) -> None:
        self.server, self.app, self.clock = server, app, clock
        self.account: ImapAccount = new_account(server, tmp)
        self.user = self.account.user
        self.settings = settings.model_copy(update={"imap": ImapSettings(accounts=[self.account])})
        self.client = Client(0)

    def watcher(self, digest: DigestSettings | None = None) -> Watcher:
        learning = Learning(
            self.account, self.app.store, self.app.quarantine, self.app.pipeline, self.clock, 1e7
        )
        links = DigestLinks.from_settings(self.settings)
        options, app = self.settings.imap, self.app
        return Watcher(
            Parts(self.account, options, app.pipeline, app.store, app.metrics, learning, digest, links)
        )

    async def held(self) -> list[QuarantineRecord]:
        return [
            r
            for r in await self.app.store.quarantine_list(self.user)
            if r.extra.get("imap_account") == self.account.key
        ]

    def ids(self, folder: str) -> list[str]:
        return self.server.message_ids(self.user, folder)

    async def wanted(self) -> bool:
        return await self.app.store.list_contains(ListKind.ALLOW, self.user, [DANA]) is not None

    async def blocked(self, sender: str = DANA) -> bool:
        return await self.app.store.list_contains(ListKind.BLOCK, self.user, [sender]) is not None


@pytest_asyncio.fixture(loop_scope="module")
async def box(
    server: Dovecot, app: App, clock: ManualClock, settings: Settings, tmp_path: Path
) -> AsyncIterator[Mailbox]:
    found = Mailbox(server, app, clock, settings, tmp_path)
    listener: HttpListener | None = web_listener(found.settings, app)
    assert listener is not None
    listener.start()
    while not listener.started:
        await asyncio.sleep(0.01)
    found.client.port = listener.port
    await found.watcher().once()  # first start: an empty INBOX
    yield found
    await listener.stop()


def released(app: App) -> float:
    return float(app.metrics.quarantine_decisions.labels("released")._value.get())


async def test_a_moved_pitch_is_on_the_page_and_a_posted_release_moves_it_back(box: Mailbox) -> None:
    box.server.deliver(box.user, pitch(box.user, "<r1@growthly.test>"))
    await box.watcher().once()
    assert box.ids("Pitches") == ["<r1@growthly.test>"]
    (record,) = await box.held()
    assert record.extra["imap_folder"] == "Pitches" and record.recipients == (box.user,)
    assert (await box.client.get(f"/?token={ADMIN_TOKEN}")).status == 200
    listing = await box.client.get("/")
    assert f"/m/{record.id}" in listing.text and "Quick call?" in listing.text
    shown = await box.client.get(f"/m/{record.id}")
    assert shown.status == 200 and "15-minute call" in shown.text  # the bytes the front fetched
    before = released(box.app)
    done = await box.client.post(f"/m/{record.id}/release", {"csrf": shown.csrf()})
    assert done.status == 200, done.text
    assert box.ids("INBOX") == ["<r1@growthly.test>"] and box.ids("Pitches") == []
    assert await box.wanted() and await box.held() == []
    assert released(box.app) == before + 1
    await box.watcher().once()  # the front sees it arrive: neither moved again nor learned twice
    assert box.ids("INBOX") == ["<r1@growthly.test>"] and released(box.app) == before + 1
    again = await box.client.post(f"/m/{record.id}/release", {"csrf": shown.csrf()})
    assert again.status == 404  # a second click finds it gone and does nothing


async def test_the_digest_in_the_inbox_has_signed_links_and_a_get_changes_nothing(box: Mailbox) -> None:
    box.server.deliver(box.user, pitch(box.user, "<l1@growthly.test>"))
    box.server.deliver(box.user, pitch(box.user, "<l2@growthly.test>", sender="max@growthly.test"))
    await box.watcher(DigestSettings(enabled=True, hour=datetime.now().hour)).once()  # due this hour
    assert box.ids("Pitches") == ["<l1@growthly.test>", "<l2@growthly.test>"]
    text = digest_text(box)
    release = _link(text, "Release", 0)  # entries are in hold-folder order: dana's first
    block = _link(text, "This is a pitch", 1)
    assert re.search(r"review page: http://127\.0\.0\.1:8025/\?link=\S+", text)
    for path in (release, block):
        page = await Client(box.client.port).get(path)
        assert page.status == 200 and "<form" in page.text and 'method="post"' in page.text.lower()
    assert box.ids("Pitches") == ["<l1@growthly.test>", "<l2@growthly.test>"]  # the GETs changed nothing
    assert (
        len(await box.held()) == 2 and not await box.wanted() and not await box.blocked("max@growthly.test")
    )
    assert (await Client(box.client.port).post(block)).status == 200
    assert await box.blocked("max@growthly.test")
    assert box.ids("Pitches") == ["<l1@growthly.test>", "<l2@growthly.test>"]  # a pitch stays where it is
    assert (await Client(box.client.port).post(release)).status == 200
    assert box.ids("Pitches") == ["<l2@growthly.test>"] and "<l1@growthly.test>" in box.ids("INBOX")
    assert await box.wanted() and await box.held() == []
    forged = release[:-4] + ("AAAA" if not release.endswith("AAAA") else "BBBB")
    assert (await Client(box.client.port).post(forged)).status in (403, 404)


def digest_text(box: Mailbox) -> str:
    with box.server.client(box.user) as client:
        client.select_folder("INBOX", readonly=True)
        found = client.fetch(client.search(["HEADER", "Auto-Submitted", "auto-generated"]), ["BODY.PEEK[]"])
    (data,) = found.values()
    parsed = email.message_from_bytes(bytes(data[b"BODY[]"]), policy=default)
    assert isinstance(parsed, EmailMessage)
    return str(parsed.get_content())


def _link(text: str, label: str, index: int) -> str:
    urls = re.findall(rf"{label}: http://127\.0\.0\.1:8025(/a/\S+)", text)
    assert len(urls) == 2, text
    return str(urls[index])


async def test_delete_leaves_the_message_in_the_hold_folder_and_a_drag_out_unlists_it(box: Mailbox) -> None:
    box.server.deliver(box.user, pitch(box.user, "<x1@growthly.test>"))
    box.server.deliver(box.user, pitch(box.user, "<x2@growthly.test>"))
    await box.watcher().once()
    first, second = sorted(await box.held(), key=lambda r: r.message_id)
    assert (await box.client.get(f"/?token={ADMIN_TOKEN}")).status == 200
    csrf = (await box.client.get(f"/m/{first.id}")).csrf()
    assert (await box.client.post(f"/m/{first.id}/delete", {"csrf": csrf})).status == 200
    assert box.ids("Pitches") == ["<x1@growthly.test>", "<x2@growthly.test>"]  # nothing expunged
    assert [r.id for r in await box.held()] == [second.id]
    with box.server.client(box.user) as client:  # the person drags the second one out
        client.select_folder("Pitches")
        client.move(client.search(["HEADER", "Message-ID", "<x2@growthly.test>"]), "INBOX")
    await box.watcher().once()
    assert await box.held() == [] and await box.wanted()
    assert f"/m/{second.id}" not in (await box.client.get("/")).text
    stale = await box.client.post(f"/m/{second.id}/release", {"csrf": csrf})
    assert stale.status == 404


async def test_a_release_of_a_message_the_person_already_removed_is_gone(box: Mailbox) -> None:
    box.server.deliver(box.user, pitch(box.user, "<y1@growthly.test>"))
    await box.watcher().once()
    (record,) = await box.held()
    with box.server.client(box.user) as client:  # deleted in the mail client, not seen by the front yet
        client.select_folder("Pitches")
        client.delete_messages(client.search("ALL"))
        client.expunge()
    started = time.monotonic()
    assert (await box.client.get(f"/?token={ADMIN_TOKEN}")).status == 200
    csrf = (await box.client.get(f"/m/{record.id}")).csrf()
    done = await box.client.post(f"/m/{record.id}/release", {"csrf": csrf})
    assert done.status == 404 and time.monotonic() - started < 10
    assert await box.held() == [] and not await box.wanted() and box.ids("INBOX") == []


async def test_a_release_moves_only_the_exact_message_id_and_marks_nothing_read(box: Mailbox) -> None:
    box.server.deliver(box.user, pitch(box.user, "<z1@growthly.test>"))
    await box.watcher(DigestSettings(enabled=True, hour=datetime.now().hour)).once()
    (record,) = await box.held()
    # A sender quoting that Message-ID in its own (SEARCH HEADER matches substrings) is not released with it.
    decoy_id = "<decoy@growthly.test> <z1@growthly.test>"
    decoy = pitch(box.user, decoy_id, sender="eve@growthly.test")
    box.server.deliver(box.user, decoy, folder="Pitches")
    assert (await box.client.get(f"/?token={ADMIN_TOKEN}")).status == 200
    csrf = (await box.client.get(f"/m/{record.id}")).csrf()
    assert (await box.client.post(f"/m/{record.id}/release", {"csrf": csrf})).status == 200
    assert "<z1@growthly.test>" in box.ids("INBOX") and box.ids("Pitches") == [str(decoy_id)]
    seen = {
        mid
        for folder in ("INBOX", "Pitches")
        for mid, f in box.server.flags(box.user, folder).items()
        if "\\Seen" in f
    }
    assert seen == set()  # neither the digest's listing nor the release's search marked anything read
