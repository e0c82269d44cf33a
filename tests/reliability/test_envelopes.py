"""Envelopes pass the gateway exactly as sent: the null sender, quoted and non-ASCII addresses, and the
MAIL/RCPT parameters the upstream offers (SIZE, BODY, SMTPUTF8, DSN's RET/ENVID/NOTIFY/ORCPT).

Everything runs over real sockets: a client speaking SMTP by hand, the gateway, an aiosmtpd sink that
records each MAIL and RCPT argument as it arrived. The property test drives one sink and gateway per
module in a background thread, as tests/reliability/test_fuzz.py does.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.actions.relay import Relay, xtext
from tests.mail import make_message
from tests.reliability.helpers import RawClient, dot_stuff, on_the_wire, strip_prepended
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

T = TypeVar("T")
EXAMPLES = int(os.environ.get("PITCHGATE_ENVELOPE_EXAMPLES", "300"))
NEVER_HOLD = {"tag_score": 999.0, "quarantine_score": 1000.0, "subject_prefix": ""}

BOUNCE = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.partner.test>\r\n"
    b"To: bob@example.com\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <bounce.1@mx.partner.test>\r\n"
    b"Auto-Submitted: auto-replied\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n'
    b"\r\n"
    b"--b\r\n"
    b"Content-Type: text/plain\r\n"
    b"\r\n"
    b"Your message could not be delivered to alice@partner.test.\r\n"
    b"--b\r\n"
    b"Content-Type: message/delivery-status\r\n"
    b"\r\n"
    b"Reporting-MTA: dns; mx.partner.test\r\n"
    b"\r\n"
    b"Final-Recipient: rfc822; alice@partner.test\r\n"
    b"Action: failed\r\n"
    b"Status: 5.1.1\r\n"
    b"--b--\r\n"
)


async def _say_all(port: int, commands: list[bytes], data: bytes | None = None) -> list[bytes]:
    client, _ = await RawClient.connect(port)
    replies = [await client.say(c) for c in commands]
    if data is not None and replies[-1].startswith(b"354"):
        await client.write(dot_stuff(data))
        replies.append(await client.reply())
    await client.close()
    return replies


async def test_null_sender_bounce_is_scanned_and_relayed_unharmed(gateway: Gateway, sink: Sink) -> None:
    replies = await _say_all(
        gateway.port,
        [b"EHLO mx.partner.test", b"MAIL FROM:<>", b"RCPT TO:<bob@example.com>", b"DATA"],
        BOUNCE,
    )
    assert [r[:3] for r in replies] == [b"250", b"250", b"250", b"354", b"250"], replies
    assert sink.commands == ["MAIL FROM:<>", "RCPT TO:<bob@example.com>"]
    assert sink.received[0].mail_from == "<>"
    ours, theirs = strip_prepended(sink.received[0].data)
    assert re.search(rb"^X-Pitchgate-Action: ", ours, re.MULTILINE)
    assert b"X-Pitchgate-Status" not in ours  # scanned, not passed unscanned
    assert theirs == on_the_wire(BOUNCE)


async def test_held_bounce_is_released_with_its_null_sender(sink: Sink, tmp_path: Path) -> None:
    hold_all = {"tag_score": -2.0, "quarantine_score": -1.0}
    gw = await start_gateway(make_settings(tmp_path / "state", sink.port, policy=hold_all))
    try:
        replies = await _say_all(
            gw.port, [b"EHLO mx.partner.test", b"MAIL FROM:<>", b"RCPT TO:<bob@example.com>", b"DATA"], BOUNCE
        )
        assert b"queued as " in replies[-1], replies
        qid = replies[-1].rsplit(b" ", 1)[1].strip().decode()
        sink.commands.clear()
        result = await gw.app.quarantine.release(qid, gw.app.relay)
        assert result.reply.ok, result.reply
        assert sink.commands == ["MAIL FROM:<> BODY=8BITMIME", "RCPT TO:<bob@example.com>"]
        assert sink.received[0].mail_from == "<>"
    finally:
        await gw.stop()


@pytest.mark.parametrize("sender", ["", "<>"])
async def test_relay_deliver_sends_the_null_sender(sink: Sink, sender: str) -> None:
    """The path release and the digest take: Relay.deliver straight to the upstream."""
    relay = Relay("127.0.0.1", sink.port)
    try:
        reply = await relay.deliver(sender, ["bob@example.com"], make_message())
    finally:
        await relay.close()
    assert reply.ok, reply
    assert sink.commands[0].split()[:2] == ["MAIL", "FROM:<>"]
    assert sink.received[0].mail_from == "<>"


@pytest.mark.parametrize(
    ("commands", "refused_at"),
    [
        ([b"MAIL FROM:<j\xc3\xb6rg@partner.test>"], 0),
        ([b"MAIL FROM:<alice@partner.test>", b"RCPT TO:<b\xc3\xb8b@example.com>"], 1),
    ],
)
async def test_non_ascii_address_without_smtputf8_is_refused_for_good(
    gateway: Gateway, sink: Sink, commands: list[bytes], refused_at: int
) -> None:
    """RFC 6531 3.7.5: 553 5.6.7, not a 451 the client would retry for days."""
    replies = await _say_all(gateway.port, [b"EHLO client.partner.test", *commands])
    assert replies[1 + refused_at].startswith(b"553 5.6.7"), replies
    assert all(r.startswith(b"250") for r in replies[1 : 1 + refused_at])


async def test_non_ascii_addresses_with_smtputf8_are_relayed(gateway: Gateway, sink: Sink) -> None:
    raw = make_message(sender="jörg@bücher.test", to="bøb@example.com")
    replies = await _say_all(
        gateway.port,
        [
            b"EHLO client.partner.test",
            "MAIL FROM:<jörg@bücher.test> SMTPUTF8".encode(),
            "RCPT TO:<bøb@example.com>".encode(),
            b"DATA",
        ],
        raw,
    )
    assert replies[-1].startswith(b"250"), replies
    assert sink.commands == ["MAIL FROM:<jörg@bücher.test> SMTPUTF8", "RCPT TO:<bøb@example.com>"]


async def test_dsn_is_offered_only_when_the_upstream_offers_it(gateway: Gateway, tmp_path: Path) -> None:
    plain = await _say_all(gateway.port, [b"EHLO a.test", b"MAIL FROM:<a@partner.test> RET=HDRS"])
    assert b"DSN" not in plain[0] and plain[1].startswith(b"555"), plain
    sink = Sink(offer_dsn=True)
    gw = await start_gateway(make_settings(tmp_path / "dsn", await sink.start()))
    try:
        dsn = await _say_all(
            gw.port,
            [
                b"EHLO a.test",
                b"MAIL FROM:<a@partner.test> RET=HDRS ENVID=Q+2Bx",
                b"RCPT TO:<bob@example.com> NOTIFY=BOGUS",
                b"RCPT TO:<bob@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Bob@Example.com",
            ],
        )
        assert b"250-DSN" in dsn[0], dsn
        assert [r[:3] for r in dsn[1:]] == [b"250", b"501", b"250"], dsn
        assert sink.commands == [
            "MAIL FROM:<a@partner.test> RET=HDRS ENVID=Q+2Bx",
            "RCPT TO:<bob@example.com> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Bob@Example.com",
        ]
    finally:
        await gw.stop()
        await sink.stop()


# -- the property: any envelope shape arrives as sent ------------------------------------------------------


class Running:
    """Sink and gateway on a private event loop in a thread, so that a sync hypothesis test can drive them."""

    def __init__(self, state: Path, dsn: bool) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        # The sink that offers DSN offers SIZE too, so that both ways of each are seen.
        self.sink = Sink(offer_dsn=dsn, size_limit=50 * 1024 * 1024 if dsn else None)
        self.gateway: Gateway = self._call(self._start(state))

    async def _start(self, state: Path) -> Gateway:
        port = await self.sink.start()
        return await start_gateway(make_settings(state, port, policy=NEVER_HOLD))

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def stop(self) -> None:
        async def _stop() -> None:
            await self.gateway.stop()
            await self.sink.stop()

        self._call(_stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


class Client:
    """A blocking SMTP client over one connection, one command at a time."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.file = self.sock.makefile("rb")
        self.reply()
        self.ehlo = self.say(b"EHLO envelopes.test")

    def reply(self) -> bytes:
        lines = b""
        while True:
            line = self.file.readline()
            lines += line
            if not line or line[3:4] != b"-":
                return lines

    def say(self, line: bytes) -> bytes:
        self.sock.sendall(line + b"\r\n")
        return self.reply()

    def close(self) -> None:
        self.say(b"QUIT")
        self.file.close()
        self.sock.close()


