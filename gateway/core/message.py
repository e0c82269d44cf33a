"""The parsed message: envelope, raw bytes and every derived field a signal needs, computed once.

Signals never parse mail themselves. Anything two signals would both derive belongs here, so that a
message is parsed exactly once per scan and every signal sees the same view of it.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import re
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from enum import StrEnum
from functools import cached_property

from gateway.core import linkedin_mail
from gateway.core.body import Body, HtmlParts, VisibleText, bounded_parse, derive, split_reply, texts
from gateway.core.limits import ScanLimits

__all__ = ["Body", "HtmlParts", "Message", "VisibleText", "split_reply"]

_MSGID_RE = re.compile(r"<[^<>\s]+>")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
DEFAULT_LIMITS = ScanLimits()


class Direction(StrEnum):
    """Where a message travels relative to the local domains."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


def domain_of(address: str) -> str:
    """The lower-cased domain of an address, or "" when it has none."""
    return address.rpartition("@")[2].lower().strip(">") if "@" in address else ""


def normalize_address(address: str) -> str:
    """An address as the store keys it: bare, lower-cased, no angle brackets."""
    return email.utils.parseaddr(address)[1].strip().lower() or address.strip("<> ").lower()


def is_local(address: str, local_domains: frozenset[str]) -> bool:
    """True when the address belongs to one of the local domains or a subdomain of one."""
    domain = domain_of(address)
    return any(domain == d or domain.endswith("." + d) for d in local_domains)


def direction_of(sender: str, recipients: tuple[str, ...], local_domains: frozenset[str]) -> Direction:
    """Classify the envelope by its addresses; with no local domains everything is inbound.

    Addresses cost nothing to type: this is only for a source already trusted (gateway/fronts/smtp/direction.py
    decides which SMTP clients are; a replayed mailbox is the admin's own).
    """
    if not local_domains or not is_local(sender, local_domains):
        return Direction.INBOUND
    if all(is_local(r, local_domains) for r in recipients):
        return Direction.INTERNAL
    return Direction.OUTBOUND


@dataclass(frozen=True)
class Envelope:
    """What the SMTP session said about the message, as opposed to what its headers claim."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    client_addr: str | None = None
    helo: str | None = None
    direction: Direction = Direction.INBOUND
    direction_reason: str = ""
    """Why the message has its direction (gateway/fronts/smtp/direction.py), for the log line."""
    cohort: tuple[str, ...] = ()
    """In one recipient's view of a message (per-recipient judging), every recipient of the transaction."""


