"""Verdict headers as other tools read them, and DKIM surviving the gateway."""

from __future__ import annotations

import base64
import email
from pathlib import Path

import aiosmtplib
import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.actions.headers import HeaderStyle, outgoing_bytes, verdict_headers
from gateway.core.policy import Action, ScoredHit, Verdict
from gateway.core.signals.base import Hit
from gateway.store.base import GLOBAL_SCOPE, ListKind
from tests.mail import make_message
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway


def _keypair() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


async def test_dkim_signature_still_verifies_after_gateway(gateway: Gateway, sink: Sink) -> None:
    private, public = _keypair()
    raw = make_message(
        sender="alice@partner.test", subject="Signed", body="Signed body.\n.leading dot line\n"
    )
    signature = dkim.sign(raw, b"sel", b"partner.test", private, include_headers=[b"from", b"to", b"subject"])
    signed = signature + raw
    txt = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    # DNS cannot be queried here, so the TXT lookup is answered from the key made above.
    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"sel._domainkey.partner.test."
        return txt

    assert dkim.verify(signed, dnsfunc=dns)
    await aiosmtplib.send(
        signed,
        sender="alice@partner.test",
        recipients=["bob@example.com"],
        hostname="127.0.0.1",
        port=gateway.port,
    )
    delivered = sink.received[0].data
    assert delivered.startswith(b"Received: from ")
    assert dkim.verify(delivered, dnsfunc=dns)


def test_header_contract() -> None:
    verdict = Verdict(
        Action.TAG,
        7.25,
        (
            ScoredHit(Hit("FOLLOWUP_UNANSWERED_2", 1.0), 6.0),
            ScoredHit(Hit("NO_UNSUBSCRIBE_COMMERCIAL", 0.5), 2.5),
        ),
    )
    block = verdict_headers(verdict, HeaderStyle()).decode()
    assert block == (
        "X-Pitchgate-Action: tag\r\n"
        "X-Pitchgate-Score: 7.25\r\n"
        "X-Pitchgate-Symbols: FOLLOWUP_UNANSWERED_2(6), NO_UNSUBSCRIBE_COMMERCIAL(1.25)\r\n"
        "X-Spam-Flag: YES\r\n"
        "X-Spam-Score: 7.2\r\n"
        "X-Spam-Level: *******\r\n"
        "X-Spam-Status: Yes, score=7.2 required=5.0\r\n"
        "\ttests=FOLLOWUP_UNANSWERED_2,NO_UNSUBSCRIBE_COMMERCIAL\r\n"
    )


def test_long_symbol_lists_are_folded() -> None:
    hits = tuple(ScoredHit(Hit(f"SYMBOL_NUMBER_{i}", 1.0), 1.0) for i in range(80))
    block = verdict_headers(Verdict(Action.PASS, 40.0, hits), HeaderStyle())
    assert all(len(line) <= 998 for line in block.split(b"\r\n"))
    parsed = email.message_from_bytes(block + b"\r\nbody")
    assert b"\r\n\t" in block
    assert parsed["X-Pitchgate-Symbols"].count("SYMBOL_NUMBER_") == 80


def test_subject_prefix_only_when_configured() -> None:
    raw = make_message(subject="Offer")
    tag = Verdict(Action.TAG, 6.0)
    assert b"Subject: Offer" in outgoing_bytes(raw, tag, HeaderStyle())
    assert b"Subject: [PITCH] Offer" in outgoing_bytes(raw, tag, HeaderStyle(subject_prefix="[PITCH]"))


async def test_shadow_mode_never_holds(sink: Sink, tmp_path: Path) -> None:
    gw = await start_gateway(make_settings(tmp_path, sink.port, policy={"shadow": True}))
    try:
        await gw.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
        await aiosmtplib.send(
            make_message(sender="s@pitcher.test"),
            sender="s@pitcher.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=gw.port,
        )
    finally:
        await gw.stop()
    parsed = email.message_from_bytes(sink.received[0].data)
    assert parsed["X-Pitchgate-Action"] == "pass"
    assert parsed["X-Pitchgate-Shadow"] == "would quarantine"


