"""Consent cannot be typed: a forged From, a stranger's reply to a public post, or an auto-reply earns
nothing, and a forger cannot get the person it impersonates quarantined.

A real gateway over real sockets, on a ManualClock so that follow-ups can come days apart. Bob's own
mail comes from 127.0.0.2, the one address in outbound_networks; everyone else connects from 127.0.0.1.
The MX in front of us is simulated by the Authentication-Results and Received headers it would add
above the message (there is no DNS here, so DKIM itself is exercised in tests/test_identity.py).
"""

from __future__ import annotations

import email
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiosmtplib
import pytest

from gateway.clock import ManualClock
from tests.mail import make_message
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

OURS, STRANGER = "127.0.0.2", "127.0.0.1"
BOB, DANA = "bob@example.com", "dana@vendor.test"
DAY = 86400.0
MX = "mx.example.com"
PITCH = (
    "Hi Bob,\n\nWe help SaaS teams book 30+ qualified meetings a month with done-for-you outbound.\n"
    "Worth a chat? Grab a slot: https://calendly.com/growth/15min\n"
)


HELD = "(held)"


@dataclass
class Rig:
    gw: Gateway
    sink: Sink
    clock: ManualClock

    async def send(
        self, raw: bytes, sender: str, rcpt: str, source: str = STRANGER, after: float = 0
    ) -> set[str]:
        """Send one message; the symbols it was delivered with, or {HELD} when it went to quarantine."""
        self.clock.advance(after)
        before = len(self.sink.received)
        await aiosmtplib.send(
            raw,
            sender=sender,
            recipients=[rcpt],
            hostname="127.0.0.1",
            port=self.gw.port,
            source_address=(source, 0),
        )
        if len(self.sink.received) == before:
            return {HELD}
        header = email.message_from_bytes(self.sink.received[-1].data)["X-Pitchgate-Symbols"]
        return set(re.findall(r"([A-Z0-9_]+)\(", str(header or "")))


@pytest.fixture
async def rig(sink: Sink, tmp_path: Path) -> AsyncIterator[Rig]:
    settings = make_settings(
        tmp_path / "state",
        sink.port,
        server={"outbound_networks": [f"{OURS}/32"]},
        auth={"trusted_authserv_ids": [MX]},
    )
    clock = ManualClock(1_741_000_000.0)
    gateway = await start_gateway(settings, clock)
    yield Rig(gateway, sink, clock)
    await gateway.stop()


def _mx(raw: bytes, auth: str = "") -> bytes:
    """What our MX adds on top: its verdict, then its Received header."""
    verdict = f"Authentication-Results: {MX}; {auth}\r\n".encode() if auth else b""
    return (
        verdict + f"Received: from relay.example.net by {MX} (Postfix) with ESMTPS id 4Xq\r\n".encode() + raw
    )


async def test_forged_from_gets_no_consent(rig: Rig) -> None:
    await rig.send(make_message(BOB, DANA, "Pricing", "What does it cost?\n"), BOB, DANA, OURS)
    forged = _mx(make_message(f"Dana <{DANA}>", BOB, "Quick idea", "Hi Bob, a quick idea.\n"))
    assert "CONSENT_WROTE_FIRST" not in await rig.send(forged, "spammer@evil.test", BOB, after=DAY)
    genuine = _mx(make_message(f"Dana <{DANA}>", BOB, "Quote", "Here is the quote.\n"))
    assert "CONSENT_WROTE_FIRST" in await rig.send(genuine, DANA, BOB, after=DAY)
    # Through an ESP: the envelope is the ESP's, and our MX's verified DKIM d= aligns From.
    esp = _mx(
        make_message(f"Dana <{DANA}>", BOB, "Follow-up", "As promised.\n"),
        "dkim=pass header.d=vendor.test header.s=s1; spf=pass smtp.mailfrom=esp.example",
    )
    assert "CONSENT_WROTE_FIRST" in await rig.send(esp, "bounce-77@esp.example", BOB, after=DAY)


