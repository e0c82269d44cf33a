"""What a LinkedIn notification says: its kind, the member behind it, and the member's own words.

This only reads the message; whether LinkedIn really sent it is decided by the linkedin signal (DKIM).
`Message.linkedin` calls `parse` once, so the cadence and follow-up rules and the content classifier
all judge the member's text rather than LinkedIn's boilerplate around it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

LINKEDIN_DOMAIN = "linkedin.com"


class Message(Protocol):
    """What this module reads of a message. `gateway.core.message.Message` is one; naming only these
    attributes here keeps the dependency one-way (message imports this module, never the reverse)."""

    parsed: Any

    @property
    def subject(self) -> str: ...
    @property
    def from_name(self) -> str: ...
    @property
    def from_addr(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def links(self) -> tuple[str, ...]: ...
    def header(self, name: str) -> str: ...


class Kind(StrEnum):
    INVITATION = "invitation"
    ACCEPTED = "accepted"
    MESSAGE = "message"
    INMAIL = "inmail"
    OTHER = "other"


MEMBER_KINDS = frozenset({Kind.INVITATION, Kind.MESSAGE, Kind.INMAIL})
"""Kinds that carry words a member wrote (an invitation may hold a personal note)."""


@dataclass(frozen=True)
class LinkedInMail:
    kind: Kind
    member: str = ""
    """The member's display name as LinkedIn shows it."""
    member_key: str = ""
    """`normalize_name(member)`: the key of connection anchors and LinkedIn sequences."""
    headline: str = ""
    url: str = ""
    """The member's profile, or for messages the conversation thread."""
    text: str = ""
    """The member's own words (message, InMail or invitation note); "" when there are none."""


_I = re.IGNORECASE | re.MULTILINE
_NAME = r"(?P<name>[^,:!?\n]{2,80}?)"
_ACCEPTED = [
    re.compile(rf"^{_NAME}\s+(?:has\s+)?accepted\s+your\s+invitation", _I),
    re.compile(rf"you(?:'|’|\s+a)re\s+now\s+connected\s+(?:with|to)\s+{_NAME}\s*[.!]?$", _I),
    re.compile(rf"conversation\s+with\s+your\s+new\s+connection,?\s+{_NAME}\s*[.!]?$", _I),
    re.compile(rf"^{_NAME}\s+is\s+now\s+(?:a|your)\s+connection", _I),
]
_INVITATION = [
    re.compile(rf"^{_NAME}\s+(?:wants|would\s+like|is\s+waiting)\s+to\s+connect", _I),
    re.compile(rf"^invitation\s+(?:to\s+connect\s+)?from\s+{_NAME}\s*[.!]?$", _I),
    re.compile(rf"^{_NAME}\s+(?:has\s+)?invited\s+you\s+to\s+connect", _I),
    re.compile(r"add\s+me\s+to\s+your\s+linkedin\s+network|join\s+your\s+linkedin\s+network", _I),
]
_MESSAGE = [
    re.compile(rf"^{_NAME}\s+(?:just\s+)?(?:has\s+)?sent\s+you\s+(?:a\s+)?(?:new\s+)?message", _I),
    re.compile(rf"^(?:new\s+)?message\s+from\s+{_NAME}\s*$", _I),
    re.compile(rf"^{_NAME}\s+(?:just\s+)?messaged\s+you", _I),
]
_VIA = re.compile(r"\s+via\s+linkedin\s*$", _I)
_LOOKALIKE = re.compile(r"linked[il1]n", _I)
_NOT_A_MEMBER = re.compile(r"^linkedin\b", _I)

# Lines that end the member's words: CTA buttons rendered as text, separators and the footer.
_FOOTER = re.compile(
    r"^(?:-{3,}|\.{5,}|_{5,}|={5,})\s*$|this e-?mail was (?:intended|sent) for|you are receiving|"
    r"you(?:'|’)re receiving|unsubscribe|learn why we included|©|linkedin corporation|^help:",
    _I,
)
_CTA = re.compile(
    r"^(?:reply(?: now| to (?:this|inmail|message))?|view (?:the )?(?:full )?(?:message|messages|conversation|"
    r"profile|inmail)|accept(?: invitation)?|ignore|see all (?:messages|invitations)|mark as read|read message)"
    r"\s*(?::.*|https?://\S+)?$"
    r"|^[^:\n]{1,48}:\s*<?https?://\S+>?\s*$",  # any short label before a link: "Reply to Jane: https://..."
    _I,
)
_INTRO = re.compile(
    r"sent you a (?:new )?message|^new message|via linkedin|wants to connect|would like to connect|"
    r"you have (?:\d+|a) new|^inmail|^linkedin$|^invitation",
    _I,
)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+", _I)
_URL_LINE = re.compile(r"^\s*<?https?://\S+>?\s*$", _I)


def is_linkedin_domain(domain: str) -> bool:
    return domain == LINKEDIN_DOMAIN or domain.endswith("." + LINKEDIN_DOMAIN)


