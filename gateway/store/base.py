"""The state store interface: everything signals, policy and quarantine keep between messages.

Two backends implement it (SQLite embedded, Redis shared); one contract test suite runs against both.

Every method takes `now` explicitly instead of reading a clock, because replay runs on message Dates: an
entry "expires" when the message time passes its expiry, whatever the wall clock says. Backends may also
expire data by wall clock for housekeeping, but readers must never see an entry whose logical expiry
(`now >= expires_at`) has passed.

Keys are always scoped to one local recipient (`rcpt`), so that a Redis Cluster keeps one recipient's
state in one slot and a Lua script can update it atomically.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum


class StoreError(Exception):
    """The store could not answer; callers treat the message as unscanned rather than lose it."""


class ListKind(StrEnum):
    ALLOW = "allow"
    BLOCK = "block"


GLOBAL_SCOPE = "*"
"""The scope of allow/block entries that apply to every recipient."""


@dataclass(frozen=True)
class Sequence:
    """The history of one counterpart writing to one recipient."""

    touches: int
    """Every message from the counterpart to the recipient, answered or not."""
    unanswered: int
    """Touches since the recipient last wrote to the counterpart."""
    times: tuple[float, ...]
    """Times of the most recent touches, oldest first (at most `MAX_TIMES`)."""
    last_answered: float | None = None


MAX_TIMES = 10


@dataclass(frozen=True)
class QuarantineRecord:
    """What the quarantine index knows about a held message. The bytes are stored beside it."""

    id: str
    message_id: str
    sender: str
    recipients: tuple[str, ...]
    subject: str
    score: float
    symbols: dict[str, float]
    received_at: float
    size: int = 0
    client_addr: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    evidence: tuple[tuple[str, float, str], ...] = ()
    """Why it was held, as `scan --explain` said it then: (symbol, contribution, evidence text) per hit,
    capped in size (gateway/quarantine.py); empty for records written before it was kept."""


@dataclass(frozen=True)
class FeedbackExample:
    """A labelled message recorded by people's decisions: "wanted" (released) or "pitch" (confirmed)."""

    id: str
    label: str
    recorded_at: float
    symbols: dict[str, float]


@dataclass(frozen=True)
class MarkGet:
    """A batched `mark_get`."""

    rcpt: str
    kind: str
    member: str
    now: float


@dataclass(frozen=True)
class SequenceGet:
    """A batched `sequence_get`."""

    rcpt: str
    counterpart: str
    now: float


@dataclass(frozen=True)
class MarkSet:
    """A batched `mark_set`."""

    rcpt: str
    kind: str
    member: str
    value: str
    now: float
    ttl: float


@dataclass(frozen=True)
class SequenceTouch:
    """A batched `sequence_touch`; its result is the new `Sequence`."""

    rcpt: str
    counterpart: str
    now: float
    ttl: float


@dataclass(frozen=True)
class SequenceAnswer:
    """A batched `sequence_answer`."""

    rcpt: str
    counterpart: str
    now: float
    ttl: float


Read = MarkGet | SequenceGet
Write = MarkSet | SequenceTouch | SequenceAnswer


@dataclass(frozen=True)
class FolderCursor:
    """How far a mailbox front has read one folder: RFC 3501's UIDVALIDITY and the last UID it handled.

    A different UIDVALIDITY means the server renumbered the folder, so the UIDs below no longer say
    which messages were seen."""

    uidvalidity: int
    last_uid: int


