"""Caps on what the quarantine keeps and shows of a message's Subject and addresses.

A message may carry a Subject of megabytes (a folded header is unlimited in length); storing and showing it
whole made one recipient's digest larger than Postfix's message_size_limit, so that digest failed daily.
The held bytes keep everything: these caps apply only to the index record, the page and the digest.
"""

from __future__ import annotations

from collections.abc import Sequence

SUBJECT_CHARS = 200
ADDRESS_CHARS = 254
"""RFC 5321's longest deliverable address; a longer one is shown clipped."""
SHOWN_RECIPIENTS = 5
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def clip_subject(subject: str) -> str:
    # Folding whitespace and control characters would otherwise survive into one-line displays.
    return clip(" ".join(subject.split()), SUBJECT_CHARS)


def clip_address(address: str) -> str:
    return clip(address, ADDRESS_CHARS)


def clip_recipients(recipients: Sequence[str], shown: int = SHOWN_RECIPIENTS) -> str:
    """The first `shown` recipients, then "and N more"."""
    listed = ", ".join(clip_address(r) for r in recipients[:shown])
    rest = len(recipients) - shown
    return f"{listed} and {rest} more" if rest > 0 else listed
