"""The body of a message as the signals read it, derived under the caps of `ScanLimits`.

This is the CPU-heavy part of a scan: MIME parsing, HTML to text, the reply split, link extraction. It
is pure (bytes in, `Body` out), so the scanning pool can run it in another process and ship the result
back as JSON; the store-backed signals then run on the event loop with that view.
"""

from __future__ import annotations

import email.parser
import logging
import re
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from email.policy import Policy, compat32
from html.parser import HTMLParser
from typing import Any, TypeVar

import mailparser
from inscriptis import get_text
from mailparser_reply.parser import EmailMessage as ReplyText

from gateway.core.limits import ScanLimits, cut

# mail-parser logs every defect it meets at WARNING; malformed mail is routine for a gateway.
logging.getLogger("mailparser").setLevel(logging.ERROR)

# English quote headers only: each extra language roughly doubles the parser's regex cost per message,
# and the pitches this gateway exists for are overwhelmingly written in English.
_REPLY_LANGUAGES = ["en"]
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_REPLY_SCAN_CHARS = 16_000
# Small enough that a flood of tiny parts overshoots the part cap by a few hundred at most.
_FEED_CHUNK = 8 * 1024
_T = TypeVar("_T")


@dataclass(frozen=True)
class HtmlParts:
    """What the HTML part of a message contributes: readable text, links and images."""

    text: str = ""
    links: tuple[str, ...] = ()
    images: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class VisibleText:
    """The body split the way a reader sees it: the new words, the signature, and what was quoted."""

    body: str = ""
    signature: str = ""
    quoted: str = ""


@dataclass(frozen=True)
class Body:
    """Every body-derived field a signal reads, and which caps were hit while deriving them."""

    text_plain: str = ""
    html: HtmlParts = field(default_factory=HtmlParts)
    visible: VisibleText = field(default_factory=VisibleText)
    links: tuple[str, ...] = ()
    truncated: tuple[str, ...] = ()
    """The caps hit while deriving this view, e.g. "html_bytes 8388608 > 65536"."""
    parse_error: str | None = None

    @property
    def text(self) -> str:
        """The whole readable body: the plain part, or the HTML rendered as text when there is none."""
        return self.text_plain if self.text_plain.strip() else self.html.text

    def to_json(self) -> dict[str, Any]:
        return {
            "text_plain": self.text_plain,
            "html": [self.html.text, list(self.html.links), [list(i) for i in self.html.images]],
            "visible": [self.visible.body, self.visible.signature, self.visible.quoted],
            "links": list(self.links),
            "truncated": list(self.truncated),
            "parse_error": self.parse_error,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Body:
        html_text, links, images = data["html"]
        return cls(
            text_plain=str(data["text_plain"]),
            html=HtmlParts(
                str(html_text), tuple(map(str, links)), tuple((str(s), str(w), str(h)) for s, w, h in images)
            ),
            visible=VisibleText(*(str(v) for v in data["visible"])),
            links=tuple(map(str, data["links"])),
            truncated=tuple(map(str, data["truncated"])),
            parse_error=None if data["parse_error"] is None else str(data["parse_error"]),
        )


def bounded_parse(raw: bytes, limits: ScanLimits, notes: list[str]) -> EmailMessage:
    """The MIME tree of at most `limits.parse_bytes` bytes and about `limits.mime_parts` parts.

    The stdlib parser builds every part before anyone can count them, so it is fed in chunks and stopped
    once the part count passes the cap; what was parsed so far is the message the signals judge.
    """
    count = 0

    def factory(policy: Policy = compat32) -> EmailMessage:
        nonlocal count
        count += 1
        return EmailMessage(policy)

    parser = email.parser.BytesFeedParser(_factory=factory)
    head = raw[: limits.parse_bytes]
    if len(raw) > limits.parse_bytes:
        notes.append(f"parse_bytes {len(raw)} > {limits.parse_bytes}")
    for start in range(0, len(head), _FEED_CHUNK):
        parser.feed(head[start : start + _FEED_CHUNK])
        if count > limits.mime_parts:
            notes.append(f"mime_parts > {limits.mime_parts}")
            break
    return parser.close()


def texts(parsed: EmailMessage) -> tuple[str, str]:
    """The plain and HTML text parts, decoded, as mail-parser finds them (it knows charsets and defects)."""
    mail = mailparser.MailParser(parsed)
    return "\n".join(mail.text_plain), "\n".join(mail.text_html)


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


def parse_html(html: str, limits: ScanLimits, notes: list[str]) -> HtmlParts:
    """Text, links and images of the first `limits.html_bytes` characters of HTML."""
    if not html:
        return HtmlParts()
    html = cut(html, limits.html_bytes, "html_bytes", notes)
    collector = _LinkCollector()
    try:
        collector.feed(html)
        collector.close()
        text = get_text(html)
    except Exception:  # hostile HTML must degrade to "no HTML", never fail the scan
        return HtmlParts()
    text = cut(text, limits.text_chars, "text_chars", notes)
    images = _first(collector.images, limits.urls, "urls (images)", notes)
    return HtmlParts(text, tuple(_first(collector.links, limits.urls, "urls", notes)), tuple(images))


def _first(items: list[_T], cap: int, name: str, notes: list[str]) -> list[_T]:
    if len(items) > cap:
        notes.append(f"{name} {len(items)} > {cap}")
    return items[:cap]


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


def derive(
    text_plain: str, text_html: str, limits: ScanLimits, notes: list[str], parse_error: str | None = None
) -> Body:
    """The body view from the decoded text parts; `notes` holds the caps the parse already hit."""
    plain = cut(text_plain, limits.text_chars, "text_chars", notes)
    html = parse_html(text_html, limits, notes)
    found = [*html.links, *_URL_RE.findall(plain)]
    links = _first(
        list(dict.fromkeys(u for u in found if u.lower().startswith(("http://", "https://")))),
        limits.urls,
        "urls",
        notes,
    )
    text = plain if plain.strip() else html.text
    return Body(plain, html, split_reply(text), tuple(links), tuple(dict.fromkeys(notes)), parse_error)
