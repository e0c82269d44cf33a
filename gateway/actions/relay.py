"""Upstream delivery: pooled aiosmtplib sessions, and the mapping of upstream replies and errors to client replies.

The gateway is a before-queue proxy: the client's MAIL and RCPT are passed to the upstream as they come,
and the client hears the upstream's own replies. Anything that goes wrong on the way up becomes a 4xx so
that the client keeps the message and retries.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aiosmtplib

from gateway.actions.data_writer import send_data
from gateway.actions.upstream_tls import TLSMode, TLSRequired, UpstreamTLS
from gateway.metrics import Metrics

log = logging.getLogger(__name__)

UNAVAILABLE = "451 4.4.1 Upstream server unavailable, try again later"
_EXTENSION_OF = {"body": "8bitmime", "ret": "dsn", "envid": "dsn", "notify": "dsn", "orcpt": "dsn"}
"""The EHLO keyword that allows each MAIL/RCPT parameter whose name differs from it."""
_IDLE_MAX = 20.0
"""Seconds a pooled connection may sit idle; most servers drop idle clients after 60 s or more."""


@dataclass(frozen=True)
class Reply:
    """An SMTP reply as it goes back to the client. code 0 never occurs: failures become 451."""

    code: int
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    def __str__(self) -> str:
        """The wire form; multi-line replies keep their lines, as aiosmtpd's push adds the final CRLF."""
        lines = [ln for ln in self.text.replace("\r", "").split("\n")] or [""]
        head = [f"{self.code}-{ln}" for ln in lines[:-1]]
        return "\r\n".join([*head, f"{self.code} {lines[-1]}"]).rstrip()


NEEDS_SMTPUTF8 = Reply(553, "5.6.7 Non-ASCII address needs SMTPUTF8, which this transaction lacks")
"""RFC 6531 3.7.5: an address the next hop cannot take as it is; permanent, retrying cannot help."""


def xtext(value: str) -> str:
    """RFC 3461 xtext, which XFORWARD values are written in: "+", "=" and anything outside "!".."~" as +XX."""
    return "".join(
        c if "!" <= c <= "~" and c not in "+=" else "".join(f"+{b:02X}" for b in c.encode()) for c in value
    )


