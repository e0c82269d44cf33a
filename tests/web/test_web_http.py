"""The review page over plain HTTP: who may see what, CSRF and cross-site refusals, one-click links, logging."""

from __future__ import annotations

import base64
import logging

import aiosmtplib
import pytest

from gateway.actions.links import LinkAction
from gateway.store.base import ListKind
from gateway.web.access import Gate
from gateway.web.app import SECURITY_HEADERS
from tests.mail import make_message
from tests.web.client import Client, Response
from tests.web.conftest import ADMIN_TOKEN, LINK_SECRET, Site

BOB, CAROL = "bob@example.com", "carol@example.com"
BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _assert_hardened(response: Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name.lower()) == value, name
    assert "script-src" not in response.headers["content-security-policy"]


async def _admin(site: Site) -> Client:
    client = Client(site.port)
    response = await client.get(f"/?token={ADMIN_TOKEN}")
    assert response.status == 200 and client.cookie
    return client


async def test_no_or_wrong_credentials_are_refused(site: Site) -> None:
    await site.hold(BOB, "Scale your pipeline")
    client = Client(site.port)
    for response, status in [
        (await client.get("/"), 401),
        (await client.get("/?token=not-the-token"), 403),
        (await client.get("/", Authorization="Bearer not-the-token"), 403),
    ]:
        assert response.status == status
        assert "Scale your pipeline" not in response.text
        _assert_hardened(response)
    assert client.cookie == ""


async def test_admin_token_once_then_a_strict_httponly_cookie(site: Site) -> None:
    await site.hold(BOB, "Scale your pipeline")
    client = Client(site.port)
    first = await client.get(f"/?token={ADMIN_TOKEN}")
    cookie = first.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    # The page moves on to "/" by itself, so the token leaves the address bar; the cookie never holds it.
    assert 'http-equiv="refresh" content="0; url=/"' in first.text
    payload = base64.b64decode(client.cookie.split(".")[0] + "==")
    assert ADMIN_TOKEN.encode() not in payload
    listed = await client.get("/")
    assert (
        listed.status == 200
        and "Scale your pipeline" in listed.text
        and f"sam@{'pitcher.test'}" in listed.text
    )
    _assert_hardened(listed)


async def test_admin_lists_everyone_and_filters_by_recipient(site: Site) -> None:
    await site.hold(BOB, "For Bob")
    await site.hold(CAROL, "For Carol")
    everyone = await Client(site.port, default_headers=BEARER).get("/")
    assert "For Bob" in everyone.text and "For Carol" in everyone.text
    only_bob = await Client(site.port, default_headers=BEARER).get(f"/?recipient={BOB}")
    assert "For Bob" in only_bob.text and "For Carol" not in only_bob.text


async def test_a_view_link_sees_only_its_recipient(site: Site) -> None:
    bobs = await site.hold(BOB, "For Bob")
    carols = await site.hold(CAROL, "For Carol")
    client = Client(site.port)
    assert (await client.get(f"/?link={site.link(BOB)}")).status == 200
    listed = await client.get(f"/?recipient={CAROL}")
    assert "For Bob" in listed.text and "For Carol" not in listed.text
    assert (await client.get(f"/m/{bobs}")).status == 200
    page = await client.get(f"/m/{carols}")
    assert page.status == 404 and "For Carol" not in page.text
    csrf = (await client.get(f"/m/{bobs}")).csrf()
    for action in ("release", "delete", "confirm"):
        assert (await client.post(f"/m/{carols}/{action}", {"csrf": csrf})).status == 404
    assert carols in await site.held_ids() and site.sink.received == []


