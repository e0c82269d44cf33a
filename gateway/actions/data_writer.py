"""Writing a message to the upstream as DATA, piece by piece, without a whole copy of it.

aiosmtplib's `data()` makes three full copies (line endings, dot-stuffing, terminator) and hands the
whole result to the transport, which keeps yet another copy of what the socket did not take at once.
Here the message is cut at line ends into pieces of `PIECE` bytes; each is normalised and stuffed on its
own and written once the transport has room, so a big message costs a few pieces on top of itself. The
bytes on the wire are the same as aiosmtplib's: bare CR and LF become CRLF (no smuggling through us),
a leading dot is doubled, and a missing final CRLF is added.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import aiosmtplib
from aiosmtplib.protocol import SMTPProtocol

PIECE = 256 * 1024
_LINE_ENDINGS = re.compile(rb"\r\n|\n|\r(?!\n)")
_CRLF = b"\r\n"
TERMINATOR = b".\r\n"


def _cut(raw: bytes, start: int, size: int) -> int:
    """Where the piece from `start` ends: after its last LF, else never between a CR and its LF."""
    end = min(len(raw), start + size)
    if end == len(raw):
        return end
    newline = raw.rfind(b"\n", start, end)
    if newline >= start:
        return newline + 1
    return end - 1 if raw[end - 1] == 0x0D else end


def wire_pieces(raw: bytes, size: int = PIECE) -> Iterator[bytes]:
    """`raw` as DATA carries it up to the terminator (not included), in pieces of about `size` bytes."""
    view, start, line_start, ended = memoryview(raw), 0, True, False
    while start < len(raw):
        end = _cut(raw, start, size)
        piece = _LINE_ENDINGS.sub(_CRLF, view[start:end]).replace(b"\r\n.", b"\r\n..")
        if line_start and piece.startswith(b"."):
            piece = b"." + piece
        line_start = ended = piece.endswith(b"\n")
        yield piece
        start = end
    if not ended:
        yield _CRLF


async def _drain(protocol: SMTPProtocol, timeout: float | None) -> None:
    # aiosmtplib's protocol implements asyncio's flow control (pause_writing/resume_writing) but offers
    # no public drain; _drain_helper is what asyncio's StreamWriter.drain() awaits.
    async with asyncio.timeout(timeout):
        await protocol._drain_helper()


async def send_data(client: aiosmtplib.SMTP, raw: bytes) -> aiosmtplib.SMTPResponse:
    """DATA, the message, and the server's reply; raises like aiosmtplib's `SMTP.data`."""
    start = await client.execute_command(b"DATA")
    if start.code != 354:
        raise aiosmtplib.SMTPDataError(start.code, start.message)
    protocol = client.protocol
    if protocol is None:
        raise aiosmtplib.SMTPServerDisconnected("Connection lost")
    try:
        for piece in wire_pieces(raw):
            protocol.write(piece)
            await _drain(protocol, client.timeout)
        # No await between the last write and read_response, which arms the reply: a quick reply is
        # otherwise dropped by the protocol as unsolicited.
        protocol.write(TERMINATOR)
        response = await protocol.read_response(timeout=client.timeout)
    except BaseException:
        client.close()  # part of a message went out: the connection is out of step for good
        raise
    if response.code != 250:
        raise aiosmtplib.SMTPDataError(response.code, response.message)
    return response
