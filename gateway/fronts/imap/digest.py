"""The digest in IMAP mode: once a day, a message appended to the INBOX (no SMTP needed) that lists what
arrived in the hold folder since the previous digest. Its "links" are the folder itself: drag a message
back to the INBOX to release it (learning.py then trusts its sender), leave it there to keep it held.

The digest's own Message-ID is marked in the store before the APPEND, so the INBOX pass never judges it.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32

from gateway.display import clip_subject
from gateway.fronts.imap.account import AccountSync
from gateway.fronts.imap.config import ImapAccount
from gateway.fronts.imap.learning import OWN
from gateway.store.base import FolderCursor

_HEADERS = b"BODY[HEADER.FIELDS (FROM SUBJECT DATE)]"
MAX_LISTED = 200
"""Entries listed in one digest (the rest are counted): a bound on the digest's size."""


def digest_key(account: ImapAccount) -> str:
    """The cursor name under which the hold folder's last digested UID is kept."""
    return f"{account.hold_folder}\x00digest"


def compose(
    account: ImapAccount, entries: list[tuple[str, str, str]], total: int, subject: str
) -> EmailMessage:
    me = account.own_addresses[0]
    message = EmailMessage()
    message["From"] = email.utils.formataddr(("pitchgate", me))
    message["To"] = me
    message["Subject"] = subject.format(count=total)
    message["Date"] = email.utils.formatdate(usegmt=True)
    message["Message-ID"] = email.utils.make_msgid("pitchgate-digest")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: a machine wrote it, it answers nobody
    lines = [f"{total} message(s) were moved to {account.hold_folder} since the last digest:", ""]
    lines += [f"- {when}  {sender}  {subject_}" for sender, subject_, when in entries]
    if total > len(entries):
        lines.append(f"- ... and {total - len(entries)} more")
    lines += [
        "",
        f"To release one, drag it from {account.hold_folder} back to {account.inbox}: its sender is then",
        f"wanted. To confirm a pitch, leave it in {account.hold_folder}. Nothing is ever deleted.",
    ]
    message.set_content("\n".join(lines) + "\n")
    return message


def _entry(raw: bytes) -> tuple[str, str, str]:
    head = BytesHeaderParser(policy=compat32).parsebytes(raw)
    return (
        str(head.get("From", "")),
        clip_subject(" ".join(str(head.get("Subject", "")).split())),
        str(head.get("Date", "")),
    )


async def append_digest(sync: AccountSync, subject: str, mark_ttl: float) -> int:
    """Append the digest of the hold folder's new arrivals to the INBOX; return how many it lists (0: none
    appended)."""
    account, store, mailbox = sync.account, sync.parts.store, sync.mailbox
    info = await sync.select(account.hold_folder)
    found = await store.cursor_get(account.key, digest_key(account))
    last = found.last_uid if found is not None and found.uidvalidity == info.uidvalidity else 0
    uids = await asyncio.to_thread(mailbox.uids_after, last)
    if not uids:
        return 0
    fetched = await asyncio.to_thread(mailbox.client.fetch, uids[-MAX_LISTED:], [_HEADERS.decode()])
    entries = [_entry(bytes(v[_HEADERS])) for _, v in sorted(fetched.items()) if _HEADERS in v]
    message = compose(account, entries, len(uids), subject)
    await store.mark_set(account.key, OWN, str(message["Message-ID"]), "digest", time.time(), mark_ttl)
    await asyncio.to_thread(mailbox.append, account.inbox, message.as_bytes())
    await store.cursor_set(account.key, digest_key(account), FolderCursor(info.uidvalidity, uids[-1]))
    return len(uids)
