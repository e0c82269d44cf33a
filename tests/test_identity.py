"""The proven identity of a message: From when it aligns (relaxed) with the envelope or a verified DKIM d=.

There is no DNS here: DKIM keys come from a stub resolver (`dnsfunc`) serving a key made for the test.
"""

from __future__ import annotations

import asyncio
import contextlib

import dkim

from gateway.core.authresults import trusted_results
from gateway.core.identity import AuthOptions, identity
from gateway.core.message import Envelope, Message
from tests.mail import make_message
from tests.signals.conftest import SELECTOR, Key, _new_key, sign

VENDOR_KEY: Key = _new_key()
MX = "mx.example.com"
RECEIVED = f"Received: from out.esp.example by {MX} (Postfix) with ESMTPS id 9Q\r\n".encode()


def stub_dns(name: bytes, timeout: int = 5) -> bytes | None:
    if name == SELECTOR + b"._domainkey.vendor.co.uk.":
        return b"v=DKIM1; k=rsa; p=" + VENDOR_KEY.public_b64
    return None


def down(name: bytes, timeout: int = 5) -> bytes | None:
    raise dkim.DnsTimeoutError("stubbed resolver timeout")


OPTS = AuthOptions(authserv_ids=frozenset({MX}), dnsfunc=stub_dns)


def msg(raw: bytes, mail_from: str) -> Message:
    return Message.from_bytes(raw, Envelope(mail_from, ("bob@example.com",)))


async def test_envelope_in_the_same_organisation_aligns() -> None:
    found = await identity(msg(make_message("Dana <dana@vendor.co.uk>"), "bounces@mail.vendor.co.uk"), OPTS)
    assert found.aligned and found.address == "dana@vendor.co.uk"


async def test_envelope_sharing_only_the_public_suffix_does_not_align() -> None:
    found = await identity(msg(make_message("dana@vendor.co.uk"), "x@attacker.co.uk"), OPTS)
    assert not found.aligned and found.address == "x@attacker.co.uk"


async def test_verified_dkim_signature_aligns_esp_mail() -> None:
    signed = sign(make_message("dana@vendor.co.uk"), VENDOR_KEY, domain=b"vendor.co.uk")
    found = await identity(msg(signed, "bounce-1@esp.example"), OPTS)
    assert found.aligned and found.address == "dana@vendor.co.uk" and "DKIM d=vendor.co.uk" in found.how


async def test_forged_or_unverifiable_signature_does_not_align() -> None:
    forged = sign(make_message("dana@vendor.co.uk"), _new_key(), domain=b"vendor.co.uk")
    assert not (await identity(msg(forged, "spammer@evil.test"), OPTS)).aligned
    signed = sign(make_message("dana@vendor.co.uk"), VENDOR_KEY, domain=b"vendor.co.uk")
    outage = AuthOptions(dnsfunc=down)
    found = await identity(msg(signed, "spammer@evil.test"), outage)
    assert not found.aligned and found.address == "spammer@evil.test"


async def test_trusted_results_align_or_refute() -> None:
    raw = make_message("dana@vendor.co.uk")
    passed = f"Authentication-Results: {MX}; dkim=pass header.d=vendor.co.uk\r\n".encode() + RECEIVED + raw
    assert (await identity(msg(passed, "b@esp.example"), OPTS)).aligned
    # Our MX says DMARC failed: a matching envelope is forged too.
    failed = (
        f"Authentication-Results: {MX}; dmarc=fail header.from=vendor.co.uk\r\n".encode() + RECEIVED + raw
    )
    assert not (await identity(msg(failed, "dana@vendor.co.uk"), OPTS)).aligned
    spf = f"Authentication-Results: {MX}; spf=fail smtp.mailfrom=vendor.co.uk\r\n".encode() + RECEIVED + raw
    assert not (await identity(msg(spf, "dana@vendor.co.uk"), OPTS)).aligned
    # The same pass typed by the client below our Received proves nothing.
    planted = RECEIVED + f"Authentication-Results: {MX}; dkim=pass header.d=vendor.co.uk\r\n".encode() + raw
    assert not (await identity(msg(planted, "b@esp.example"), OPTS)).aligned


async def test_no_from_or_null_sender_gets_no_proven_identity() -> None:
    raw = b"To: bob@example.com\r\nSubject: x\r\n\r\nhi\r\n"
    assert (await identity(msg(raw, "x@vendor.test"), OPTS)).aligned is False
    bounce = await identity(msg(make_message("dana@vendor.co.uk"), ""), OPTS)
    assert not bounce.aligned and bounce.address == ""


def test_received_hops_moves_the_boundary() -> None:
    inner = b"Received: from edge.example.com by relay.example.com\r\n"
    result = f"Authentication-Results: {MX}; dkim=pass header.d=vendor.co.uk\r\n".encode()
    # The MX verdict sits below the internal relay's Received: ours only when two hops are ours.
    raw = inner + result + RECEIVED + make_message()
    parsed = Message.from_bytes(raw)
    assert trusted_results(parsed, frozenset({MX})) == []
    assert [r.method for r in trusted_results(parsed, frozenset({MX}), received_hops=2)] == ["dkim"]
    assert trusted_results(parsed, frozenset({"other.example"}), received_hops=2) == []


async def test_a_cancelled_lookup_is_asked_again() -> None:
    # A scan that times out cancels the shared lookup; learning afterwards must not inherit the cancellation.
    parsed = msg(make_message("Dana <dana@vendor.co.uk>"), "dana@vendor.co.uk")
    pending = asyncio.ensure_future(asyncio.sleep(3600))
    parsed.memo["identity"] = pending
    pending.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pending
    assert (await identity(parsed, OPTS)).aligned
