"""Stand-alone SMTP servers for benchmarks: a sink that accepts and discards, one that records Message-IDs,
and aiosmtpd's stock Proxy.

python bench/servers.py sink PORT
python bench/servers.py record PORT FILE      (one Message-ID per line, flushed per message)
python bench/servers.py proxy PORT UPSTREAM_PORT
"""

from __future__ import annotations

import asyncio
import email.parser
import sys
from typing import TextIO

from aiosmtpd.handlers import Proxy
from aiosmtpd.smtp import SMTP, Envelope, Session


class Sink:
    """Accepts everything, keeps nothing: the fastest upstream there can be."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return "250 2.0.0 Ok"


class Recorder:
    """Accepts everything and writes each message's Message-ID to a file, so a bench can count deliveries."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._parser = email.parser.BytesHeaderParser()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        headers = self._parser.parsebytes(envelope.original_content or b"")
        self._out.write(f"{headers.get('Message-ID', '')}\n")
        self._out.flush()
        return "250 2.0.0 Ok"


class _LenientSMTP(SMTP):  # type: ignore[misc]
    """Like Postfix, takes lines past RFC 5321's 1,000 octets (real mail has them)."""

    line_length_limit = 1024 * 1024


async def serve(handler: object, port: int) -> None:
    loop = asyncio.get_running_loop()
    kind = _LenientSMTP if isinstance(handler, Recorder) else SMTP
    server = await loop.create_server(lambda: kind(handler, decode_data=False), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    handler: object
    if kind == "record":
        handler = Recorder(open(sys.argv[3], "a"))  # noqa: SIM115 - open for the server's whole life
    else:
        handler = Sink() if kind == "sink" else Proxy("127.0.0.1", int(sys.argv[3]))
    asyncio.run(serve(handler, port))


if __name__ == "__main__":
    main()
