"""The IMAP operations the front uses, typed, on one connection (blocking: callers run them in a thread).

Fetching uses BODY.PEEK[], which never sets \\Seen. Holding uses UID MOVE (RFC 6851); without MOVE it is
UID COPY, then \\Deleted and UID EXPUNGE of that one UID (RFC 4315), so nothing is expunged that was not
copied first, and nothing at all when the server cannot expunge by UID.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import CapabilityError

BODY = b"BODY[]"
FETCH_ITEMS = ["BODY.PEEK[]", "INTERNALDATE", "FLAGS"]


@dataclass(frozen=True)
class FolderInfo:
    uidvalidity: int
    uidnext: int


@dataclass(frozen=True)
class Fetched:
    """One message as the server has it."""

    uid: int
    raw: bytes
    internaldate: float
    flags: tuple[str, ...]


def _flag(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _timestamp(value: Any) -> float:
    return value.timestamp() if isinstance(value, datetime) else time.time()


class Mailbox:
    """One logged-in connection; the selected folder is whatever was selected last."""

    def __init__(self, client: IMAPClient) -> None:
        self.client = client
        self.selected: str | None = None

    def capable(self, name: str) -> bool:
        return bool(self.client.has_capability(name))

    def ensure_folder(self, folder: str) -> None:
        if not self.client.folder_exists(folder):
            self.client.create_folder(folder)

    def select(self, folder: str) -> FolderInfo:
        found = self.client.select_folder(folder)
        self.selected = folder
        return FolderInfo(int(found[b"UIDVALIDITY"]), int(found.get(b"UIDNEXT", 0)))

    def status(self, folder: str) -> FolderInfo:
        found = self.client.folder_status(folder, [b"UIDVALIDITY", b"UIDNEXT"])
        return FolderInfo(int(found[b"UIDVALIDITY"]), int(found[b"UIDNEXT"]))

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs above `last_uid` in the selected folder, ascending. ("N:*" always matches the highest UID,
        even below N, hence the filter.)"""
        found = self.client.search(["UID", f"{last_uid + 1}:*"])
        return sorted(int(u) for u in found if int(u) > last_uid)

    def uids_since(self, since: datetime) -> list[int]:
        return sorted(int(u) for u in self.client.search(["SINCE", since.date()]))

    def fetch(self, uids: Iterable[int]) -> Iterator[Fetched]:
        wanted = list(uids)
        if not wanted:
            return
        found = self.client.fetch(wanted, FETCH_ITEMS)
        for uid in wanted:  # a UID expunged meanwhile is simply absent
            data = found.get(uid)
            if data is None or BODY not in data:
                continue
            yield Fetched(
                uid,
                bytes(data[BODY]),
                _timestamp(data.get(b"INTERNALDATE")),
                tuple(_flag(f) for f in data.get(b"FLAGS", ())),
            )

    def fetch_all(self, uids: list[int]) -> list[Fetched]:
        return list(self.fetch(uids))

    def add_keyword(self, uid: int, keyword: str) -> None:
        self.client.add_flags([uid], [keyword.encode()], silent=True)

    def hold(self, uid: int, folder: str) -> str:
        """Move one message of the selected folder to `folder`; returns how ("move", "copy+expunge", or
        "copy" when the server cannot expunge one UID and the original stays, marked \\Deleted)."""
        if self.capable("MOVE"):
            self.client.move([uid], folder)
            return "move"
        self.client.copy([uid], folder)  # raises before anything below runs: the original stays
        self.client.add_flags([uid], [b"\\Deleted"], silent=True)
        try:
            self.client.uid_expunge([uid])
        except CapabilityError:
            return "copy"  # a plain EXPUNGE would also remove what the person marked \Deleted
        return "copy+expunge"

    def append(self, folder: str, raw: bytes, flags: tuple[str, ...] = ()) -> None:
        self.client.append(folder, raw, flags=[f.encode() for f in flags])

    def close(self) -> None:
        try:
            self.client.logout()
        except Exception:  # a connection already dead has nothing to log out of
            with contextlib.suppress(Exception):
                self.client.shutdown()
