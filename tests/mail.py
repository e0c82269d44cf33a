"""Building test messages as real RFC 5322 bytes."""

from __future__ import annotations

import email.utils
import itertools

_counter = itertools.count(1)


def make_message(
    sender: str = "alice@partner.test",
    to: str = "bob@example.com",
    subject: str = "Hello",
    body: str = "Hi Bob,\n\nSee you tomorrow.\n\nAlice\n",
    *,
    message_id: str | None = None,
    date: float | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain-text message with CRLF line endings."""
    mid = message_id or f"<t{next(_counter)}.{id(body)}@test>"
    lines = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Message-ID: {mid}",
        f"Date: {email.utils.formatdate(date, usegmt=True)}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    text = "\r\n".join(lines) + "\r\n\r\n" + body.replace("\r\n", "\n").replace("\n", "\r\n")
    return text.encode("utf-8")
