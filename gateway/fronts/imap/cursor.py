"""How far each folder was read: the stored cursor checked against the folder's UIDVALIDITY.

A UID names a message only within one UIDVALIDITY (RFC 3501 2.3.1.1). When the server renumbers a folder,
the old last UID says nothing about the new numbers, so the cursor restarts at the folder's top: nothing
already there is judged or moved a second time, and what arrives afterwards is handled as usual.
"""

from __future__ import annotations

import logging

from gateway.fronts.imap.mailbox import FolderInfo
from gateway.store.base import FolderCursor, Store

log = logging.getLogger(__name__)


def top(info: FolderInfo) -> FolderCursor:
    """The cursor past everything the folder holds now."""
    return FolderCursor(info.uidvalidity, max(info.uidnext - 1, 0))


async def current(store: Store, account: str, folder: str, info: FolderInfo) -> FolderCursor | None:
    """The folder's cursor, reset to its top (and stored) after a UIDVALIDITY change; None: never read."""
    found = await store.cursor_get(account, folder)
    if found is None or found.uidvalidity == info.uidvalidity:
        return found
    log.warning(
        "folder %s was renumbered (UIDVALIDITY %d -> %d): resuming after its newest message",
        folder,
        found.uidvalidity,
        info.uidvalidity,
    )
    reset = top(info)
    await store.cursor_set(account, folder, reset)
    return reset
