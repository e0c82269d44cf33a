"""Held mail as sequences, not rows: the review page's and the digest's grouping, search and sort.

A sequence is every held message from one counterpart to the same recipients: the key the cadence
signal counted it under (`record.extra["sequence"]`, which links rotating senders into one campaign), or
the sender's address for records held without one. Sequences are per recipient, as the cadence signal
counts them: Sam writing to Bob and to Carol is two sequences on the admin's page. Pure functions over records; nothing here reads the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gateway.core.message import domain_of
from gateway.core.reasons import top_reason
from gateway.store.base import QuarantineRecord


class Sort(StrEnum):
    AGE = "age"
    """Newest sequence first (by its latest message)."""
    SCORE = "score"
    """Highest score first (a sequence's highest)."""


def sequence_key(record: QuarantineRecord, recipient: str | None = None) -> str:
    """The sequence `record` belongs to, as one `recipient` sees it, or (None) as the admin does."""
    counterpart = record.extra.get("sequence") or record.sender.lower() or f"(no sender) {record.id}"
    return counterpart if recipient else f"{counterpart} -> {','.join(sorted(record.recipients))}"


@dataclass(frozen=True)
class Group:
    """One sequence: its messages newest first."""

    key: str
    records: tuple[QuarantineRecord, ...]

    @property
    def latest(self) -> QuarantineRecord:
        return self.records[0]

    @property
    def first_at(self) -> float:
        return self.records[-1].received_at

    @property
    def senders(self) -> tuple[str, ...]:
        """Every address the sequence came from, in order of appearance (rotating senders: several)."""
        return tuple(dict.fromkeys(r.sender for r in self.records))

    @property
    def score(self) -> float:
        return max(r.score for r in self.records)

    @property
    def reason(self) -> str:
        return top_reason(self.latest)


def group(records: Iterable[QuarantineRecord], recipient: str | None = None) -> list[Group]:
    """Records grouped by sequence (as `recipient` sees them), newest first within each group and among
    groups."""
    found: dict[str, list[QuarantineRecord]] = {}
    for record in records:
        found.setdefault(sequence_key(record, recipient), []).append(record)
    groups = [
        Group(key, tuple(sorted(rs, key=lambda r: (-r.received_at, r.id)))) for key, rs in found.items()
    ]
    return sort(groups, Sort.AGE)


def sort(groups: list[Group], by: Sort) -> list[Group]:
    if by is Sort.SCORE:
        return sorted(groups, key=lambda g: (-g.score, -g.latest.received_at, g.key))
    return sorted(groups, key=lambda g: (-g.latest.received_at, g.key))


def matches(record: QuarantineRecord, query: str) -> bool:
    """Whether `query` (any case) is in the sender's address or domain, or in the subject."""
    words = query.lower().split()
    haystack = f"{record.sender.lower()} {domain_of(record.sender)} {record.subject.lower()}"
    return all(word in haystack for word in words)


def search(records: Iterable[QuarantineRecord], query: str) -> list[QuarantineRecord]:
    return [r for r in records if matches(r, query)] if query.strip() else list(records)


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 message", "3 messages"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
