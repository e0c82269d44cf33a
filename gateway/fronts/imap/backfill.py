"""The first start: the last N days of Sent and INBOX, in arrival order, through the pipeline in replay
mode, so that the sequences already under way and the people already written to are known.

Nothing changes on the server (no keyword, no move, no \\Seen: BODY.PEEK[]); what would have been moved is
printed, with a progress bar on stderr. The cursors then point past what was there when it started, so mail
arriving meanwhile is handled live afterwards.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TextIO

from tqdm import tqdm

from gateway.core.policy import Action
from gateway.fronts.imap import envelope
from gateway.fronts.imap.account import AccountSync
from gateway.fronts.imap.mailbox import Fetched
from gateway.store.base import FolderCursor

WINDOW = 200
"""Messages whose bodies are fetched before they are judged: the backfill's memory bound."""


@dataclass
class BackfillReport:
    judged: int = 0
    learned: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Item:
    when: float
    folder: str
    uid: int


def _windows(items: list[_Item]) -> Iterator[list[_Item]]:
    for start in range(0, len(items), WINDOW):
        yield items[start : start + WINDOW]


async def _dates(sync: AccountSync, folder: str, since: datetime | None) -> tuple[list[_Item], int, int]:
    info = await sync.select(folder)
    if since is None:
        return [], info.uidvalidity, info.uidnext
    uids = await asyncio.to_thread(sync.mailbox.uids_since, since)
    found = await asyncio.to_thread(sync.mailbox.client.fetch, uids, ["INTERNALDATE"]) if uids else {}
    items = [
        _Item(v[b"INTERNALDATE"].timestamp(), folder, int(uid))
        for uid, v in found.items()
        if b"INTERNALDATE" in v
    ]
    return items, info.uidvalidity, info.uidnext


async def _bodies(sync: AccountSync, window: list[_Item]) -> dict[tuple[str, int], Fetched]:
    got: dict[tuple[str, int], Fetched] = {}
    for folder in dict.fromkeys(i.folder for i in window):
        await sync.select(folder)
        uids = [i.uid for i in window if i.folder == folder]
        for fetched in await asyncio.to_thread(sync.mailbox.fetch_all, uids):
            got[(folder, fetched.uid)] = fetched
    return got


async def backfill(sync: AccountSync, days: float, out: TextIO = sys.stdout) -> BackfillReport:
    """Learn from the account's recent history, changing nothing on the server."""
    started = time.perf_counter()
    account, parts, report = sync.account, sync.parts, BackfillReport()
    since = datetime.now(UTC) - timedelta(days=days) if days > 0 else None  # 0: learn nothing, start now
    folders = [account.inbox] + ([account.sent] if await sync.sent_exists() else [])
    items: list[_Item] = []
    tops = {}
    for folder in folders:
        found, uidvalidity, uidnext = await _dates(sync, folder, since)
        items += found
        tops[folder] = FolderCursor(uidvalidity, max(uidnext - 1, 0))
    items.sort(key=lambda i: (i.when, i.folder != account.sent, i.uid))
    with tqdm(total=len(items), unit="msg", file=sys.stderr, disable=None, leave=False) as bar:
        for window in _windows(items):
            bodies = await _bodies(sync, window)
            for item in window:
                fetched = bodies.get((item.folder, item.uid))
                if fetched is not None:
                    await _one(sync, item.folder, fetched, report, out)
                bar.update(1)
    for folder, top in tops.items():
        await parts.store.cursor_set(account.key, folder, top)
    report.seconds = time.perf_counter() - started
    return report


async def _one(sync: AccountSync, folder: str, fetched: Fetched, report: BackfillReport, out: TextIO) -> None:
    parts = sync.parts
    if folder == sync.account.sent:
        await parts.learning.sent(fetched)
        report.learned += 1
        return
    parts.learning.at(fetched)
    inbound = envelope.inbound(envelope.head(fetched.raw), sync.account)
    msg, verdict = await parts.pipeline.scan(fetched.raw, inbound)
    await parts.pipeline.commit(msg, verdict)
    report.judged += 1
    report.actions[str(verdict.action)] += 1
    if verdict.action is Action.QUARANTINE:
        when = datetime.fromtimestamp(fetched.internaldate, UTC).strftime("%Y-%m-%d %H:%M")
        print(
            f"would move UID {fetched.uid} to {sync.account.hold_folder}: {when} {msg.sender}"
            f" {msg.subject[:60]!r} score {verdict.score:.1f}",
            file=out,
        )
