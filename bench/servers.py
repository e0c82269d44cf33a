"""Stand-alone SMTP servers for benchmarks: a sink that accepts and discards, and aiosmtpd's stock Proxy.

python bench/servers.py sink PORT
python bench/servers.py proxy PORT UPSTREAM_PORT
"""

from __future__ import annotations

import asyncio
import sys

from aiosmtpd.handlers import Proxy
from aiosmtpd.smtp import SMTP, Envelope, Session


class Sink:
    """Accepts everything, keeps nothing: the fastest upstream there can be."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return "250 2.0.0 Ok"


async def serve(handler: object, port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, decode_data=False), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    handler: object = Sink() if kind == "sink" else Proxy("127.0.0.1", int(sys.argv[3]))
    asyncio.run(serve(handler, port))


if __name__ == "__main__":
    main()
