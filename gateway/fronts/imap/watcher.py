"""Watching one account until told to stop: connect, a first-start backfill, a pass over the folders, then
IDLE on the INBOX (RFC 2177; re-issued every `idle_seconds`, at most 29 minutes) or polling where the server
has no IDLE, with a pass after every wake-up and at least every `poll_seconds`.

Any lost connection, refused login or server restart ends the session; the watcher reconnects after a
wait that doubles from one second up to `max_backoff`. Nothing is lost meanwhile: the cursors say where to
resume.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import time
from typing import TextIO

from imapclient.exceptions import IMAPClientError

from gateway.actions.schedule import DailyAt
from gateway.errors import ConfigError
from gateway.fronts.imap.account import AccountSync, Parts
from gateway.fronts.imap.backfill import backfill
from gateway.fronts.imap.connection import connect
from gateway.fronts.imap.digest import append_digest
from gateway.fronts.imap.mailbox import Mailbox
from gateway.store.base import StoreError

log = logging.getLogger(__name__)

LOST = (IMAPClientError, OSError, socket.timeout, ConfigError, EOFError, StoreError)
"""What ends a session and makes the watcher reconnect (ConfigError: the secret could not be read;
StoreError: a cursor or a mark could not be kept, so the message is left where it is, for later)."""
CHECK = 1.0
"""Seconds between looks at the stop flag while idling."""


def idle_wait(mailbox: Mailbox, seconds: float, stopping: asyncio.Event) -> bool:
    """One IDLE of at most `seconds`; True when the server announced new mail. Blocking (a thread)."""
    client = mailbox.client
    # A message arriving as IDLE starts is announced before the server's "+ idling", which imaplib files
    # among its untagged responses instead of handing it to idle_check: look there too (its only store).
    waiting = client._imap.untagged_responses
    for name in ("EXISTS", "RECENT"):
        waiting.pop(name, None)
    client.idle()
    news = "EXISTS" in waiting or "RECENT" in waiting
    try:
        deadline = time.monotonic() + seconds
        while not news and not stopping.is_set() and (left := deadline - time.monotonic()) > 0:
            wait = min(CHECK, left)
            asked = time.monotonic()
            responses = client.idle_check(timeout=wait)
            if not responses and time.monotonic() - asked < wait / 2:
                # idle_check returns early with nothing only at end of file: the server went away.
                raise EOFError("the server closed the connection during IDLE")
            news = any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)
    finally:
        with contextlib.suppress(*LOST):
            client.idle_done()
    return news


class Watcher:
    """One account, one connection at a time."""

    def __init__(self, parts: Parts, out: TextIO = sys.stdout) -> None:
        self.parts = parts
        self.out = out
        self.stopping = asyncio.Event()
        self.sessions = 0
        self._sync: AccountSync | None = None
        digest = parts.digest
        self._digest = (
            DailyAt(f"imap-digest:{parts.account.key}", digest.hour, self._append_digest, parts.store)
            if digest is not None
            else None
        )

    async def _append_digest(self, now: float) -> None:
        if self._sync is None or self.parts.digest is None:
            return
        listed = await append_digest(self._sync, self.parts.digest.subject, self.parts.learning.ttl)
        self.parts.metrics.digests.labels("sent").inc(1 if listed else 0)
        log.info("digest for %s: %d message(s) listed", self.parts.account.user, listed)

    async def after_pass(self, sync: AccountSync) -> None:
        """The daily digest, when it is due (once a day among every instance sharing the store)."""
        self._sync = sync
        if self._digest is not None and self._digest.due(time.time()):
            await self._digest.run(time.time())

    async def _open(self) -> AccountSync:
        account, options = self.parts.account, self.parts.options
        client = await asyncio.to_thread(connect, account, options.timeout)
        sync = AccountSync(self.parts, Mailbox(client))
        try:
            await sync.prepare()
            if await self.parts.store.cursor_get(account.key, account.inbox) is None:
                report = await backfill(sync, options.backfill_days, self.out)
                print(
                    f"backfill of {account.user}: {report.judged} INBOX and {report.learned} Sent messages"
                    f" in {report.seconds:.1f} s, would have moved {report.actions.get('quarantine', 0)}",
                    file=self.out,
                )
        except BaseException:
            await asyncio.to_thread(sync.mailbox.close)
            raise
        self.sessions += 1
        return sync

    async def once(self) -> None:
        """Handle what is waiting, then return (for cron and tests). Errors propagate."""
        sync = await self._open()
        try:
            await sync.run_pass()
            await self.after_pass(sync)
        finally:
            await asyncio.to_thread(sync.mailbox.close)

    async def run(self) -> None:
        """Watch until `stopping` is set, reconnecting with backoff."""
        delay = 1.0
        while not self.stopping.is_set():
            try:
                sync = await self._open()
            except LOST as exc:
                log.warning(
                    "IMAP %s: cannot connect (%s), retrying in %.0f s", self.parts.account.host, exc, delay
                )
                self.parts.metrics.imap_reconnects.inc()
                await self._pause(delay)
                delay = min(delay * 2, self.parts.options.max_backoff)
                continue
            delay = 1.0
            try:
                await self._watch(sync)
            except LOST as exc:
                log.warning("IMAP %s: connection lost (%s), reconnecting", self.parts.account.host, exc)
                self.parts.metrics.imap_reconnects.inc()
            finally:
                await asyncio.to_thread(sync.mailbox.close)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    async def _watch(self, sync: AccountSync) -> None:
        options = self.parts.options
        idle = sync.mailbox.capable("IDLE")
        log.info(
            "watching %s on %s (%s)",
            self.parts.account.user,
            self.parts.account.host,
            "IDLE" if idle else "polling",
        )
        while not self.stopping.is_set():
            await sync.run_pass()
            await self.after_pass(sync)
            if idle:
                if await sync.pending(self.parts.account.inbox):
                    continue
                period = min(options.poll_seconds, options.idle_seconds)
                await asyncio.to_thread(idle_wait, sync.mailbox, period, self.stopping)
            else:
                await self._pause(options.poll_seconds)
