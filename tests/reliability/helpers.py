"""Tools the reliability suite shares: a hand-driven SMTP client, a private redis-server, counting helpers.

Everything here is real: sockets to the gateway, a redis-server process of our own (never the shared one
on 6379, which other tests use), and the `pitchgate quarantine list` command for counting held mail.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import json
import re
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiosmtplib

from tests.mail import make_message
from tests.procs import free_port, run


class RawClient:
    """SMTP spoken by hand, so a test can send what no well-behaved client library would."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> tuple[RawClient, bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**22)
        return cls(reader, writer), await reader.readline()

    async def reply(self, timeout: float = 30.0) -> bytes:
        """One whole (possibly multi-line) reply; b"" when the server hung up."""
        lines = b""
        while True:
            line = await asyncio.wait_for(self.reader.readline(), timeout)
            lines += line
            if not line or line[3:4] != b"-":
                return lines

    async def say(self, line: bytes) -> bytes:
        self.writer.write(line + b"\r\n")
        await self.writer.drain()
        return await self.reply()

    async def write(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def transaction(self, sender: bytes, rcpt: bytes, wire_data: bytes) -> list[bytes]:
        """MAIL, RCPT, DATA and `wire_data` sent as is (it must carry its own terminator)."""
        replies = [await self.say(b"MAIL FROM:" + sender), await self.say(b"RCPT TO:" + rcpt)]
        replies.append(await self.say(b"DATA"))
        if replies[-1].startswith(b"354"):
            await self.write(wire_data)
            replies.append(await self.reply())
        return replies

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()


def data_content(raw: bytes) -> bytes:
    """What the server reads between DATA and the terminator for `raw`: a CRLF is added when missing."""
    return raw if raw.endswith(b"\r\n") else raw + b"\r\n"


def dot_stuff(raw: bytes) -> bytes:
    """The DATA payload for `raw` with its terminator, per RFC 5321 4.5.2 (only CRLF ends a line)."""
    lines = data_content(raw).split(b"\r\n")
    return b"\r\n".join(b"." + ln if ln.startswith(b".") else ln for ln in lines) + b".\r\n"


def message_ids(blobs: list[bytes]) -> list[str]:
    return [str(email.message_from_bytes(b)["Message-ID"]) for b in blobs]


async def quarantined_ids(state_dir: Path | None, redis_url: str = "") -> list[str]:
    """Message-IDs held in quarantine, through the real CLI (`pitchgate quarantine list --format jsonl`)."""
    store = ["--redis-url", redis_url] if redis_url else ["--state-dir", str(state_dir)]
    result = await run("quarantine", "list", "--format", "jsonl", *store)
    assert result.code == 0, result.err
    return [json.loads(line)["message_id"] for line in result.out.splitlines() if line.strip()]


class PrivateRedis:
    """A redis-server of our own on a free port, which a test may SIGKILL and restart on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None, "redis-server is needed for the Redis fault tests"
        listen = ["--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.workdir)]
        durable = ["--save", "", "--appendonly", "yes", "--appendfsync", "always"]
        self.proc = subprocess.Popen([binary, *listen, *durable], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(7) == b"+PONG\r\n":
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


_OURS = re.compile(rb"(?i)(x-pitchgate-[a-z-]+|x-spam-[a-z-]+):( |$)")
_TRACE = re.compile(
    rb"Received: from [^\r\n]*\r\n\tby [^\r\n]* \(pitchgate\) with [^\r\n]*\r\n(?:\t[^\r\n]*\r\n)*"
)


def strip_prepended(delivered: bytes) -> tuple[bytes, bytes]:
    """Split relayed bytes into the header block pitchgate prepended (its Received: stamp included) and
    the sender's bytes after it."""
    trace = _TRACE.match(delivered)
    stamp = trace.group(0) if trace else b""
    lines = delivered[len(stamp) :].split(b"\r\n")
    count = 0
    for line in lines:
        ours = _OURS.match(line) is not None
        if not (ours or (count and line[:1] == b"\t")):
            break
        count += 1
    return stamp + b"\r\n".join(lines[:count]) + b"\r\n", b"\r\n".join(lines[count:])


def on_the_wire(raw: bytes) -> bytes:
    """What the relay sends on for `raw` sent by DATA: lone CR and LF become CRLF (aiosmtplib does this, as
    RFC 5321 2.3.8 asks), so that no server behind the gateway can see a line end the client did not send."""
    return re.sub(rb"\r\n|\n|\r(?!\n)", b"\r\n", data_content(raw))


@dataclass
class Outcome:
    """What the client saw for each Message-ID: the final reply code, or 0 when the connection died."""

    codes: dict[str, int] = field(default_factory=dict)

    def with_code(self, predicate: Callable[[int], bool]) -> set[str]:
        return {mid for mid, code in self.codes.items() if predicate(code)}

    @property
    def accepted(self) -> set[str]:
        return self.with_code(lambda c: 200 <= c < 300)

    def summary(self) -> dict[int, int]:
        return dict(Counter(self.codes.values()))


async def send_all(
    port: int, messages: list[tuple[str, bytes]], concurrency: int, pause: float = 0.0, timeout: float = 30
) -> Outcome:
    """Send (sender, raw) pairs over `concurrency` persistent connections, reconnecting after failures."""
    outcome = Outcome()
    queue = list(reversed(messages))

    async def worker() -> None:
        client: aiosmtplib.SMTP | None = None
        while queue:
            sender, raw = queue.pop()
            mid = str(email.message_from_bytes(raw)["Message-ID"])
            try:
                if client is None or not client.is_connected:
                    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=timeout)
                    await client.connect()
                await client.sendmail(sender, ["bob@example.com"], raw)
                outcome.codes[mid] = 250
            except aiosmtplib.SMTPResponseException as exc:
                outcome.codes[mid] = exc.code
                await _reset(client)
            except (aiosmtplib.SMTPException, OSError):
                outcome.codes[mid] = 0
                client = None
            if pause:
                await asyncio.sleep(pause)
        if client is not None and client.is_connected:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await client.quit()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcome


async def _reset(client: aiosmtplib.SMTP | None) -> None:
    if client is not None and client.is_connected:
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await client.rset()


def mixed_messages(count: int, tag: str, blocked_every: int = 5) -> list[tuple[str, bytes]]:
    """Plain mail, with every `blocked_every`-th message from a blocked domain so that it is held."""
    out = []
    for i in range(count):
        sender = "x@pitcher.test" if blocked_every and i % blocked_every == 0 else "alice@partner.test"
        out.append((sender, make_message(sender=sender, message_id=f"<{tag}{i}@test>")))
    return out


def assert_nothing_lost(outcome: Outcome, delivered: list[str], held: list[str]) -> None:
    """Every 250 is at the sink or in quarantine, exactly once; nothing refused turned up anywhere twice."""
    assert len(delivered) == len(set(delivered)), "duplicate delivery"
    assert len(held) == len(set(held)), "held twice"
    assert not set(delivered) & set(held), "both delivered and held"
    assert outcome.accepted <= set(delivered) | set(held), outcome.accepted - set(delivered) - set(held)
