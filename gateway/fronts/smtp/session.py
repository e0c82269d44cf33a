"""What the SMTP front keeps per connection, and the connection as the handler sees it.

The handler names connections through `Connection`, which `GatewaySMTP` implements, so that the
handler never imports the aiosmtpd server class built on top of it.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any, Protocol

from aiosmtpd.smtp import Session

from gateway.actions.relay import UpstreamSession


def peer_ip(peer: Any) -> str | None:
    """The address of a socket peer (aiosmtpd's session.peer, asyncio's "peername"), or None."""
    return str(peer[0]) if isinstance(peer, tuple) and peer else None


class GatewaySession(Session):
    """aiosmtpd's session plus what the proxy keeps per connection."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop)
        self.sid = secrets.token_hex(5)
        self.upstream: UpstreamSession | None = None
        self.xforward: dict[str, str] = {}
        self.dsn = False  # DSN offered in our EHLO, because the upstream offers it
        self.rcpt_options: dict[str, list[str]] = {}
        """Each accepted RCPT's parameters in this transaction (aiosmtpd keeps them in one flat list)."""
        self.messages = 0
        """Messages received in this session; numbers the id in our Received: header."""

    @property
    def client_addr(self) -> str | None:
        forwarded = self.xforward.get("ADDR")
        if forwarded and not forwarded.startswith("["):
            return forwarded.removeprefix("IPV6:")
        return peer_ip(self.peer)

    @property
    def client_helo(self) -> str | None:
        helo = self.xforward.get("HELO")
        return helo if helo and not helo.startswith("[") else self.host_name


class Connection(Protocol):
    """One client connection, as the handler uses it."""

    hostname: str
    params_sent: list[str]
    session: Session | None
    transport: asyncio.BaseTransport | None

    def close_if_idle(self) -> bool: ...