async def test_outbound_is_relayed_untouched_and_recorded(sink: Sink, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, sink.port, server={"outbound_networks": ["127.0.0.0/8"]})
    gw = await start_gateway(settings)
    try:
        raw = make_message(sender="bob@example.com", to="carol@vendor.test", message_id="<out1@example.com>")
        await aiosmtplib.send(
            raw,
            sender="bob@example.com",
            recipients=["carol@vendor.test"],
            hostname="127.0.0.1",
            port=gw.port,
        )
        assert sink.received[0].data == raw
        now = gw.app.clock.now()
        assert await gw.app.store.mark_get("bob@example.com", "wrote", "carol@vendor.test", now) is not None
        assert await gw.app.store.mark_get("bob@example.com", "msgid", "<out1@example.com>", now) is not None
        # Carol's answer is now a reply to our own mail.
        answer = make_message(
            sender="carol@vendor.test",
            to="bob@example.com",
            subject="Re: pricing",
            headers={"In-Reply-To": "<out1@example.com>"},
        )
        await aiosmtplib.send(
            answer,
            sender="carol@vendor.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=gw.port,
        )
        symbols = email.message_from_bytes(sink.received[1].data)["X-Pitchgate-Symbols"]
        assert "REPLY_TO_OURS" in symbols
    finally:
        await gw.stop()


async def test_xforward_from_trusted_host_sets_client(gateway: Gateway, sink: Sink) -> None:
    from tests.test_gateway_relay import raw_session

    replies = await raw_session(
        gateway.port,
        [
            b"EHLO postfix.local",
            b"XFORWARD NAME=mx.partner.test ADDR=203.0.113.9 HELO=mx.partner.test",
            b"MAIL FROM:<a@partner.test>",
            b"RCPT TO:<bob@example.com>",
            b"DATA",
        ],
        make_message(),
    )
    assert [r[:3] for r in replies[2:]] == [b"250", b"250", b"250", b"354", b"250"]
    [record] = [s for s in sink.received]
    assert record.rcpt_tos == ["bob@example.com"]


async def test_the_real_client_is_passed_on_to_an_upstream_that_offers_xforward(
    gateway: Gateway, sink: Sink
) -> None:
    from tests.test_gateway_relay import raw_session

    sink.offer_xforward = True
    forwarded = b"XFORWARD NAME=mx.partner.test ADDR=IPV6:2001:db8::9 HELO=mx+2Bpartner.test PROTO=ESMTP"
    for first in ([b"EHLO postfix.local", forwarded], [b"EHLO direct.client.test"]):
        replies = await raw_session(
            gateway.port,
            [*first, b"MAIL FROM:<a@partner.test>", b"RCPT TO:<bob@example.com>", b"DATA"],
            make_message(),
        )
        assert replies[-1][:3] == b"250", replies
    assert len(sink.received) == 2
    through_postfix, direct = sink.xforwards
    # What Postfix told us, decoded from xtext and encoded again; the HELO's "+" survives the round trip.
    assert through_postfix == {
        "NAME": "mx.partner.test",
        "ADDR": "IPV6:2001:db8::9",
        "HELO": "mx+2Bpartner.test",
        "PROTO": "ESMTP",
    }
    assert direct == {"ADDR": "127.0.0.1", "HELO": "direct.client.test", "PROTO": "ESMTP"}


async def test_no_xforward_to_an_upstream_that_does_not_offer_it(gateway: Gateway, sink: Sink) -> None:
    _, reply = await aiosmtplib.send(
        make_message(),
        sender="a@partner.test",
        recipients=["bob@example.com"],
        hostname="127.0.0.1",
        port=gateway.port,
    )
    assert reply.startswith("2.0.0") or "queued" in reply
    assert len(sink.received) == 1 and sink.xforwards == []
