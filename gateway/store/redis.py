"""The shared store: Redis, so that any number of gateway instances on any hosts count as one.

Usage: `RedisStore(url, prefix="pg")`; nothing connects until the first call (`ping()` checks early).

Key layout (prefix "pg"; a part between braces is a Redis Cluster hash tag, so one recipient's keys share a
slot and a Lua script may touch them together; braces and "%" inside a tag are %-escaped):

    pg:{<rcpt>}:seq:<counterpart>       hash  t touches, u unanswered, ts times, la last answered, x expiry
    pg:{<rcpt>}:mark:<kind>:<member>    string "<expires_at> <value>"
    pg:{<key>}:win                      zset  event -> time of its latest occurrence
    pg:{<key>}:cnt                      hash  v value, x expiry
    pg:{<scope>}:allow / :block         set   entries; the global scope is pg:{*}:allow
    pg:{<scope>}:allow:x / :block:x     zset  entry -> expires_at of the entries that lapse (absent: never)
    pg:{<account>}:cursor               hash  folder -> "<uidvalidity> <last uid>" (mailbox fronts)
    pg:lists:allow / pg:lists:block     set   scopes that ever had an entry (for listing all scopes)
    pg:q:msg:<id>                       zlib-compressed message bytes
    pg:q:meta:<id>                      JSON QuarantineRecord plus expires_at
    pg:q:index / pg:q:rcpt:<addr>       zset  id -> received_at (newest first when listing)
    pg:q:expiry                         zset  id -> expires_at, so counting and pruning need no scan
                                        (retention purges by received_at through pg:q:index)
    pg:q:claim:<id>                     string the token of the one action under way on that message
    pg:fb:meta:<id> / pg:fb:raw:<id>    feedback example JSON / zlib bytes; pg:fb:index zset id -> recorded_at
    pg:fb:expiry                        zset  id -> expires_at of the examples that lapse

Times go to Lua as Python `repr` strings and are stored as those strings: Lua would print a float with
14 significant digits and lose the sub-second part of a POSIX time.

Expiry is twofold. Every key with a lifetime gets a wall-clock TTL for housekeeping (only ever extended),
and the logical expiry (write `now` + ttl) lives in the value and is compared with the reader's `now`.
Lists, feedback and quarantine have no `now` in the interface, so their logical expiry runs on the injected
clock (wall clock by default); list entries and feedback added without a ttl are permanent.

Durability: quarantine_put (and narrow, feedback_add) wait, on the connections that wrote, for the AOF
fsync and/or `wait_replicas` replicas before returning (gateway/store/redis_durable.py); what cannot be
confirmed is logged once, or raises StoreError with `require_durable=True`. A hold that fails is removed
again, so the sender's retry is not held twice.

Claims on held messages are `SET NX PX` keys, so exactly one caller on any host wins; they lapse by TTL.

Needs Redis >= 7.0 (ZADD GT, PEXPIRE NX/GT). Standalone and Sentinel connections are named (CLIENT LIST)
after `client_name`.

Topologies and reconnection (gateway/store/redis_connect.py, chosen by the URL, gateway/store/redis_url.py):
one server, a Redis Cluster or a Sentinel-managed primary. In a Cluster every multi-key command stays in one
slot (the hash tag), MGET goes per slot (`_mget`), and pipelines spanning slots are ordered so a partial
write is harmless. The gateway recovers by itself after a restart or a failover. Timeouts are never
retried: a script that ran but whose reply was lost would otherwise count twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import secrets
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeVar, cast

from redis.asyncio.client import Pipeline
from redis.asyncio.cluster import ClusterPipeline
from redis.exceptions import RedisError

from gateway.clock import Clock, SystemClock
from gateway.store._codec import (
    check_id,
    example_from_json,
    example_to_json,
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
    SequenceTouch,
    Store,
    StoreError,
    Write,
)
from gateway.store.redis_connect import RedisClient, connect
from gateway.store.redis_durable import Durability
from gateway.store.redis_url import parse_redis_url

log = logging.getLogger(__name__)

SOCKET_TIMEOUT = 2.0
WAITAOF_TIMEOUT_MS = 1500
"""How long a hold waits for its fsync or replicas (WAITAOF, WAIT): under SOCKET_TIMEOUT, so the reply comes."""
PURGE_BATCH = 500
"""Held messages deleted per round trip by quarantine_purge."""

# Extends a key's wall-clock TTL, never shortens it (EXPIRE GT ignores keys without a TTL).
_KEEP_ALIVE = """
local function keep_alive(key, ms)
  if redis.call('PTTL', key) < tonumber(ms) then redis.call('PEXPIRE', key, ms) end
