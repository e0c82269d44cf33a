"""The review page's new parts over plain HTTP: bulk actions, search and sort, the lists page, sign-out,
the .eml download and the message page's reasons and sequence history.

Mail is held over SMTP by the real gateway (tests/web/conftest.py); records that need given symbols or a
sequence key are put into the same real store, as the gateway's hold would.
"""

from __future__ import annotations

import logging
import re

import pytest

import gateway.web.app
from gateway.actions.links import review_url
from gateway.actions.quarantine import new_id
from gateway.store.base import GLOBAL_SCOPE, ListKind, QuarantineRecord
from tests.mail import make_message
from tests.web.client import Client
from tests.web.conftest import ADMIN_TOKEN, Site

BOB, CAROL = "bob@example.com", "carol@example.com"
BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SAM = "sam@pitcher.test"


async def _bob(site: Site) -> tuple[Client, str]:
    """Bob signed in through his digest's view link: the client and the page's CSRF token."""
    client = Client(site.port)
    await client.get(review_url("", site.link(BOB)))
    listed = await client.get("/")
    assert listed.status == 200
    return client, listed.csrf()


async def _put(site: Site, subject: str, score: float, symbols: dict[str, float], **extra: str) -> str:
    now = site.clock.now()
    record = QuarantineRecord(
        new_id(now), f"<{subject}@x>", SAM, (BOB,), subject, score, symbols, now, extra=dict(extra)
    )
    raw = make_message(sender=f"Sam Seller <{SAM}>", to=BOB, subject=subject, body="Hi Bob,\n\nA pitch.\n")
    await site.gateway.app.store.quarantine_put(record, raw, 86400)
    return record.id