@dataclass
class Message:
    """One message as the pipeline sees it. Parse with `from_bytes`; derived fields are computed lazily, once."""

    envelope: Envelope
    raw: bytes
    parsed: EmailMessage
    parse_error: str | None = None
    _text_plain: str = field(default="", repr=False)
    _text_html: str = field(default="", repr=False)
    limits: ScanLimits = field(default=DEFAULT_LIMITS, repr=False)
    _notes: tuple[str, ...] = field(default=(), repr=False)
    _body: Body | None = field(default=None, repr=False)
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    """Per-message results that need I/O (gateway/core/identity.py), computed once however many signals ask."""

    @classmethod
    def from_bytes(
        cls, raw: bytes, envelope: Envelope | None = None, limits: ScanLimits = DEFAULT_LIMITS
    ) -> Message:
        """Parse raw RFC 5322 bytes within `limits`. Never raises: garbage yields an empty view with
        `parse_error` set."""
        env = envelope or Envelope(mail_from="", rcpt_tos=())
        notes: list[str] = []
        try:
            parsed = bounded_parse(raw, limits, notes)
            plain, html = texts(parsed)
            return cls(env, raw, parsed, None, plain, html, limits, tuple(notes))
        except Exception as exc:  # mail-parser raises a zoo of exception types on broken MIME
            return cls._fallback(env, raw, f"{type(exc).__name__}: {exc}", limits, notes)

    @classmethod
    def from_body(cls, raw: bytes, envelope: Envelope, body: Body) -> Message:
        """A message whose body view was derived elsewhere (the scanning pool): only the header block is
        parsed here, which costs little whatever the body holds."""
        found = _HEAD_END.search(raw)
        head = raw[: found.end()] if found else raw
        try:
            parsed = email.message_from_bytes(head)
        except Exception:
            parsed = EmailMessage()
        return cls(envelope, raw, parsed, body.parse_error, _body=body)

    @classmethod
    def _fallback(
        cls, env: Envelope, raw: bytes, error: str, limits: ScanLimits, notes: list[str]
    ) -> Message:
        try:
            parsed = bounded_parse(raw, limits, [])
        except Exception:
            parsed = EmailMessage()
        text = raw[: limits.parse_bytes].decode("utf-8", "replace") if not parsed.keys() else ""
        return cls(env, raw, parsed, error, text, "", limits, tuple(notes))

    def header(self, name: str) -> str:
        """The first value of a header, decoded to text, or ""."""
        try:
            value = self.parsed.get(name)
        except Exception:
            return ""
        return _decode_header(value)

    def headers(self, name: str) -> list[str]:
        """Every value of a header, decoded to text."""
        try:
            values = self.parsed.get_all(name) or []
        except Exception:
            return []
        return [_decode_header(v) for v in values]

    @cached_property
    def subject(self) -> str:
        return " ".join(self.header("Subject").split())

    @cached_property
    def from_name(self) -> str:
        return email.utils.parseaddr(self.header("From"))[0].strip().strip('"')

    @cached_property
    def from_addr(self) -> str:
        return normalize_address(self.header("From"))

    @cached_property
    def sender(self) -> str:
        """The counterpart address: the envelope sender, or From when the envelope has none."""
        return normalize_address(self.envelope.mail_from) or self.from_addr

    @cached_property
    def recipients(self) -> tuple[str, ...]:
        return tuple(normalize_address(r) for r in self.envelope.rcpt_tos)

    @property
    def cohort(self) -> tuple[str, ...]:
        """Every recipient of the transaction, also in one recipient's view of it."""
        return tuple(normalize_address(r) for r in self.envelope.cohort) or self.recipients

    @cached_property
    def message_id(self) -> str:
        found = _MSGID_RE.findall(self.header("Message-ID"))
        return found[0] if found else self.header("Message-ID").strip()

    @cached_property
    def in_reply_to(self) -> tuple[str, ...]:
        return tuple(_MSGID_RE.findall(self.header("In-Reply-To")))

    @cached_property
    def references(self) -> tuple[str, ...]:
        return tuple(_MSGID_RE.findall(" ".join(self.headers("References"))))

    @cached_property
    def date(self) -> float | None:
        """The Date header as a POSIX timestamp, or None when missing or unparseable."""
        try:
            parsed = email.utils.parsedate_to_datetime(self.header("Date"))
        except (TypeError, ValueError, IndexError):
            return None
        if parsed.tzinfo is None:
            return None
        return parsed.timestamp()

    @cached_property
    def automatic(self) -> str:
        """Why a machine wrote this (RFC 3834 Auto-Submitted, a bounce, a vacation reply), or "".

        Such mail is never "the recipient wrote": an out-of-office answer to a pitch is no consent.
        """
        submitted = self.header("Auto-Submitted").partition(";")[0].strip().lower()
        if submitted and submitted != "no":
            return f"Auto-Submitted: {submitted}"
        if self.header("Precedence").strip().lower() == "auto_reply" or self.header("X-Autoreply"):
            return "auto-reply headers"
        if not self.envelope.mail_from.strip("<> ") and self.envelope.rcpt_tos:
            return "null envelope sender (a bounce)"
        if self.parsed.get_content_type() == "multipart/report":
            return "delivery or disposition report"
        return ""

    @cached_property
    def list_unsubscribe(self) -> str:
        return self.header("List-Unsubscribe")

    @cached_property
    def list_unsubscribe_post(self) -> str:
        return self.header("List-Unsubscribe-Post")

    @cached_property
    def list_id(self) -> str:
        return self.header("List-Id")

    @cached_property
    def body(self) -> Body:
        """The body view: computed here on first use, or handed over ready by the scanning pool."""
        if self._body is not None:
            return self._body
        return derive(self._text_plain, self._text_html, self.limits, list(self._notes), self.parse_error)

    @property
    def html(self) -> HtmlParts:
        return self.body.html

    @property
    def text(self) -> str:
        """The whole readable body: the plain part, or the HTML rendered as text when there is none."""
        return self.body.text

    @property
    def visible(self) -> VisibleText:
        return self.body.visible

    @property
    def truncated(self) -> tuple[str, ...]:
        """Which caps of `ScanLimits` this message hit; empty for ordinary mail."""
        return self.body.truncated

    @cached_property
    def visible_text(self) -> str:
        """What the sender wrote this time: no quoted history, no signature."""
        return self.visible.body

    @cached_property
    def linkedin(self) -> linkedin_mail.LinkedInMail | None:
        """The LinkedIn notification view (kind, member, member's text), or None for other mail."""
        return linkedin_mail.parse(self)

    @cached_property
    def author_text(self) -> str:
        """The words a person wrote this time: a LinkedIn member's own text, else `visible_text`.

        Judge this, not the whole body, so that LinkedIn's boilerplate and quoted history never count.
        """
        found = self.linkedin
        return found.text if found is not None and found.text else self.visible_text

    @property
    def links(self) -> tuple[str, ...]:
        return self.body.links


def _decode_header(value: object) -> str:
    if value is None:
        return ""
    try:
        parts = email.header.decode_header(str(value))
        return str(email.header.make_header(parts))
    except Exception:
        return str(value)