async def test_forms_need_this_sessions_csrf_token_and_our_origin(site: Site) -> None:
    qid = await site.hold(BOB, "Scale your pipeline")
    client = await _admin(site)
    csrf = (await client.get(f"/m/{qid}")).csrf()
    refused = [
        await client.post(f"/m/{qid}/delete"),
        await client.post(f"/m/{qid}/delete", {"csrf": ("y" if csrf[0] == "x" else "x") + csrf[1:]}),
        await client.post(f"/m/{qid}/delete", {"csrf": csrf}, Origin="http://evil.test"),
        await client.post(f"/m/{qid}/delete", {"csrf": csrf}, Sec_Fetch_Site="cross-site"),
    ]
    assert [r.status for r in refused] == [403, 403, 403, 403]
    # Another session's token is no good either.
    other = await _admin(site)
    assert (await other.post(f"/m/{qid}/delete", {"csrf": csrf})).status == 403
    assert qid in await site.held_ids()
    # Browsers send "Origin: null" under Referrer-Policy: no-referrer; with the right token that is ours.
    done = await client.post(f"/m/{qid}/delete", {"csrf": csrf}, Origin="null", Sec_Fetch_Site="same-origin")
    assert done.status == 200 and qid not in await site.held_ids()
    assert site.sink.received == []


async def test_bearer_posts_need_no_csrf_and_confirm_blocks_the_sender(site: Site) -> None:
    qid = await site.hold(BOB, "Scale your pipeline", sender="rep@pitcher.test")
    response = await Client(site.port, default_headers=BEARER).post(f"/m/{qid}/confirm")
    assert response.status == 200 and qid not in await site.held_ids()
    blocked = await site.gateway.app.store.list_entries(ListKind.BLOCK, BOB)
    assert (BOB, "rep@pitcher.test") in blocked


async def test_one_click_get_changes_nothing_and_post_acts(site: Site) -> None:
    qid = await site.hold(BOB, "Scale your pipeline")
    path = f"/a/{site.link(BOB, LinkAction.RELEASE, qid)}"
    client = Client(site.port)
    for _ in range(2):  # a link scanner fetching it, then the person
        shown = await client.get(path)
        assert (
            shown.status == 200 and 'method="post"' in shown.text and "Release and trust sender" in shown.text
        )
    assert qid in await site.held_ids() and site.sink.received == []
    assert (await client.post(path, Origin="http://evil.test")).status == 403
    assert (await client.post(path, Sec_Fetch_Site="cross-site")).status == 403
    released = await client.post(path)
    assert released.status == 200 and "Released" in released.text
    assert len(site.sink.received) == 1 and site.sink.received[0].rcpt_tos == [BOB]
    assert (BOB, "sam@pitcher.test") in await site.gateway.app.store.list_entries(ListKind.ALLOW, BOB)
    assert (await client.post(path)).status == 404  # already handled


async def test_one_click_block_stops_the_sender_without_delivering(site: Site) -> None:
    qid = await site.hold(BOB, "Scale your pipeline", sender="sdr@pitcher.test")
    response = await Client(site.port).post(f"/a/{site.link(BOB, LinkAction.BLOCK, qid)}")
    assert response.status == 200 and qid not in await site.held_ids() and site.sink.received == []
    assert (BOB, "sdr@pitcher.test") in await site.gateway.app.store.list_entries(ListKind.BLOCK, BOB)


async def test_a_recipients_link_acts_on_their_copy_only(site: Site) -> None:
    raw = make_message(sender="sam@pitcher.test", to=f"{BOB}, {CAROL}", subject="For you both", body="Hi.\n")
    _, reply = await aiosmtplib.send(
        raw, sender="sam@pitcher.test", recipients=[BOB, CAROL], hostname="127.0.0.1", port=site.gateway.port
    )
    qid = reply.split("queued as ")[1].split()[0]
    released = await Client(site.port).post(f"/a/{site.link(BOB, LinkAction.RELEASE, qid)}")
    assert released.status == 200
    assert [r.rcpt_tos for r in site.sink.received] == [[BOB]]
    # Carol's copy stays held under the same id (her digest links name it), and Bob's decision did not
    # make the sender wanted for her.
    (kept,) = await site.gateway.app.store.quarantine_list()
    assert kept.recipients == (CAROL,) and kept.id == qid and kept.received_at > 0
    assert await site.gateway.app.store.quarantine_list(BOB) == []
    assert await site.gateway.app.store.list_entries(ListKind.ALLOW, CAROL) == []
    deleted = await Client(site.port).post(f"/a/{site.link(CAROL, LinkAction.BLOCK, kept.id)}")
    assert deleted.status == 200 and await site.held_ids() == set()
    assert len(site.sink.received) == 1


