"""The listening side of the SMTP front: aiosmtpd's protocol with our limits, and the server around it.

A session is admitted (or told 421) by the connection limits, lives at most `max_session_seconds`, may
pass XFORWARD when it comes from a trusted MTA, and says 421 when the gateway shuts down. What happens to
mail inside a session is the Handler's business (gateway/fronts/smtp/handler.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, AnyStr, cast

from aiosmtpd.smtp import SMTP, syntax

from gateway import memory
from gateway.actions.relay import unxtext
from gateway.fronts.smtp.data_reader import DataReader, Outcome
from gateway.fronts.smtp.esmtp_params import dsn_params, params_after_address
from gateway.fronts.smtp.handler import NO_STORAGE, FrontOptions, Handler, declared_size
from gateway.fronts.smtp.session import GatewaySession

SHUTTING_DOWN = b"421 4.3.2 Service shutting down, try again later\r\n"
BUSY = b"421 4.7.0 Too many connections, try again later\r\n"
NO_ROOM = "421 4.3.1 Insufficient system storage, try again later"
_DATA_REFUSED = {
    Outcome.TOO_LONG: "500 Line too long (see RFC5321 4.5.3.1.6)",
    Outcome.TOO_MUCH: "552 Error: Too much mail data",
    Outcome.NO_ROOM: NO_STORAGE,
}
_XFORWARD_ATTRS = ("NAME", "ADDR", "PROTO", "HELO", "SOURCE", "PORT", "IDENT")
# The commands whose 4xx/5xx replies count as rejections, and the stage each one is.
_STAGES = {"HELO": "helo", "EHLO": "helo", "MAIL": "mail", "RCPT": "rcpt", "DATA": "data"}


class GatewaySMTP(SMTP):
    """aiosmtpd's protocol with a raised line limit, XFORWARD, and connection bookkeeping."""

    def __init__(self, handler: Handler, options: FrontOptions, **kwargs: Any) -> None:
        # Set before super().__init__: the stream reader takes its limit from it. Real mail breaks the
        # RFC's 1,000 octets, and the upstream would take it, so refusing it here would bounce good mail.
        self.line_length_limit = options.max_line_length
        super().__init__(handler, **kwargs)
        self._gateway = handler
        self._refused = False
        self._collector: DataReader | None = None
        self._collected: asyncio.Future[None] | None = None
        self._lifetime: asyncio.TimerHandle | None = None
        self._verb = ""
        self.params_sent: list[str] = []
        """The parameters of the MAIL or RCPT being handled, as the client spelt them."""
        self._stage: str | None = None
        for command, stage in _STAGES.items():
            self._smtp_methods[command] = self._staged(stage, self._smtp_methods[command])

    def _staged(
        self, stage: str, method: Callable[[str | None], Awaitable[None]]
    ) -> Callable[[str | None], Awaitable[None]]:
        """The command's method, marking its replies with the stage (wraps keeps HELP's syntax text)."""

        @functools.wraps(method)
        async def staged(arg: str | None) -> None:
            self._stage = stage
            try:
                await method(arg)
            finally:
                self._stage = None

        return staged

    async def push(self, status: AnyStr) -> None:
        if self._stage is not None:
            text = status if isinstance(status, str) else status.decode("utf-8", "replace")
            self._gateway.replied(cast(GatewaySession, self.session), self._stage, text)
        await super().push(status)

    def _create_session(self) -> GatewaySession:
        return GatewaySession(self.loop)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        first = self.transport is None
        if first and not self._gateway.admits(transport):
            # Refused before aiosmtpd starts the session, so the client hears 421 and nothing else.
            self._refused = True
            self._gateway.refused(transport, BUSY.decode().rstrip())
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
        if self._collector is not None:
            # aiosmtpd restarts its idle timer per command only; a big message on a slow link is still
            # one command, and must not be cut while bytes keep coming (max_session_seconds bounds it).
            self._reset_timeout()
            self._feed(data)
            return
        super().data_received(data)

    def _feed(self, data: bytes) -> None:
        """DATA bytes go to the collector, not to the stream reader; what follows the terminator (the
        next command, from a pipelining client) goes back to the reader."""
        assert self._collector is not None and self._collected is not None
        leftover = self._collector.feed(data)
        if leftover is None:
            return
        self._collector = None
        if not self._collected.done():  # cancelled when the session was cut, a moment before this read
            self._collected.set_result(None)
        if leftover:
            super().data_received(leftover)

    async def smtp_DATA(self, arg: str) -> None:
        """aiosmtpd's DATA, but read in one pass into one buffer, charged to the in-flight budget."""
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        reader = await self._reserve()
        if reader is None:
            return
        try:
            await self._collect(reader)
            await self._deliver(reader)
        finally:
            size = reader.charged
            reader.release()
            memory.trim_after(size)

    async def _reserve(self) -> DataReader | None:
        """A reader with the declared SIZE set aside, or None once the client was told there is no room."""
        assert self.envelope is not None
        budget, limit = self._gateway.budget, self._gateway.options.data_size_limit
        size = min(declared_size(self.envelope.mail_options), limit)
        if budget.free <= 0:
            await self.push(NO_ROOM)
            assert self.transport is not None
            self.transport.close()
            return None
        if not budget.charge(size):
            await self.push(NO_STORAGE)
            return None
        return DataReader(size_limit=limit, line_limit=self.line_length_limit, budget=budget, reserved=size)

    async def _collect(self, reader: DataReader) -> None:
        self._collected = self.loop.create_future()
        # What the client sent before our 354 is DATA too (aiosmtpd reads it so); taken at once, without
        # yielding, so that it stays ahead of what data_received hands the collector from now on.
        early = await self._reader.readexactly(len(self._reader._buffer))  # type: ignore[attr-defined]
        self._collector = reader
        if early:
            self._feed(early)
        try:
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._collected
        finally:
            self._collector = self._collected = None

    async def _deliver(self, reader: DataReader) -> None:
        assert self.envelope is not None and self.session is not None
        if reader.outcome is not Outcome.OK:
            self._end_transaction()
            await self.push(_DATA_REFUSED[reader.outcome])
            return
        # One buffer for both: aiosmtpd's decoded `content` is never used (decode_data is off).
        self.envelope.content = self.envelope.original_content = reader.content()
        status = await self._gateway.handle_DATA(self, cast(GatewaySession, self.session), self.envelope)
        self._end_transaction()
        await self.push(status)

    def _end_transaction(self) -> None:
        self._set_post_data_state()  # type: ignore[no-untyped-call]  # aiosmtpd leaves it unannotated

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

    async def smtp_MAIL(self, arg: str | None) -> None:
        self._take_params("MAIL", "FROM:", arg)
        await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg: str | None) -> None:
        self._take_params("RCPT", "TO:", arg)
        await super().smtp_RCPT(arg)

    def _take_params(self, verb: str, keyword: str, arg: str | None) -> None:
        self._verb = verb
        stripped = self._strip_command_keyword(keyword, arg) if arg else None
        rest = self._getaddr(stripped)[1] if stripped else None
        self.params_sent = params_after_address(rest)

    def _getparams(self, params: Sequence[str]) -> dict[str, str | bool] | None:
        """aiosmtpd's check, with the DSN parameters taken out (and checked) when we offered DSN."""
        if cast(GatewaySession, self.session).dsn:
            params, valid = dsn_params(self._verb, params)
            if not valid:
                return None  # aiosmtpd then answers 501 with the command's syntax
        result: dict[str, str | bool] | None = super()._getparams(params)
        return result

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
