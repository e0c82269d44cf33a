"""One pass over an account's folders: Sent (what the person wrote), the hold folder (what they dragged in),
then the INBOX (new mail, judged and acted on), each from its cursor on.

The Sent folder comes first so that a reply sent a minute ago counts for the mail that answers it, and each
cursor advances after each message, so that a crash or a lost connection costs at most one repeat.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from gateway.actions.relay import Reply
from gateway.core.message import Message
from gateway.core.pipeline import Pipeline
from gateway.core.policy import Action, Verdict
from gateway.fronts.imap import cursor, envelope
from gateway.fronts.imap.actions import Done, act
from gateway.fronts.imap.config import ImapAccount, ImapSettings
from gateway.fronts.imap.learning import Learning
from gateway.fronts.imap.links import DigestLinks
from gateway.fronts.imap.mailbox import Fetched, FolderInfo, Mailbox
from gateway.logs import log_message
from gateway.metrics import Metrics
from gateway.settings import DigestSettings
from gateway.store.base import FolderCursor, Store

log = logging.getLogger(__name__)

Handler = Callable[[Fetched], Awaitable[None]]


@dataclass
class Parts:
    """What every pass needs, built once per account."""

    account: ImapAccount
    options: ImapSettings
    pipeline: Pipeline
    store: Store
    metrics: Metrics
    learning: Learning
    digest: DigestSettings | None = None
    """The daily digest appended to the INBOX, when digest.enabled."""
    links: DigestLinks | None = None
    """Its signed links, when web.link_secret and web.base_url are set."""


class AccountSync:
    """The folders of one account on one connection."""

    def __init__(self, parts: Parts, mailbox: Mailbox) -> None:
        self.parts = parts
        self.mailbox = mailbox
        self.account = parts.account

    async def prepare(self) -> None:
        """Create the hold folder if it is missing (the Sent folder is the provider's)."""
        await asyncio.to_thread(self.mailbox.ensure_folder, self.account.hold_folder)

    async def sent_exists(self) -> bool:
        return bool(await asyncio.to_thread(self.mailbox.client.folder_exists, self.account.sent))

    async def run_pass(self) -> None:
        if await self.sent_exists():
            await self.folder(self.account.sent, self.parts.learning.sent)
        await self.folder(self.account.hold_folder, self.hold_arrival)
        await self.folder(self.account.inbox, self.inbox_arrival)

    async def select(self, folder: str) -> FolderInfo:
        return await asyncio.to_thread(self.mailbox.select, folder)

    async def folder(self, folder: str, handle: Handler) -> None:
        """Hand every message above the folder's cursor to `handle`, in UID order, advancing the cursor."""
        info = await self.select(folder)
        found = await cursor.current(self.parts.store, self.account.key, folder, info)
        if found is None:  # never read (the backfill sets INBOX and Sent): start after what is there
            found = cursor.top(info)
            await self.parts.store.cursor_set(self.account.key, folder, found)
        uids = await asyncio.to_thread(self.mailbox.uids_after, found.last_uid)
        batch = self.parts.options.batch
        for start in range(0, len(uids), batch):
            chunk = uids[start : start + batch]
            for fetched in await asyncio.to_thread(self.mailbox.fetch_all, chunk):
                await handle(fetched)
                await self.parts.store.cursor_set(
                    self.account.key, folder, FolderCursor(info.uidvalidity, fetched.uid)
                )
            # UIDs gone meanwhile (expunged by the person) are passed over too.
            await self.parts.store.cursor_set(
                self.account.key, folder, FolderCursor(info.uidvalidity, chunk[-1])
            )
        # Every UID below the UIDNEXT seen at SELECT was searched for, so the cursor may stand there even
        # when the newest of them are gone: `pending` then compares it with a later UIDNEXT.
        done = max(uids[-1] if uids else 0, found.last_uid, info.uidnext - 1)
        if done > found.last_uid and (not uids or done > uids[-1]):
            await self.parts.store.cursor_set(self.account.key, folder, FolderCursor(info.uidvalidity, done))

    async def pending(self, folder: str) -> bool:
        """Select the folder and say whether mail arrived since the last pass (before IDLE: a message
        appended between that pass's SEARCH and the IDLE would announce itself to neither)."""
        info = await self.select(folder)
        found = await self.parts.store.cursor_get(self.account.key, folder)
        return found is None or found.uidvalidity != info.uidvalidity or info.uidnext - 1 > found.last_uid

    async def hold_arrival(self, fetched: Fetched) -> None:
        """A new message in the hold folder: one this front moved, or one the person dragged in."""
        learning = self.parts.learning
        learning.at(fetched)
        headers = envelope.head(fetched.raw)
        if await learning.held_symbols(envelope.message_id(headers)) is not None:
            return  # moved here by this front
        msg, verdict = await self.parts.pipeline.scan(fetched.raw, envelope.inbound(headers, self.account))
        await learning.confirmed(msg, verdict)

    async def inbox_arrival(self, fetched: Fetched) -> None:
        """A new INBOX message: a release coming back, or new mail to judge and act on."""
        started = time.perf_counter()
        learning = self.parts.learning
        learning.at(fetched)
        headers = envelope.head(fetched.raw)
        if await learning.own(envelope.message_id(headers)):
            return  # the digest this front appended
        if await learning.returned(envelope.message_id(headers)):
            return  # released from the review page, which learned it already
        held = await learning.held_symbols(envelope.message_id(headers))
        msg, verdict = await self.parts.pipeline.scan(fetched.raw, envelope.inbound(headers, self.account))
        if held is not None:
            await learning.released(msg, held)
            return
        if msg.parse_error:
            # Judged on what could be read, but never moved on it: it stays where it is, and is counted.
            self.parts.metrics.unscanned.labels("parse").inc()
            self._log(
                fetched, msg, verdict, Done(True, f"kept: unparsable ({msg.parse_error[:80]})"), started
            )
            return
        holding = verdict.action is Action.QUARANTINE
        if holding:  # marked first, so that its arrival in the hold folder is known as ours
            await learning.mark_held(msg.message_id, verdict.symbols)
        done = await act(
            self.mailbox, fetched.uid, verdict, self.parts.options.keyword, self.account.hold_folder
        )
        if holding and not done.ok:
            await learning.unmark(msg.message_id)
        if done.ok:
            await self.parts.pipeline.commit(msg, verdict)
            if holding:
                await learning.record_held(msg, verdict)
        self._log(fetched, msg, verdict, done, started)

    def _log(self, fetched: Fetched, msg: Message, verdict: Verdict, done: Done, started: float) -> None:
        reply = Reply(250 if done.ok else 451, done.text)
        log_message(
            f"imap-{self.account.inbox}-{fetched.uid}",
            msg,
            verdict,
            reply,
            None,
            time.perf_counter() - started,
        )
