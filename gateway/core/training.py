"""Turning mail on disk into labelled examples for the content classifier.

Two sources: any mix of mbox files, Maildirs and message directories (what `pitchgate train --pitch/--legit`
reads), and the committed label lists under `models/labels/`, whose entries point into the shared corpora,
including members of the Enron tar.gz archives, so that the shipped model can be rebuilt from a clean clone.
"""

from __future__ import annotations

import sys
import tarfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from gateway.core.classifier import Example, example_from_bytes
from gateway.core.mailsource import iter_messages

LABELS = {"pitch": 1, "legit": 0}


@dataclass(frozen=True)
class ListEntry:
    """One line of a label list: where the message lives, which split it belongs to, and why it was chosen."""

    path: str
    split: str
    note: str = ""

    @property
    def source(self) -> str:
        """The corpus folder the entry comes from, e.g. "spamassassin/spam_2" or "enron_spam/enron3"."""
        if ":" in self.path:
            archive, member = self.path.split(":", 1)
            return f"{archive.split('/')[0]}/{member.split('/')[0]}"
        return "/".join(self.path.split("/")[:2])


def load_examples(paths: list[Path], label: int, desc: str | None = None) -> list[Example]:
    """Every message under the paths as a (subject, visible text, label) example, with a progress bar."""
    messages = iter_messages(paths)
    return [(*example_from_bytes(raw), label) for _, raw in _progress(messages, desc or f"label {label}")]


def read_list(list_file: Path) -> tuple[int, list[ListEntry]]:
    """Parse a label list: a `# label: pitch|legit` header, then `path<TAB>split[<TAB>note]` lines."""
    label: int | None = None
    entries: list[ListEntry] = []
    for line in list_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("# label:"):
            label = LABELS[line.split(":", 1)[1].strip()]
        elif line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            entries.append(ListEntry(fields[0], fields[1], fields[2] if len(fields) > 2 else ""))
    if label is None:
        raise ValueError(f"{list_file} has no '# label: pitch|legit' header")
    return label, entries


def load_labelled_lists(corpus_root: Path, list_file: Path, split: str | None) -> list[Example]:
    """The examples of one label list and split ("train", "test", or None for both), read from the corpora."""
    label, entries = read_list(list_file)
    chosen = [e for e in entries if split is None or e.split == split]
    raws = read_corpus_entries(
        corpus_root, [e.path for e in chosen], desc=f"{list_file.stem}/{split or 'all'}"
    )
    return [(*example_from_bytes(raws[e.path]), label) for e in chosen]


def read_corpus_entries(corpus_root: Path, paths: list[str], desc: str = "reading") -> dict[str, bytes]:
    """Raw bytes of corpus-relative paths; "archive.tar.gz:member" entries are read in one pass per archive."""
    raws: dict[str, bytes] = {}
    by_archive: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        if ":" in path:
            archive, member = path.split(":", 1)
            by_archive[archive].add(member)
        else:
            raws[path] = _strip_envelope((corpus_root / path).read_bytes())
    for archive, members in by_archive.items():
        for member, raw in _progress(_iter_tar(corpus_root / archive, members), f"{desc} {archive}"):
            raws[f"{archive}:{member}"] = raw
    missing = [p for p in paths if p not in raws]
    if missing:
        raise FileNotFoundError(
            f"{len(missing)} listed messages not found under {corpus_root}, e.g. {missing[0]}"
        )
    return raws


def _iter_tar(archive: Path, members: set[str] | None) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(archive, "r:gz") as tar:
        for info in tar:
            if info.isfile() and (members is None or info.name in members):
                handle = tar.extractfile(info)
                if handle is not None:
                    yield info.name, enron_as_message(handle.read())


def iter_enron(archive: Path) -> Iterator[tuple[str, bytes]]:
    """Every ham/spam message of an Enron-Spam archive as (member name, RFC 5322 bytes)."""
    for name, raw in _iter_tar(archive, None):
        if "/ham/" in name or "/spam/" in name:
            yield name, raw


def enron_as_message(raw: bytes) -> bytes:
    """Enron-Spam files are "Subject: ..." then the body with no blank line; add one so no body line is a header."""
    if not raw.startswith(b"Subject:"):
        return raw
    first, _, rest = raw.partition(b"\n")
    return first.rstrip(b"\r") + b"\n\n" + rest


def _strip_envelope(raw: bytes) -> bytes:
    # The SpamAssassin files begin with an mbox "From " line, which is not a header.
    return raw.split(b"\n", 1)[1] if raw.startswith(b"From ") and b"\n" in raw else raw


def _progress(items: Iterator[tuple[str, bytes]], desc: str) -> Iterator[tuple[str, bytes]]:
    yield from tqdm(items, desc=desc, unit="msg", file=sys.stderr, leave=False, mininterval=0.5)
