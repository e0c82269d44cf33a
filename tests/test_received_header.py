"""The Received: trace header: what a real sink receives, that it parses, and that nothing else changes."""

from __future__ import annotations

import email
import email.utils
import re
import socket
import time
from pathlib import Path

import aiosmtplib

from tests.certs import self_signed
from tests.reliability.helpers import RawClient, strip_prepended
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway
from tests.test_gateway_tls import _client_context

RAW = (
    b"Received: from mx.partner.test by relay.partner.test; Tue, 1 Dec 2026 10:00:00 +0000\r\n"
    b"From: a@partner.test\r\nTo: bob@example.com\r\nSubject: s\r\n\r\nbody\r\n"
)
_STAMP = re.compile(
    rb"Received: from client\.partner\.test \(\[127\.0\.0\.1\]\)\r\n"
    rb"\tby (?P<by>[^ ]+) \(pitchgate\) with ESMTP id (?P<id>[0-9a-f]{10}-1)\r\n"
    rb"\tfor <bob@example\.com>; (?P<date>[^\r\n]+)\r\n"
)


async def _send(port: int, helo: bytes, rcpts: list[bytes], raw: bytes = RAW, *before: bytes) -> bytes:
    client, _ = await RawClient.connect(port)
    await client.say(helo)
    for line in before:
        assert (await client.say(line)).startswith(b"250")
    assert (await client.say(b"MAIL FROM:<a@partner.test>")).startswith(b"250")
    for rcpt in rcpts:
        assert (await client.say(b"RCPT TO:" + rcpt)).startswith(b"250")
    assert (await client.say(b"DATA")).startswith(b"354")
    await client.write(raw + b".\r\n")
    reply = await client.reply()
    await client.close()
    return reply


async def test_sink_receives_a_parseable_stamp_on_top_and_the_rest_unchanged(
    gateway: Gateway, sink: Sink
) -> None:
    before = time.time()
    assert (await _send(gateway.port, b"EHLO client.partner.test", [b"<bob@example.com>"])).startswith(b"250")
    data = sink.received[0].data
    stamp = _STAMP.match(data)
    assert stamp is not None, data[:300]
    assert stamp["by"].decode() == socket.getfqdn()  # server.hostname unset: this machine's FQDN, as in EHLO
    parsed = email.message_from_bytes(data)
    ours, theirs = parsed.get_all("Received")
    assert ours.startswith("from client.partner.test") and theirs.startswith("from mx.partner.test")
    when = email.utils.parsedate_to_datetime(ours.rpartition(";")[2].strip())
    assert when.utcoffset() is not None and before - 2 <= when.timestamp() <= time.time() + 1
    # Below the stamp: only the verdict headers, then the sender's bytes exactly, their Received first.
    prepended, rest = strip_prepended(data)
    assert prepended.startswith(stamp.group(0)) and rest == RAW


async def test_protocol_recipients_and_xforward(gateway: Gateway, sink: Sink) -> None:
    await _send(gateway.port, b"HELO old.partner.test", [b"<bob@example.com>", b"<carol@example.com>"])
    await _send(
        gateway.port,
        b"EHLO postfix.example.com",
        [b"<bob@example.com>"],
        RAW,
        b"XFORWARD NAME=mx.partner.test ADDR=192.0.2.7 HELO=mx.partner.test",
    )
    await _send(
        gateway.port,
        b"EHLO client.partner.test",
        [b"<bob@example.com>"],
        RAW,
        b"XFORWARD ADDR=IPV6:2001:db8::7",
    )
    first, second, third = (email.message_from_bytes(r.data).get_all("Received")[0] for r in sink.received)
    assert first.startswith("from old.partner.test ([127.0.0.1])\r\n\tby ") and " with SMTP id " in first
    assert "for <" not in first  # two recipients: neither is named
    # From the MTA we trust for XFORWARD (127.0.0.1 by default), the original client is recorded.
    assert second.startswith("from mx.partner.test (mx.partner.test [192.0.2.7])\r\n")
    assert third.startswith("from client.partner.test ([IPv6:2001:db8::7])\r\n")


async def test_esmtps_and_utf8smtp(sink: Sink, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    settings = make_settings(
        tmp_path / "state", sink.port, server={"tls_cert": str(cert), "tls_key": str(key)}
    )
    gw = await start_gateway(settings)
    try:
        secure = aiosmtplib.SMTP(
            hostname="127.0.0.1", port=gw.port, start_tls=True, tls_context=_client_context()
        )
        await secure.connect()
        await secure.sendmail("a@partner.test", ["bob@example.com"], RAW)
        await secure.sendmail("a@partner.test", ["bob@example.com"], RAW, mail_options=["SMTPUTF8"])
        await secure.quit()
        await aiosmtplib.send(
            RAW,
            sender="a@partner.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=gw.port,
            start_tls=False,
            mail_options=["SMTPUTF8"],
        )
    finally:
        await gw.stop()
    stamps = [email.message_from_bytes(r.data).get_all("Received")[0] for r in sink.received]
    assert [s.split(" with ", 1)[1].split()[0] for s in stamps] == ["ESMTPS", "UTF8SMTPS", "UTF8SMTP"]


async def test_stamp_can_be_turned_off(sink: Sink, tmp_path: Path) -> None:
    gw = await start_gateway(make_settings(tmp_path, sink.port, server={"received_header": False}))
    try:
        await _send(gw.port, b"EHLO client.partner.test", [b"<bob@example.com>"])
    finally:
        await gw.stop()
    data = sink.received[0].data
    assert data.startswith(b"X-Pitchgate-Action: ") and b"(pitchgate)" not in data
