"""The Received: trace header pitchgate prepends (RFC 5321 section 4.4), at the very top of the message.

    Received: from HELO (NAME [ADDR])
    \tby HOSTNAME (pitchgate) with ESMTPS id ID
    \tfor <RCPT>; DATE

Everything in it that a client chose (HELO, recipient) is checked against a strict pattern first and left
out if it does not match, because a ";" or "(" there would change how readers parse the stamp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

_DOMAIN = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?")
_LITERAL = re.compile(r"\[(?:IPv6:[0-9A-Fa-f:.]+|[0-9.]+)\]")
_MAILBOX = re.compile(r"[^\s<>;()\"\\\[\]]+@[^\s<>;()\"\\]+")
_MAX = 255


@dataclass(frozen=True)
class Hop:
    """What the stamp records about one message's way into pitchgate."""

    helo: str | None
    addr: str | None
    """The client's address: XFORWARD's when the peer is trusted for it, else the connection's."""
    name: str | None
    """The client's DNS name as a trusted XFORWARD told it; None when unknown."""
    by: str
    protocol: str
    id: str
    rcpts: tuple[str, ...]
    when: float


def protocol(*, esmtp: bool, tls: bool, utf8: bool) -> str:
    """The "with" keyword: RFC 3848 (ESMTP, ESMTPS) and RFC 6531 (UTF8SMTP, UTF8SMTPS)."""
    if utf8:
        return "UTF8SMTPS" if tls else "UTF8SMTP"
    if esmtp:
        return "ESMTPS" if tls else "ESMTP"
    return "SMTP"


def _domain(value: str | None) -> str | None:
    if value and len(value) <= _MAX and (_DOMAIN.fullmatch(value) or _LITERAL.fullmatch(value)):
        return value
    return None


def _literal(addr: str | None) -> str | None:
    if not addr:
        return None
    literal = f"[IPv6:{addr}]" if ":" in addr else f"[{addr}]"
    return literal if _LITERAL.fullmatch(literal) else None


def _from_clause(hop: Hop) -> str:
    helo = _domain(hop.helo) or "unknown"
    literal = _literal(hop.addr)
    name = _domain(hop.name) if hop.name and not hop.name.startswith("[") else None
    if literal is None:
        return f"from {helo}"
    return f"from {helo} ({name} {literal})" if name else f"from {helo} ({literal})"


def _for_clause(hop: Hop) -> str:
    # Only for one recipient: naming every recipient would show each of them the others (RFC 5321 7.2).
    if len(hop.rcpts) != 1:
        return ""
    rcpt = hop.rcpts[0]
    utf8 = hop.protocol.startswith("UTF8")
    if len(rcpt) > _MAX or not _MAILBOX.fullmatch(rcpt) or not (rcpt.isascii() or utf8):
        return ""
    return f"\r\n\tfor <{rcpt}>"


def received_header(hop: Hop) -> bytes:
    """The stamp as CRLF-terminated bytes (UTF-8 only when the transaction was SMTPUTF8)."""
    by = _domain(hop.by) or "localhost"
    date = format_datetime(datetime.fromtimestamp(hop.when, UTC))
    text = (
        f"Received: {_from_clause(hop)}\r\n\tby {by} (pitchgate) with {hop.protocol} id {hop.id}"
        f"{_for_clause(hop)}; {date}\r\n"
    )
    return text.encode("utf-8")
