"""A client cannot write into our Received: stamp: a hostile HELO or recipient is left out, not copied.

A ";" in the stamp would move where readers look for its date, a "(" would open a comment, and a CR or LF
would start a header of the sender's choosing above our verdict.
"""

from __future__ import annotations

import email

import pytest

from tests.reliability.helpers import RawClient
from tests.smtp_helpers import Gateway, Sink

HELOS = [
    b"EHLO evil.test; Tue, 1 Jan 2030 00:00:00 +0000",
    b"EHLO evil.test (trusted.example.com [10.0.0.1])",
    b"EHLO by.example.com with ESMTPS id forged",
    b"EHLO " + b"a" * 300 + b".test",
]


@pytest.mark.parametrize("helo", HELOS, ids=["semicolon", "comment", "spaces", "overlong"])
async def test_hostile_helo_becomes_unknown(gateway: Gateway, sink: Sink, helo: bytes) -> None:
    client, _ = await RawClient.connect(gateway.port)
    await client.say(helo)
    raw = b"From: a@partner.test\r\nSubject: s\r\n\r\nbody\r\n.\r\n"
    replies = await client.transaction(b"<a@partner.test>", b"<bob@example.com>", raw)
    await client.close()
    assert replies[-1].startswith(b"250"), replies
    data = sink.received[0].data
    assert data.startswith(b"Received: from unknown ([127.0.0.1])\r\n\tby ")
    stamp = email.message_from_bytes(data)["Received"]
    assert stamp.count(";") == 1 and stamp.count("(") == 2  # ours: "([127.0.0.1])" and "(pitchgate)"
    assert "evil" not in stamp and "forged" not in stamp and "aaaa" not in stamp


async def test_hostile_recipient_is_not_named(gateway: Gateway, sink: Sink) -> None:
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO client.partner.test")
    raw = b"From: a@partner.test\r\nSubject: s\r\n\r\nbody\r\n.\r\n"
    replies = await client.transaction(b"<a@partner.test>", b'<"x; Tue, 1 Jan 2030 (y)"@example.com>', raw)
    await client.close()
    assert replies[-1].startswith(b"250"), replies
    stamp = email.message_from_bytes(sink.received[0].data)["Received"]
    assert "for <" not in stamp and "2030" not in stamp and stamp.count(";") == 1
