"""RSS of a real `pitchgate serve` while many clients upload big messages at once.

Starts a sink that counts and discards (it keeps no message, so only the gateway's memory grows) and
`pitchgate serve` in front of it, then has every client upload one big message at the same moment; a
client told 4xx (no room in the in-flight budget) waits and tries again, as an MTA would. The gateway's
RSS is sampled from /proc every 50 ms, its `pitchgate_bytes_in_flight` gauge every 100 ms.

Prints RSS at rest, the peak, RSS once the load has gone (after `--settle` seconds), the peak bytes in
flight, and the RSS the load added per byte in flight (the multiple of a message's size that one message
in flight costs). Figures, not assertions: run it on a quiet machine.

    python bench/bench_memory.py [--clients 20] [--mb 20] [--kind attachment|text] [--budget BYTES]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def big_body(size: int, kind: str) -> bytes:
    """A message body of about `size` bytes after the headers: a base64 attachment (what big mail is)
    or plain text with lines that start with a dot (so that stuffing is exercised)."""
    rng = random.Random(size)
    if kind == "text":
        lines = [b".leading dot line", b"..two dots", b"plain text line of a long letter " * 2]
        out = bytearray(b"Content-Type: text/plain\r\n\r\n")
        while len(out) < size:
            out += rng.choice(lines) + b"\r\n"
        return bytes(out)
    blob = base64.encodebytes(rng.randbytes(size * 3 // 4)).replace(b"\n", b"\r\n")
    return (
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n'
        b"The file you asked for.\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="f.bin"\r\n\r\n'
        + blob
        + b"--b1--\r\n"
    )


def dot_stuff(raw: bytes) -> bytes:
    """DATA's wire form of CRLF text: a leading dot doubled, the terminator appended."""
    stuffed = raw.replace(b"\r\n.", b"\r\n..")
    return (b"." + stuffed if stuffed.startswith(b".") else stuffed) + b".\r\n"


class NullSink:
    """An upstream that answers SMTP, counts each message, and keeps nothing of it."""

    def __init__(self) -> None:
        self.received = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink\r\n")
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"DATA":
                    writer.write(b"354 go\r\n")
                    await self._swallow(reader)
                    self.received += 1
                    writer.write(b"250 2.0.0 Ok\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    break
                else:
                    writer.write(b"250-sink\r\n250 8BITMIME\r\n" if verb == b"EHLO" else b"250 Ok\r\n")
                await writer.drain()
        writer.close()

    @staticmethod
    async def _swallow(reader: asyncio.StreamReader) -> None:
        tail = b"\r\n"
        while True:
            chunk = await reader.read(256 * 1024)
            if not chunk:
                raise asyncio.IncompleteReadError(tail, None)
            window = tail + chunk
            if window.find(b"\r\n.\r\n") >= 0:  # the gateway sends no command before our reply
                return
            tail = window[-4:]


async def _reply(reader: asyncio.StreamReader) -> int:
    while True:
        line = await reader.readline()
        if not line:
            return 0
        if line[3:4] != b"-":
            return int(line[:3])


async def upload_once(port: int, head: bytes, wire: bytes) -> int:
    """One transaction; the final reply code (0 when the connection went away)."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return 0
    try:
        code = await _reply(reader)
        size = len(head) + len(wire)
        for command in (b"EHLO bench.test", f"MAIL FROM:<big@partner.test> SIZE={size}".encode()):
            writer.write(command + b"\r\n")
            code = await _reply(reader)
            if code // 100 != 2:
                return code
        for command in (b"RCPT TO:<bob@example.com>", b"DATA"):
            writer.write(command + b"\r\n")
            code = await _reply(reader)
            if code // 100 not in (2, 3):
                return code
        writer.write(head)
        writer.write(wire)
        await writer.drain()
        code = await _reply(reader)
        writer.write(b"QUIT\r\n")
        return code
    except OSError:
        return 0
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


@dataclass
class Figures:
    clients: int
    size: int
    rest_rss: int = 0
    peak_rss: int = 0
    after_rss: int = 0
    peak_in_flight: int = 0
    accepted: int = 0
    delivered: int = 0
    held: int = 0
    """Accepted and quarantined instead of delivered (judged a campaign of look-alike senders, say)."""
    refusals: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def multiple(self) -> float:
        """RSS added at the peak per byte in flight: what one message in flight costs, in its size."""
        return (self.peak_rss - self.rest_rss) / max(self.peak_in_flight, 1)

    def report(self) -> str:
        refused = ", ".join(f"{n} x {code or 'dropped'}" for code, n in sorted(self.refusals.items()))
        return "\n".join(
            [
                f"{self.clients} clients x {self.size / MB:.1f} MB, {self.seconds:.1f} s, "
                f"accepted {self.accepted}, delivered {self.delivered}, held {self.held}, retried after: {refused or 'none'}",
                f"RSS at rest       {self.rest_rss / MB:8.0f} MB",
                f"RSS peak          {self.peak_rss / MB:8.0f} MB",
                f"RSS after         {self.after_rss / MB:8.0f} MB",
                f"peak in flight    {self.peak_in_flight / MB:8.0f} MB "
                f"({self.peak_in_flight / self.size:.1f} messages)",
                f"RSS per message in flight: {self.multiple:.2f} x its size",
            ]
        )


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def in_flight(metrics_port: int) -> int | None:
    """The gateway's gauge, or None when it has none (a build from before the budget)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=2) as response:
        for line in response.read().decode().splitlines():
            if line.startswith("pitchgate_bytes_in_flight "):
                return int(float(line.split()[1]))
    return None


async def _wait_port(port: int, proc: asyncio.subprocess.Process) -> None:
    for _ in range(300):
        if proc.returncode is not None:
            raise RuntimeError("pitchgate serve exited at start")
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.1)
    raise RuntimeError("pitchgate serve did not listen")


