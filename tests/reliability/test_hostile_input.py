"""Hostile and broken messages through the whole gateway: each one is relayed whole, nothing crashes.

The relayed bytes must be the sent bytes plus the verdict headers pitchgate prepends, whatever the
parser made of them; a message the parser chokes on still passes (unscanned), it is never refused.
"""

from __future__ import annotations

import asyncio
import base64
import email
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.reliability.helpers import RawClient, dot_stuff, on_the_wire, strip_prepended
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

HEAD = b"From: a@partner.test\r\nTo: bob@example.com\r\nSubject: hostile\r\nMessage-ID: <h@test>\r\n"


def _nested(depth: int) -> bytes:
    parts = b"Content-Type: text/plain\r\n\r\ninnermost\r\n"
    for level in range(depth):
        b = f"b{level}".encode()
        parts = (
            b'Content-Type: multipart/mixed; boundary="'
            + b
            + b'"\r\n\r\n--'
            + b
            + b"\r\n"
            + parts
            + b"--"
            + b
            + b"--\r\n"
        )
    return HEAD + b"MIME-Version: 1.0\r\n" + parts


CASES: dict[str, bytes] = {
    "empty": b"",
    "only-headers": HEAD,
    "only-headers-no-final-crlf": HEAD.rstrip(b"\r\n"),
    "overlong-line-512k": HEAD + b"\r\n" + b"x" * 512 * 1024 + b"\r\n",
    "overlong-header-200k": HEAD + b"X-Long: " + b"y" * 200 * 1024 + b"\r\n\r\nbody\r\n",
    "folded-header-10k-lines": HEAD + b"X-Folded: a" + b"\r\n b" * 10_000 + b"\r\n\r\nbody\r\n",
    "10000-headers": HEAD + b"".join(b"X-H%d: v\r\n" % i for i in range(10_000)) + b"\r\nbody\r\n",
    "mime-nesting-1000": _nested(1000),
    "broken-base64": HEAD
    + b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!not=base64==%%%\r\nQUJD\r\n",
    "broken-quoted-printable": HEAD
    + b"Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=4\r\nsoft=\r\n",
    "unknown-charset": HEAD
    + b"Content-Type: text/plain; charset=x-klingon-42\r\n\r\n\xf0\x9f\x92\xa9\xff\xfe\r\n",
    "encoded-word-unknown-charset": HEAD.replace(b"Subject: hostile", b"Subject: =?x-nope?B?SGk=?=")
    + b"\r\nbody\r\n",
    "8bit-headers": HEAD + b"X-Name: J\xf6rg \xff\xfe M\xfcller\r\nSubject: \xe2\x82\xac\xc3\r\n\r\nbody\r\n",
    "nul-bytes": HEAD + b"\r\nbody\x00with\x00nuls\r\n",
    "no-blank-line-bad-header": b"this is not a header\r\nneither is this\r\n",
    "html-bomb": HEAD
    + b"Content-Type: text/html\r\n\r\n"
    + b"<div>" * 20_000
    + b'<a href="http://x.test/'
    + b"a" * 5000
    + b'">x</a>\r\n',
    "base64-huge-line": HEAD
    + b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + base64.b64encode(b"\x00" * 300_000)
    + b"\r\n",
    "dots": HEAD + b"\r\n.\r\n..\r\n.x\r\n. \r\n",
}


@pytest.mark.parametrize("raw", CASES.values(), ids=CASES.keys())
async def test_hostile_message_is_relayed_whole(gateway: Gateway, sink: Sink, raw: bytes) -> None:
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO hostile.test")
    replies = await client.transaction(b"<a@partner.test>", b"<bob@example.com>", dot_stuff(raw))
    await client.close()
    assert replies[-1].startswith(b"250"), replies
    assert len(sink.received) == 1
    ours, theirs = strip_prepended(sink.received[0].data)
    assert b"X-Pitchgate-Action:" in ours
    assert theirs == on_the_wire(raw)


async def test_pipelined_flood_gets_every_reply_in_order(gateway: Gateway, sink: Sink) -> None:
    """50 whole transactions in one write, without waiting for any reply (RFC 2920 and beyond)."""
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO pipeliner.test")
    burst = b"".join(
        b"MAIL FROM:<a@partner.test>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n"
        + dot_stuff(HEAD.replace(b"<h@test>", b"<p%d@test>" % i) + b"\r\nbody\r\n")
        + (b"RSET\r\nNOOP\r\n" if i % 10 == 0 else b"")
        for i in range(50)
    )
    await client.write(burst + b"QUIT\r\n")
    replies = [await client.reply() for _ in range(50 * 4 + 5 * 2 + 1)]
    await client.close()
    assert [r[:3] for r in replies].count(b"354") == 50
    assert replies[-1].startswith(b"221")
    assert [r[:1] for r in replies[:-1]] == [b"2" if not r.startswith(b"354") else b"3" for r in replies[:-1]]
    assert sorted(email.message_from_bytes(r.data)["Message-ID"] for r in sink.received) == sorted(
        f"<p{i}@test>" for i in range(50)
    )