def unxtext(value: str) -> str:
    return re.sub(r"\+([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), value)


def unavailable() -> Reply:
    return Reply(451, UNAVAILABLE[4:])


def _from_response(response: aiosmtplib.SMTPResponse) -> Reply:
    return Reply(response.code, response.message)


def _from_error(error: aiosmtplib.SMTPResponseException) -> Reply:
    if error.code < 400 or error.code > 599:  # a protocol violation upstream must not become a bounce
        return unavailable()
    return Reply(error.code, error.message)


def is_null_sender(address: str) -> bool:
    """The RFC 5321 null reverse-path of bounces, DSNs and auto-replies ("<>"; aiosmtpd reports it so)."""
    return address.strip() in ("", "<>")


def _path(address: str) -> bytes:
    """The address as the client wrote it, between angle brackets. aiosmtplib's quote_address would
    refuse "<>" and re-parse the rest (dropping comments, unquoting); the front has already refused
    control characters, so nothing here can end the command early."""
    return b"<" + ("" if is_null_sender(address) else address).encode() + b">"


class UpstreamSession:
    """One connection to the upstream, used by one client session at a time."""

    def __init__(self, client: aiosmtplib.SMTP, relay: Relay) -> None:
        self._client = client
        self._relay = relay
        self.broken = False
        self.utf8 = False
        self.pending = False  # MAIL accepted upstream, no DATA or RSET since

    def offers(self, extension: str) -> bool:
        """Whether the upstream's EHLO (after STARTTLS, the second one) named this extension."""
        return self._client.supports_extension(extension)

    async def mail(self, sender: str, options: Sequence[str]) -> Reply:
        # The front may have refused a DATA by itself (a line too long, too big): the upstream still waits.
        if self.pending:
            await self.rset()
        self.utf8 = any(o.upper() == "SMTPUTF8" for o in options)
        if not sender.isascii() and not (self.utf8 and self.offers("smtputf8")):
            return NEEDS_SMTPUTF8
        reply = await self._command(b"MAIL", b"FROM:" + _path(sender), options, (250,))
        self.pending = reply.ok
        return reply

    async def forward_client(self, attributes: Mapping[str, str]) -> None:
        """Tell an upstream that offers XFORWARD (Postfix's reinjection listener) who the real client was,
        so its own logs name the client, not us. Only the attributes it announced are sent; a refusal
        changes nothing for the mail."""
        offered = set(self._client.esmtp_extensions.get("xforward", "").upper().split())
        args = [
            f"{name}={xtext(value)}".encode()
            for name, value in attributes.items()
            if name in offered and value
        ]
        if not args or self.pending:  # not between MAIL and the end of DATA, says the XFORWARD spec
            return
        reply = await self._call("xforward", self._client.execute_command, b"XFORWARD", *args)
        if not reply.ok:
            log.info("upstream refused XFORWARD: %s", reply)

    async def rcpt(self, recipient: str, options: Sequence[str]) -> Reply:
        if not recipient.isascii() and not (self.utf8 and self.offers("smtputf8")):
            return NEEDS_SMTPUTF8
        return await self._command(b"RCPT", b"TO:" + _path(recipient), options, (250, 251))

    async def data(self, raw: bytes) -> Reply:
        self.pending = False
        # Not aiosmtplib's data(): it copies a big message several times over (gateway/actions/data_writer.py).
        return await self._call("data", send_data, self._client, raw)

    async def rset(self) -> None:
        self.pending = False
        if not self.broken:
            await self._call("rset", self._client.rset)

    async def release(self) -> None:
        """Give the connection back to the pool after a clean RSET, or close it."""
        await self.rset()
        await self._relay.give_back(self._client, reusable=not self.broken)

    async def _command(
        self, verb: bytes, path: bytes, options: Sequence[str], good: tuple[int, ...]
    ) -> Reply:
        """MAIL or RCPT with the client's own address and the parameters the upstream offers."""
        args = [verb, path, *(o.encode() for o in self._supported(options))]
        reply = await self._call(verb.decode().lower(), self._client.execute_command, *args)
        if reply.code in good or 400 <= reply.code < 600:
            if reply.code == 421:
                self.broken = True
            return reply
        self.broken = True  # a reply that fits no SMTP rule: the conversation is out of step
        return unavailable()

    def _supported(self, options: Sequence[str]) -> list[str]:
        """Only pass on ESMTP parameters the upstream advertised; it would otherwise answer 555."""
        keep = []
        for option in options:
            keyword = option.split("=", 1)[0].lower()
            if self.offers(_EXTENSION_OF.get(keyword, keyword)):
                keep.append(option)
        return keep

    async def _call(self, stage: str, method: object, *args: object, **kwargs: object) -> Reply:
        started = time.perf_counter()
        try:
            response = await method(*args, **kwargs)  # type: ignore[operator]
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code in (421,) or exc.code < 400:
                self.broken = True
            return _from_error(exc)
        except (TimeoutError, aiosmtplib.SMTPException, OSError, UnicodeError) as exc:
            log.warning("upstream failed: %s", type(exc).__name__)
            self.broken = True
            return unavailable()
        finally:
            self._relay.observe(stage, time.perf_counter() - started)
        return _from_response(response)


class Relay:
    """Opens, pools and reuses upstream connections."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout: float = 60.0,
        pool_size: int = 32,
        local_hostname: str | None = None,
        tls: UpstreamTLS | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.host, self.port = host, port
        self._timeout = timeout
        self._pool_size = pool_size
        self._local_hostname = local_hostname
        self._tls = tls or UpstreamTLS()
        self._metrics = metrics
        self._idle: list[tuple[float, aiosmtplib.SMTP]] = []

    def observe(self, stage: str, seconds: float) -> None:
        """Record how long the upstream took to answer one command (failures and timeouts included)."""
        if self._metrics is not None:
            self._metrics.upstream_seconds.labels(stage).observe(seconds)

    async def _connect(self) -> aiosmtplib.SMTP:
        started = time.perf_counter()
        try:
            return await self._open(self._tls)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            if self._tls.mode is not TLSMode.OPPORTUNISTIC or isinstance(exc, TLSRequired):
                raise
            # Like Postfix at "may": a failed handshake is no reason to keep the mail; clear text is.
            log.warning("STARTTLS to upstream failed (%s); sending in clear", type(exc).__name__)
            return await self._open(UpstreamTLS(TLSMode.NONE))
        finally:
            self.observe("connect", time.perf_counter() - started)

    async def _open(self, tls: UpstreamTLS) -> aiosmtplib.SMTP:
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            timeout=self._timeout,
            start_tls=False,  # started by policy below, not by aiosmtplib's own guess
            local_hostname=self._local_hostname,
        )
        await client.connect()
        try:
            await client.ehlo()
            await tls.start(client)
        except BaseException:
            client.close()
            raise
        return client

    async def session(self) -> UpstreamSession | None:
        """A ready upstream session, from the pool when one is fresh, else a new connection; None when down."""
        while self._idle:
            since, client = self._idle.pop()
            if client.is_connected and time.monotonic() - since < _IDLE_MAX:
                return UpstreamSession(client, self)
            client.close()
        try:
            return UpstreamSession(await self._connect(), self)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            log.warning("cannot reach upstream %s:%d: %s", self.host, self.port, type(exc).__name__)
            return None

    async def give_back(self, client: aiosmtplib.SMTP, *, reusable: bool) -> None:
        if reusable and client.is_connected and len(self._idle) < self._pool_size:
            self._idle.append((time.monotonic(), client))
        else:
            client.close()

    async def deliver(self, sender: str, recipients: Sequence[str], raw: bytes) -> Reply:
        """One whole transaction (used for release and digests): every recipient must be accepted."""
        session = await self.session()
        if session is None:
            return unavailable()
        try:
            return await self._transaction(session, sender, recipients, raw)
        finally:
            await session.release()

    async def _transaction(
        self, session: UpstreamSession, sender: str, rcpts: Sequence[str], raw: bytes
    ) -> Reply:
        # A held bounce keeps its null sender ("" or "<>"), which _path writes as "<>".
        utf8 = ["SMTPUTF8"] if not (sender + "".join(rcpts)).isascii() else []
        reply = await session.mail(sender, [*utf8, "BODY=8BITMIME"])
        for rcpt in rcpts:
            if not reply.ok:
                return reply
            reply = await session.rcpt(rcpt, [])
        return await session.data(raw) if reply.ok else reply

    async def probe(self) -> bool:
        """True when a new connection to the upstream answers EHLO (readiness checks).

        Not a pooled connection: one opened before the upstream went away can outlive it.
        """
        try:
            client = await self._connect()
        except (TimeoutError, aiosmtplib.SMTPException, OSError):
            return False
        try:
            await client.quit()
        except (TimeoutError, aiosmtplib.SMTPException, OSError):
            client.close()
        return True

    async def close(self) -> None:
        for _, client in self._idle:
            client.close()
        self._idle.clear()
