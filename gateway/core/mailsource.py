"""Reading many messages from disk: an mbox file, a Maildir, or a directory where every regular file is one message."""

from __future__ import annotations

import mailbox
import os
from collections.abc import Iterator
from pathlib import Path


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _looks_like_mbox(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(5) == b"From " and _has_second_from_line(path)


def _has_second_from_line(path: Path) -> bool:
    # A single message exported with its mbox "From " line is still one message, not an mbox.
    with path.open("rb") as fh:
        fh.readline()
        return any(line.startswith(b"From ") for line in fh)


def _strip_mbox_from_line(raw: bytes) -> bytes:
    if raw.startswith(b"From "):
        return raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    return raw


def iter_messages(paths: list[Path]) -> Iterator[tuple[str, bytes]]:
    """Yield (name, raw bytes) for every message under the given paths, in a stable order."""
    for path in paths:
        if path.is_dir() and _is_maildir(path):
            box = mailbox.Maildir(str(path), factory=None, create=False)
            for key in sorted(box.iterkeys()):
                yield f"{path}/{key}", box.get_bytes(key)
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    full = Path(root) / name
                    if full.is_file() and not name.startswith("."):
                        yield from _iter_file(full)
        elif path.is_file():
            yield from _iter_file(path)
        else:
            raise FileNotFoundError(f"no such message source: {path}")


def _iter_file(path: Path) -> Iterator[tuple[str, bytes]]:
    if _looks_like_mbox(path):
        box = mailbox.mbox(str(path), create=False)
        for index, key in enumerate(box.iterkeys()):
            yield f"{path}#{index}", box.get_bytes(key)
    else:
        yield str(path), _strip_mbox_from_line(path.read_bytes())