class Store(ABC):
    """The async interface every backend implements. Methods raise `StoreError` on backend failure."""

    batch_reads: bool = False
    """Whether `read_many` answers a batch in one round trip, so reads are worth collecting first."""

    # -- lifecycle ---------------------------------------------------------------------------------------
    @abstractmethod
    async def ping(self) -> None:
        """Raise StoreError if the backend cannot be reached."""

    @abstractmethod
    async def close(self) -> None: ...

    # -- sequences: one (recipient, counterpart) pair ----------------------------------------------------
    @abstractmethod
    async def sequence_get(self, rcpt: str, counterpart: str, now: float) -> Sequence | None:
        """The pair's history, or None when there is none (or it expired)."""

    @abstractmethod
    async def sequence_touch(self, rcpt: str, counterpart: str, now: float, ttl: float) -> Sequence:
        """Atomically record one more message from counterpart to rcpt and return the new state."""

    @abstractmethod
    async def sequence_answer(self, rcpt: str, counterpart: str, now: float, ttl: float) -> None:
        """Record that rcpt wrote to counterpart: the unanswered count drops to zero."""

    # -- marks: a set with expiry per recipient, each member carrying a short value ----------------------
    @abstractmethod
    async def mark_set(self, rcpt: str, kind: str, member: str, value: str, now: float, ttl: float) -> None:
        """Add or refresh `member` in the recipient's set `kind` (e.g. wrote, conn, msgid)."""

    @abstractmethod
    async def mark_get(self, rcpt: str, kind: str, member: str, now: float) -> str | None:
        """The member's value, or None when absent or expired."""

    @abstractmethod
    async def marks_get_many(self, rcpt: str, items: list[tuple[str, str]], now: float) -> list[str | None]:
        """The values of several (kind, member) marks of one recipient, in order, in one round trip."""

    @abstractmethod
    async def marks_set_many(
        self, rcpt: str, kind: str, members: dict[str, str], now: float, ttl: float
    ) -> None:
        """Add or refresh several members of one recipient's set `kind` at once (one round trip)."""

    @abstractmethod
    async def mark_max(
        self, rcpt: str, kind: str, member: str, value: float, now: float, ttl: float
    ) -> float:
        """Atomically keep the larger of the stored number and `value` (absent or expired counts as
        lower than anything), refresh the expiry, and return what is kept."""

    # -- counters and sliding windows --------------------------------------------------------------------
    @abstractmethod
    async def window_add(self, key: str, event: str, now: float, window: float) -> int:
        """Atomically add a distinct event at `now` and return how many distinct events fall in the window."""

    @abstractmethod
    async def counter_incr(self, key: str, amount: int, now: float, ttl: float) -> int:
        """Atomically add to a counter and return its new value."""

    # -- allow and block lists ---------------------------------------------------------------------------
    # -- batches: what one message reads or writes, in as few round trips as the backend can -----------
    async def read_many(self, reads: list[Read]) -> list[str | Sequence | None]:
        """Each read's answer, as `mark_get` / `sequence_get` would give it. Backends override this to
        answer a batch in one round trip; this default asks one by one."""
        out: list[str | Sequence | None] = []
        for read in reads:
            if isinstance(read, MarkGet):
                out.append(await self.mark_get(read.rcpt, read.kind, read.member, read.now))
            else:
                out.append(await self.sequence_get(read.rcpt, read.counterpart, read.now))
        return out

    async def write_many(self, writes: list[Write]) -> list[Sequence | None]:
        """Apply the writes in order, as the single calls would; each result is the touched `Sequence`
        for a `SequenceTouch`, else None. Backends override this to apply a batch in one transaction
        or script; this default writes one by one."""
        out: list[Sequence | None] = []
        for write in writes:
            if isinstance(write, MarkSet):
                await self.mark_set(write.rcpt, write.kind, write.member, write.value, write.now, write.ttl)
                out.append(None)
            elif isinstance(write, SequenceTouch):
                out.append(await self.sequence_touch(write.rcpt, write.counterpart, write.now, write.ttl))
            else:
                await self.sequence_answer(write.rcpt, write.counterpart, write.now, write.ttl)
                out.append(None)
        return out

    async def list_lookup(self, scopes: list[str], entries: list[str]) -> tuple[ListKind, str] | None:
        """The first list that has one of `entries`, scope by scope in order and allow before block
        within a scope, with the entry found (the first of `entries` in that list); None when none has.
        Backends override this to ask every scope at once; this default asks one list at a time."""
        for scope in scopes:
            for kind in (ListKind.ALLOW, ListKind.BLOCK):
                found = await self.list_contains(kind, scope, entries)
                if found is not None:
                    return kind, found
        return None

    @abstractmethod
    async def list_add(self, kind: ListKind, scope: str, entry: str, ttl: float | None = None) -> None:
        """Add an address or domain to a list; scope is a recipient address or GLOBAL_SCOPE.

        With `ttl` the entry lapses that many seconds later on the store's clock (a release's allow
        entry); without, it stays until removed (what an admin adds by hand). Adding again renews it."""

    @abstractmethod
    async def list_remove(self, kind: ListKind, scope: str, entry: str) -> bool: ...

    @abstractmethod
    async def list_entries(self, kind: ListKind, scope: str | None = None) -> list[tuple[str, str]]:
        """(scope, entry) pairs, all scopes when scope is None, sorted."""

    @abstractmethod
    async def list_contains(self, kind: ListKind, scope: str, entries: list[str]) -> str | None:
        """The first of `entries` present in the list for that scope, or None."""

    # -- quarantine --------------------------------------------------------------------------------------
    @abstractmethod
    async def quarantine_put(self, record: QuarantineRecord, raw: bytes, ttl: float) -> None:
        """Store a held message durably; return only once it would survive a crash."""

    @abstractmethod
    async def quarantine_get(self, qid: str) -> tuple[QuarantineRecord, bytes] | None: ...

    @abstractmethod
    async def quarantine_list(self, recipient: str | None = None) -> list[QuarantineRecord]:
        """Held messages, newest first, optionally only those for one recipient."""

    @abstractmethod
    async def quarantine_delete(self, qid: str) -> bool: ...

    @abstractmethod
    async def quarantine_claim(self, qid: str, lease: float) -> str | None:
        """Atomically claim the held message for one action; return a claim token, or None while another
        claim holds it. A claim lapses after `lease` seconds (wall clock), so a crashed holder blocks
        nothing for long. Claiming says nothing about whether the message exists."""

    @abstractmethod
    async def quarantine_unclaim(self, qid: str, token: str) -> None:
        """Give the claim back, if `token` still holds it (a lapsed claim taken over by another is kept)."""

    @abstractmethod
    async def quarantine_narrow(self, qid: str, recipients: tuple[str, ...]) -> bool:
        """Keep the held message, under the same id and expiry, for `recipients` only (the others acted);
        False when it is not held. The dropped recipients no longer list it."""

    @abstractmethod
    async def quarantine_count(self) -> int: ...

    @abstractmethod
    async def quarantine_purge(self, older_than: float) -> int:
        """Delete every held message received before `older_than` (index and bytes); return how many."""

    # -- feedback: labelled examples from people's decisions ---------------------------------------------
    @abstractmethod
    async def feedback_add(self, example: FeedbackExample, raw: bytes, ttl: float | None = None) -> None:
        """Record a labelled example (its full message), kept `ttl` seconds on the store's clock (None:
        until deleted; the quarantine always passes the configured `store.feedback_ttl_days`)."""

    @abstractmethod
    async def feedback_list(self) -> list[tuple[FeedbackExample, bytes]]:
        """The examples not yet expired on the store's clock, oldest first."""

    # -- mailbox cursors: how far a mailbox front (IMAP) has read each folder of an account ------------
    @abstractmethod
    async def cursor_get(self, account: str, folder: str) -> FolderCursor | None:
        """The folder's cursor, or None when the account never read it. Cursors do not expire."""

    @abstractmethod
    async def cursor_set(self, account: str, folder: str, cursor: FolderCursor) -> None:
        """Record the folder's cursor (replacing the previous one); return once it is stored."""