@pytest.fixture(scope="module", params=[False, True], ids=["sink-plain", "sink-with-dsn-and-size"])
def running(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    started = Running(tmp_path_factory.mktemp("envelopes") / "state", dsn=request.param)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def client(running: Running) -> Iterator[Client]:
    opened = Client(running.gateway.port)
    yield opened
    opened.close()


LOCAL = st.from_regex(r"\A[A-Za-z0-9]{1,8}(?:[.+_=-][A-Za-z0-9]{1,8}){0,2}\Z")
SENDERS = st.one_of(
    st.just(""),  # the null sender of bounces, DSNs and auto-replies
    st.builds("{}@{}".format, LOCAL, st.sampled_from(["partner.test", "Sub.Partner.test", "[192.0.2.7]"])),
    st.sampled_from(['"john doe"', '"a\\"b"', '"x@y"', '"(c)"']).map(lambda q: q + "@partner.test"),
    st.sampled_from(["jörg@bücher.test", "用户@例子.测试", "ascii@bücher.test", "u@xn--bcher-kva.test"]),
)
RECIPIENTS = st.lists(
    st.sampled_from(
        ["bob@example.com", "Bob.Smith+tag@sub.example.com", '"bob smith"@example.com', "bøb@example.com"]
    ),
    min_size=1,
    max_size=3,
    unique=True,
)
XTEXT = st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), min_size=1, max_size=20).map(xtext)


