"""The gateway as a before-queue proxy, over real sockets: client -> gateway -> aiosmtpd sink."""

from __future__ import annotations

import asyncio
import email
from pathlib import Path

import aiosmtplib
import pytest

from gateway.store.base import GLOBAL_SCOPE, ListKind
from tests.mail import make_message
from tests.smtp_helpers import Gateway, Sink, make_settings, sample, start_gateway


async def send(
    port: int, sender: str, rcpts: list[str], raw: bytes
) -> tuple[dict[str, tuple[int, str]], str]:
    """Send one message; returns the refused recipients and the final reply."""
    refused, reply = await aiosmtplib.send(
        raw, sender=sender, recipients=rcpts, hostname="127.0.0.1", port=port
    )
    return refused, reply


async def raw_session(port: int, commands: list[bytes], data: bytes | None = None) -> list[bytes]:
    """Speak SMTP by hand, one command at a time; returns the last line of each reply."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    replies = [await reader.readline()]
    for command in commands:
        writer.write(command + b"\r\n")
        await writer.drain()
        replies.append(await _read_reply(reader))
    if data is not None:
        writer.write(data + (b"" if data.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        await writer.drain()
        replies.append(await _read_reply(reader))
    writer.close()
    return replies


async def _read_reply(reader: asyncio.StreamReader) -> bytes:
    while True:
        line = await reader.readline()
        if line[3:4] != b"-":
            return line


def headers_of(data: bytes) -> email.message.Message:
    return email.message_from_bytes(data)


async def test_relays_with_verdict_headers(gateway: Gateway, sink: Sink) -> None:
    raw = make_message()
    await send(gateway.port, "alice@partner.test", ["bob@example.com"], raw)
    assert len(sink.received) == 1
    got = sink.received[0]
    assert got.rcpt_tos == ["bob@example.com"]
    parsed = headers_of(got.data)
    assert parsed["X-Pitchgate-Action"] == "pass"
    # A stranger's first, friendly message: STRANGER_FIRST_TOUCH alone, far under the tag line.
    assert float(parsed["X-Pitchgate-Score"]) == 1.0
    assert parsed["X-Pitchgate-Symbols"] == "STRANGER_FIRST_TOUCH(1)"
    # Our headers are prepended; everything the sender wrote follows byte for byte.
    assert got.data.endswith(raw)


async def test_500_messages_none_lost_none_doubled(gateway: Gateway, sink: Sink) -> None:
    await gateway.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
    sent: list[str] = []

    async def worker(n: int) -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=gateway.port)
        await client.connect()
        for i in range(n, 500, 16):
            sender = "sales@pitcher.test" if i % 5 == 0 else "friend@partner.test"
            mid = f"<bulk{i}@test>"
            raw = make_message(sender=sender, message_id=mid, subject=f"message {i}")
            await client.sendmail(sender, ["bob@example.com"], raw)
            sent.append(mid)
        await client.quit()

    await asyncio.gather(*(worker(n) for n in range(16)))
    delivered = [headers_of(r.data)["Message-ID"] for r in sink.received]
    held = [r.message_id for r in await gateway.app.store.quarantine_list()]
    assert len(sent) == 500
    assert len(delivered) + len(held) == 500
    assert sorted(delivered + held) == sorted(sent)
    assert len(held) == 100
    assert sample(gateway.registry, "pitchgate_messages_total", {"action": "quarantine"}) == 100
    assert sample(gateway.registry, "pitchgate_messages_total", {"action": "pass"}) == 400


async def test_upstream_550_for_one_recipient_reaches_client(gateway: Gateway, sink: Sink) -> None:
    sink.refuse_rcpt["nobody@example.com"] = "550 5.1.1 <nobody@example.com>: Recipient address rejected"
    refused, _ = await send(
        gateway.port, "a@partner.test", ["bob@example.com", "nobody@example.com"], make_message()
    )
    assert refused == {"nobody@example.com": (550, "5.1.1 <nobody@example.com>: Recipient address rejected")}
    assert sink.received[0].rcpt_tos == ["bob@example.com"]


async def test_upstream_451_at_data_reaches_client(gateway: Gateway, sink: Sink) -> None:
    sink.data_reply = "451 4.3.0 Sink is having a bad day"
    with pytest.raises(aiosmtplib.SMTPDataError) as info:
        await send(gateway.port, "a@partner.test", ["bob@example.com"], make_message())
    assert (info.value.code, info.value.message) == (451, "4.3.0 Sink is having a bad day")
    assert sample(gateway.registry, "pitchgate_upstream_replies_total", {"class": "4xx"}) == 1
    # Not accepted, so not counted: the client will retry and must not be counted twice.
    assert sample(gateway.registry, "pitchgate_messages_total", {"action": "pass"}) == 0


async def test_upstream_down_gives_451(gateway: Gateway, sink: Sink) -> None:
    await sink.stop()
    with pytest.raises(aiosmtplib.SMTPSenderRefused) as info:
        await send(gateway.port, "a@partner.test", ["bob@example.com"], make_message())
    assert info.value.code == 451
    assert "4.4.1" in info.value.message
    # Counted, so that the "upstream failing" alert fires while the upstream is down altogether.
    assert sample(gateway.registry, "pitchgate_upstream_replies_total", {"class": "error"}) == 1


async def test_upstream_drops_mid_transaction_gives_451(gateway: Gateway, sink: Sink) -> None:
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=gateway.port)
    await client.connect()
    await client.mail("a@partner.test")
    await client.rcpt("bob@example.com")
    await sink.stop()
    for session in list(gateway.handler.sessions):  # cut the pooled upstream connection under the proxy
        upstream = session.session.upstream
        assert upstream is not None
        upstream._client.close()
    with pytest.raises(aiosmtplib.SMTPDataError) as info:
        await client.data(make_message())
    assert info.value.code == 451
    client.close()


async def test_oversize_gives_552(sink: Sink, tmp_path: Path) -> None:
    gw = await start_gateway(make_settings(tmp_path, sink.port, server={"data_size_limit": 10_000}))
    big = make_message(body=("y" * 70 + "\n") * 200)
    try:
        # A client that declares SIZE hears 552 at MAIL ...
        with pytest.raises(aiosmtplib.SMTPSenderRefused) as declared:
            await send(gw.port, "a@partner.test", ["bob@example.com"], big)
        assert declared.value.code == 552
        # ... and one that does not hears it after DATA.
        replies = await raw_session(
            gw.port, [b"EHLO c", b"MAIL FROM:<a@partner.test>", b"RCPT TO:<bob@example.com>", b"DATA"], big
        )
        assert replies[-1].startswith(b"552")
        assert sink.received == []
    finally:
        await gw.stop()


async def test_foreign_recipient_gives_550(gateway: Gateway, sink: Sink) -> None:
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as info:
        await send(
            gateway.port,
            "a@partner.test",
            ["victim@elsewhere.test"],
            make_message(to="victim@elsewhere.test"),
        )
    assert info.value.recipients[0].code == 550
    assert "5.7.1" in info.value.recipients[0].message
    assert sink.received == []


async def test_subdomain_of_local_domain_is_local(gateway: Gateway, sink: Sink) -> None:
    await send(
        gateway.port, "a@partner.test", ["bob@sales.example.com"], make_message(to="bob@sales.example.com")
    )
    assert len(sink.received) == 1


async def test_long_lines_pass(gateway: Gateway, sink: Sink) -> None:
    raw = make_message(body="a" * 5000 + "\n")
    await send(gateway.port, "a@partner.test", ["bob@example.com"], raw)
    assert sink.received[0].data.endswith(raw)


async def test_forged_verdict_headers_are_stripped(gateway: Gateway, sink: Sink) -> None:
    raw = make_message(
        headers={"X-Pitchgate-Action": "pass", "X-Pitchgate-Score": "-100", "X-Spam-Flag": "NO"}
    )
    await send(gateway.port, "a@partner.test", ["bob@example.com"], raw)
    parsed = headers_of(sink.received[0].data)
    assert parsed.get_all("X-Pitchgate-Score") == ["1.00"]  # ours (STRANGER_FIRST_TOUCH), not the forged -100
    assert parsed.get_all("X-Pitchgate-Action") == ["pass"]
    assert parsed.get_all("X-Spam-Flag") is None


async def test_malformed_mime_passes(gateway: Gateway, sink: Sink) -> None:
    raw = (
        b"From: =?bogus?Q?x?= <a@partner.test>\r\nSubject: =?utf-8?B?!!!notbase64?=\r\n"
        b'Content-Type: multipart/mixed; boundary="unclosed"\r\n\r\n--unclosed\r\n'
        b"Content-Type: text/plain; charset=x-unknown-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"@@@not base64@@@\r\n\xff\xfe raw 8-bit \x80\r\n"
    )
    await send(gateway.port, "a@partner.test", ["bob@example.com"], raw)
    assert len(sink.received) == 1
    assert sink.received[0].data.endswith(raw)


async def test_client_disconnect_mid_data_relays_nothing(gateway: Gateway, sink: Sink) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    await reader.readline()
    for line in (b"EHLO client.test", b"MAIL FROM:<a@partner.test>", b"RCPT TO:<bob@example.com>", b"DATA"):
        writer.write(line + b"\r\n")
        await writer.drain()
        while True:
            reply = await reader.readline()
            if reply[3:4] != b"-":
                break
    assert reply.startswith(b"354")
    writer.write(b"Subject: half\r\n\r\nthis message never ends")
    await writer.drain()
    writer.close()
    await asyncio.sleep(0.3)
    assert sink.received == []
    assert gateway.handler.sessions == set()


async def test_quarantined_message_is_held_and_released(gateway: Gateway, sink: Sink) -> None:
    await gateway.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
    raw = make_message(sender="sales@pitcher.test", subject="Quick call?")
    _, reply = await send(gateway.port, "sales@pitcher.test", ["bob@example.com"], raw)
    assert reply.startswith("2.0.0 Ok: queued as ")
    assert sink.received == []
    [record] = await gateway.app.store.quarantine_list()
    assert record.recipients == ("bob@example.com",) and record.sender == "sales@pitcher.test"
    result = await gateway.app.quarantine.release(record.id, gateway.app.relay, trust=True)
    assert result.reply.ok
    assert len(sink.received) == 1
    assert sink.received[0].data.endswith(raw)
    assert headers_of(sink.received[0].data)["X-Pitchgate-Action"] == "released"
    assert await gateway.app.store.quarantine_list() == []
    assert await gateway.app.store.list_contains(ListKind.ALLOW, "bob@example.com", ["sales@pitcher.test"])
    [(example, held_bytes)] = await gateway.app.store.feedback_list()
    assert example.label == "wanted" and held_bytes.endswith(raw)


async def test_release_keeps_message_when_upstream_refuses(gateway: Gateway, sink: Sink) -> None:
    await gateway.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, "pitcher.test")
    await send(
        gateway.port, "sales@pitcher.test", ["bob@example.com"], make_message(sender="sales@pitcher.test")
    )
    [record] = await gateway.app.store.quarantine_list()
    sink.data_reply = "452 4.3.1 Insufficient system storage"
    result = await gateway.app.quarantine.release(record.id, gateway.app.relay)
    assert (result.reply.code, result.reply.text) == (452, "4.3.1 Insufficient system storage")
    await gateway.app.relay.close()
    await sink.stop()
    result = await gateway.app.quarantine.release(record.id, gateway.app.relay)
    assert result.reply.code == 451
    assert [r.id for r in await gateway.app.store.quarantine_list()] == [record.id]
    assert sink.received == []


async def test_pipelined_client_gets_every_reply(gateway: Gateway, sink: Sink) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    await reader.readline()
    writer.write(b"EHLO c\r\n")
    while (await reader.readline())[3:4] == b"-":
        pass
    writer.write(
        b"MAIL FROM:<a@partner.test>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<x@elsewhere.test>\r\nDATA\r\n"
    )
    await writer.drain()
    replies = [await reader.readline() for _ in range(4)]
    assert [r[:3] for r in replies] == [b"250", b"250", b"550", b"354"]
    writer.write(make_message() + b".\r\n")
    assert (await reader.readline()).startswith(b"250")
    writer.write(b"QUIT\r\n")
    writer.close()
    assert sink.received[0].rcpt_tos == ["bob@example.com"]
