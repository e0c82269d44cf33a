"""The review page's buttons in IMAP mode: a held message is a message in the account's hold folder, so
a release moves it back to the INBOX (UID MOVE; without MOVE, COPY then \\Deleted and UID EXPUNGE of that
one UID, as the front's own moves) instead of delivering it over SMTP.

A release is consent, as a drag out is: the sender is wanted and the message a "wanted" example, whether
the button said "release" or "release and trust". "This is a pitch" blocks the sender and records a
"pitch" example; the message stays in the hold folder. "Delete" only takes the message off the page: it
stays in the hold folder, where the person can still find it (nothing is ever expunged here).

The message is found in the hold folder by its Message-ID. Before moving it, its mark says "returned",
so that the front, seeing it arrive in the INBOX, neither judges it again nor learns the release twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence

from imapclient.exceptions import IMAPClientError

from gateway.actions.quarantine import Quarantine, ReleaseResult
from gateway.actions.relay import Reply
from gateway.errors import ConfigError
from gateway.fronts.imap import envelope
from gateway.fronts.imap.config import ImapAccount
from gateway.fronts.imap.connection import connect
from gateway.fronts.imap.learning import HELD, RETURNED
from gateway.fronts.imap.mailbox import Mailbox
from gateway.store.base import QuarantineRecord, Store

log = logging.getLogger(__name__)

ACCOUNT = "imap_account"
"""record.extra: the key of the account whose hold folder holds the message."""
FOLDER = "imap_folder"
"""record.extra: the hold folder it was moved to."""
FAILED = (IMAPClientError, OSError, ConfigError, EOFError)
_MSGID = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


def move_back(account: ImapAccount, timeout: float, message_id: str) -> int:
    """Move every copy of `message_id` from the hold folder to the INBOX; return how many (0: none is
    there any more). Blocking: run it in a thread. Its own short connection, apart from the watcher's."""
    mailbox = Mailbox(connect(account, timeout))
    try:
        mailbox.select(account.hold_folder)
        uids = _exact(mailbox, mailbox.client.search(["HEADER", "Message-ID", message_id]), message_id)
        for uid in uids:
            mailbox.hold(uid, account.inbox)
        return len(uids)
    finally:
        mailbox.close()


def _exact(mailbox: Mailbox, found: list[int], message_id: str) -> list[int]:
    """The UIDs whose Message-ID is exactly `message_id`: SEARCH HEADER matches a substring, and a sender
    must not get its own message released along with another by quoting that one's Message-ID."""
    if not found:
        return []
    heads = mailbox.client.fetch(found, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])  # PEEK: never sets \Seen
    return sorted(
        int(uid)
        for uid, data in heads.items()
        if envelope.message_id(envelope.head(bytes(data.get(_MSGID, b"")))) == message_id
    )


class FolderActions:
    """The held actions (gateway/web/app.py HeldActions) on the accounts' hold folders."""

    def __init__(
        self,
        quarantine: Quarantine,
        store: Store,
        accounts: Sequence[ImapAccount],
        *,
        timeout: float,
        mark_ttl: float,
    ) -> None:
        self._quarantine = quarantine
        self._store = store
        self._accounts = {a.key: a for a in accounts}
        self._timeout = timeout
        self._mark_ttl = mark_ttl

    async def release(
        self, qid: str, recipient: str | None, *, trust: bool, by: str, now: float
    ) -> ReleaseResult:
        async with self._quarantine.claimed(qid):
            found = await self._take(qid, recipient)
            if found is None:
                return ReleaseResult(Reply(550, f"no held message {qid}"), None)
            record, raw, account = found
            await self._mark(account, record.message_id, RETURNED)
            try:
                moved = await asyncio.to_thread(move_back, account, self._timeout, record.message_id)
            except FAILED as exc:
                await self._unmark(account, record)
                log.warning("release of %s: the IMAP server did not move it: %s", qid, type(exc).__name__)
                return ReleaseResult(Reply(451, "the IMAP server did not move it"), record)
            await self._forget(qid)
            if (
                not moved
            ):  # the person moved or deleted it meanwhile: that was their decision, theirs to teach
                await self._unmark(account, record)
                return ReleaseResult(Reply(550, f"{qid} is no longer in {account.hold_folder}"), None)
            await self._quarantine.decided(record, raw, wanted=True)
            log.info("released %s to %s by %s", record.message_id, account.inbox, by)
            return ReleaseResult(Reply(250, f"moved to {account.inbox}"), record)

    async def confirm(self, qid: str, recipient: str | None) -> QuarantineRecord | None:
        async with self._quarantine.claimed(qid):
            found = await self._take(qid, recipient)
            if found is None:
                return None
            record, raw, _ = found
            await self._quarantine.decided(record, raw, wanted=False)
            await self._forget(qid)
            return record

    async def delete(self, qid: str, recipient: str | None) -> bool:
        async with self._quarantine.claimed(qid):
            if await self._take(qid, recipient) is None:
                return False
            await self._forget(qid)
            return True

    async def _take(
        self, qid: str, recipient: str | None
    ) -> tuple[QuarantineRecord, bytes, ImapAccount] | None:
        """The record, its bytes and its account; None when gone, not this recipient's, or not IMAP's.
        A mailbox is one person's: acting for one of its addresses acts for the whole message."""
        found = await self._store.quarantine_get(qid)
        if found is None:
            return None
        record, raw = found
        account = self._accounts.get(record.extra.get(ACCOUNT, ""))
        if account is None or not record.message_id:
            return None
        if recipient is not None and recipient.lower() not in record.recipients:
            return None
        return record, raw, account

    async def _mark(self, account: ImapAccount, message_id: str, value: str) -> None:
        await self._store.mark_set(account.key, HELD, message_id, value, time.time(), self._mark_ttl)

    async def _unmark(self, account: ImapAccount, record: QuarantineRecord) -> None:
        """Back to "moved by the front", so that a drag out is learned as the front learns it."""
        await self._mark(account, record.message_id, "held " + json.dumps(record.symbols, sort_keys=True))

    async def _forget(self, qid: str) -> None:
        await self._store.quarantine_delete(qid)
        await self._quarantine.refresh_gauge()
