"""The envelope of a message found in a mailbox, from who owns the mailbox rather than from its headers.

An INBOX message was delivered to the account, so its recipients are the account's own addresses and it is
inbound; its sender is the Return-Path the delivering server wrote, else From. A Sent message was written
by the account (the Sent folder is the person's own, a sender cannot put mail there), so it is outbound,
from the account, to its To, Cc and Bcc.
"""

from __future__ import annotations

import email.utils
import re
from email.message import Message as EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32

from gateway.core.message import Direction, Envelope, normalize_address
from gateway.fronts.imap.config import ImapAccount

HEAD_BYTES = 256 * 1024
"""The header block is read from at most this much of a message (a bound on the work per message)."""
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_MSGID = re.compile(r"<[^<>\s]+>")


def head(raw: bytes) -> EmailMessage:
    """The header block only, parsed leniently."""
    found = _HEAD_END.search(raw, 0, HEAD_BYTES)
    return BytesHeaderParser(policy=compat32).parsebytes(raw[: found.end() if found else HEAD_BYTES])


def message_id(headers: EmailMessage) -> str:
    found = _MSGID.findall(str(headers.get("Message-ID", "")))
    return found[0] if found else ""


def inbound(headers: EmailMessage, account: ImapAccount) -> Envelope:
    sender = normalize_address(str(headers.get("Return-Path", ""))) or normalize_address(
        str(headers.get("From", ""))
    )
    return Envelope(sender, account.own_addresses, direction=Direction.INBOUND, direction_reason="imap inbox")


def outbound(headers: EmailMessage, account: ImapAccount) -> Envelope:
    author = normalize_address(str(headers.get("From", "")))
    sender = author if author in account.own_addresses else account.own_addresses[0]
    values = [str(v) for name in ("To", "Cc", "Bcc") for v in headers.get_all(name, [])]
    rcpts = tuple(dict.fromkeys(a.lower() for _, a in email.utils.getaddresses(values) if "@" in a))
    return Envelope(sender, rcpts, direction=Direction.OUTBOUND, direction_reason="imap sent folder")
