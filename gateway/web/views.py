"""What the review page shows of held mail: a message as text, the rest of its sequence, times and ages.

Nothing here renders HTML from a message: the view holds the text gateway/core/message.py extracts, the
header block as received, and the links as strings, for templates that escape all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32

from gateway.actions.sequences import sequence_key
from gateway.core.message import Message
from gateway.display import clip, clip_subject
from gateway.store.base import QuarantineRecord, Store

DAY = 86400.0
MAX_TEXT_CHARS = 200_000
HEADER_CHARS = 2000
RAW_HEADER_CHARS = 64 * 1024
TOUCH_SLACK = 120.0
"""Seconds between a sequence touch and a held message's arrival that still make them the same message."""


@dataclass(frozen=True)
class MessageView:
    """What the page shows of a held message: headers as text, the readable body, links as text."""

    sender: str
    to: str
    date: str
    subject: str
    text: str
    links: tuple[str, ...]
    images: int
    headers: str
    """The header block as received, shown on request (a <details> element: no script needed)."""

    @classmethod
    def of(cls, raw: bytes) -> MessageView:
        msg = Message.from_bytes(raw)
        text = msg.text[:MAX_TEXT_CHARS]
        return cls(
            clip(msg.header("From"), HEADER_CHARS),
            clip(msg.header("To"), HEADER_CHARS),
            clip(msg.header("Date"), HEADER_CHARS),
            clip_subject(msg.subject),
            text,
            msg.links,
            len(msg.html.images),
            _header_block(raw),
        )


def _header_block(raw: bytes) -> str:
    head = BytesHeaderParser(policy=compat32).parsebytes(raw[:RAW_HEADER_CHARS], headersonly=True)
    return "".join(f"{name}: {value}\n" for name, value in head.items())


@dataclass(frozen=True)
class Touch:
    """Another message of the sequence: held (with its record) or delivered (a time only)."""

    at: float
    record: QuarantineRecord | None = None


def day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%d %b %H:%M").lstrip("0")


def age(received_at: float, now: float) -> str:
    seconds = max(0.0, now - received_at)
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 2 * DAY:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // DAY)} d"


async def touches(store: Store, record: QuarantineRecord, recipient: str | None, now: float) -> list[Touch]:
    """The sequence's other messages, oldest first: the ones still held (that `recipient`, or the admin
    for None, may see), and from the cadence history, when the record names its sequence, the earlier
    ones that were delivered."""
    key = sequence_key(record, recipient)
    held = [
        r
        for r in await store.quarantine_list(recipient)
        if sequence_key(r, recipient) == key and r.id != record.id
    ]
    found = [Touch(r.received_at, r) for r in held]
    counterpart = record.extra.get("sequence")
    rcpt = recipient or (record.recipients[0] if record.recipients else "")
    history = await store.sequence_get(rcpt, counterpart, now) if counterpart else None
    known = [r.received_at for r in (*held, record)]
    for at in history.times if history else ():
        if at < record.received_at - TOUCH_SLACK and all(abs(at - k) > TOUCH_SLACK for k in known):
            found.append(Touch(at))
    return sorted(found, key=lambda t: t.at)