async def test_one_click_links_are_bound_to_their_recipient_and_action(site: Site) -> None:
    carols = await site.hold(CAROL, "For Carol")
    client = Client(site.port)
    assert (await client.get(f"/a/{site.link(BOB, LinkAction.RELEASE, carols)}")).status == 404
    assert (await client.post(f"/a/{site.link(BOB, LinkAction.RELEASE, carols)}")).status == 404
    assert (await client.get(f"/a/{site.link(CAROL, LinkAction.VIEW, carols)}")).status == 403
    # A one-click grant is not a way into the list either.
    assert (await client.get(f"/?link={site.link(CAROL, LinkAction.RELEASE, carols)}")).status == 403
    assert carols in await site.held_ids() and site.sink.received == []


async def test_expired_and_tampered_links_are_refused(site: Site) -> None:
    qid = await site.hold(BOB, "For Bob")
    view, release = site.link(BOB), site.link(BOB, LinkAction.RELEASE, qid)
    client = Client(site.port)
    payload, signature = view.rsplit(".", 1)
    tampered = payload[:3] + ("B" if payload[3] != "B" else "C") + payload[4:] + "." + signature
    carol_payload = site.link(CAROL).rsplit(".", 1)[0]
    forged = f"{carol_payload}.{signature}"  # Carol's grant under Bob's signature
    for bad in (tampered, forged, "nonsense"):
        response = await client.get(f"/?link={bad}")
        assert response.status == 403 and "invalid link" in response.text
    assert (await client.get(f"/?link={view}")).status == 200
    site.clock.advance(8 * 86400)  # past link_ttl_days (7): the open session ends with its link
    for response in (
        await client.get("/"),
        await client.get(f"/a/{release}"),
        await client.post(f"/a/{release}"),
    ):
        assert response.status == 403 and "expired" in response.text and "For Bob" not in response.text
    assert qid in await site.held_ids()
    assert LINK_SECRET not in response.text


async def test_a_refused_release_keeps_the_message(site: Site) -> None:
    qid = await site.hold(BOB, "Scale your pipeline")
    site.sink.data_reply = "451 4.3.0 Try again later"
    response = await Client(site.port, default_headers=BEARER).post(f"/m/{qid}/release")
    assert response.status == 502 and "stays held" in response.text
    assert qid in await site.held_ids()


async def test_every_action_is_logged_once_without_secrets_or_bodies(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    first = await site.hold(BOB, "Scale your pipeline")
    second = await site.hold(BOB, "Second pitch")
    caplog.set_level(logging.INFO, logger="pitchgate.web")
    await Client(site.port, default_headers=BEARER).post(f"/m/{first}/release")
    token = site.link(BOB, LinkAction.BLOCK, second)
    await Client(site.port).post(f"/a/{token}")
    lines = [r for r in caplog.records if r.name == "pitchgate.web"]
    assert [getattr(r, "fields", None) for r in lines] == [
        {
            "event": "web_action",
            "who": "admin",
            "via": "bearer",
            "action": "release",
            "qid": first,
            "result": "ok",
        },
        {
            "event": "web_action",
            "who": BOB,
            "via": "link",
            "action": "confirm",
            "qid": second,
            "result": "ok",
        },
    ]
    for secret in (ADMIN_TOKEN, token, "Second pitch.\r\n", "Hi,"):
        assert secret not in caplog.text


async def test_without_an_admin_token_configured_no_token_is_accepted(site: Site) -> None:
    gate = Gate("", site.signer, site.clock)
    assert not gate.admin_ok("") and not gate.admin_ok(ADMIN_TOKEN)
    assert Gate(ADMIN_TOKEN, site.signer, site.clock).admin_ok(ADMIN_TOKEN)