@pytest.fixture
async def strict_gateway(sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    settings = make_settings(
        tmp_path / "state", sink.port, server={"session_timeout": 1.0, "max_connections": 4}
    )
    gw = await start_gateway(settings)
    yield gw
    await gw.stop()


async def test_idle_client_is_dropped_after_session_timeout(strict_gateway: Gateway) -> None:
    client, greeting = await RawClient.connect(strict_gateway.port)
    assert greeting.startswith(b"220")
    started = asyncio.get_running_loop().time()
    farewell = await client.reply(timeout=10)  # say nothing; the server must hang up by itself
    assert asyncio.get_running_loop().time() - started < 5
    assert farewell == b"" or farewell.startswith(b"421"), farewell
    await client.close()


async def test_trickling_client_is_cut_despite_sending(strict_gateway: Gateway) -> None:
    """Activity that never completes a command does not keep a session alive (aiosmtpd resets the
    timer per command, not per byte)."""
    client, _ = await RawClient.connect(strict_gateway.port)
    started = asyncio.get_running_loop().time()
    closed = False
    for _ in range(30):
        try:
            await client.write(b"N")
        except (ConnectionError, OSError):
            closed = True
            break
        if client.reader.at_eof():
            closed = True
            break
        await asyncio.sleep(0.2)
    assert closed
    assert asyncio.get_running_loop().time() - started < 4
    await client.close()


async def test_slow_loris_cannot_exhaust_sessions(strict_gateway: Gateway, sink: Sink) -> None:
    """Clients holding sessions open fill the limit; the next one hears 421; once they go, mail flows."""
    loris = [await RawClient.connect(strict_gateway.port) for _ in range(4)]
    for client, _ in loris:
        await client.write(b"EHLO slow")  # no CRLF yet: a line that never ends
    extra, greeting = await RawClient.connect(strict_gateway.port)
    assert greeting.startswith(b"421"), greeting
    await extra.close()
    for client, _ in loris:  # past session_timeout the stalled sessions are cut: 421 or a plain hang-up
        cut = await client.reply(timeout=5)
        assert cut == b"" or cut.startswith(b"421"), cut
        await client.close()
    fresh, greeting = await RawClient.connect(strict_gateway.port)
    assert greeting.startswith(b"220"), greeting
    await fresh.say(b"EHLO ok.test")
    replies = await fresh.transaction(
        b"<a@partner.test>", b"<bob@example.com>", dot_stuff(HEAD + b"\r\nhi\r\n")
    )
    await fresh.close()
    assert replies[-1].startswith(b"250")
    assert len(sink.received) == 1


async def test_line_over_the_limit_is_refused_whole_and_the_session_survives(
    gateway: Gateway, sink: Sink
) -> None:
    """Past server.max_line_length (1 MiB) the message is refused (500, RFC 5321 4.5.3.1.6), never cut."""
    client, _ = await RawClient.connect(gateway.port)
    await client.say(b"EHLO hostile.test")
    too_long = dot_stuff(HEAD + b"\r\n" + b"z" * (2 * 1024 * 1024) + b"\r\n")
    refused = await client.transaction(b"<a@partner.test>", b"<bob@example.com>", too_long)
    long_command = await client.say(b"MAIL FROM:<" + b"a" * 100_000 + b"@partner.test>")
    fine = await client.transaction(
        b"<a@partner.test>", b"<bob@example.com>", dot_stuff(HEAD + b"\r\nok\r\n")
    )
    await client.close()
    assert refused[-1].startswith(b"500"), refused
    assert long_command.startswith(b"5"), long_command
    assert fine[-1].startswith(b"250"), fine
    assert len(sink.received) == 1 and sink.received[0].data.endswith(b"\r\nok\r\n")


async def test_oversize_message_leaves_the_session_usable(sink: Sink, tmp_path: Path) -> None:
    """A 552 from the front (data_size_limit) must reset the upstream transaction it had already opened."""
    gw = await start_gateway(make_settings(tmp_path / "state", sink.port, server={"data_size_limit": 10_000}))
    try:
        client, _ = await RawClient.connect(gw.port)
        await client.say(b"EHLO big.test")
        big = await client.transaction(
            b"<a@partner.test>", b"<bob@example.com>", dot_stuff(HEAD + b"\r\n" + b"y\r\n" * 9000)
        )
        fine = await client.transaction(
            b"<a@partner.test>", b"<bob@example.com>", dot_stuff(HEAD + b"\r\nok\r\n")
        )
        await client.close()
    finally:
        await gw.stop()
    assert big[-1].startswith(b"552"), big
    assert fine[-1].startswith(b"250"), fine
    assert len(sink.received) == 1


async def _noop_until_cut(client: RawClient, seconds: float) -> tuple[bytes, float]:
    """Keep the session busy with NOOPs (which restart aiosmtpd's idle timer); return the farewell and when."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while loop.time() - started < seconds:
        try:
            answer = await client.say(b"NOOP")
        except (ConnectionError, OSError):
            return b"", loop.time() - started
        if not answer.startswith(b"250"):
            return answer, loop.time() - started
        await asyncio.sleep(0.2)
    return b"still open", loop.time() - started


async def test_a_session_kept_alive_by_noops_ends_at_max_session_seconds(sink: Sink, tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "state", sink.port, server={"session_timeout": 2.0, "max_session_seconds": 1.0}
    )
    gw = await start_gateway(settings)
    try:
        idle, _ = await RawClient.connect(gw.port)
        await idle.say(b"EHLO noop.test")
        farewell, after = await _noop_until_cut(idle, 8)
        assert farewell.startswith(b"421") or farewell == b"", farewell
        assert 0.8 < after < 2.5
        # With a transaction open it gets one more session_timeout to finish, then it is cut all the same.
        busy, _ = await RawClient.connect(gw.port)
        await busy.say(b"EHLO noop.test")
        assert (await busy.say(b"MAIL FROM:<a@partner.test>")).startswith(b"250")
        farewell, after = await _noop_until_cut(busy, 10)
        assert farewell.startswith(b"421") or farewell == b"", farewell
        assert 2.5 < after < 5.5
        for client in (idle, busy):
            await client.close()
    finally:
        await gw.stop()


async def test_one_client_may_hold_only_so_many_sessions(sink: Sink, tmp_path: Path) -> None:
    # 127.0.0.1 is normally a trusted MTA (exempt); here it plays an untrusted client.
    limited = {"max_connections_per_client": 2, "xforward_hosts": []}
    gw = await start_gateway(make_settings(tmp_path / "a", sink.port, server=limited))
    try:
        first, second = [await RawClient.connect(gw.port) for _ in range(2)]
        third, greeting = await RawClient.connect(gw.port)
        assert first[1].startswith(b"220") and second[1].startswith(b"220")
        assert greeting.startswith(b"421") and await third.reply(timeout=5) == b""
        await first[0].close()
        await asyncio.sleep(0.2)
        fourth, greeting = await RawClient.connect(gw.port)
        assert greeting.startswith(b"220"), greeting
        for client in (second[0], third, fourth):
            await client.close()
    finally:
        await gw.stop()
    trusted = await start_gateway(
        make_settings(tmp_path / "b", sink.port, server={"max_connections_per_client": 2})
    )
    try:
        clients = [await RawClient.connect(trusted.port) for _ in range(4)]
        assert all(greeting.startswith(b"220") for _, greeting in clients)
        for client, _ in clients:
            await client.close()
    finally:
        await trusted.stop()


async def test_a_slow_upload_is_not_cut_while_bytes_keep_coming(sink: Sink, tmp_path: Path) -> None:
    """The idle timer restarts with every chunk of DATA, not only with every command."""
    gw = await start_gateway(make_settings(tmp_path / "state", sink.port, server={"session_timeout": 1.0}))
    try:
        client, _ = await RawClient.connect(gw.port)
        await client.say(b"EHLO slow.test")
        assert (await client.say(b"MAIL FROM:<a@partner.test>")).startswith(b"250")
        assert (await client.say(b"RCPT TO:<bob@example.com>")).startswith(b"250")
        assert (await client.say(b"DATA")).startswith(b"354")
        await client.write(HEAD + b"\r\n")
        for i in range(8):  # 3.2 s in all, three times the idle timeout
            await asyncio.sleep(0.4)
            await client.write(b"line %d of a slow upload\r\n" % i)
        await client.write(b".\r\n")
        assert (await client.reply(timeout=10)).startswith(b"250")
        await client.close()
    finally:
        await gw.stop()
    (received,) = sink.received
    assert b"line 7 of a slow upload" in received.data