def normalize_name(name: str) -> str:
    """A person's name as a key: accents, case, punctuation, "(she/her)", ", MBA" and "via LinkedIn" gone."""
    name = _VIA.sub("", name)
    name = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)
    name = re.split(r"[,|•·–—]|\s-\s", name)[0]
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    tokens = [t for t in re.findall(r"[^\W\d_]+", plain.casefold()) if t not in _HONORIFICS]
    return " ".join(tokens)


_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir"})


def linkable(key: str) -> bool:
    """A name key specific enough to tie an email to a LinkedIn member: at least a first and last name."""
    return key.count(" ") >= 1


def claims_linkedin(msg: Message) -> bool:
    """Whether the mail presents itself as LinkedIn's (true or forged: the signal decides which).

    Lookalikes count as claims: "LinkedIn" as the display name, linkedln.com, linkedin-mail.com.
    """
    domain = msg.from_addr.rpartition("@")[2]
    if is_linkedin_domain(domain) or _LOOKALIKE.search(domain):
        return True
    if _VIA.search(msg.from_name) or _NOT_A_MEMBER.match(msg.from_name):
        return True
    try:
        names = msg.parsed.keys()
    except Exception:
        return False
    return any(n.lower().startswith("x-linkedin-") for n in names)


def _match(patterns: list[re.Pattern[str]], *texts: str) -> tuple[bool, str]:
    for text in texts:
        for pattern in patterns:
            found = pattern.search(text)
            if found:
                return True, (found.groupdict().get("name") or "").strip()
    return False, ""


def _kind(msg: Message, lead: str) -> tuple[Kind, str]:
    local = msg.from_addr.partition("@")[0]
    li_class = msg.header("X-LinkedIn-Class").upper()
    if local.startswith("inmail") or "INMAIL" in li_class:
        return Kind.INMAIL, ""
    hit, name = _match(_MESSAGE, msg.subject, lead)
    if hit or local.startswith("messages") or li_class.startswith("MSG"):
        return Kind.MESSAGE, name
    for kind, patterns in ((Kind.ACCEPTED, _ACCEPTED), (Kind.INVITATION, _INVITATION)):
        hit, name = _match(patterns, msg.subject, lead)
        if hit:
            return kind, name
    return Kind.OTHER, ""


def _member(msg: Message, from_subject: str) -> str:
    # "Jane Doe via LinkedIn" carries the full name; a subject often only the first ("Jane sent you...").
    display = _VIA.sub("", msg.from_name).strip()
    if not display or _NOT_A_MEMBER.match(display):
        return from_subject
    return display if linkable(normalize_name(display)) or not from_subject else from_subject


def _headline(lines: list[str], key: str) -> str:
    for i, line in enumerate(lines):
        if key and normalize_name(line) == key:
            for follow in lines[i + 1 : i + 3]:
                if follow and not _URL_LINE.match(follow) and not _CTA.match(follow) and len(follow) < 160:
                    return follow
            return ""
    return ""


def _member_text(lines: list[str], key: str, headline: str) -> str:
    """The lines between LinkedIn's header and its footer, minus name, headline, buttons and bare links."""
    kept: list[str] = []
    for line in lines:
        if _FOOTER.search(line) or (kept and _CTA.match(line)):
            break
        if not _boilerplate(line, key, headline, leading=not kept):
            kept.append(line)
    return "\n".join(kept).strip()


def _boilerplate(line: str, key: str, headline: str, *, leading: bool) -> bool:
    if _URL_LINE.match(line) or _CTA.match(line) or (headline and line == headline):
        return True
    if key and normalize_name(line) == key:
        return True
    # Intro lines ("Jane sent you a new message") only before the member's words, never inside them.
    return leading and (not line or bool(_INTRO.search(line)))


def _url(msg: Message, kind: Kind) -> str:
    # The plain part names the member's profile next to "View profile"; the HTML header links to the
    # recipient's own profile first, so plain-text links win.
    links: list[str] = [*_URL_IN_TEXT.findall(msg.text), *msg.links]
    wanted: tuple[str, ...] = ("/messaging/",) if kind in (Kind.MESSAGE, Kind.INMAIL) else ()
    wanted += ("/in/", "/profile/view", "/comm/profile")
    for part in wanted:
        for link in links:
            if part in link and "linkedin.com" in link:
                return link.split("?")[0] if "/in/" in link else link
    return ""


def parse(msg: Message) -> LinkedInMail | None:
    """The LinkedIn view of a message, or None when it does not present itself as LinkedIn mail."""
    if not claims_linkedin(msg):
        return None
    lines = [line.strip() for line in msg.text.splitlines()]
    lead = "\n".join(line for line in lines[:12] if line)
    kind, from_subject = _kind(msg, lead)
    member = _member(msg, from_subject) if kind is not Kind.OTHER else ""
    key = normalize_name(member)
    headline = _headline(lines, key)
    text = _member_text(lines, key, headline) if kind in MEMBER_KINDS else ""
    return LinkedInMail(kind, member, key, headline, _url(msg, kind), text)
