"""Doing what the verdict says: the headers to prepend, the bytes to send, and where they go.

Headers are prepended as raw bytes and nothing else in the message changes, so DKIM signatures stay
valid. Incoming copies of our own headers (X-Pitchgate-*, and X-Spam-* unless configured otherwise) are
removed first, so that a sender cannot forge a verdict. A released copy has its verdict rewritten in place
(released_bytes), so that it no longer says quarantine or spam.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gateway.actions.spamassassin import SpamHeaders, released_lines, spam_headers
from gateway.core.policy import Action, Verdict

OWN_PREFIX = b"x-pitchgate-"
SPAM_PREFIX = b"x-spam-"
_FOLD_AT = 900
"""Fold only past this: one grep-able line in practice, always under RFC 5322's 998-octet limit."""


@dataclass(frozen=True)
class HeaderStyle:
    """How verdict headers look; from [policy] in the configuration."""

    spam_flag_header: str = "X-Spam-Flag"
    spam_flag_value: str = "YES"
    subject_prefix: str = ""
    strip_spam_flag: bool = True
    """Also strip every incoming X-Spam-* header (and the configured spam header names)."""
    spam: SpamHeaders = field(default_factory=SpamHeaders)

    def stripped_names(self) -> frozenset[bytes]:
        """Header names (lower case) removed from incoming mail besides the X-Pitchgate-* ones."""
        if not self.strip_spam_flag:
            return frozenset()
        names = [self.spam_flag_header, *self.spam.names()]
        return frozenset(n.lower().encode() for n in names if n)


def _fold(name: str, items: list[str]) -> str:
    """Join items with ", " and fold long lines at item boundaries (RFC 5322 2.2.3)."""
    lines, current = [], f"{name}:"
    for index, item in enumerate(items):
        piece = f" {item}" + ("," if index < len(items) - 1 else "")
        if len(current) + len(piece) > _FOLD_AT and current != f"{name}:":
            lines.append(current)
            current = "\t" + piece.lstrip()
        else:
            current += piece
    lines.append(current)
    return "\r\n".join(lines)


def verdict_headers(verdict: Verdict, style: HeaderStyle) -> bytes:
    """The header block pitchgate prepends, CRLF-terminated."""
    symbols = [f"{s.hit.symbol}({s.contribution:g})" for s in verdict.hits]
    lines = [
        f"X-Pitchgate-Action: {verdict.action}",
        f"X-Pitchgate-Score: {verdict.score:.2f}",
        _fold("X-Pitchgate-Symbols", symbols) if symbols else "X-Pitchgate-Symbols: none",
    ]
    if verdict.would is not None:
        lines.append(f"X-Pitchgate-Shadow: would {verdict.would}")
    if verdict.status:
        lines.append(f"X-Pitchgate-Status: {verdict.status}")
    if verdict.list_match:
        lines.append(f"X-Pitchgate-List: {verdict.list_match}")
    if verdict.action is Action.TAG and style.spam_flag_header:
        lines.append(f"{style.spam_flag_header}: {style.spam_flag_value}")
    lines.extend(spam_headers(verdict, style.spam))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8", "replace")


def _split_head(raw: bytes) -> tuple[bytes, bytes]:
    match = re.search(rb"\r?\n\r?\n", raw)
    if match is None:
        return raw, b""
    return raw[: match.start()], raw[match.start() :]


def strip_headers(raw: bytes, style: HeaderStyle) -> bytes:
    """Remove our own headers (and X-Spam-* and the spam header names, when configured), and any leading
    continuation lines, from the header block only."""
    head, rest = _split_head(raw)
    names = style.stripped_names()
    prefixes = (OWN_PREFIX, SPAM_PREFIX) if style.strip_spam_flag else (OWN_PREFIX,)
    kept: list[bytes] = []
    # Continuation lines before the first header belong to no header; left in, they would continue the
    # last header we prepend, so a sender could write into our verdict. Parsers discard them anyway.
    dropping = True
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):  # a continuation belongs to the header above it
            if not dropping:
                kept.append(line)
            continue
        name, colon, _ = line.partition(b":")
        name = name.strip().lower()
        dropping = bool(colon) and (name.startswith(prefixes) or name in names)
        if not dropping:
            kept.append(line)
    if len(kept) == len(head.splitlines()):
        return raw
    stripped = b"".join(kept).rstrip(b"\r\n")
    if not stripped:  # only forged headers: keep an empty header block and the body
        return rest[rest.index(b"\n") + 1 :] if rest else b""
    return stripped + rest


def _prefix_subject(raw: bytes, prefix: str) -> bytes:
    pattern = re.compile(rb"^(Subject:[ \t]*)", re.IGNORECASE | re.MULTILINE)
    head, body = _split_head(raw)
    new_head, count = pattern.subn(lambda m: m.group(1) + prefix.encode() + b" ", head, count=1)
    return new_head + body if count else raw


def outgoing_bytes(raw: bytes, verdict: Verdict, style: HeaderStyle) -> bytes:
    """The message as it leaves the gateway: verdict headers, then the sender's bytes minus forged headers."""
    body = strip_headers(raw, style)
    if verdict.action is Action.TAG and style.subject_prefix:
        body = _prefix_subject(body, style.subject_prefix)
    return verdict_headers(verdict, style) + body


def released_bytes(
    held: bytes, style: HeaderStyle, by: str, at: str, score: float, symbols: list[str]
) -> bytes:
    """The held copy as a release delivers it: X-Pitchgate-Action says released, X-Pitchgate-Released says
    by whom and when, and the spam headers say No, where the held verdict stood (Score, Symbols and the
    rest of the message are left as they were)."""
    spam = style.spam
    lines = ["X-Pitchgate-Action: released", f"X-Pitchgate-Released: by={_token(by)} at={at}"]
    lines.extend(released_lines(score, symbols, spam))
    block = ("\r\n".join(lines) + "\r\n").encode("utf-8", "replace")
    names = {b"x-pitchgate-action", b"x-pitchgate-released", style.spam_flag_header.lower().encode()}
    names |= {n.lower().encode() for n in spam.names()}
    head, rest = _split_head(held)
    kept: list[bytes] = []
    at_index: int | None = None
    dropping = False
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):
            if not dropping:
                kept.append(line)
            continue
        dropping = line.partition(b":")[0].strip().lower() in names
        if dropping and at_index is None:
            at_index = len(kept)
        if not dropping:
            kept.append(_terminated(line))
    # Ours go where the held verdict stood (below any Received stamp), else on top.
    kept.insert(at_index or 0, block)
    return b"".join(kept).rstrip(b"\r\n") + rest


def _terminated(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\r\n"


def _token(text: str) -> str:
    """One header token: who released it comes from a session or a signed link, but a header must never
    be split or continued by what it carries."""
    return "".join(c for c in text if c.isprintable() and not c.isspace())[:200] or "unknown"
