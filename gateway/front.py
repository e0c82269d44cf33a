"""The listening side of the SMTP front: aiosmtpd's protocol with our limits, and the server around it.

A session is admitted (or told 421) by the connection limits, lives at most `max_session_seconds`, may
pass XFORWARD when it comes from a trusted MTA, and says 421 when the gateway shuts down. What happens to
mail inside a session is the Handler's business (gateway/smtp.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from typing import Any, cast

from aiosmtpd.smtp import SMTP, Session, syntax

from gateway.relay import UpstreamSession, unxtext
from gateway.smtp import FrontOptions, Handler, peer_ip

SHUTTING_DOWN = b"421 4.3.2 Service shutting down, try again later\r\n"
BUSY = b"421 4.7.0 Too many connections, try again later\r\n"
_XFORWARD_ATTRS = ("NAME", "ADDR", "PROTO", "HELO", "SOURCE", "PORT", "IDENT")


class GatewaySession(Session):
    """aiosmtpd's session plus what the proxy keeps per connection."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop)
        self.sid = secrets.token_hex(5)
        self.upstream: UpstreamSession | None = None
        self.xforward: dict[str, str] = {}

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


class _FairReader(asyncio.StreamReader):
    """A stream reader that yields to the event loop every so many lines.

    aiosmtpd reads DATA line by line, and a read from a buffer that already holds the line never yields:
    with the 1 MiB line limit the buffer holds up to 2 MiB, so 100,000 short lines (20 MB of table rows)
    were handled in one go while every other client's banner waited about a second.
    """

    _lines = 0

    async def readuntil(self, separator: Any = b"\n") -> bytes:
        self._lines += 1
        if self._lines % _LINES_PER_SLICE == 0:
            await asyncio.sleep(0)
        return await super().readuntil(separator)


_LINES_PER_SLICE = 256


class GatewaySMTP(SMTP):
    """aiosmtpd's protocol with a raised line limit, XFORWARD, and connection bookkeeping."""

    def __init__(self, handler: Handler, options: FrontOptions, **kwargs: Any) -> None:
        # Set before super().__init__: the stream reader takes its limit from it. Real mail breaks the
        # RFC's 1,000 octets, and the upstream would take it, so refusing it here would bounce good mail.
        self.line_length_limit = options.max_line_length
        super().__init__(handler, **kwargs)
        # aiosmtpd builds its reader inline; re-classing it is the one way in short of copying smtp_DATA.
        reader = getattr(self, "_stream_reader", None)
        if isinstance(reader, asyncio.StreamReader):
            reader.__class__ = _FairReader
        self._gateway = handler
        self._refused = False
        self._in_data = False
        self._lifetime: asyncio.TimerHandle | None = None

    def _create_session(self) -> GatewaySession:
        return GatewaySession(self.loop)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        first = self.transport is None
        if first and not self._gateway.admits(transport):
            # Refused before aiosmtpd starts the session, so the client hears 421 and nothing else.
            self._refused = True
            cast(asyncio.WriteTransport, transport).write(BUSY)
            transport.close()
            return
        super().connection_made(transport)
        if first:
            self._gateway.opened(self)
            self._lifetime = self.loop.call_later(self._gateway.options.max_session_seconds, self._expire)

    def connection_lost(self, error: Exception | None) -> None:
        if self._refused:
            return
        if self._lifetime is not None:
            self._lifetime.cancel()
        session = cast(GatewaySession | None, self.session)
        super().connection_lost(error)
        self._gateway.closed(self, session)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_data:
            # aiosmtpd restarts its idle timer per command only; a big message on a slow link is still
            # one command, and must not be cut while bytes keep coming (max_session_seconds bounds it).
            self._reset_timeout()
        super().data_received(data)

    async def smtp_DATA(self, arg: str) -> None:
        self._in_data = True
        try:
            await super().smtp_DATA(arg)
        finally:
            self._in_data = False

    def eof_received(self) -> bool | None:
        return False if self._refused else super().eof_received()

    def _expire(self, overdue: float = 0.0) -> None:
        """The session has lived its maximum: 421 once idle; a transaction in flight gets one more idle
        period to finish, because aiosmtpd's timeout restarts with every command (a NOOP every few minutes
        would otherwise keep a session for ever)."""
        if self.close_if_idle():
            return
        if overdue < self._gateway.options.session_timeout:
            self._lifetime = self.loop.call_later(1.0, self._expire, overdue + 1.0)
            return
        assert self.transport is not None  # close_if_idle answered False: still open, a transaction in flight
        cast(asyncio.WriteTransport, self.transport).write(SHUTTING_DOWN)
        self.transport.close()

    def close_if_idle(self) -> bool:
        """Say 421 and hang up unless a transaction is in flight; True when the session is gone or going."""
        if self.transport is None or self.transport.is_closing():
            return True
        if self.envelope is not None and self.envelope.mail_from is not None:
            return False
        with contextlib.suppress(Exception):  # the peer may be mid-TLS-shutdown; closing is all we need
            cast(asyncio.WriteTransport, self.transport).write(SHUTTING_DOWN)
        self.transport.close()
        return True

    @syntax("XFORWARD attribute=value ...")
    async def smtp_XFORWARD(self, arg: str) -> None:
        session = cast(GatewaySession, self.session)
        if not self._gateway.trusts_xforward(session):
            await self.push("550 5.7.0 XFORWARD not permitted")
            return
        for item in (arg or "").split():
            name, _, value = item.partition("=")
            if name.upper() in _XFORWARD_ATTRS:
                session.xforward[name.upper()] = unxtext(value)[:255]
        await self.push("250 2.0.0 Ok")


class Front:
    """The listening SMTP server: start, stop accepting, drain sessions, close."""

    def __init__(self, handler: Handler, host: str, port: int, *, reuse_port: bool = False) -> None:
        self.handler = handler
        self._host, self._port = host, port
        self._reuse_port = reuse_port
        self._server: asyncio.Server | None = None

    def _protocol(self) -> GatewaySMTP:
        opts = self.handler.options
        return GatewaySMTP(
            self.handler,
            opts,
            data_size_limit=opts.data_size_limit,
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname=opts.hostname or None,
            ident="pitchgate",
            tls_context=opts.tls_context,
            require_starttls=opts.require_starttls,
            timeout=opts.session_timeout,
        )

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._protocol, self._host, self._port, reuse_port=self._reuse_port or None
        )

    @property
    def port(self) -> int:
        assert self._server is not None and self._server.sockets
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self, grace: float = 30.0) -> None:
        """Stop accepting, let sessions in flight finish (up to `grace` seconds), then close the rest."""
        if self._server is None:
            return
        self._server.close()
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            busy = [p for p in list(self.handler.sessions) if not p.close_if_idle()]
            if not busy:
                break
            await asyncio.sleep(0.05)
        for protocol in list(self.handler.sessions):
            if protocol.transport is not None:
                protocol.transport.close()
        await self._server.wait_closed()
        await self.handler.drain()
        self._server = None