async def _sample(pid: int, metrics_port: int, figures: Figures, stop: asyncio.Event) -> None:
    gauge_seen = False
    tick = 0
    while not stop.is_set():
        figures.peak_rss = max(figures.peak_rss, rss(pid))
        if tick % 2 == 0:
            with contextlib.suppress(OSError):
                value = await asyncio.to_thread(in_flight, metrics_port)
                gauge_seen = gauge_seen or value is not None
                figures.peak_in_flight = max(figures.peak_in_flight, value or 0)
        tick += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.05)
    if not gauge_seen:  # no gauge: without a budget every message is in flight at once
        figures.peak_in_flight = figures.clients * figures.size


async def _client(port: int, head: bytes, wire: bytes, figures: Figures, deadline: float) -> None:
    while time.monotonic() < deadline:
        code = await upload_once(port, head, wire)
        if code == 250:
            figures.accepted += 1
            return
        figures.refusals[code] = figures.refusals.get(code, 0) + 1
        if code // 100 == 5:
            raise RuntimeError(f"the gateway bounced a message: {code}")
        await asyncio.sleep(0.2)
    raise RuntimeError("a client ran out of time")


async def measure(
    clients: int,
    size: int,
    *,
    kind: str = "attachment",
    budget: int = 0,
    settle: float = 3.0,
    timeout: float = 600.0,
) -> Figures:
    """Run the load once against a fresh `pitchgate serve`; the figures it left."""
    sink = NullSink()
    sink_server = await asyncio.start_server(sink.serve, "127.0.0.1", 0)
    sink_port = sink_server.sockets[0].getsockname()[1]
    port, metrics_port = free_port(), free_port()
    env = {**os.environ, "PITCHGATE_SERVER__DATA_SIZE_LIMIT": str(max(size * 2, 25 * MB))}
    if budget:
        env["PITCHGATE_SERVER__MAX_BYTES_IN_FLIGHT"] = str(budget)
    body = dot_stuff(big_body(size, kind))
    figures = Figures(clients, len(body))
    with tempfile.TemporaryDirectory() as state:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "gateway", "serve", "--local-domain", "example.com",
            "--listen", f"127.0.0.1:{port}", "--upstream", f"127.0.0.1:{sink_port}",
            "--metrics-listen", f"127.0.0.1:{metrics_port}", "--state-dir", state, "--log-level", "WARNING",
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await _wait_port(port, proc)
            warm = b"From: w@partner.test\r\nTo: bob@example.com\r\nSubject: warm\r\n"
            await upload_once(port, warm, dot_stuff(b"\r\nwarm-up: imports, pools, the model\r\n"))
            await asyncio.sleep(1.0)
            figures.rest_rss = figures.peak_rss = rss(proc.pid)
            stop = asyncio.Event()
            sampler = asyncio.create_task(_sample(proc.pid, metrics_port, figures, stop))
            started = time.monotonic()
            heads = [
                f"From: big{i}@partner.test\r\nTo: bob@example.com\r\nSubject: big {i}\r\n"
                f"Message-ID: <big{i}@partner.test>\r\nMIME-Version: 1.0\r\n".encode()
                for i in range(clients)
            ]
            await asyncio.gather(*(_client(port, head, body, figures, started + timeout) for head in heads))
            figures.seconds = time.monotonic() - started
            await asyncio.sleep(settle)
            stop.set()
            await sampler
            figures.after_rss = rss(proc.pid)
            figures.delivered = sink.received - 1  # the warm-up message
        finally:
            proc.terminate()
            await proc.wait()
            sink_server.close()
        figures.held = await _held(Path(state))
    return figures


async def _held(state: Path) -> int:
    """Messages the gateway quarantined, read from its state directory after it stopped."""
    from gateway.store import open_store

    store = open_store(state, None)
    try:
        return len(await store.quarantine_list(None))
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--kind", choices=["attachment", "text"], default="attachment")
    parser.add_argument("--budget", type=int, default=0, help="server.max_bytes_in_flight (0: default)")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after the load before RSS after")
    args = parser.parse_args()
    figures = asyncio.run(
        measure(args.clients, int(args.mb * MB), kind=args.kind, budget=args.budget, settle=args.settle)
    )
    print(f"kind: {args.kind}, cores: {os.cpu_count()}")
    print(figures.report())


if __name__ == "__main__":
    main()
