"""The SMTP front: an aiosmtpd handler that proxies each transaction to the upstream before queueing.

It knows SMTP and nothing about pitches: MAIL and RCPT go straight to the upstream (the client hears the
upstream's own replies), DATA is judged by the pipeline, then relayed with verdict headers or held in
quarantine. The client gets 250 only once the upstream accepted the message or the quarantine wrote it
durably; anything else is a 4xx, so the client keeps the message and retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import re
import secrets
import ssl
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from aiosmtpd.smtp import SMTP, Session, syntax
from aiosmtpd.smtp import Envelope as SmtpEnvelope

from gateway.actions import HeaderStyle, outgoing_bytes
from gateway.clock import Clock
from gateway.logs import log_message
from gateway.message import Direction, Envelope, Message, direction_of, is_local
from gateway.metrics import Metrics
from gateway.pipeline import Pipeline
from gateway.policy import Action, Verdict
from gateway.quarantine import Quarantine
from gateway.relay import Relay, Reply, UpstreamSession, unavailable
from gateway.store.base import StoreError

log = logging.getLogger(__name__)
# aiosmtpd logs every command at INFO, addresses included; that is too much and too personal.
logging.getLogger("mail.log").setLevel(logging.WARNING)

INTERNAL_ERROR = "451 4.3.0 Internal error, try again later"
QUARANTINE_FAILED = Reply(451, "4.3.0 Cannot store the message right now, try again later")
SHUTTING_DOWN = b"421 4.3.2 Service shutting down, try again later\r\n"
BUSY = b"421 4.7.0 Too many connections, try again later\r\n"
_XFORWARD_ATTRS = ("NAME", "ADDR", "PROTO", "HELO", "SOURCE", "PORT", "IDENT")
BAD_ENVELOPE = "501 5.5.4 Control characters are not allowed in addresses or parameters"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ROUTING = re.compile(r"[%!@:]")


def _has_control(address: str, options: list[str]) -> bool:
    """A bare CR or LF passed upstream could end the command early there (command injection)."""
    return any(_CONTROL.search(part) for part in (address, *options))


def _peer_ip(peer: Any) -> str | None:
    return str(peer[0]) if isinstance(peer, tuple) and peer else None


def _networks(values: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(v, strict=False) for v in values]


def _in_networks(address: str | None, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.removeprefix("IPV6:").removeprefix("ipv6:"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


@dataclass(frozen=True)
class FrontOptions:
    """The SMTP-facing part of the configuration."""

    local_domains: frozenset[str]
    outbound_networks: tuple[str, ...] = ()
    xforward_hosts: tuple[str, ...] = ("127.0.0.1", "::1")
    data_size_limit: int = 25 * 1024 * 1024
    max_line_length: int = 1024 * 1024
    session_timeout: float = 300.0
    max_session_seconds: float = 3600.0
    max_connections: int = 500
    max_connections_per_client: int = 50
    hostname: str | None = None
    tls_context: ssl.SSLContext | None = None
    require_starttls: bool = False
    style: HeaderStyle = field(default_factory=HeaderStyle)


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
        return str(self.peer[0]) if self.peer else None

    @property
    def client_helo(self) -> str | None:
        helo = self.xforward.get("HELO")
        return helo if helo and not helo.startswith("[") else self.host_name


class GatewaySMTP(SMTP):
    """aiosmtpd's protocol with a raised line limit, XFORWARD, and connection bookkeeping."""

    def __init__(self, handler: Handler, options: FrontOptions, **kwargs: Any) -> None:
        # Set before super().__init__: the stream reader takes its limit from it. Real mail breaks the
        # RFC's 1,000 octets, and the upstream would take it, so refusing it here would bounce good mail.
        self.line_length_limit = options.max_line_length
        super().__init__(handler, **kwargs)
        self._gateway = handler
        self._refused = False
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
        if not self._refused:
            super().data_received(data)

    def eof_received(self) -> bool | None:
        return False if self._refused else super().eof_received()

    def _expire(self, overdue: float = 0.0) -> None:
        """The session has lived its maximum: 421 once idle; a transaction in flight gets one more idle
        period to finish, because aiosmtpd's timeout restarts with every command (a NOOP every few minutes
        would otherwise keep a session for ever)."""
        if self.close_if_idle() or overdue >= self._gateway.options.session_timeout:
            if self.transport is not None and not self.transport.is_closing():
                cast(asyncio.WriteTransport, self.transport).write(SHUTTING_DOWN)
                self.transport.close()
            return
        self._lifetime = self.loop.call_later(1.0, self._expire, overdue + 1.0)

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
                session.xforward[name.upper()] = value[:255]
        await self.push("250 2.0.0 Ok")


