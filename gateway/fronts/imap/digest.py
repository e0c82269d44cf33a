"""The digest in IMAP mode: once a day, a message appended to the INBOX (no SMTP needed) that lists what
arrived in the hold folder since the previous digest. Drag a message back to the INBOX to release it
(learning.py then trusts its sender), leave it there to keep it held. With web.link_secret and web.base_url
set, each message the front moved also gets the signed links of the SMTP digest ("release", "this is a
pitch"), opening the review page served by `pitchgate imap` (a GET shows one button, a POST acts), and the
digest links to the recipient's whole list.

The digest's own Message-ID is marked in the store before the APPEND, so the INBOX pass never judges it.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32

from gateway.actions.sequences import plural
from gateway.display import clip_subject
from gateway.fronts.imap import envelope
from gateway.fronts.imap.account import AccountSync
from gateway.fronts.imap.config import ImapAccount
from gateway.fronts.imap.learning import OWN
from gateway.fronts.imap.links import DigestLinks, RecordLinks
from gateway.store.base import FolderCursor

_HEADERS = b"BODY[HEADER.FIELDS (FROM SUBJECT DATE MESSAGE-ID)]"
_PEEK = "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE MESSAGE-ID)]"
"""What is asked for: PEEK, so that listing a message in the digest does not mark it read."""
MAX_LISTED = 200
"""Entries listed in one digest (the rest are counted): a bound on the digest's size."""


def digest_key(account: ImapAccount) -> str:
    """The cursor name under which the hold folder's last digested UID is kept."""
    return f"{account.hold_folder}\x00digest"


@dataclass(frozen=True)
class Entry:
    sender: str
    subject: str
    when: str
    message_id: str
    links: RecordLinks | None = None


def compose(
    account: ImapAccount, entries: list[Entry], total: int, subject: str, review: str = ""
) -> EmailMessage:
    me = account.own_addresses[0]
    message = EmailMessage()
    message["From"] = email.utils.formataddr(("pitchgate", me))
    message["To"] = me
    # The placeholders of the SMTP digest's subject (digest.subject), filled the same way.
    message["Subject"] = subject.replace("{count}", str(total)).replace(
        "{messages}", plural(total, "message")
    )
    message["Date"] = email.utils.formatdate(usegmt=True)
    message["Message-ID"] = email.utils.make_msgid("pitchgate-digest")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: a machine wrote it, it answers nobody
    lines = [f"{total} message(s) were moved to {account.hold_folder} since the last digest:", ""]
    for entry in entries:
        lines.append(f"- {entry.when}  {entry.sender}  {entry.subject}")
        if entry.links is not None:
            lines += [f"    Release: {entry.links.release}", f"    This is a pitch: {entry.links.block}"]
    if total > len(entries):
        lines.append(f"- ... and {total - len(entries)} more")
    if review:
        lines += ["", f"Everything held, on the review page: {review}"]
    lines += [
        "",
        f"To release one, drag it from {account.hold_folder} back to {account.inbox}: its sender is then",
        f"wanted. To confirm a pitch, leave it in {account.hold_folder}. Nothing is ever deleted.",
    ]
    message.set_content("\n".join(lines) + "\n")
    return message


def _entry(raw: bytes) -> Entry:
    head = BytesHeaderParser(policy=compat32).parsebytes(raw)
    return Entry(
        str(head.get("From", "")),
        clip_subject(" ".join(str(head.get("Subject", "")).split())),
        str(head.get("Date", "")),
        envelope.message_id(head),
    )


async def _linked(sync: AccountSync, links: DigestLinks, entries: list[Entry], now: float) -> list[Entry]:
    """Each entry the review page holds a record of (the front moved it), with its signed links."""
    account = sync.account
    me = account.own_addresses[0]
    records = {
        r.message_id: r.id
        for r in await sync.parts.store.quarantine_list(me)
        if r.extra.get("imap_account") == account.key
    }
    return [
        replace(e, links=links.record(me, records[e.message_id], now)) if e.message_id in records else e
        for e in entries
    ]


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
    fetched = await asyncio.to_thread(mailbox.client.fetch, uids[-MAX_LISTED:], [_PEEK])
    entries = [_entry(bytes(v[_HEADERS])) for _, v in sorted(fetched.items()) if _HEADERS in v]
    links, now = sync.parts.links, time.time()
    review = ""
    if links is not None:
        entries = await _linked(sync, links, entries, now)
        review = links.review(account.own_addresses[0], now)
    message = compose(account, entries, len(uids), subject, review)
    await store.mark_set(account.key, OWN, str(message["Message-ID"]), "digest", time.time(), mark_ttl)
    await asyncio.to_thread(mailbox.append, account.inbox, message.as_bytes())
    await store.cursor_set(account.key, digest_key(account), FolderCursor(info.uidvalidity, uids[-1]))
    return len(uids)
