"""Release once, release and trust, and "this is a pitch" afterwards, from the page and from digest links.

Real gateway, store, sink and review page (tests/web/conftest.py); the copies are checked as bytes at the sink.
"""

from __future__ import annotations

import email
import email.policy
import re

import aiosmtplib

from gateway.actions.links import LinkAction
from gateway.store.base import ListKind
from tests.mail import make_message
from tests.web.client import Client
from tests.web.conftest import ADMIN_TOKEN, Site

BOB, SAM = "bob@example.com", "sam@pitcher.test"
BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _released_by(data: bytes) -> str:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg.get_all("X-Pitchgate-Action") == ["released"]
    assert str(msg["X-Spam-Status"]).startswith("No, ") and msg["X-Spam-Flag"] is None
    found = re.fullmatch(r"by=(\S+) at=.+ [+-]\d{4}", str(msg["X-Pitchgate-Released"]))
    assert found, msg["X-Pitchgate-Released"]
    return found.group(1)


async def _allowed(site: Site) -> list[tuple[str, str]]:
    return await site.gateway.app.store.list_entries(ListKind.ALLOW, BOB)


async def test_the_page_offers_release_once_and_release_and_trust(site: Site) -> None:
    once, trusted = await site.hold(BOB, "Quick call?"), await site.hold(BOB, "Following up")
    admin = Client(site.port)
    assert (await admin.get(f"/?token={ADMIN_TOKEN}")).status == 200
    page = await admin.get(f"/m/{once}")
    assert f'action="/m/{once}/release"' in page.text and f'formaction="/m/{once}/trust"' in page.text
    assert "Release and trust sender" in page.text
    csrf = page.csrf()
    done = await admin.post(f"/m/{once}/release", {"csrf": csrf})
    assert done.status == 200 and "Released" in done.text
    assert _released_by(site.sink.received[0].data) == "admin" and await _allowed(site) == []
    assert (await admin.post(f"/m/{once}/release", {"csrf": csrf})).status == 404  # idempotent
    done = await admin.post(f"/m/{trusted}/trust", {"csrf": csrf})
    assert done.status == 200 and "trusted" in done.text
    assert len(site.sink.received) == 2 and (BOB, SAM) in await _allowed(site)


async def test_one_click_release_once_then_trust_then_a_pitch_holds_the_sender_again(site: Site) -> None:
    first, second, third = [await site.hold(BOB, s) for s in ("One", "Two", "Three")]
    client = Client(site.port)
    once = f"/a/{site.link(BOB, LinkAction.RELEASE_ONCE, first)}"
    shown = await client.get(once)
    assert shown.status == 200 and "Release it" in shown.text and len(site.sink.received) == 0
    assert (await client.post(once)).status == 200
    assert _released_by(site.sink.received[0].data) == BOB and await _allowed(site) == []
    assert (await client.post(once)).status == 404
    trust = f"/a/{site.link(BOB, LinkAction.RELEASE, second)}"
    assert "Release and trust sender" in (await client.get(trust)).text
    assert (await client.post(trust)).status == 200 and (BOB, SAM) in await _allowed(site)
    # Trusted: the sender's next mail passes, despite the global block on its domain.
    raw = make_message(sender=SAM, to=BOB, subject="Four")
    await aiosmtplib.send(raw, sender=SAM, recipients=[BOB], hostname="127.0.0.1", port=site.gateway.port)
    assert len(site.sink.received) == 3
    # "This is a pitch" on a message held before the trust: the pitch wins, the sender is held again.
    assert (await client.post(f"/a/{site.link(BOB, LinkAction.BLOCK, third)}")).status == 200
    assert await _allowed(site) == []
    assert await site.hold(BOB, "Five") in await site.held_ids()
    assert len(site.sink.received) == 3
