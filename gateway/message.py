"""The parsed message: envelope, raw bytes and every derived field a signal needs, computed once.

Signals never parse mail themselves. Anything two signals would both derive belongs here, so that a
message is parsed exactly once per scan and every signal sees the same view of it.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import logging
import re
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from enum import StrEnum
from functools import cached_property
from html.parser import HTMLParser

import mailparser
from inscriptis import get_text
from mailparser_reply.parser import EmailMessage as ReplyText

from gateway import linkedin_mail

# mail-parser logs every defect it meets at WARNING; malformed mail is routine for a gateway.
logging.getLogger("mailparser").setLevel(logging.ERROR)

# English quote headers only: each extra language roughly doubles the parser's regex cost per message,
# and the pitches this gateway exists for are overwhelmingly written in English.
_REPLY_LANGUAGES = ["en"]
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_MSGID_RE = re.compile(r"<[^<>\s]+>")
_REPLY_SCAN_CHARS = 16_000


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

    Addresses cost nothing to type: this is only for a source already trusted (gateway/direction.py
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
    """Why the message has its direction (gateway/direction.py), for the log line."""


class _LinkCollector(HTMLParser):
    """Collects link targets and image sources from HTML; text comes from inscriptis."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "img" and values.get("src"):
            self.images.append((values["src"], values.get("width", ""), values.get("height", "")))


@dataclass(frozen=True)
class HtmlParts:
    """What the HTML part of a message contributes: readable text, links and images."""

    text: str = ""
    links: tuple[str, ...] = ()
    images: tuple[tuple[str, str, str], ...] = ()


def _parse_html(html: str) -> HtmlParts:
    if not html:
        return HtmlParts()
    collector = _LinkCollector()
    try:
        collector.feed(html)
        collector.close()
        text = get_text(html)
    except Exception:  # hostile HTML must degrade to "no HTML", never fail the scan
        return HtmlParts()
    return HtmlParts(text, tuple(collector.links), tuple(collector.images))


@dataclass(frozen=True)
class VisibleText:
    """The body split the way a reader sees it: the new words, the signature, and what was quoted."""

    body: str = ""
    signature: str = ""
    quoted: str = ""


def split_reply(text: str) -> VisibleText:
    """Separate the sender's new words from quoted history and the signature."""
    if not text.strip():
        return VisibleText()
    try:
        # The new words sit at the top; the reply parser is regex-heavy, so long histories are cut first.
        # keep_hyphen_lists: by default a "- item" line starts a signature, which would cut a pitch's
        # bullet list (its offer) out of the text the classifier judges.
        parsed = ReplyText(text=text[:_REPLY_SCAN_CHARS], languages=_REPLY_LANGUAGES, keep_hyphen_lists=True)
        replies = parsed.read().replies
    except Exception:  # the reply parser is heuristic; an odd body must not cost us the scan
        return VisibleText(body=text)
    if not replies:
        return VisibleText(body=text)
    first = replies[0]
    quoted = "\n".join(r.body for r in replies[1:])
    return VisibleText(body=first.body or "", signature=first.signatures or "", quoted=quoted)


@dataclass
class Message:
    """One message as the pipeline sees it. Parse with `from_bytes`; derived fields are computed lazily, once."""

    envelope: Envelope
    raw: bytes
    parsed: EmailMessage
    parse_error: str | None = None
    _text_plain: str = field(default="", repr=False)
    _text_html: str = field(default="", repr=False)
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    """Per-message results that need I/O (gateway/identity.py), computed once however many signals ask."""

    @classmethod
    def from_bytes(cls, raw: bytes, envelope: Envelope | None = None) -> Message:
        """Parse raw RFC 5322 bytes. Never raises: garbage yields an empty view with `parse_error` set."""
        env = envelope or Envelope(mail_from="", rcpt_tos=())
        try:
            mail = mailparser.parse_from_bytes(raw)
            return cls(env, raw, mail.message, None, "\n".join(mail.text_plain), "\n".join(mail.text_html))
        except Exception as exc:  # mail-parser raises a zoo of exception types on broken MIME
            return cls._fallback(env, raw, f"{type(exc).__name__}: {exc}")

    @classmethod
    def _fallback(cls, env: Envelope, raw: bytes, error: str) -> Message:
        try:
            parsed = email.message_from_bytes(raw)
        except Exception:
            parsed = EmailMessage()
        return cls(env, raw, parsed, error, raw.decode("utf-8", "replace") if not parsed.keys() else "")

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
    def html(self) -> HtmlParts:
        return _parse_html(self._text_html)

    @cached_property
    def text(self) -> str:
        """The whole readable body: the plain part, or the HTML rendered as text when there is none."""
        return self._text_plain if self._text_plain.strip() else self.html.text

    @cached_property
    def visible(self) -> VisibleText:
        return split_reply(self.text)

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

    @cached_property
    def links(self) -> tuple[str, ...]:
        found = list(self.html.links)
        found.extend(_URL_RE.findall(self._text_plain))
        return tuple(dict.fromkeys(u for u in found if u.lower().startswith(("http://", "https://"))))


def _decode_header(value: object) -> str:
    if value is None:
        return ""
    try:
        parts = email.header.decode_header(str(value))
        return str(email.header.make_header(parts))
    except Exception:
        return str(value)