end
"""

# Sequence updates as Lua functions, so that the single calls and `write_many` run the very same code.
_SEQ_FUNCTIONS = """
local function seq_touch(key, now, expires, max_times, ms)
  local old = redis.call('HGET', key, 'x')
  if old and tonumber(old) <= tonumber(now) then
    redis.call('DEL', key)
    old = false
  end
  if old and tonumber(old) > tonumber(expires) then expires = old end
  local t = redis.call('HINCRBY', key, 't', 1)
  local u = redis.call('HINCRBY', key, 'u', 1)
  local times = {}
  local packed = redis.call('HGET', key, 'ts')
  if packed then
    for s in string.gmatch(packed, '%S+') do times[#times + 1] = s end
  end
  times[#times + 1] = now
  table.sort(times, function(a, b) return tonumber(a) < tonumber(b) end)
  while #times > tonumber(max_times) do table.remove(times, 1) end
  packed = table.concat(times, ' ')
  redis.call('HSET', key, 'ts', packed, 'x', expires)
  keep_alive(key, ms)
  return {t, u, packed, redis.call('HGET', key, 'la')}
end

local function seq_answer(key, now, expires, ms)
  local old = redis.call('HGET', key, 'x')
  if old and tonumber(old) <= tonumber(now) then
    redis.call('DEL', key)
    old = false
  end
  if old and tonumber(old) > tonumber(expires) then expires = old end
  if not old then redis.call('HSET', key, 't', 0, 'ts', '') end
  redis.call('HSET', key, 'u', 0, 'la', now, 'x', expires)
  keep_alive(key, ms)
  return 1
end
"""

# KEYS[1] sequence hash. ARGV: now, expires_at, max times, housekeeping ms.
_SEQ_TOUCH = _KEEP_ALIVE + _SEQ_FUNCTIONS + "return seq_touch(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])"

# KEYS[1] sequence hash. ARGV: now, expires_at, housekeeping ms.
_SEQ_ANSWER = _KEEP_ALIVE + _SEQ_FUNCTIONS + "return seq_answer(KEYS[1], ARGV[1], ARGV[2], ARGV[3])"

# One message's learning for one recipient (every key in its hash tag, so one slot): KEYS[i] is the key
# of the i-th write, ARGV holds five values per write: its code, then its arguments
# (t: now, expires_at, max times, ms; a: now, expires_at, ms; m: stored value, ms). Writes run in order;
# a touch answers {t, u, times, la}, the others 0.
_WRITE_MANY = (
    _KEEP_ALIVE
    + _SEQ_FUNCTIONS
    + """
local out = {}
for i, key in ipairs(KEYS) do
  local at = (i - 1) * 5
  local code = ARGV[at + 1]
  if code == 't' then
    out[i] = seq_touch(key, ARGV[at + 2], ARGV[at + 3], ARGV[at + 4], ARGV[at + 5])
  elseif code == 'a' then
    seq_answer(key, ARGV[at + 2], ARGV[at + 3], ARGV[at + 4])
    out[i] = 0
  else
    redis.call('SET', key, ARGV[at + 2], 'PX', ARGV[at + 3])
    out[i] = 0
  end
end
return out
"""
)

# One message's reads for one recipient: KEYS[i] a mark (ARGV[i] 'm': its string) or a sequence ('s': its
# fields, flat). A missing mark answers false, a missing sequence an empty list.
_READ_MANY = """
local out = {}
for i, key in ipairs(KEYS) do
  if ARGV[i] == 'm' then out[i] = redis.call('GET', key) else out[i] = redis.call('HGETALL', key) end
end
return out
"""

# KEYS: allow set, its expiry zset, block set, its expiry zset, all of one scope. ARGV: now, entries...
# Answers {kind, entry} for the first entry live in allow, else in block, else nothing.
_LIST_LOOKUP = """
for k = 1, 3, 2 do
  for i = 2, #ARGV do
    if redis.call('SISMEMBER', KEYS[k], ARGV[i]) == 1 then
      local lapse = redis.call('ZSCORE', KEYS[k + 1], ARGV[i])
      if not lapse or tonumber(lapse) > tonumber(ARGV[1]) then
        return {k == 1 and 'allow' or 'block', ARGV[i]}
      end
    end
  end
end
return false
"""

# KEYS[1] window zset. ARGV: now, lower bound (exclusive), event, housekeeping ms.
# GT keeps an event's latest time, so replay out of order cannot move it backwards.
_WINDOW_ADD = (
    _KEEP_ALIVE
    + """
redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
keep_alive(KEYS[1], ARGV[4])
return redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], ARGV[1])
"""
)

# KEYS[1] counter hash. ARGV: now, expires_at, amount, housekeeping ms.
# The expiry is fixed when the counter starts: a counter is "events per ttl", not "since idle".
_COUNTER_INCR = """
local x = redis.call('HGET', KEYS[1], 'x')
if x and tonumber(x) <= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  x = false
end
if not x then
  redis.call('HSET', KEYS[1], 'x', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return redis.call('HINCRBY', KEYS[1], 'v', ARGV[3])
"""

# KEYS[1] the mark; ARGV: now, value, expires_at, housekeeping ms. The mark's string is
# "<expires_at> <value>" like every mark; the kept value is returned as text (Lua would truncate a number).
_MARK_MAX = """
local kept = ARGV[2]
local stored = redis.call('GET', KEYS[1])
if stored then
  local sp = string.find(stored, ' ', 1, true)
  if sp then
    local old = tonumber(string.sub(stored, sp + 1))
    if tonumber(string.sub(stored, 1, sp - 1)) > tonumber(ARGV[1]) and old and old >= tonumber(ARGV[2]) then
      kept = string.sub(stored, sp + 1)
    end
  end
end
redis.call('SET', KEYS[1], ARGV[3] .. ' ' .. kept, 'PX', ARGV[4])
return kept
"""


def _tag(part: str) -> str:
    """Escape a hash-tag body so that no address can close the tag early or collide with another."""
    return part.replace("%", "%25").replace("{", "%7B").replace("}", "%7D")


def _ms(seconds: float) -> int:
    """A housekeeping TTL: the logical one plus a second of slack, and never zero (that would delete)."""
    return max(1000, math.ceil(seconds * 1000) + 1000)


def _num(value: float) -> str:
    return repr(float(value))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _mark(stored: bytes | str | None, now: float) -> str | None:
    """A mark's value from its stored "<expires_at> <value>", or None when absent or expired."""
    if stored is None:
        return None
    expires_at, _, value = _text(stored).partition(" ")
    return value if float(expires_at) > now else None


def _sequence(fields: dict[bytes, bytes], now: float) -> Sequence | None:
    if b"x" not in fields or float(fields[b"x"]) <= now:
        return None
    last = fields.get(b"la")
    return Sequence(
        touches=int(fields.get(b"t", b"0")),
        unanswered=int(fields.get(b"u", b"0")),
        times=tuple(float(t) for t in fields.get(b"ts", b"").split()),
        last_answered=None if last is None else float(last),
    )


def _touched(reply: Any) -> Sequence:
    touches, unanswered, packed, last = reply
    return Sequence(
        touches=int(touches),
        unanswered=int(unanswered),
        times=tuple(float(t) for t in packed.split()),
        last_answered=None if last is None else float(last),
    )


_Op = TypeVar("_Op", Read, Write)


def _by_rcpt(ops: list[_Op]) -> list[list[tuple[int, _Op]]]:
    """The operations per recipient, each with its place in `ops`, in their order."""
    groups: dict[str, list[tuple[int, _Op]]] = {}
    for index, op in enumerate(ops):
        groups.setdefault(op.rcpt, []).append((index, op))
    return list(groups.values())


@contextmanager
def _errors(what: str) -> Iterator[None]:
    try:
        yield
    except (RedisError, OSError) as exc:
        raise StoreError(f"redis {what}: {exc}") from exc


# KEYS[1] list set, KEYS[2] its expiry zset. ARGV: entry, expires_at ('' = permanent), now.
# A permanent entry stays permanent and a lapsing one only lapses later; lapsed ones are dropped here, so a
# scope's set does not grow without bound.
_LIST_ADD = """
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
for _, entry in ipairs(lapsed) do redis.call('SREM', KEYS[1], entry) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
local new = redis.call('SADD', KEYS[1], ARGV[1]) == 1
if ARGV[2] == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
elseif new or redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[2], 'GT', ARGV[2], ARGV[1])
end
return 1
"""

# KEYS[1] claim key. ARGV: token. Deletes the claim only while that token holds it.
_UNCLAIM = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisStore(Store):
    """The `Store` on Redis: one server, a Redis Cluster or a Sentinel-managed primary (see redis_url)."""

    batch_reads = True

    def __init__(
        self,
        url: str,
        prefix: str = "pg",
        *,
        clock: Clock | None = None,
        require_durable: bool = False,
        wait_replicas: int = 0,
        socket_timeout: float = SOCKET_TIMEOUT,
        client_name: str = "pitchgate",
    ) -> None:
        self._prefix = prefix
        self._clock: Clock = clock or SystemClock()
        self._url = url
        self._client: RedisClient = connect(
            parse_redis_url(url), socket_timeout=socket_timeout, client_name=client_name
        )
        self._durability = Durability(
            self._client, wait_replicas=wait_replicas, require=require_durable, timeout_ms=WAITAOF_TIMEOUT_MS
        )
        self._redis: Any = self._client.redis
        self._touch = self._client.script(_SEQ_TOUCH)
        self._answer = self._client.script(_SEQ_ANSWER)
        self._window = self._client.script(_WINDOW_ADD)
        self._counter = self._client.script(_COUNTER_INCR)
        self._list_add = self._client.script(_LIST_ADD)
        self._unclaim = self._client.script(_UNCLAIM)
        self._read_many = self._client.script(_READ_MANY)
        self._write_many = self._client.script(_WRITE_MANY)
        self._list_lookup = self._client.script(_LIST_LOOKUP)
        self._mark_max = self._client.script(_MARK_MAX)

    async def _mget(self, keys: list[str]) -> list[Any]:
        """MGET that a Cluster splits by slot (the keys of different messages live on different nodes)."""
        if self._client.is_cluster:
            return cast(list[Any], await self._redis.mget_nonatomic(keys))
        return cast(list[Any], await self._redis.mget(keys))

    # -- keys --------------------------------------------------------------------------------------------
    def _key(self, tag: str, *rest: str) -> str:
        return ":".join((self._prefix, "{" + _tag(tag) + "}", *rest))

    def _plain(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    # -- lifecycle ---------------------------------------------------------------------------------------
    async def ping(self) -> None:
        with _errors("ping"):
            await self._redis.ping()

    async def close(self) -> None:
        with _errors("close"):
            await self._client.close()

    # -- sequences ---------------------------------------------------------------------------------------
    async def sequence_get(self, rcpt: str, counterpart: str, now: float) -> Sequence | None:
        with _errors("sequence_get"):
            fields = cast(dict[bytes, bytes], await self._redis.hgetall(self._key(rcpt, "seq", counterpart)))
        return _sequence(fields, now)

    async def sequence_touch(self, rcpt: str, counterpart: str, now: float, ttl: float) -> Sequence:
        key = self._key(rcpt, "seq", counterpart)
        with _errors("sequence_touch"):
            reply = await self._touch(keys=[key], args=[_num(now), _num(now + ttl), MAX_TIMES, _ms(ttl)])
        return _touched(reply)

    async def sequence_answer(self, rcpt: str, counterpart: str, now: float, ttl: float) -> None:
        key = self._key(rcpt, "seq", counterpart)
        with _errors("sequence_answer"):
            await self._answer(keys=[key], args=[_num(now), _num(now + ttl), _ms(ttl)])

    # -- marks -------------------------------------------------------------------------------------------
    def _mark_key(self, rcpt: str, kind: str, member: str) -> str:
        return self._key(rcpt, "mark", kind.replace("%", "%25").replace(":", "%3A"), member)

    async def mark_set(self, rcpt: str, kind: str, member: str, value: str, now: float, ttl: float) -> None:
        with _errors("mark_set"):
            await self._redis.set(
                self._mark_key(rcpt, kind, member), f"{_num(now + ttl)} {value}", px=_ms(ttl)
            )

    async def mark_get(self, rcpt: str, kind: str, member: str, now: float) -> str | None:
        with _errors("mark_get"):
            stored = await self._redis.get(self._mark_key(rcpt, kind, member))
        return _mark(stored, now)

    # -- batches: one script per recipient (its keys share one slot), the recipients side by side -------
    def _read_key(self, op: Read) -> tuple[str, str]:
        if isinstance(op, MarkGet):
            return self._mark_key(op.rcpt, op.kind, op.member), "m"
        return self._key(op.rcpt, "seq", op.counterpart), "s"

    async def read_many(self, reads: list[Read]) -> list[str | Sequence | None]:
        groups = _by_rcpt(reads)

        async def one(ops: list[tuple[int, Read]]) -> list[Any]:
            keys, kinds = zip(*(self._read_key(op) for _, op in ops), strict=True)
            return cast(list[Any], await self._read_many(keys=list(keys), args=list(kinds)))

        with _errors("read_many"):
            replies = await asyncio.gather(*(one(ops) for ops in groups))
        out: list[str | Sequence | None] = [None] * len(reads)
        for ops, reply in zip(groups, replies, strict=True):
            for (index, op), value in zip(ops, reply, strict=True):
                if isinstance(op, MarkGet):
                    out[index] = _mark(value or None, op.now)
                else:
                    out[index] = _sequence(dict(zip(value[::2], value[1::2], strict=True)), op.now)
        return out

    def _write_args(self, op: Write) -> tuple[str, list[Any]]:
        if isinstance(op, MarkSet):
            stored = f"{_num(op.now + op.ttl)} {op.value}"
            return self._mark_key(op.rcpt, op.kind, op.member), ["m", stored, _ms(op.ttl), "", ""]
        key = self._key(op.rcpt, "seq", op.counterpart)
        now, expires, ms = _num(op.now), _num(op.now + op.ttl), _ms(op.ttl)
        if isinstance(op, SequenceTouch):
            return key, ["t", now, expires, MAX_TIMES, ms]
        return key, ["a", now, expires, ms, ""]

    async def write_many(self, writes: list[Write]) -> list[Sequence | None]:
        """One script per recipient: what a message learned for it is applied at once, atomically."""
        groups = _by_rcpt(writes)

        async def one(ops: list[tuple[int, Write]]) -> list[Any]:
            keys, args = [], []
            for _, op in ops:
                key, values = self._write_args(op)
                keys.append(key)
                args += values
            return cast(list[Any], await self._write_many(keys=keys, args=args))

        with _errors("write_many"):
            replies = await asyncio.gather(*(one(ops) for ops in groups))
        out: list[Sequence | None] = [None] * len(writes)
        for ops, reply in zip(groups, replies, strict=True):
            for (index, op), value in zip(ops, reply, strict=True):
                out[index] = _touched(value) if isinstance(op, SequenceTouch) else None
        return out

    async def marks_get_many(self, rcpt: str, items: list[tuple[str, str]], now: float) -> list[str | None]:
        if not items:
            return []
        # One MGET: every key is in the recipient's hash tag, so it is one slot on a Cluster too.
        with _errors("marks_get_many"):
            stored = await self._mget([self._mark_key(rcpt, kind, member) for kind, member in items])
        return [_mark(one, now) for one in stored]

    async def marks_set_many(
        self, rcpt: str, kind: str, members: dict[str, str], now: float, ttl: float
    ) -> None:
        if not members:
            return
        with _errors("marks_set_many"):
            # One round trip; all keys share the recipient's slot, and each SET stands alone (no MULTI).
            pipe = self._redis.pipeline(transaction=False)
            for member, value in members.items():
                pipe.set(self._mark_key(rcpt, kind, member), f"{_num(now + ttl)} {value}", px=_ms(ttl))
            await pipe.execute()

    async def mark_max(
        self, rcpt: str, kind: str, member: str, value: float, now: float, ttl: float
    ) -> float:
        key = self._mark_key(rcpt, kind, member)
        with _errors("mark_max"):
            kept = await self._mark_max(keys=[key], args=[_num(now), _num(value), _num(now + ttl), _ms(ttl)])
        return float(_text(kept))

    # -- counters and windows ----------------------------------------------------------------------------
    async def window_add(self, key: str, event: str, now: float, window: float) -> int:
        with _errors("window_add"):
            count = await self._window(
                keys=[self._key(key, "win")], args=[_num(now), _num(now - window), event, _ms(window)]
            )
        return int(count)

    async def counter_incr(self, key: str, amount: int, now: float, ttl: float) -> int:
        with _errors("counter_incr"):
            value = await self._counter(
                keys=[self._key(key, "cnt")], args=[_num(now), _num(now + ttl), int(amount), _ms(ttl)]
            )
        return int(value)

    # -- allow and block lists ---------------------------------------------------------------------------
    def _list_key(self, kind: ListKind, scope: str) -> str:
        return self._key(scope, str(kind))

    async def list_add(self, kind: ListKind, scope: str, entry: str, ttl: float | None = None) -> None:
        # Two slots (the scope's and the scope index), so not one transaction; the scope index only ever
        # grows, which makes the pair safe in any interleaving (an empty scope just lists nothing).
        now = self._clock.now()
        expires = "" if ttl is None else _num(now + ttl)
        key = self._list_key(kind, scope)
        with _errors("list_add"):
            await self._list_add(keys=[key, f"{key}:x"], args=[entry, expires, _num(now)])
            await self._redis.sadd(self._plain("lists", str(kind)), scope)

    async def list_remove(self, kind: ListKind, scope: str, entry: str) -> bool:
        key = self._list_key(kind, scope)
        with _errors("list_remove"):
            removed: int = await self._redis.srem(key, entry)
            await self._redis.zrem(f"{key}:x", entry)
        return removed > 0

    async def _live_members(self, key: str, entries: list[str]) -> list[bool]:
        """Whether each entry is in the list at `key` and has not lapsed."""
        pipe = self._redis.pipeline(transaction=False)
        for entry in entries:
            pipe.sismember(key, entry)
        pipe.zmscore(f"{key}:x", entries)
        replies: list[Any] = await pipe.execute()
        now = self._clock.now()
        lapses: list[float | None] = replies[-1]
        return [
            bool(int(present)) and (lapse is None or float(lapse) > now)
            for present, lapse in zip(replies[:-1], lapses, strict=True)
        ]

    async def list_entries(self, kind: ListKind, scope: str | None = None) -> list[tuple[str, str]]:
        with _errors("list_entries"):
            if scope is None:
                scopes = sorted(_text(s) for s in await self._redis.smembers(self._plain("lists", str(kind))))
            else:
                scopes = [scope]
            pairs: list[tuple[str, str]] = []
            for one in scopes:
                key = self._list_key(kind, one)
                members = [_text(m) for m in await self._redis.smembers(key)]
                if members:
                    live = await self._live_members(key, members)
                    pairs.extend((one, m) for m, ok in zip(members, live, strict=True) if ok)
        return sorted(pairs)

    async def list_contains(self, kind: ListKind, scope: str, entries: list[str]) -> str | None:
        if not entries:
            return None
        with _errors("list_contains"):
            live = await self._live_members(self._list_key(kind, scope), entries)
        return next((e for e, ok in zip(entries, live, strict=True) if ok), None)

    async def list_lookup(self, scopes: list[str], entries: list[str]) -> tuple[ListKind, str] | None:
        """One script per scope (a scope's lists share its slot), all scopes side by side."""
        if not entries or not scopes:
            return None
        now = _num(self._clock.now())

        async def one(scope: str) -> Any:
            allow, block = self._list_key(ListKind.ALLOW, scope), self._list_key(ListKind.BLOCK, scope)
            keys = [allow, f"{allow}:x", block, f"{block}:x"]
            return await self._list_lookup(keys=keys, args=[now, *entries])

        with _errors("list_lookup"):
            replies = await asyncio.gather(*(one(scope) for scope in dict.fromkeys(scopes)))
        found = next((r for r in replies if r), None)
        return None if found is None else (ListKind(_text(found[0])), _text(found[1]))

    # -- quarantine --------------------------------------------------------------------------------------
    def _q(self, *parts: str) -> str:
        return self._plain("q", *parts)

    async def quarantine_put(self, record: QuarantineRecord, raw: bytes, ttl: float) -> None:
        check_id(record.id)
        expires_at = self._clock.now() + ttl
        ms = _ms(ttl)
        # Not MULTI: the keys would span slots in a Cluster. The order makes partial writes harmless:
        # bytes, then metadata, then the indexes, so an indexed id always has its message.
        pipe = self._redis.pipeline(transaction=False)
        pipe.set(self._q("msg", record.id), zlib.compress(raw, 6), px=ms)
        pipe.set(self._q("meta", record.id), record_to_json(record, expires_at), px=ms)
        indexes = [self._q("index"), *(self._q("rcpt", r) for r in record.recipients)]
        for index in indexes:
            pipe.zadd(index, {record.id: record.received_at})
        pipe.zadd(self._q("expiry"), {record.id: expires_at})
        for index in (*indexes, self._q("expiry")):
            self._pipe_keep_alive(pipe, index, ms)
        written = [self._q("msg", record.id), self._q("meta", record.id), *indexes, self._q("expiry")]
        try:
            with _errors("quarantine_put"):
                await self._durability.run(pipe, written, "quarantine_put")
        except StoreError:
            # The client gets 4xx and its sender retries: a copy left here would be held twice.
            with contextlib.suppress(StoreError, RedisError, OSError):
                await self._delete_held([record.id], [record_to_json(record, expires_at)])
            raise

    @staticmethod
    def _pipe_keep_alive(pipe: Pipeline | ClusterPipeline, key: str, ms: int) -> None:
        # NX gives a new index a TTL, GT only ever extends it: it outlives every message it lists.
        pipe.pexpire(key, ms, nx=True)
        pipe.pexpire(key, ms, gt=True)

    async def quarantine_get(self, qid: str) -> tuple[QuarantineRecord, bytes] | None:
        if not valid_id(qid):
            return None
        with _errors("quarantine_get"):
            meta, blob = await self._mget([self._q("meta", qid), self._q("msg", qid)])
        if meta is None or blob is None:
            return None
        record, expires_at = record_from_json(meta)
        if expires_at <= self._clock.now():
            return None
        try:
            return record, zlib.decompress(cast(bytes, blob))
        except zlib.error as exc:
            raise StoreError(f"redis quarantine_get: message {qid} is corrupt: {exc}") from exc

    async def _prune_quarantine(self) -> None:
        """Drop expired ids from the main indexes (the metadata and bytes expire by TTL)."""
        now = self._clock.now()
        expired = cast(list[bytes], await self._redis.zrangebyscore(self._q("expiry"), "-inf", _num(now)))
        if expired:
            pipe = self._redis.pipeline(transaction=False)
            pipe.zrem(self._q("index"), *expired)
            pipe.zrem(self._q("expiry"), *expired)
            pipe.delete(
                *(self._q("meta", _text(i)) for i in expired), *(self._q("msg", _text(i)) for i in expired)
            )
            await pipe.execute()

    async def quarantine_list(self, recipient: str | None = None) -> list[QuarantineRecord]:
        index = self._q("index") if recipient is None else self._q("rcpt", recipient)
        now = self._clock.now()
        with _errors("quarantine_list"):
            await self._prune_quarantine()
            ids = [_text(cast(bytes, i)) for i in await self._redis.zrevrange(index, 0, -1)]
            if not ids:
                return []
            metas = await self._mget([self._q("meta", i) for i in ids])
            records, stale = [], []
            for qid, meta in zip(ids, metas, strict=True):
                if meta is not None:
                    record, expires_at = record_from_json(meta)
                    if expires_at > now:
                        records.append(record)
                        continue
                stale.append(qid)
            if stale:
                await self._redis.zrem(index, *stale)
        return records

    async def quarantine_delete(self, qid: str) -> bool:
        if not valid_id(qid):
            return False
        with _errors("quarantine_delete"):
            meta = await self._redis.get(self._q("meta", qid))
            results = await self._delete_held([qid], [meta])
        return meta is not None and int(results[-1]) > 0

    async def quarantine_claim(self, qid: str, lease: float) -> str | None:
        check_id(qid)
        token = secrets.token_hex(16)
        with _errors("quarantine_claim"):
            # SET NX: of any number of callers on any hosts, exactly one gets it; PX lets it lapse.
            claimed = await self._redis.set(
                self._q("claim", qid), token, nx=True, px=max(1, math.ceil(lease * 1000))
            )
        return token if claimed else None

    async def quarantine_unclaim(self, qid: str, token: str) -> None:
        check_id(qid)
        with _errors("quarantine_unclaim"):
            await self._unclaim(keys=[self._q("claim", qid)], args=[token])

    async def quarantine_narrow(self, qid: str, recipients: tuple[str, ...]) -> bool:
        if not valid_id(qid):
            return False
        with _errors("quarantine_narrow"):
            meta = await self._redis.get(self._q("meta", qid))
            if meta is None:
                return False
            record, expires_at = record_from_json(meta)
            ms = await self._redis.pttl(self._q("meta", qid))
            pipe = self._redis.pipeline(transaction=False)
            # Metadata before the indexes, as in quarantine_put: a crash between them leaves a stale
            # index entry, which quarantine_list drops, never a recipient who lost their copy.
            narrowed = record_to_json(replace(record, recipients=recipients), expires_at)
            pipe.set(self._q("meta", qid), narrowed, px=max(int(ms), 1000))
            dropped = [self._q("rcpt", rcpt) for rcpt in set(record.recipients) - set(recipients)]
            for index in dropped:
                pipe.zrem(index, qid)
            await self._durability.run(pipe, [self._q("meta", qid), *dropped], "quarantine_narrow")
        return True

    async def quarantine_purge(self, older_than: float) -> int:
        purged = 0
        with _errors("quarantine_purge"):
            while True:
                batch = cast(
                    list[bytes],
                    await self._redis.zrangebyscore(
                        self._q("index"), "-inf", f"({_num(older_than)}", start=0, num=PURGE_BATCH
                    ),
                )
                if not batch:
                    return purged
                ids = [_text(i) for i in batch]
                await self._delete_held(ids, await self._mget([self._q("meta", i) for i in ids]))
                purged += len(batch)

    async def _delete_held(self, ids: list[str], metas: list[Any]) -> list[Any]:
        """Delete held messages, their metadata (`metas`, None where gone) naming the recipient indexes.

        Indexes first, so that a crash half-way leaves bytes without an index, never the reverse.
        Metadata already gone by TTL leaves stale per-recipient entries, which quarantine_list drops when
        it meets them. The last result is how many of the metadata and message keys were deleted."""
        pipe = self._redis.pipeline(transaction=False)
        pipe.zrem(self._q("index"), *ids)
        pipe.zrem(self._q("expiry"), *ids)
        for qid, meta in zip(ids, metas, strict=True):
            if meta is not None:
                for rcpt in record_from_json(meta)[0].recipients:
                    pipe.zrem(self._q("rcpt", rcpt), qid)
        pipe.delete(*(self._q("meta", i) for i in ids), *(self._q("msg", i) for i in ids))
        results: list[Any] = await pipe.execute()
        return results

    async def quarantine_count(self) -> int:
        with _errors("quarantine_count"):
            count: int = await self._redis.zcount(self._q("expiry"), f"({_num(self._clock.now())}", "+inf")
        return count

    # -- feedback ----------------------------------------------------------------------------------------
    async def feedback_add(self, example: FeedbackExample, raw: bytes, ttl: float | None = None) -> None:
        check_id(example.id)
        px = None if ttl is None else _ms(ttl)
        pipe = self._redis.pipeline(transaction=False)
        pipe.set(self._plain("fb", "raw", example.id), zlib.compress(raw, 6), px=px)
        pipe.set(self._plain("fb", "meta", example.id), example_to_json(example), px=px)
        pipe.zadd(self._plain("fb", "index"), {example.id: example.recorded_at})
        if ttl is not None:
            pipe.zadd(self._plain("fb", "expiry"), {example.id: self._clock.now() + ttl})
        written = [self._plain("fb", k, example.id) for k in ("raw", "meta")] + [self._plain("fb", "index")]
        with _errors("feedback_add"):
            await self._durability.run(pipe, written, "feedback_add")

    async def _prune_feedback(self) -> set[str]:
        """Drop lapsed examples (their keys also go by TTL) from the index; return the lapsed ids."""
        expiry = self._plain("fb", "expiry")
        lapsed = cast(list[bytes], await self._redis.zrangebyscore(expiry, "-inf", _num(self._clock.now())))
        if lapsed:
            ids = [_text(i) for i in lapsed]
            pipe = self._redis.pipeline(transaction=False)
            pipe.zrem(self._plain("fb", "index"), *ids)
            pipe.zrem(expiry, *ids)
            pipe.delete(*(self._plain("fb", k, i) for i in ids for k in ("meta", "raw")))
            await pipe.execute()
        return {_text(i) for i in lapsed}

    async def feedback_list(self) -> list[tuple[FeedbackExample, bytes]]:
        with _errors("feedback_list"):
            lapsed = await self._prune_feedback()
            index = await self._redis.zrange(self._plain("fb", "index"), 0, -1)
            ids = [i for i in (_text(cast(bytes, i)) for i in index) if i not in lapsed]
            if not ids:
                return []
            metas = await self._mget([self._plain("fb", "meta", i) for i in ids])
            blobs = await self._mget([self._plain("fb", "raw", i) for i in ids])
        return [
            (example_from_json(meta), zlib.decompress(cast(bytes, blob)))
            for meta, blob in zip(metas, blobs, strict=True)
            if meta is not None and blob is not None
        ]

    # -- mailbox cursors ---------------------------------------------------------------------------------
    async def cursor_get(self, account: str, folder: str) -> FolderCursor | None:
        with _errors("cursor_get"):
            stored = await self._redis.hget(self._key(account, "cursor"), folder)
        if stored is None:
            return None
        uidvalidity, _, last_uid = _text(cast(bytes, stored)).partition(" ")
        return FolderCursor(int(uidvalidity), int(last_uid))

    async def cursor_set(self, account: str, folder: str, cursor: FolderCursor) -> None:
        with _errors("cursor_set"):
            await self._redis.hset(
                self._key(account, "cursor"), folder, f"{cursor.uidvalidity} {cursor.last_uid}"
            )

    # -- test support ------------------------------------------------------------------------------------
    async def delete_all(self) -> int:
        """Delete every key under this store's prefix (tests, and resetting a deployment)."""
        deleted = 0
        with _errors("delete_all"):
            async for key in self._redis.scan_iter(match=f"{self._prefix}:*", count=500):
                deleted += int(await self._redis.unlink(key))
        return deleted
