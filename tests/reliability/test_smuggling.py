"""SMTP smuggling and envelope injection, end to end: client -> gateway -> aiosmtpd sink.

An attacker who can make one end see "end of data" where the other sees message text can slip a second
message, with an envelope of their choosing, past every check (CVE-2023-51764 and aiosmtpd's
GHSA-pr2m-px7j-xg65, fixed in 1.4.5). The gateway must end DATA only at <CR><LF>.<CR><LF>, and must never
put a sender's bare CR or LF on the wire to the upstream where it could end a line there.
"""

from __future__ import annotations

import email

import pytest

from tests.reliability.helpers import RawClient
from tests.smtp_helpers import Gateway, Sink

SMUGGLED = (
    b"MAIL FROM:<admin@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
    b"From: admin@example.com\r\nSubject: smuggled\r\n\r\nwire the money\r\n"
)
ENDINGS = {
    "lf-dot-lf": b"\n.\n",
    "cr-dot-cr": b"\r.\r",
    "lf-dot-crlf": b"\n.\r\n",
    "crlf-dot-lf": b"\r\n.\n",
    "crlf-dot-cr": b"\r\n.\r",
    "cr-dot-crlf": b"\r.\r\n",
}


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
async def test_fake_end_of_data_cannot_inject_a_second_message(
    gateway: Gateway, sink: Sink, ending: bytes
) -> None:
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO attacker.test")
    data = b"From: a@partner.test\r\nSubject: first\r\n\r\nhello" + ending + SMUGGLED + b".\r\n"
    replies = await client.transaction(b"<a@partner.test>", b"<bob@example.com>", data)
    after = await client.say(b"NOOP")
    await client.close()
    assert [r[:3] for r in replies] == [b"250", b"250", b"354", b"250"]
    assert after.startswith(b"250")  # one reply for one message: nothing left over to be read as commands
    assert len(sink.received) == 1
    got = sink.received[0]
    assert (got.mail_from, got.rcpt_tos) == ("a@partner.test", ["bob@example.com"])
    assert email.message_from_bytes(got.data)["Subject"] == "first"
    # What reached the upstream has CRLF line endings only, so no server behind us can split it elsewhere.
    bare = got.data.replace(b"\r\n", b"")
    assert b"\r" not in bare and b"\n" not in bare


@pytest.mark.parametrize(
    ("command", "address"),
    [
        (b"MAIL FROM:", b"<a\r@partner.test>"),
        (b"MAIL FROM:", b'<"a\rX-Injected: yes"@partner.test>'),
        (b"MAIL FROM:", b"<a@partner.test\x00>"),
        (b"RCPT TO:", b"<bob\r@example.com>"),
        (b"RCPT TO:", b'<"bob\rRCPT TO:<x@evil.test>"@example.com>'),
        (b"RCPT TO:", b"<bob@example.com\x7f>"),
    ],
)
async def test_control_characters_in_envelope_are_refused(
    gateway: Gateway, sink: Sink, command: bytes, address: bytes
) -> None:
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO attacker.test")
    if command == b"RCPT TO:":
        assert (await client.say(b"MAIL FROM:<a@partner.test>")).startswith(b"250")
    reply = await client.say(command + address)
    await client.close()
    # A bare CR passed on would end the command early at an upstream that splits lines on it.
    assert reply.startswith(b"501"), reply
    assert sink.received == []


async def test_envelope_never_becomes_a_header(gateway: Gateway, sink: Sink) -> None:
    """Odd but legal addresses pass, and nothing of them appears as a header of the relayed mail."""
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO attacker.test")
    sender = b'<"x: y; X-Pitchgate-Action: pass"@partner.test>'
    raw = b"From: a@partner.test\r\nSubject: s\r\n\r\nbody\r\n.\r\n"
    replies = await client.transaction(sender, b"<bob@example.com>", raw)
    await client.close()
    assert replies[-1].startswith(b"250"), replies
    parsed = email.message_from_bytes(sink.received[0].data)
    assert parsed.get_all("X-Pitchgate-Action") == ["pass"]
    assert [k for k in parsed if k.lower() == "x"] == []


@pytest.mark.parametrize(
    "forged",
    [
        b"X-Pitchgate-Action: pass\r\n",
        b"x-pitchgate-score: -100\r\n",
        b"X-PITCHGATE-Symbols: none,\r\n\tFOLDED(1)\r\n",
        b"X-Pitchgate-Status : unscanned\r\n",
        b"X-Spam-Flag: NO\r\n",
        b"X-Pitchgate-List: allow:everyone\r\n",
        b"X-Spam-Status: No, score=-5.0 required=5.0\r\n\ttests=ALL_TRUSTED\r\n",
        b"x-spam-score: -10.0\r\n",
        b"X-Spam-Level: \r\n",
        b"X-Spam-Checker-Version: SpamAssassin 4.0.0\r\n",
    ],
)
async def test_forged_verdict_headers_are_stripped(gateway: Gateway, sink: Sink, forged: bytes) -> None:
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO attacker.test")
    raw = (
        b"From: a@partner.test\r\n" + forged + b"Subject: s\r\n\r\nX-Pitchgate-Action: in the body stays\r\n"
    )
    replies = await client.transaction(b"<a@partner.test>", b"<bob@example.com>", raw + b".\r\n")
    await client.close()
    assert replies[-1].startswith(b"250")
    data = sink.received[0].data
    ours, _, rest = data.partition(b"From: a@partner.test\r\n")
    head, _, body = rest.partition(b"\r\n\r\n")
    assert head == b"Subject: s"
    assert b"FOLDED" not in ours and b"X-Spam-Flag" not in ours and b"allow:everyone" not in ours
    assert email.message_from_bytes(data).get_all("X-Pitchgate-Action") == ["pass"]
    assert body == b"X-Pitchgate-Action: in the body stays\r\n"


@pytest.mark.parametrize("lead", [b" ", b"\t", b" \r\n\t"])
async def test_leading_continuation_cannot_extend_our_headers(
    gateway: Gateway, sink: Sink, lead: bytes
) -> None:
    """A message starting with folded whitespace would otherwise continue the last header we prepend."""
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO attacker.test")
    raw = lead + b"FAKE_ALLOW(-100)\r\nFrom: a@partner.test\r\nSubject: s\r\n\r\nbody\r\n"
    replies = await client.transaction(b"<a@partner.test>", b"<bob@example.com>", raw + b".\r\n")
    await client.close()
    assert replies[-1].startswith(b"250")
    parsed = email.message_from_bytes(sink.received[0].data)
    assert all("FAKE_ALLOW" not in str(v) for k, v in parsed.items() if k.lower().startswith("x-pitchgate"))
    assert parsed["Subject"] == "s"
