"""The review page's "Why was this held?": the evidence kept with the hold, as plain text (issue 13, item 5)."""

from __future__ import annotations

from markupsafe import escape

from tests.mail import make_message
from tests.web.client import Client
from tests.web.conftest import ADMIN_TOKEN, BLOCKED, Site

BODY = "Hi Bob,\n\nJust bumping this to the top of your inbox: any thoughts?\n\nSam\n"


async def test_the_message_page_says_why_it_was_held(site: Site) -> None:
    sender = f"sam@{BLOCKED}"
    qid = await site.hold("bob@example.com", "Following up", make_message(sender=sender, body=BODY), sender)
    record = next(r for r in await site.gateway.app.store.quarantine_list() if r.id == qid)
    # The block list decided; the evidence of every hit is kept beside it all the same.
    phrase = [line for line in record.evidence if line[0] == "FOLLOWUP_PHRASE"]
    assert phrase and phrase[0][2]
    client = Client(site.port)
    assert (await client.get(f"/?token={ADMIN_TOKEN}")).status == 200
    page = (await client.get(f"/m/{qid}")).text
    assert "Why was this held?" in page and "FOLLOWUP_PHRASE" in page
    assert str(escape(phrase[0][2])) in page  # the kept text itself, escaped as the template escapes it