async def test_forger_cannot_get_the_impersonated_persons_mail_quarantined(rig: Rig) -> None:
    forged = [_mx(make_message(f"Dana <{DANA}>", BOB, "Meetings", PITCH)) for _ in range(2)]
    await rig.send(forged[0], "spammer@evil.test", BOB)
    second = await rig.send(forged[1], "spammer@evil.test", BOB, after=2 * DAY)
    assert second & {"FOLLOWUP_UNANSWERED_2", HELD}, second  # the forger's own sequence escalates
    invoice = _mx(make_message(f"Dana <{DANA}>", BOB, "Invoice 2291", "Please find invoice 2291 attached.\n"))
    symbols = await rig.send(invoice, DANA, BOB, after=DAY)
    assert not symbols & {HELD, "FOLLOWUP_UNANSWERED", "FOLLOWUP_UNANSWERED_2"}, symbols


async def test_reply_to_a_public_post_is_not_a_reply_to_ours(rig: Rig) -> None:
    post = make_message(BOB, "devs@lists.example.org", "RFC", "Thoughts?\n", message_id="<post@example.com>")
    await rig.send(post, BOB, "devs@lists.example.org", OURS)
    asked = make_message(BOB, DANA, "Pricing", "Price?\n", message_id="<ask@example.com>")
    await rig.send(asked, BOB, DANA, OURS)
    thread = {"In-Reply-To": "<post@example.com>"}
    stranger = _mx(make_message("seller@pitch.test", BOB, "Re: RFC", "Let's talk.\n", headers=thread))
    assert "REPLY_TO_OURS" not in await rig.send(stranger, "seller@pitch.test", BOB, after=DAY)
    # The one it went to, and a colleague at the same company, do answer our mail.
    answer = {"In-Reply-To": "<ask@example.com>"}
    dana = _mx(make_message(DANA, BOB, "Re: Pricing", "12 a seat.\n", headers=answer))
    assert "REPLY_TO_OURS" in await rig.send(dana, DANA, BOB, after=DAY)
    colleague = _mx(make_message("sales@vendor.test", BOB, "Re: Pricing", "Dana is out.\n", headers=answer))
    assert "REPLY_TO_OURS" in await rig.send(colleague, "sales@vendor.test", BOB, after=DAY)


@pytest.mark.parametrize(
    "auto", ["auto-replied", "auto-generated", "auto-notified; owner-email=bob@example.com"]
)
async def test_an_auto_reply_is_not_the_recipient_writing_first(rig: Rig, auto: str) -> None:
    pitch = _mx(make_message("seller@pitch.test", BOB, "Meetings", PITCH, message_id="<p1@pitch.test>"))
    await rig.send(pitch, "seller@pitch.test", BOB)
    ooo = make_message(
        BOB,
        "seller@pitch.test",
        "Out of office: Meetings",
        "I am away until Monday.\n",
        message_id="<ooo@example.com>",
        headers={"Auto-Submitted": auto, "In-Reply-To": "<p1@pitch.test>"},
    )
    await rig.send(ooo, BOB, "seller@pitch.test", OURS)
    follow = _mx(
        make_message(
            "seller@pitch.test",
            BOB,
            "Re: Out of office",
            "Back now? Quick call?\n",
            headers={"In-Reply-To": "<ooo@example.com>"},
        )
    )
    symbols = await rig.send(follow, "seller@pitch.test", BOB, after=2 * DAY)
    assert not {"CONSENT_WROTE_FIRST", "REPLY_TO_OURS", "CONSENT_WROTE_DOMAIN"} & symbols, symbols
    # Nor does it answer the pitcher's sequence: the follow-up is still an unanswered touch.
    assert symbols & {HELD, "FOLLOWUP_UNANSWERED", "FOLLOWUP_UNANSWERED_2", "FOLLOWUP_FIRST_NUDGE"}, symbols
