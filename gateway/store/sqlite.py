"""The embedded store: one SQLite file under the state directory, safe to share between gateway processes.

Usage: `SQLiteStore(state_dir)` needs no start-up call; the database is opened (and created) lazily on the
first call, so constructing it is cheap and synchronous. `ping()` forces the open and reports failure early.

Design:

* One connection per process (re-opened after a fork), used from worker threads via `asyncio.to_thread` so
  the event loop never blocks on disk. An asyncio lock keeps only one call in flight (the connection is not
  concurrent) and a thread lock guards it even if a cancelled task leaves its thread running.
* WAL journal so readers do not block the writer, and a busy timeout so several processes queue for the
  write lock instead of failing. Every read-modify-write runs inside `BEGIN IMMEDIATE`, which takes the
  write lock before reading: two processes touching one sequence therefore serialise and count exactly.
* `synchronous=NORMAL` for signal state (losing the last transactions on power loss only forgets a few
  touches) but `FULL` around the quarantine index insert, whose message must survive a crash.
* Quarantined and feedback messages live as files beside the database, written to a temporary file,
  fsync'd, renamed and the directory fsync'd before the call returns.
* The state is private: the directories are created 0700 and the database (hence its -wal and -shm files,
  which SQLite creates with the database's mode) 0600 before SQLite opens it, whatever the umask.
* An action on a held message first claims it in `quarantine_claims` (inside BEGIN IMMEDIATE, so across
  processes exactly one claimer wins); a claim lapses on the wall clock.
* Logical expiry is checked on every read; rows past it are purged occasionally, never using a time later
  than the wall clock so that one message with a far-future Date cannot wipe live state.

Quarantine has no `now` parameter in the interface, so its expiry runs on the injected clock (the wall
clock by default, a manual clock in replay and tests).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from gateway.clock import Clock, SystemClock
from gateway.store._codec import (
    check_id,
    example_from_json,
    example_to_json,
    merge_time,
    record_from_json,
    record_to_json,
    valid_id,
)
from gateway.store.base import (
    MAX_TIMES,
    FeedbackExample,
    FolderCursor,
    ListKind,
    MarkGet,
    MarkSet,
    QuarantineRecord,
    Read,
    Sequence,
    SequenceAnswer,
    SequenceTouch,
    Store,
    StoreError,
    Write,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

DB_NAME = "pitchgate.sqlite3"
PURGE_INTERVAL = 300.0
READ_BUSY_TIMEOUT = 0.2
"""Seconds a read on the event loop may wait; WAL readers only wait in rare recovery cases."""
"""Seconds (monotonic) between purges of logically expired rows, per process."""

_SCHEMA_VERSION = 3
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sequences (
    rcpt TEXT NOT NULL, counterpart TEXT NOT NULL,
    touches INTEGER NOT NULL, unanswered INTEGER NOT NULL, times TEXT NOT NULL,
    last_answered REAL, expires_at REAL NOT NULL,
    PRIMARY KEY (rcpt, counterpart)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sequences_expiry ON sequences (expires_at);

CREATE TABLE IF NOT EXISTS marks (
    rcpt TEXT NOT NULL, kind TEXT NOT NULL, member TEXT NOT NULL,
    value TEXT NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (rcpt, kind, member)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS marks_expiry ON marks (expires_at);

CREATE TABLE IF NOT EXISTS windows (
    key TEXT NOT NULL, event TEXT NOT NULL, at REAL NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (key, event)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS windows_at ON windows (key, at);
CREATE INDEX IF NOT EXISTS windows_expiry ON windows (expires_at);

CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counters_expiry ON counters (expires_at);

CREATE TABLE IF NOT EXISTS lists (
    kind TEXT NOT NULL, scope TEXT NOT NULL, entry TEXT NOT NULL, expires_at REAL,
    PRIMARY KEY (kind, scope, entry)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quarantine (
    id TEXT PRIMARY KEY, received_at REAL NOT NULL, expires_at REAL NOT NULL, meta TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quarantine_order ON quarantine (received_at, id);
CREATE INDEX IF NOT EXISTS quarantine_expiry ON quarantine (expires_at);

CREATE TABLE IF NOT EXISTS quarantine_rcpt (
    rcpt TEXT NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY (rcpt, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quarantine_rcpt_id ON quarantine_rcpt (id);

CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY, recorded_at REAL NOT NULL, meta TEXT NOT NULL, expires_at REAL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quarantine_claims (
    id TEXT PRIMARY KEY, token TEXT NOT NULL, until REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS folder_cursors (
    account TEXT NOT NULL, folder TEXT NOT NULL, uidvalidity INTEGER NOT NULL, last_uid INTEGER NOT NULL,
    PRIMARY KEY (account, folder)
) WITHOUT ROWID;
"""