@dataclass
class Shape:
    sender: str
    recipients: list[str]
    mail_params: list[str]
    rcpt_params: list[list[str]]
    raw: bytes

    @property
    def utf8(self) -> bool:
        return not (self.sender + "".join(self.recipients)).isascii()


@st.composite
def shapes(draw: st.DrawFn, dsn: bool) -> Shape:
    sender, rcpts = draw(SENDERS), draw(RECIPIENTS)
    raw = make_message(sender=sender or "MAILER-DAEMON@partner.test", body=draw(st.text(max_size=200)))
    params = []
    if draw(st.booleans()):
        params.append(f"SIZE={len(raw) + draw(st.integers(0, 10_000))}")
    if draw(st.booleans()):
        params.append(draw(st.sampled_from(["BODY=8BITMIME", "BODY=7BIT", "body=8bitmime"])))
    if not (sender + "".join(rcpts)).isascii() or draw(st.booleans()):
        params.append(draw(st.sampled_from(["SMTPUTF8", "smtputf8"])))
    if dsn and draw(st.booleans()):
        params.append(draw(st.sampled_from(["RET=FULL", "RET=HDRS", "ret=hdrs"])))
    if dsn and draw(st.booleans()):
        params.append("ENVID=" + draw(XTEXT))
    rcpt_params = []
    for rcpt in rcpts:
        these = []
        if dsn and draw(st.booleans()):
            these.append("NOTIFY=" + draw(st.sampled_from(["NEVER", "SUCCESS,FAILURE", "DELAY", "failure"])))
        if dsn and draw(st.booleans()):
            these.append(f"ORCPT={draw(st.sampled_from(['rfc822', 'RFC822', 'utf-8']))};{xtext(rcpt)}")
        rcpt_params.append(draw(st.permutations(these)))
    return Shape(sender, rcpts, draw(st.permutations(params)), rcpt_params, raw)


def _offered(params: list[str], dsn: bool) -> list[str]:
    """The parameters the sink advertised: 8BITMIME and SMTPUTF8 always, SIZE and DSN with offer_dsn."""
    keep = {"BODY", "SMTPUTF8"} | ({"SIZE", "RET", "ENVID", "NOTIFY", "ORCPT"} if dsn else set())
    return [p for p in params if p.partition("=")[0].upper() in keep]


def _line(verb: str, address: str, params: list[str]) -> str:
    return " ".join([f"{verb}<{address}>", *params])


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(data=st.data())
def test_every_envelope_arrives_as_sent(running: Running, client: Client, data: st.DataObject) -> None:
    dsn = running.sink.offer_dsn
    assert (b"250-DSN" in client.ehlo) is dsn
    shape = data.draw(shapes(dsn))
    running.sink.commands.clear()
    running.sink.received.clear()
    mail = _line("MAIL FROM:", shape.sender, shape.mail_params)
    rcpts = [_line("RCPT TO:", r, p) for r, p in zip(shape.recipients, shape.rcpt_params, strict=True)]
    replies = [client.say(line.encode()) for line in [mail, *rcpts]]
    replies.append(client.say(b"DATA"))
    client.sock.sendall(dot_stuff(shape.raw))
    replies.append(client.reply())
    assert [r[:3] for r in replies] == [b"250"] * (1 + len(rcpts)) + [b"354", b"250"], (shape, replies)
    mail_line = _line("MAIL FROM:", shape.sender, _offered(shape.mail_params, dsn))
    rcpt_lines = {
        r: _line("RCPT TO:", r, _offered(p, dsn))
        for r, p in zip(shape.recipients, shape.rcpt_params, strict=True)
    }
    copies = running.sink.received
    expected = [mail_line, *rcpt_lines.values()]
    if len(copies) > 1:
        # Recipients judged differently (their histories from earlier examples differ) get one transaction
        # per copy after the client's own, each with the client's parameters again.
        expected += [line for got in copies for line in (mail_line, *(rcpt_lines[r] for r in got.rcpt_tos))]
    assert running.sink.commands == expected
    assert sorted(r for got in copies for r in got.rcpt_tos) == sorted(shape.recipients)
    for got in copies:
        assert got.mail_from == (shape.sender or "<>")
        ours, theirs = strip_prepended(got.data)
        assert re.search(rb"^X-Pitchgate-Action: ", ours, re.MULTILINE)
        assert theirs == on_the_wire(shape.raw)


@pytest.mark.parametrize(
    "commands",
    [
        [b"MAIL FROM:<j\xf6rg@partner.test> SMTPUTF8"],
        [b"MAIL FROM:<alice@partner.test> SMTPUTF8", b"RCPT TO:<b\xf8b@example.com>"],
    ],
)
async def test_malformed_utf8_in_an_address_is_refused_for_good(
    gateway: Gateway, sink: Sink, commands: list[bytes]
) -> None:
    """Latin-1 bytes are no UTF-8: a 5xx like Postfix's, not the 451 of a crash, retried for days."""
    replies = await _say_all(gateway.port, [b"EHLO client.partner.test", *commands])
    assert replies[-1].startswith(b"501 5.5.2"), replies
    assert all(r.startswith(b"250") for r in replies[:-1])