async def test_bulk_release_of_a_whole_sender_is_idempotent_and_logged(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    sams = []
    for n in range(3):
        sams.append(await site.hold(BOB, f"Pitch {n}", sender=SAM))
        site.clock.advance(60)
    other = await site.hold(BOB, "From the rep", sender="rep@pitcher.test")
    carols = await site.hold(CAROL, "For Carol", sender=SAM)
    client, csrf = await _bob(site)
    page = (await client.get("/")).text
    assert page.count('name="sequence"') == 2  # Sam's three are one entry, the rep's one another
    key = re.findall(r'name="sequence" value="([^"]+)"', page)
    assert SAM in key

    refused = await client.post("/bulk", {"action": "release", "sequence": SAM})
    assert refused.status == 403 and await site.held_ids() == {*sams, other, carols}
    caplog.set_level(logging.INFO, logger="pitchgate.web")
    done = await client.post("/bulk", {"csrf": csrf, "action": "release", "sequence": SAM})
    assert done.status == 200 and "Released: 3 messages" in done.text
    assert sorted(m.rcpt_tos[0] for m in site.sink.received) == [BOB] * 3
    assert await site.held_ids() == {other, carols}

    # The same three again, and Carol's message, which Bob may not touch: nothing is done.
    form = [("csrf", csrf), ("action", "release"), *(("qid", q) for q in [*sams, carols])]
    again = await client.post_pairs("/bulk", form)
    assert again.status == 200 and "4 messages were already handled" in again.text
    assert len(site.sink.received) == 3 and await site.held_ids() == {other, carols}

    lines = [getattr(r, "fields", {}) for r in caplog.records if r.name == "pitchgate.web"]
    assert [(f["qid"], f["result"]) for f in lines] == [(q, "ok") for q in sams] + [
        (q, "gone") for q in [*sams, carols]
    ]
    assert all(f["who"] == BOB and f["action"] == "release" and f["bulk"] is True for f in lines)


async def test_bulk_this_is_a_pitch_blocks_and_delete_removes(site: Site) -> None:
    first = await site.hold(BOB, "One", sender=SAM)
    second = await site.hold(BOB, "Two", sender="rep@pitcher.test")
    client = Client(site.port, default_headers=BEARER)
    confirmed = await client.post_pairs("/bulk", [("action", "confirm"), ("qid", first)])
    assert "Marked as a pitch; sender blocked: 1 message" in confirmed.text
    assert (BOB, SAM) in await site.gateway.app.store.list_entries(ListKind.BLOCK, BOB)
    deleted = await client.post_pairs("/bulk", [("action", "delete"), ("qid", second)])
    assert "Deleted: 1 message" in deleted.text and await site.held_ids() == set()
    assert site.sink.received == []
    unknown = await client.post_pairs("/bulk", [("action", "explode"), ("qid", second)])
    assert unknown.status == 400


async def test_search_by_sender_domain_or_subject_and_sort_by_age_or_score(site: Site) -> None:
    low = await _put(site, "Low score, oldest", 10.5, {"FOLLOWUP_UNANSWERED_2": 10.5})
    site.clock.advance(60)
    await site.hold(CAROL, "Newest from the rep", sender="rep@vendor.pitcher.test")
    client = Client(site.port, default_headers=BEARER)
    for query, shown, hidden in [
        ("rep@vendor", "Newest from the rep", "Low score"),
        ("vendor.pitcher.test", "Newest from the rep", "Low score"),
        ("LOW SCORE", "Low score", "Newest from the rep"),
    ]:
        text = (await client.get(f"/?q={query.replace(' ', '+')}")).text
        assert shown in text and hidden not in text, query
    assert "Nothing is held" in (await client.get("/?q=nobody")).text
    by_age = (await client.get("/?sort=age")).text
    assert by_age.index("Newest from the rep") < by_age.index("Low score")
    by_score = (await client.get("/?sort=score")).text
    assert by_score.index("Low score") < by_score.index("Newest from the rep")
    assert f'href="/m/{low}"' in by_score


async def test_a_long_list_shows_the_first_sequences_and_says_how_many_more(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        await site.hold(BOB, f"Pitch {n}", sender=f"rep{n}@pitcher.test")
        site.clock.advance(60)
    monkeypatch.setattr(gateway.web.app, "MAX_GROUPS", 2)
    page = (await Client(site.port, default_headers=BEARER).get("/")).text
    assert "3 messages." in page and page.count('name="sequence"') == 2
    assert "1 more sequence is not shown: search to narrow the list." in page
    assert "Pitch 2" in page and "Pitch 0" not in page


async def test_a_recipient_edits_only_their_own_lists_and_an_admin_sees_all(site: Site) -> None:
    store = site.gateway.app.store
    await store.list_add(ListKind.ALLOW, CAROL, "carols-friend.test")
    client, csrf = await _bob(site)
    shown = await client.get("/lists")
    assert shown.status == 200 and "carols-friend.test" not in shown.text
    assert 'class="entry-name"' not in shown.text  # the global block of pitcher.test is the admin's

    form = {"csrf": csrf, "op": "add", "kind": "allow", "entry": " Friend.TEST ", "scope": GLOBAL_SCOPE}
    added = await client.post("/lists", form)
    assert added.status == 200 and "friend.test is on the allow list." in added.text
    assert await store.list_entries(ListKind.ALLOW, BOB) == [(BOB, "friend.test")]
    assert (GLOBAL_SCOPE, "friend.test") not in await store.list_entries(ListKind.ALLOW)
    assert (await client.post("/lists", {**form, "csrf": "stale"})).status == 403
    assert (await client.post("/lists", {**form, "entry": "not an entry"})).status == 400

    removed = await client.post("/lists", {**form, "op": "remove"})
    assert "friend.test is off the allow list." in removed.text
    again = await client.post("/lists", {**form, "op": "remove"})
    assert "was not on the allow list; nothing changed" in again.text
    assert await store.list_entries(ListKind.ALLOW, BOB) == []

    admin = Client(site.port, default_headers=BEARER)
    everything = (await admin.get("/lists")).text
    assert "carols-friend.test" in everything and '<span class="entry-name">pitcher.test</span>' in everything
    await admin.post("/lists", {"op": "add", "kind": "block", "entry": "pushy.test", "scope": CAROL})
    assert (CAROL, "pushy.test") in await store.list_entries(ListKind.BLOCK, CAROL)


async def test_sign_out_needs_the_form_and_ends_the_session(site: Site) -> None:
    client, csrf = await _bob(site)
    assert (await client.post("/sign-out", {})).status == 403
    assert (await client.post("/sign-out", {"csrf": csrf}, Origin="http://evil.test")).status == 403
    assert (await client.get("/")).status == 200
    out = await client.post("/sign-out", {"csrf": csrf})
    assert out.status == 200 and "Signed out" in out.text
    assert (await client.get("/")).status == 401


async def test_the_original_downloads_as_an_attachment_and_only_for_its_recipient(site: Site) -> None:
    bobs = await site.hold(BOB, "For Bob", sender=SAM)
    carols = await site.hold(CAROL, "For Carol", sender=SAM)
    client, _ = await _bob(site)
    found = await site.gateway.app.store.quarantine_get(bobs)
    assert found is not None
    response = await client.get_bytes(f"/m/{bobs}/eml")
    assert response.status == 200 and response.body == found[1]
    assert response.headers["content-disposition"] == f'attachment; filename="pitchgate-{bobs}.eml"'
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (await client.get_bytes(f"/m/{carols}/eml")).status == 404


async def test_the_message_page_shows_every_reason_and_the_delivered_touches(site: Site) -> None:
    store, start = site.gateway.app.store, site.clock.now()
    for hours in (0, 30):  # two earlier touches that were delivered, as the cadence signal recorded them
        await store.sequence_touch(BOB, SAM, start + hours * 3600, 90 * 86400)
    site.clock.advance(60 * 3600)
    await store.sequence_touch(BOB, SAM, site.clock.now(), 90 * 86400)
    qid = await _put(
        site, "Third touch", 17.7, {"FOLLOWUP_UNANSWERED_3": 12.0, "CONTENT_PITCH": 4.2}, sequence=SAM
    )
    client, _ = await _bob(site)
    page = (await client.get(f"/m/{qid}")).text
    assert page.index("3rd message from this sender with no answer from you") < page.index(
        "reads like a sales pitch"
    )
    assert "FOLLOWUP_UNANSWERED_3" not in page  # symbols are for the admin
    assert page.count("a message that was delivered to you") == 2
    assert "<summary>Show all headers</summary>" in page and "Subject: Third touch\nMessage-ID: " in page
    admin = (await Client(site.port, default_headers=BEARER).get(f"/m/{qid}")).text
    assert "FOLLOWUP_UNANSWERED_3" in admin