# Version 1 files lack the expiry columns (NULL there means "never", as before).
_MIGRATIONS = {
    2: (
        "ALTER TABLE lists ADD COLUMN expires_at REAL",
        "ALTER TABLE feedback ADD COLUMN expires_at REAL",
    ),
    # Version 3 adds folder_cursors, which the schema below creates if it is missing.
    3: (),
}

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
"""The state holds addresses and who wrote to whom: only the gateway's own user may read it."""


def write_durably(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that after return the file survives a crash, whole or not at all."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    # The rename is only durable once the directory entry itself is on disk.
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# Pairs per query in marks_get_many: two variables each, well under SQLite's default limit of 999.
_MANY = 200


def _number(value: object) -> float:
    """A mark value read as a number; one that is not (an old or foreign mark) counts as lowest."""
    try:
        return float(str(value))
    except ValueError:
        return float("-inf")


def _read_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _in_transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    # IMMEDIATE takes the write lock before the first read, so a read-modify-write cannot interleave with
    # another process doing the same (DEFERRED would fail with SQLITE_BUSY on upgrade instead of waiting).
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


class SQLiteStore(Store):
    """The `Store` on a SQLite file in `state_dir` plus message files in `quarantine/` and `feedback/`."""

    def __init__(self, state_dir: Path, *, clock: Clock | None = None, busy_timeout: float = 10.0) -> None:
        self._dir = Path(state_dir)
        self._clock: Clock = clock or SystemClock()
        self._busy_timeout = busy_timeout
        self._conn: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._pid = 0
        self._lock = asyncio.Lock()
        self._thread_lock = threading.Lock()
        self._next_purge = time.monotonic() + PURGE_INTERVAL

    @property
    def path(self) -> Path:
        return self._dir / DB_NAME

    @property
    def quarantine_dir(self) -> Path:
        return self._dir / "quarantine"

    @property
    def feedback_dir(self) -> Path:
        return self._dir / "feedback"

    # -- plumbing ----------------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        # A connection inherited through fork must not be used by the child; it simply opens its own.
        self._conn = None
        self._make_dirs()
        self._make_private(self.path)
        conn = sqlite3.connect(
            self.path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            self._enable_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            _in_transaction(conn, self._create_schema)
        except BaseException:
            conn.close()
            raise
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _make_dirs(self) -> None:
        if not self._dir.is_dir():
            self._dir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        missing = [d for d in (self.quarantine_dir, self.feedback_dir) if not d.is_dir()]
        for directory in missing:
            directory.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        if missing:
            # Message files are fsync'd with their directory; the directories themselves must be too.
            fsync_dir(self._dir)

    @staticmethod
    def _make_private(db: Path) -> None:
        """Create the database file 0600 before SQLite does (it would follow the umask, usually 0644);
        SQLite gives the -wal and -shm files the database file's mode. Files left readable by an older
        version are tightened."""
        os.close(os.open(db, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            try:
                if path.stat().st_mode & 0o077:
                    path.chmod(PRIVATE_FILE)
            except FileNotFoundError:
                pass

    def _enable_wal(self, conn: sqlite3.Connection) -> None:
        # Switching the journal mode needs an exclusive lock that the busy handler does not always wait
        # for when several processes create the file at once, so retry briefly ourselves.
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
                continue
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"could not enable WAL journal (got {mode!r})")
            return

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version >= _SCHEMA_VERSION:
            return
        if version > 0:
            for step in range(version + 1, _SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS.get(step, ()):
                    conn.execute(statement)
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")

    def _locked(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._thread_lock:
            return work(self._connect())

    async def _call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` with the connection in a worker thread, one call at a time."""
        try:
            async with self._lock:
                return await asyncio.to_thread(self._locked, work)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"sqlite store {self.path}: {exc}") from exc

    def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run a pure read on the event loop's own thread, on a second, read-only connection.

        In WAL mode readers never wait for writers, so a point lookup costs tens of microseconds here,
        where a hop to a worker thread would cost several times that on every message.
        """
        try:
            return work(self._reader_conn())
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"sqlite store {self.path}: {exc}") from exc

    def _reader_conn(self) -> sqlite3.Connection:
        if self._reader is not None and self._pid == os.getpid():
            return self._reader
        self._locked(lambda conn: None)  # the writer connection creates the file and schema first
        reader = sqlite3.connect(
            self.path, timeout=READ_BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        reader.execute("PRAGMA query_only = ON")
        self._reader = reader
        return reader

    async def _write(self, work: Callable[[sqlite3.Connection], T], now: float) -> T:
        """Run `work` in a write transaction, then purge expired rows when it is time to."""

        def run(conn: sqlite3.Connection) -> T:
            result = _in_transaction(conn, work)
            if time.monotonic() >= self._next_purge:
                self._next_purge = time.monotonic() + PURGE_INTERVAL
                try:
                    self._purge(conn, now)
                except (sqlite3.Error, OSError):
                    # The write itself committed; a failed purge is retried at the next interval.
                    log.warning("purging expired rows from %s failed", self.path, exc_info=True)
            return result

        return await self._call(run)

    async def _io(self, work: Callable[[], T]) -> T:
        """File work off the loop; it does not need the connection, so it does not take the lock."""
        try:
            return await asyncio.to_thread(work)
        except OSError as exc:
            raise StoreError(f"sqlite store {self._dir}: {exc}") from exc

    # -- housekeeping ------------------------------------------------------------------------------------
    async def purge(self, now: float) -> int:
        """Delete rows whose logical expiry has passed; return how many. Runs by itself every few minutes."""
        return await self._call(lambda conn: self._purge(conn, now))

    def _purge(self, conn: sqlite3.Connection, now: float) -> int:
        # Never purge past the wall clock: a message with a bogus future Date must not wipe live state,
        # while replay (logical time in the past) still purges by its own time.
        cutoff = min(now, time.time())
        q_cutoff = self._clock.now()

        def work(conn: sqlite3.Connection) -> tuple[int, tuple[list[str], list[str]]]:
            deleted = 0
            for table in ("sequences", "marks", "windows", "counters"):
                deleted += conn.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (cutoff,)).rowcount
            deleted += conn.execute("DELETE FROM lists WHERE expires_at <= ?", (q_cutoff,)).rowcount
            # Claims left by a crashed holder (a live holder always gives its claim back).
            conn.execute("DELETE FROM quarantine_claims WHERE until <= ?", (time.time(),))
            ids = self._delete_held_rows(conn, "expires_at <= ?", q_cutoff)
            examples = [
                str(r[0]) for r in conn.execute("SELECT id FROM feedback WHERE expires_at <= ?", (q_cutoff,))
            ]
            conn.execute("DELETE FROM feedback WHERE expires_at <= ?", (q_cutoff,))
            return deleted + len(ids) + len(examples), (ids, examples)

        deleted, (ids, examples) = _in_transaction(conn, work)
        self._unlink_messages(ids)
        for example_id in examples:
            self._feedback_path(example_id).unlink(missing_ok=True)
        return deleted

    # -- lifecycle ---------------------------------------------------------------------------------------
    async def ping(self) -> None:
        await self._call(lambda conn: conn.execute("SELECT 1").fetchone())

    async def close(self) -> None:
        def shut() -> None:
            with self._thread_lock:
                if self._pid == os.getpid():
                    for conn in (self._conn, self._reader):
                        if conn is not None:
                            conn.close()
                self._conn = self._reader = None

        async with self._lock:
            try:
                await asyncio.to_thread(shut)
            except sqlite3.Error as exc:
                raise StoreError(f"sqlite store {self.path}: {exc}") from exc

    # -- sequences ---------------------------------------------------------------------------------------
    @staticmethod
    def _live_sequence(
        conn: sqlite3.Connection, rcpt: str, counterpart: str, now: float
    ) -> tuple[Sequence, float] | None:
        row = conn.execute(
            "SELECT touches, unanswered, times, last_answered, expires_at FROM sequences"
            " WHERE rcpt = ? AND counterpart = ? AND expires_at > ?",
            (rcpt, counterpart, now),
        ).fetchone()
        if row is None:
            return None
        touches, unanswered, times, last, expires_at = row
        return Sequence(int(touches), int(unanswered), tuple(json.loads(times)), last), float(expires_at)

    @staticmethod
    def _save_sequence(
        conn: sqlite3.Connection, rcpt: str, counterpart: str, seq: Sequence, expires_at: float
    ) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO sequences"
            " (rcpt, counterpart, touches, unanswered, times, last_answered, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                rcpt,
                counterpart,
                seq.touches,
                seq.unanswered,
                json.dumps(list(seq.times)),
                seq.last_answered,
                expires_at,
            ),
        )

    async def sequence_get(self, rcpt: str, counterpart: str, now: float) -> Sequence | None:
        found = self._read(lambda conn: self._live_sequence(conn, rcpt, counterpart, now))
        return None if found is None else found[0]

    @classmethod
    def _touch(cls, conn: sqlite3.Connection, op: SequenceTouch) -> Sequence:
        found = cls._live_sequence(conn, op.rcpt, op.counterpart, op.now)
        old, expires_at = found or (Sequence(0, 0, ()), 0.0)
        seq = Sequence(
            touches=old.touches + 1,
            unanswered=old.unanswered + 1,
            times=merge_time(list(old.times), op.now, MAX_TIMES),
            last_answered=old.last_answered,
        )
        cls._save_sequence(conn, op.rcpt, op.counterpart, seq, max(expires_at, op.now + op.ttl))
        return seq

    @classmethod
    def _answer(cls, conn: sqlite3.Connection, op: SequenceAnswer) -> None:
        found = cls._live_sequence(conn, op.rcpt, op.counterpart, op.now)
        old, expires_at = found or (Sequence(0, 0, ()), 0.0)
        seq = Sequence(old.touches, 0, old.times, op.now)
        cls._save_sequence(conn, op.rcpt, op.counterpart, seq, max(expires_at, op.now + op.ttl))

    @staticmethod
    def _set_mark(conn: sqlite3.Connection, op: MarkSet) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO marks (rcpt, kind, member, value, expires_at) VALUES (?, ?, ?, ?, ?)",
            (op.rcpt, op.kind, op.member, op.value, op.now + op.ttl),
        )

    @staticmethod
    def _get_mark(conn: sqlite3.Connection, op: MarkGet) -> str | None:
        row = conn.execute(
            "SELECT value FROM marks WHERE rcpt = ? AND kind = ? AND member = ? AND expires_at > ?",
            (op.rcpt, op.kind, op.member, op.now),
        ).fetchone()
        return None if row is None else str(row[0])

    async def sequence_touch(self, rcpt: str, counterpart: str, now: float, ttl: float) -> Sequence:
        op = SequenceTouch(rcpt, counterpart, now, ttl)
        return await self._write(lambda conn: self._touch(conn, op), now)

    async def sequence_answer(self, rcpt: str, counterpart: str, now: float, ttl: float) -> None:
        op = SequenceAnswer(rcpt, counterpart, now, ttl)
        await self._write(lambda conn: self._answer(conn, op), now)

    # -- marks -------------------------------------------------------------------------------------------
    async def mark_set(self, rcpt: str, kind: str, member: str, value: str, now: float, ttl: float) -> None:
        op = MarkSet(rcpt, kind, member, value, now, ttl)
        await self._write(lambda conn: self._set_mark(conn, op), now)

    async def mark_get(self, rcpt: str, kind: str, member: str, now: float) -> str | None:
        op = MarkGet(rcpt, kind, member, now)
        return self._read(lambda conn: self._get_mark(conn, op))

    # -- batches -----------------------------------------------------------------------------------------
    async def read_many(self, reads: list[Read]) -> list[str | Sequence | None]:
        def work(conn: sqlite3.Connection) -> list[str | Sequence | None]:
            out: list[str | Sequence | None] = []
            for op in reads:
                if isinstance(op, MarkGet):
                    out.append(self._get_mark(conn, op))
                else:
                    found = self._live_sequence(conn, op.rcpt, op.counterpart, op.now)
                    out.append(None if found is None else found[0])
            return out

        return self._read(work)

    async def write_many(self, writes: list[Write]) -> list[Sequence | None]:
        """One transaction, one hop to the writer thread, for everything a message learned."""

        def work(conn: sqlite3.Connection) -> list[Sequence | None]:
            out: list[Sequence | None] = []
            for op in writes:
                if isinstance(op, MarkSet):
                    self._set_mark(conn, op)
                    out.append(None)
                elif isinstance(op, SequenceTouch):
                    out.append(self._touch(conn, op))
                else:
                    self._answer(conn, op)
                    out.append(None)
            return out

        if not writes:
            return []
        return await self._write(work, max(op.now for op in writes))

    async def marks_get_many(self, rcpt: str, items: list[tuple[str, str]], now: float) -> list[str | None]:
        if not items:
            return []

        def work(conn: sqlite3.Connection) -> list[str | None]:
            found: dict[tuple[str, str], str] = {}
            for start in range(0, len(items), _MANY):  # SQLite's variable limit, in chunks
                chunk = items[start : start + _MANY]
                pairs = " OR ".join("(kind = ? AND member = ?)" for _ in chunk)
                args = [part for pair in chunk for part in pair]
                rows = conn.execute(
                    f"SELECT kind, member, value FROM marks WHERE rcpt = ? AND expires_at > ? AND ({pairs})",
                    (rcpt, now, *args),
                ).fetchall()
                found.update({(str(k), str(m)): str(v) for k, m, v in rows})
            return [found.get(item) for item in items]

        return self._read(work)

    async def marks_set_many(
        self, rcpt: str, kind: str, members: dict[str, str], now: float, ttl: float
    ) -> None:
        if not members:
            return

        def work(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "INSERT OR REPLACE INTO marks (rcpt, kind, member, value, expires_at) VALUES (?, ?, ?, ?, ?)",
                [(rcpt, kind, member, value, now + ttl) for member, value in members.items()],
            )

        await self._write(work, now)

    async def mark_max(
        self, rcpt: str, kind: str, member: str, value: float, now: float, ttl: float
    ) -> float:
        def work(conn: sqlite3.Connection) -> float:
            row = conn.execute(
                "SELECT value FROM marks WHERE rcpt = ? AND kind = ? AND member = ? AND expires_at > ?",
                (rcpt, kind, member, now),
            ).fetchone()
            kept = max(value, _number(row[0])) if row is not None else value
            conn.execute(
                "INSERT OR REPLACE INTO marks (rcpt, kind, member, value, expires_at) VALUES (?, ?, ?, ?, ?)",
                (rcpt, kind, member, repr(kept), now + ttl),
            )
            return kept

        return await self._write(work, now)

    # -- counters and windows ----------------------------------------------------------------------------
    async def window_add(self, key: str, event: str, now: float, window: float) -> int:
        lower = now - window

        def work(conn: sqlite3.Connection) -> int:
            # An event seen again keeps its latest time, so replay out of order cannot move it backwards.
            conn.execute(
                "INSERT INTO windows (key, event, at, expires_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (key, event) DO UPDATE SET"
                " at = max(at, excluded.at), expires_at = max(expires_at, excluded.expires_at)",
                (key, event, now, now + window),
            )
            conn.execute("DELETE FROM windows WHERE key = ? AND at <= ?", (key, lower))
            row = conn.execute(
                "SELECT count(*) FROM windows WHERE key = ? AND at > ? AND at <= ?", (key, lower, now)
            ).fetchone()
            return int(row[0])

        return await self._write(work, now)

    async def counter_incr(self, key: str, amount: int, now: float, ttl: float) -> int:
        def work(conn: sqlite3.Connection) -> int:
            row = conn.execute(
                "SELECT value, expires_at FROM counters WHERE key = ? AND expires_at > ?", (key, now)
            ).fetchone()
            # The expiry is fixed when the counter starts: a counter is "events per ttl", not "since idle".
            value, expires_at = (int(row[0]) + amount, float(row[1])) if row else (amount, now + ttl)
            conn.execute(
                "INSERT OR REPLACE INTO counters (key, value, expires_at) VALUES (?, ?, ?)",
                (key, value, expires_at),
            )
            return value

        return await self._write(work, now)

    # -- allow and block lists ---------------------------------------------------------------------------
    async def list_add(self, kind: ListKind, scope: str, entry: str, ttl: float | None = None) -> None:
        expires_at = None if ttl is None else self._clock.now() + ttl
        # A permanent entry (NULL) stays permanent; a lapsing one only ever lapses later.
        await self._call(
            lambda conn: conn.execute(
                "INSERT INTO lists (kind, scope, entry, expires_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (kind, scope, entry) DO UPDATE SET expires_at = CASE"
                " WHEN lists.expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL"
                " ELSE max(lists.expires_at, excluded.expires_at) END",
                (str(kind), scope, entry, expires_at),
            )
        )

    async def list_remove(self, kind: ListKind, scope: str, entry: str) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            sql = "DELETE FROM lists WHERE kind = ? AND scope = ? AND entry = ?"
            return conn.execute(sql, (str(kind), scope, entry)).rowcount > 0

        return await self._call(work)

    async def list_entries(self, kind: ListKind, scope: str | None = None) -> list[tuple[str, str]]:
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> list[tuple[str, str]]:
            live = "(expires_at IS NULL OR expires_at > ?)"
            if scope is None:
                rows = conn.execute(
                    f"SELECT scope, entry FROM lists WHERE kind = ? AND {live}", (str(kind), now)
                )
            else:
                rows = conn.execute(
                    f"SELECT scope, entry FROM lists WHERE kind = ? AND scope = ? AND {live}",
                    (str(kind), scope, now),
                )
            return sorted((str(s), str(e)) for s, e in rows)

        return await self._call(work)

    async def list_contains(self, kind: ListKind, scope: str, entries: list[str]) -> str | None:
        if not entries:
            return None

        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> set[str]:
            marks = ", ".join("?" * len(entries))
            rows = conn.execute(
                f"SELECT entry FROM lists WHERE kind = ? AND scope = ? AND entry IN ({marks})"
                " AND (expires_at IS NULL OR expires_at > ?)",
                (str(kind), scope, *entries, now),
            )
            return {str(r[0]) for r in rows}

        present = self._read(work)
        return next((e for e in entries if e in present), None)

    async def list_lookup(self, scopes: list[str], entries: list[str]) -> tuple[ListKind, str] | None:
        if not entries or not scopes:
            return None
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
            rows = conn.execute(
                f"SELECT scope, kind, entry FROM lists WHERE scope IN ({', '.join('?' * len(scopes))})"
                f" AND entry IN ({', '.join('?' * len(entries))}) AND (expires_at IS NULL OR expires_at > ?)",
                (*scopes, *entries, now),
            )
            return {(str(s), str(k), str(e)) for s, k, e in rows}

        present = self._read(work)
        for scope in scopes:
            for kind in (ListKind.ALLOW, ListKind.BLOCK):
                found = next((e for e in entries if (scope, str(kind), e) in present), None)
                if found is not None:
                    return kind, found
        return None

    # -- quarantine --------------------------------------------------------------------------------------
    def _message_path(self, qid: str) -> Path:
        return self.quarantine_dir / f"{qid}.eml"

    async def quarantine_put(self, record: QuarantineRecord, raw: bytes, ttl: float) -> None:
        check_id(record.id)
        expires_at = self._clock.now() + ttl
        meta = record_to_json(record, expires_at)
        path = self._message_path(record.id)
        await self._call(lambda conn: None)  # makes sure the directories exist before writing into them
        await self._io(lambda: write_durably(path, raw))

        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR REPLACE INTO quarantine (id, received_at, expires_at, meta) VALUES (?, ?, ?, ?)",
                (record.id, record.received_at, expires_at, meta),
            )
            conn.execute("DELETE FROM quarantine_rcpt WHERE id = ?", (record.id,))
            conn.executemany(
                "INSERT OR IGNORE INTO quarantine_rcpt (rcpt, id) VALUES (?, ?)",
                [(r, record.id) for r in record.recipients],
            )

        def durable_insert(conn: sqlite3.Connection) -> None:
            # FULL syncs the WAL at commit: the index row is as durable as the file it points to.
            conn.execute("PRAGMA synchronous = FULL")
            try:
                _in_transaction(conn, work)
            finally:
                conn.execute("PRAGMA synchronous = NORMAL")

        try:
            await self._call(durable_insert)
        except StoreError:
            await self._io(lambda: path.unlink(missing_ok=True))
            raise

    async def quarantine_get(self, qid: str) -> tuple[QuarantineRecord, bytes] | None:
        if not valid_id(qid):
            return None
        now = self._clock.now()
        row = await self._call(
            lambda conn: conn.execute(
                "SELECT meta FROM quarantine WHERE id = ? AND expires_at > ?", (qid, now)
            ).fetchone()
        )
        if row is None:
            return None
        raw = await self._io(lambda: _read_file(self._message_path(qid)))
        if raw is None:
            log.error("quarantine %s is indexed but its message file is missing", qid)
            return None
        return record_from_json(row[0])[0], raw

    async def quarantine_list(self, recipient: str | None = None) -> list[QuarantineRecord]:
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> list[str]:
            if recipient is None:
                rows = conn.execute(
                    "SELECT meta FROM quarantine WHERE expires_at > ? ORDER BY received_at DESC, id DESC",
                    (now,),
                )
            else:
                rows = conn.execute(
                    "SELECT q.meta FROM quarantine q JOIN quarantine_rcpt r ON r.id = q.id"
                    " WHERE r.rcpt = ? AND q.expires_at > ? ORDER BY q.received_at DESC, q.id DESC",
                    (recipient, now),
                )
            return [str(r[0]) for r in rows]

        return [record_from_json(meta)[0] for meta in await self._call(work)]

    def _delete_held_rows(self, conn: sqlite3.Connection, condition: str, value: float) -> list[str]:
        """Delete the index rows of the held messages matching `condition` (a constant SQL test with one
        parameter) and return their ids; the caller removes the files once the transaction committed."""
        ids = [str(r[0]) for r in conn.execute(f"SELECT id FROM quarantine WHERE {condition}", (value,))]
        for qid in ids:
            self._delete_quarantine_rows(conn, qid)
        return ids

    @staticmethod
    def _delete_quarantine_rows(conn: sqlite3.Connection, qid: str) -> bool:
        conn.execute("DELETE FROM quarantine_rcpt WHERE id = ?", (qid,))
        return conn.execute("DELETE FROM quarantine WHERE id = ?", (qid,)).rowcount > 0

    async def quarantine_delete(self, qid: str) -> bool:
        if not valid_id(qid):
            return False
        existed = await self._call(
            lambda conn: _in_transaction(conn, lambda c: self._delete_quarantine_rows(c, qid))
        )
        await self._io(lambda: self._message_path(qid).unlink(missing_ok=True))
        return existed

    async def quarantine_claim(self, qid: str, lease: float) -> str | None:
        token = secrets.token_hex(16)
        now = time.time()

        def work(conn: sqlite3.Connection) -> bool:
            # Inside BEGIN IMMEDIATE: of two processes claiming at once, the second sees the first's row.
            conn.execute("DELETE FROM quarantine_claims WHERE id = ? AND until <= ?", (qid, now))
            inserted = conn.execute(
                "INSERT OR IGNORE INTO quarantine_claims (id, token, until) VALUES (?, ?, ?)",
                (qid, token, now + lease),
            )
            return inserted.rowcount > 0

        return token if await self._call(lambda conn: _in_transaction(conn, work)) else None

    async def quarantine_unclaim(self, qid: str, token: str) -> None:
        await self._call(
            lambda conn: conn.execute(
                "DELETE FROM quarantine_claims WHERE id = ? AND token = ?", (qid, token)
            )
        )

    async def quarantine_narrow(self, qid: str, recipients: tuple[str, ...]) -> bool:
        if not valid_id(qid):
            return False

        def work(conn: sqlite3.Connection) -> bool:
            row = conn.execute("SELECT meta FROM quarantine WHERE id = ?", (qid,)).fetchone()
            if row is None:
                return False
            record, expires_at = record_from_json(row[0])
            kept = replace(record, recipients=recipients)
            conn.execute(
                "UPDATE quarantine SET meta = ? WHERE id = ?", (record_to_json(kept, expires_at), qid)
            )
            conn.execute("DELETE FROM quarantine_rcpt WHERE id = ?", (qid,))
            conn.executemany(
                "INSERT OR IGNORE INTO quarantine_rcpt (rcpt, id) VALUES (?, ?)",
                [(r, qid) for r in recipients],
            )
            return True

        return await self._call(lambda conn: _in_transaction(conn, work))

    async def quarantine_purge(self, older_than: float) -> int:
        ids = await self._call(
            lambda conn: _in_transaction(
                conn, lambda c: self._delete_held_rows(c, "received_at < ?", older_than)
            )
        )
        # Rows first, files after: a crash in between leaves orphan files, never an index without bytes.
        await self._io(lambda: self._unlink_messages(ids))
        return len(ids)

    def _unlink_messages(self, ids: list[str]) -> None:
        for qid in ids:
            self._message_path(qid).unlink(missing_ok=True)

    async def quarantine_count(self) -> int:
        now = self._clock.now()
        row = await self._call(
            lambda conn: conn.execute(
                "SELECT count(*) FROM quarantine WHERE expires_at > ?", (now,)
            ).fetchone()
        )
        return int(row[0])

    # -- feedback ----------------------------------------------------------------------------------------
    def _feedback_path(self, example_id: str) -> Path:
        return self.feedback_dir / f"{example_id}.eml"

    async def feedback_add(self, example: FeedbackExample, raw: bytes, ttl: float | None = None) -> None:
        check_id(example.id)
        path = self._feedback_path(example.id)
        expires_at = None if ttl is None else self._clock.now() + ttl
        await self._call(lambda conn: None)  # makes sure the directories exist before writing into them
        await self._io(lambda: write_durably(path, raw))
        await self._call(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO feedback (id, recorded_at, meta, expires_at) VALUES (?, ?, ?, ?)",
                (example.id, example.recorded_at, example_to_json(example), expires_at),
            )
        )

    async def feedback_list(self) -> list[tuple[FeedbackExample, bytes]]:
        now = self._clock.now()
        rows = await self._call(
            lambda conn: conn.execute(
                "SELECT meta FROM feedback WHERE expires_at IS NULL OR expires_at > ?"
                " ORDER BY recorded_at, id",
                (now,),
            ).fetchall()
        )
        examples = [example_from_json(r[0]) for r in rows]

        def read_all() -> list[tuple[FeedbackExample, bytes]]:
            found = []
            for example in examples:
                raw = _read_file(self._feedback_path(example.id))
                if raw is not None:
                    found.append((example, raw))
            return found

        return await self._io(read_all)

    # -- mailbox cursors ---------------------------------------------------------------------------------
    async def cursor_get(self, account: str, folder: str) -> FolderCursor | None:
        row = await self._call(
            lambda conn: conn.execute(
                "SELECT uidvalidity, last_uid FROM folder_cursors WHERE account = ? AND folder = ?",
                (account, folder),
            ).fetchone()
        )
        return None if row is None else FolderCursor(int(row[0]), int(row[1]))

    async def cursor_set(self, account: str, folder: str, cursor: FolderCursor) -> None:
        await self._call(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO folder_cursors (account, folder, uidvalidity, last_uid)"
                " VALUES (?, ?, ?, ?)",
                (account, folder, cursor.uidvalidity, cursor.last_uid),
            )
        )
