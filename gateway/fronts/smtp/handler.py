"""The SMTP proxy's handler: what happens to mail inside a session, transaction by transaction.

It knows SMTP and nothing about pitches: MAIL and RCPT go straight to the upstream (the client hears the
upstream's own replies), DATA is judged by the pipeline, then relayed with verdict headers or held in
quarantine. The client gets 250 only once the upstream accepted the message or the quarantine wrote it
durably; anything else is a 4xx, so the client keeps the message and retries.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import ssl
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from aiosmtpd.smtp import Envelope as SmtpEnvelope

from gateway.actions.headers import HeaderStyle, outgoing_bytes, verdict_headers
from gateway.actions.quarantine import Quarantine
from gateway.actions.relay import NEEDS_SMTPUTF8, Relay, Reply, UpstreamSession, is_null_sender, unavailable
from gateway.clock import Clock
from gateway.core.message import Direction, Envelope, Message, is_local
from gateway.core.pipeline import Pipeline
from gateway.fronts.smtp.copies import QUARANTINE_FAILED, Copy, Dispatch, Done, group
from gateway.fronts.smtp.direction import Client, direction_for, in_networks, networks
from gateway.fronts.smtp.esmtp_params import as_sent
from gateway.fronts.smtp.inflight import InFlight
from gateway.fronts.smtp.session import Connection, GatewaySession, peer_ip
from gateway.fronts.smtp.trace import Hop, protocol, received_header
from gateway.logs import log_message, log_rejection
from gateway.metrics import Metrics
from gateway.store.base import StoreError

log = logging.getLogger(__name__)
# aiosmtpd logs every command at INFO, addresses included; that is too much and too personal.
logging.getLogger("mail.log").setLevel(logging.WARNING)

INTERNAL_ERROR = "451 4.3.0 Internal error, try again later"
BAD_ENVELOPE = "501 5.5.4 Control characters are not allowed in addresses or parameters"
BAD_UTF8 = "501 5.5.2 Malformed UTF-8 in the address or parameters"
NO_STORAGE = "452 4.3.1 Insufficient system storage, try again later"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ROUTING = re.compile(r"[%!@:]")


def _has_control(address: str, options: list[str]) -> bool:
    """A bare CR or LF passed upstream could end the command early there (command injection)."""
    return any(_CONTROL.search(part) for part in (address, *options))


def _bad_utf8(address: str, options: list[str]) -> bool:
    """aiosmtpd keeps undecodable bytes as surrogates; no upstream could be sent them, and retrying
    would not make them UTF-8, so they get a 5xx here, as Postfix gives them."""
    try:
        for part in (address, *options):
            part.encode()
    except UnicodeEncodeError:
        return True
    return False


def _refused_address(address: str, options: list[str], envelope: SmtpEnvelope) -> str | None:
    """The reply refusing an address at MAIL or RCPT (control characters, bad UTF-8, non-ASCII without
    SMTPUTF8), or None when it may go on."""
    if _has_control(address, options):
        return BAD_ENVELOPE
    if _bad_utf8(address, options):
        return BAD_UTF8
    if not address.isascii() and not envelope.smtp_utf8:
        return str(NEEDS_SMTPUTF8)
    return None


def declared_size(options: Iterable[str]) -> int:
    """The SIZE a client declared at MAIL (RFC 1870), 0 when none; aiosmtpd has checked its syntax."""
    for option in options:
        keyword, _, value = option.partition("=")
        if keyword.upper() == "SIZE" and value.isdigit():
            return int(value)
    return 0


def _client_attributes(session: GatewaySession) -> dict[str, str]:
    """The real client, as XFORWARD tells it to an upstream that logs it: what our own client forwarded
    (Postfix before us), else the connection itself."""
    addr = session.client_addr or ""
    return {
        "NAME": session.xforward.get("NAME", ""),
        "ADDR": f"IPV6:{addr}" if ":" in addr else addr,
        "HELO": session.client_helo or "",
        "PROTO": session.xforward.get("PROTO") or ("ESMTP" if session.extended_smtp else "SMTP"),
    }


@dataclass(frozen=True)
class FrontOptions:
    """The SMTP-facing part of the configuration."""

    local_domains: frozenset[str]
    outbound_networks: tuple[str, ...] = ()
    xforward_hosts: tuple[str, ...] = ("127.0.0.1", "::1")
    relay_checked_by: tuple[str, ...] = ()
    data_size_limit: int = 25 * 1024 * 1024
    max_line_length: int = 1024 * 1024
    max_bytes_in_flight: int = 256 * 1024 * 1024
    session_timeout: float = 300.0
    max_session_seconds: float = 3600.0
    max_connections: int = 500
    max_connections_per_client: int = 50
    hostname: str | None = None
    tls_context: ssl.SSLContext | None = None
    require_starttls: bool = False
    style: HeaderStyle = field(default_factory=HeaderStyle)
    received_header: bool = True


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
        self._relay_nets = networks(options.outbound_networks)
        self._xforward_nets = networks(
            h if "/" in h else f"{h}/{128 if ':' in h else 32}" for h in options.xforward_hosts
        )
        self._checked_nets = networks(options.relay_checked_by)
        self.sessions: set[Connection] = set()
        self.budget = InFlight(options.max_bytes_in_flight, metrics.bytes_in_flight)
        self._per_client: Counter[str] = Counter()
        self._cleanup: set[asyncio.Task[None]] = set()

    # -- connection bookkeeping --------------------------------------------------------------------------
    def admits(self, transport: asyncio.BaseTransport) -> bool:
        """The one admission check: so many sessions in all, and so many per client, except for the MTAs
        we trust for XFORWARD, which funnel everyone's mail."""
        if len(self.sessions) >= self.options.max_connections:
            return False
        ip = peer_ip(transport.get_extra_info("peername"))
        if ip is None or in_networks(ip, self._xforward_nets):
            return True
        return self._per_client[ip] < self.options.max_connections_per_client

    def opened(self, protocol: Connection) -> None:
        self.sessions.add(protocol)
        self._metrics.smtp_sessions.inc()
        ip = peer_ip(protocol.session.peer if protocol.session else None)
        if ip is not None:
            self._per_client[ip] += 1

    def closed(self, protocol: Connection, session: GatewaySession | None) -> None:
        if protocol in self.sessions:
            self.sessions.discard(protocol)
            self._metrics.smtp_sessions.dec()
            ip = peer_ip(session.peer if session else None)
            if ip is not None:
                self._per_client[ip] -= 1
                if self._per_client[ip] <= 0:
                    del self._per_client[ip]
        if session is not None and session.upstream is not None:
            upstream, session.upstream = session.upstream, None
            task = asyncio.get_running_loop().create_task(upstream.release())
            self._cleanup.add(task)
            task.add_done_callback(self._cleanup.discard)

    def replied(self, session: GatewaySession, stage: str, reply: str) -> None:
        """Count and log a 4xx/5xx reply to a client's command, whoever made it (we, aiosmtpd, the upstream)."""
        code = reply[:3]
        if code.isdigit() and code[0] in "45":
            self._metrics.rejected(int(code), stage)
            log_rejection(session.sid, session.client_addr, stage, reply)

    def refused(self, transport: asyncio.BaseTransport, reply: str) -> None:
        """Count and log a connection turned away before its session began."""
        self._metrics.rejected(int(reply[:3]), "connect")
        log_rejection(None, peer_ip(transport.get_extra_info("peername")), "connect", reply)

    def trusts_xforward(self, session: GatewaySession) -> bool:
        return in_networks(peer_ip(session.peer), self._xforward_nets)

    async def drain(self) -> None:
        if self._cleanup:
            await asyncio.gather(*self._cleanup, return_exceptions=True)

    # -- hooks ---------------------------------------------------------------------------------------
    async def handle_EHLO(
        self,
        server: Connection,
        session: GatewaySession,
        envelope: SmtpEnvelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        session.host_name = hostname
        if self.trusts_xforward(session):
            responses.insert(len(responses) - 1, "250-XFORWARD NAME ADDR PROTO HELO SOURCE")
        # A before-queue proxy can only promise DSN when the server behind it keeps the promise; the
        # connection opened here to learn that is the one MAIL will use.
        upstream = await self._upstream(session)
        session.dsn = upstream is not None and upstream.offers("dsn")
        if session.dsn:
            responses.insert(len(responses) - 1, "250-DSN")
        return responses

    async def handle_MAIL(
        self,
        server: Connection,
        session: GatewaySession,
        envelope: SmtpEnvelope,
        address: str,
        options: list[str],
    ) -> str:
        options = as_sent(options, server.params_sent)
        refused = _refused_address(address, options, envelope)
        if refused is not None:
            return refused
        if not self.budget.fits(declared_size(options)):
            # Said before the upstream hears of it: RFC 1870's answer for "not now, try later".
            return NO_STORAGE
        reply = await self._mail(session, address, options)
        if reply is not None and session.upstream is not None and session.upstream.broken:
            # A kept connection the upstream has since dropped (idle since EHLO or the last message)
            # breaks at its first command: one new connection, before the client hears a 4xx.
            reply = await self._mail(session, address, options)
        if reply is None:
            # No connection: counted, so that an outage shows in the metrics.
            self._metrics.upstream_reply(None)
            return str(unavailable())
        if reply.ok:
            envelope.mail_from = address
            envelope.mail_options.extend(options)
            session.rcpt_options = {}
        return str(reply)

    async def handle_RCPT(
        self,
        server: Connection,
        session: GatewaySession,
        envelope: SmtpEnvelope,
        address: str,
        options: list[str],
    ) -> str:
        options = as_sent(options, server.params_sent)
        refused = _refused_address(address, options, envelope)
        if refused is not None:
            return refused
        if not self._may_receive(session, address):
            return f"550 5.7.1 <{address}>: Relay access denied"
        if session.upstream is None or session.upstream.broken:
            return str(unavailable())
        reply = await session.upstream.rcpt(address, options)
        if reply.ok:
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(options)
            session.rcpt_options[address] = options  # a copy's own transaction sends them again
        return str(reply)

    async def handle_RSET(self, server: Connection, session: GatewaySession, envelope: SmtpEnvelope) -> str:
        if session.upstream is not None:
            await session.upstream.rset()
        return "250 2.0.0 Ok"

    async def handle_DATA(self, server: Connection, session: GatewaySession, envelope: SmtpEnvelope) -> str:
        started = time.perf_counter()
        upstream = session.upstream
        if upstream is None or upstream.broken:
            return str(unavailable())
        raw = envelope.original_content or b""
        self._metrics.message_bytes.observe(len(raw))
        msg, judged = await self._pipeline.scan_each(raw, self._envelope(session, envelope))
        hop = self._hop(server, session, envelope)
        copies = group(judged, lambda verdict: verdict_headers(verdict, self.options.style))
        payload = functools.partial(self._payload, msg, hop)
        if len(copies) == 1:  # everyone alike: the transaction the client opened carries it, as always
            copy = copies[0]
            if copy.held:
                done = await self._hold(copy, payload(copy), upstream)
            else:
                done = await self._forward(copy, upstream, payload(copy))
            reply, outcomes = done.reply, [done]
        else:
            await upstream.rset()  # it named every recipient; each copy gets its own transaction
            send = functools.partial(self._send, session, envelope)
            reply, outcomes = await Dispatch(self._quarantine, self._clock.now()).run(copies, payload, send)
        if session.upstream is not None and session.upstream.broken:
            await self._drop_upstream(session)
        if reply.ok:
            await self._pipeline.commit_each(judged)
        seconds = time.perf_counter() - started
        for done in outcomes:
            one = done.copy
            message = one.judged[0].message
            log_message(session.sid, message, one.verdict, done.reply, done.qid, seconds, one.recipients)
        return str(reply)

    async def handle_exception(self, error: Exception) -> str:
        log.error("SMTP session error: %s", type(error).__name__, exc_info=error)
        return INTERNAL_ERROR

    # -- helpers -------------------------------------------------------------------------------------
    async def _upstream(self, session: GatewaySession) -> UpstreamSession | None:
        """The session's upstream connection, a new one if it has none or a broken one."""
        if session.upstream is None or session.upstream.broken:
            await self._drop_upstream(session)
            session.upstream = await self._relay.session()
        return session.upstream

    async def _mail(self, session: GatewaySession, address: str, options: list[str]) -> Reply | None:
        """MAIL upstream, XFORWARD first; None when there is no upstream connection to be had."""
        upstream = await self._upstream(session)
        if upstream is None:
            return None
        await upstream.forward_client(_client_attributes(session))
        reply = await upstream.mail(address, options)
        return unavailable() if upstream.broken and not reply.ok else reply

    def _may_receive(self, session: GatewaySession, address: str) -> bool:
        # Only configured networks (the company's own smarthost, the Postfix in front that already checked
        # relaying) may send outward through us. The real peer decides, never XFORWARD: any local process
        # may speak XFORWARD from a trusted host.
        peer = peer_ip(session.peer)
        if in_networks(peer, self._relay_nets) or in_networks(peer, self._checked_nets):
            return True
        # Like Postfix's allow_untrusted_routing = no: "user%other@local" or "other!user@local" would be
        # forwarded on by an upstream that still honours those routing hacks.
        local_part = address.rpartition("@")[0]
        return is_local(address, self.options.local_domains) and not _ROUTING.search(local_part)

    def _envelope(self, session: GatewaySession, envelope: SmtpEnvelope) -> Envelope:
        rcpts = tuple(envelope.rcpt_tos)
        # A bounce's "<>" is no address: the signals see the empty sender, and fall back to From.
        sender = envelope.mail_from or ""
        sender = "" if is_null_sender(sender) else sender
        client = self._client(session)
        direction, why = direction_for(client, sender, rcpts, self.options.local_domains, self._relay_nets)
        return Envelope(sender, rcpts, client.addr, session.client_helo, direction, why)

    @staticmethod
    def _client(session: GatewaySession) -> Client:
        # XFORWARD ADDR only ever comes from a trusted MTA (front.py). XFORWARD SOURCE=LOCAL is no proof
        # of a local user: Postfix says it of mail local(8) forwards for an alias too, MAIL FROM and all
        # as the outsider sent it; local pickup reaches us from its own address instead (README).
        addr = session.client_addr
        return Client(addr, bool(session.authenticated), forwarded=addr != peer_ip(session.peer))

    def _hop(self, server: Connection, session: GatewaySession, envelope: SmtpEnvelope) -> Hop | None:
        """What our Received: stamp for this message says, or None when configured off."""
        if not self.options.received_header:
            return None
        session.messages += 1
        return Hop(
            helo=session.client_helo,
            addr=session.client_addr,
            name=session.xforward.get("NAME"),  # only ever set by a peer trusted for XFORWARD
            by=server.hostname,
            protocol=protocol(
                esmtp=session.extended_smtp, tls=session.ssl is not None, utf8=bool(envelope.smtp_utf8)
            ),
            id=f"{session.sid}-{session.messages}",  # the session id of the log line, so the two match up
            rcpts=tuple(envelope.rcpt_tos),
            when=self._clock.now(),
        )

    def _payload(self, msg: Message, hop: Hop | None, copy: Copy) -> bytes:
        """The bytes one copy leaves with: its Received: stamp (naming its own recipients) and verdict."""
        if msg.envelope.direction is Direction.OUTBOUND:
            return msg.raw  # outbound mail leaves exactly as the smarthost gave it; it adds its own trace
        trace = received_header(replace(hop, rcpts=copy.recipients)) if hop is not None else b""
        return trace + outgoing_bytes(msg.raw, copy.verdict, self.options.style)

    async def _hold(self, copy: Copy, outgoing: bytes, upstream: UpstreamSession) -> Done:
        judged = copy.judged[0]
        try:
            record = await self._quarantine.hold(
                judged.message, copy.verdict, outgoing, self._clock.now(), recipients=copy.addresses
            )
        except StoreError as exc:
            log.error("quarantine write failed: %s", exc)
            self._metrics.quarantine_writes_failed.inc()
            await upstream.rset()
            return Done(copy, QUARANTINE_FAILED)
        await upstream.rset()
        return Done(copy, Reply(250, f"2.0.0 Ok: queued as {record.id}"), record.id)

    async def _forward(self, copy: Copy, upstream: UpstreamSession, payload: bytes) -> Done:
        reply = await upstream.data(payload)
        self._metrics.upstream_reply(None if upstream.broken else reply.code)
        return Done(copy, reply)

    async def _send(
        self, session: GatewaySession, envelope: SmtpEnvelope, copy: Copy, payload: bytes
    ) -> Reply:
        """One copy in its own upstream transaction: the client's MAIL, this copy's RCPTs (with the
        parameters each had), DATA; a fresh connection if the last transaction broke the old one."""
        upstream = await self._upstream(session)
        if upstream is None:
            self._metrics.upstream_reply(None)
            return unavailable()
        await upstream.forward_client(_client_attributes(session))
        reply = await upstream.mail(envelope.mail_from or "", envelope.mail_options)
        for rcpt in copy.recipients:
            if reply.ok:
                reply = await upstream.rcpt(rcpt, session.rcpt_options.get(rcpt, []))
        if not reply.ok:
            await upstream.rset()
            self._metrics.upstream_reply(None if upstream.broken else reply.code)
            return reply
        return (await self._forward(copy, upstream, payload)).reply

    async def _drop_upstream(self, session: GatewaySession) -> None:
        if session.upstream is not None:
            upstream, session.upstream = session.upstream, None
            await upstream.release()