class _Busy(asyncio.Protocol):
    """Answers 421 and hangs up: what a connection over the limit gets instead of a session."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        cast(asyncio.WriteTransport, transport).write(BUSY)
        transport.close()


class Handler:
    """The aiosmtpd handler: passes MAIL/RCPT through, judges DATA, relays or holds."""

    def __init__(
        self,
        options: FrontOptions,
        relay: Relay,
        pipeline: Pipeline,
        quarantine: Quarantine,
        clock: Clock,
        metrics: Metrics,
    ) -> None:
        self.options = options
        self._relay = relay
        self._pipeline = pipeline
        self._quarantine = quarantine
        self._clock = clock
        self._metrics = metrics
        self._relay_nets = _networks(options.outbound_networks)
        self._xforward_nets = _networks(
            h if "/" in h else f"{h}/{128 if ':' in h else 32}" for h in options.xforward_hosts
        )
        self.sessions: set[GatewaySMTP] = set()
        self._per_client: Counter[str] = Counter()
        self._cleanup: set[asyncio.Task[None]] = set()

    # -- connection bookkeeping --------------------------------------------------------------------------
    def admits(self, transport: asyncio.BaseTransport) -> bool:
        """One client may hold only so many sessions; the MTAs we trust for XFORWARD funnel everyone's
        mail, so they are not limited per client."""
        ip = _peer_ip(transport.get_extra_info("peername"))
        if ip is None or _in_networks(ip, self._xforward_nets):
            return True
        return self._per_client[ip] < self.options.max_connections_per_client

    def opened(self, protocol: GatewaySMTP) -> None:
        self.sessions.add(protocol)
        self._metrics.smtp_sessions.inc()
        ip = _peer_ip(protocol.session.peer if protocol.session else None)
        if ip is not None:
            self._per_client[ip] += 1

    def closed(self, protocol: GatewaySMTP, session: GatewaySession | None) -> None:
        if protocol in self.sessions:
            self.sessions.discard(protocol)
            self._metrics.smtp_sessions.dec()
            ip = _peer_ip(session.peer if session else None)
            if ip is not None:
                self._per_client[ip] -= 1
                if self._per_client[ip] <= 0:
                    del self._per_client[ip]
        if session is not None and session.upstream is not None:
            upstream, session.upstream = session.upstream, None
            task = asyncio.get_running_loop().create_task(upstream.release())
            self._cleanup.add(task)
            task.add_done_callback(self._cleanup.discard)

    def trusts_xforward(self, session: GatewaySession) -> bool:
        return _in_networks(str(session.peer[0]) if session.peer else None, self._xforward_nets)

    async def drain(self) -> None:
        if self._cleanup:
            await asyncio.gather(*self._cleanup, return_exceptions=True)

    # -- hooks ---------------------------------------------------------------------------------------
    async def handle_EHLO(
        self,
        server: GatewaySMTP,
        session: GatewaySession,
        envelope: SmtpEnvelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        session.host_name = hostname
        if self.trusts_xforward(session):
            responses.insert(len(responses) - 1, "250-XFORWARD NAME ADDR PROTO HELO SOURCE")
        return responses

    async def handle_MAIL(
        self,
        server: GatewaySMTP,
        session: GatewaySession,
        envelope: SmtpEnvelope,
        address: str,
        options: list[str],
    ) -> str:
        if _has_control(address, options):
            return BAD_ENVELOPE
        if session.upstream is None or session.upstream.broken:
            await self._drop_upstream(session)
            session.upstream = await self._relay.session()
        if session.upstream is None:
            self._metrics.upstream_reply(
                None
            )  # no connection: counted, so that an outage shows in the metrics
            return str(unavailable())
        reply = await session.upstream.mail(address, options)
        if reply.ok:
            envelope.mail_from = address
            envelope.mail_options.extend(options)
        return str(reply)

    async def handle_RCPT(
        self,
        server: GatewaySMTP,
        session: GatewaySession,
        envelope: SmtpEnvelope,
        address: str,
        options: list[str],
    ) -> str:
        if _has_control(address, options):
            return BAD_ENVELOPE
        if not self._may_receive(session, address):
            return f"550 5.7.1 <{address}>: Relay access denied"
        if session.upstream is None or session.upstream.broken:
            return str(unavailable())
        reply = await session.upstream.rcpt(address, options)
        if reply.ok:
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(options)
        return str(reply)

    async def handle_RSET(self, server: GatewaySMTP, session: GatewaySession, envelope: SmtpEnvelope) -> str:
        if session.upstream is not None:
            await session.upstream.rset()
        return "250 2.0.0 Ok"

    async def handle_DATA(self, server: GatewaySMTP, session: GatewaySession, envelope: SmtpEnvelope) -> str:
        started = time.perf_counter()
        upstream = session.upstream
        if upstream is None or upstream.broken:
            return str(unavailable())
        raw = envelope.original_content or b""
        msg = Message.from_bytes(raw, self._envelope(session, envelope))
        verdict = await self._pipeline.judge(msg)
        if verdict.action is Action.QUARANTINE:
            reply, qid = await self._hold(msg, verdict, upstream)
        else:
            reply, qid = await self._forward(msg, verdict, upstream), None
        if upstream.broken:
            await self._drop_upstream(session)
        if reply.ok:
            await self._pipeline.commit(msg, verdict)
        log_message(session.sid, msg, verdict, reply, qid, time.perf_counter() - started)
        return str(reply)

    async def handle_exception(self, error: Exception) -> str:
        log.error("SMTP session error: %s", type(error).__name__, exc_info=error)
        return INTERNAL_ERROR

    # -- helpers -------------------------------------------------------------------------------------
    def _may_receive(self, session: GatewaySession, address: str) -> bool:
        # Only configured networks (the company's own smarthost) may send outward through us.
        if _in_networks(str(session.peer[0]) if session.peer else None, self._relay_nets):
            return True
        # Like Postfix's allow_untrusted_routing = no: "user%other@local" or "other!user@local" would be
        # forwarded on by an upstream that still honours those routing hacks.
        local_part = address.rpartition("@")[0]
        return is_local(address, self.options.local_domains) and not _ROUTING.search(local_part)

    def _envelope(self, session: GatewaySession, envelope: SmtpEnvelope) -> Envelope:
        rcpts = tuple(envelope.rcpt_tos)
        sender = envelope.mail_from or ""
        return Envelope(
            mail_from=sender,
            rcpt_tos=rcpts,
            client_addr=session.client_addr,
            helo=session.client_helo,
            direction=direction_of(sender, rcpts, self.options.local_domains),
        )

    async def _hold(
        self, msg: Message, verdict: Verdict, upstream: UpstreamSession
    ) -> tuple[Reply, str | None]:
        outgoing = outgoing_bytes(msg.raw, verdict, self.options.style)
        try:
            record = await self._quarantine.hold(msg, verdict, outgoing, self._clock.now())
        except StoreError as exc:
            log.error("quarantine write failed: %s", exc)
            self._metrics.quarantine_writes_failed.inc()
            await upstream.rset()
            return QUARANTINE_FAILED, None
        await upstream.rset()
        return Reply(250, f"2.0.0 Ok: queued as {record.id}"), record.id

    async def _forward(self, msg: Message, verdict: Verdict, upstream: UpstreamSession) -> Reply:
        if msg.envelope.direction is Direction.OUTBOUND:
            payload = msg.raw
        else:
            payload = outgoing_bytes(msg.raw, verdict, self.options.style)
        reply = await upstream.data(payload)
        self._metrics.upstream_reply(None if upstream.broken else reply.code)
        return reply

    async def _drop_upstream(self, session: GatewaySession) -> None:
        if session.upstream is not None:
            upstream, session.upstream = session.upstream, None
            await upstream.release()


class Front:
    """The listening SMTP server: start, stop accepting, drain sessions, close."""

    def __init__(self, handler: Handler, host: str, port: int, *, reuse_port: bool = False) -> None:
        self.handler = handler
        self._host, self._port = host, port
        self._reuse_port = reuse_port
        self._server: asyncio.Server | None = None

    def _protocol(self) -> asyncio.Protocol:
        opts = self.handler.options
        if len(self.handler.sessions) >= opts.max_connections:
            return _Busy()
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
