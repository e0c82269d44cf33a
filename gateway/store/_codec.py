"""Serialisation shared by the backends, so that both store quarantine and feedback metadata identically."""

from __future__ import annotations

import json
import re
from typing import Any

from gateway.store.base import FeedbackExample, QuarantineRecord

# Ids become file names (SQLite backend) and key suffixes (Redis): refusing separators and dot-files keeps
# an id from a web form from escaping the quarantine directory.
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}")


def valid_id(qid: str) -> bool:
    return _ID_RE.fullmatch(qid) is not None


def check_id(qid: str) -> None:
    if not valid_id(qid):
        raise ValueError(f"invalid store id {qid!r}")


def record_to_json(record: QuarantineRecord, expires_at: float) -> str:
    return json.dumps(
        {
            "id": record.id,
            "message_id": record.message_id,
            "sender": record.sender,
            "recipients": list(record.recipients),
            "subject": record.subject,
            "score": record.score,
            "symbols": record.symbols,
            "received_at": record.received_at,
            "size": record.size,
            "client_addr": record.client_addr,
            "extra": record.extra,
            "evidence": [list(line) for line in record.evidence],
            "expires_at": expires_at,
        },
        ensure_ascii=False,
    )


def record_from_json(text: str | bytes) -> tuple[QuarantineRecord, float]:
    """The record and its expiry time."""
    data: dict[str, Any] = json.loads(text)
    record = QuarantineRecord(
        id=data["id"],
        message_id=data["message_id"],
        sender=data["sender"],
        recipients=tuple(data["recipients"]),
        subject=data["subject"],
        score=float(data["score"]),
        symbols={str(k): float(v) for k, v in data["symbols"].items()},
        received_at=float(data["received_at"]),
        size=int(data["size"]),
        client_addr=data["client_addr"],
        extra={str(k): str(v) for k, v in data["extra"].items()},
        # Records held before evidence was kept have none; they load with an empty explanation.
        evidence=tuple((str(s), float(c), str(e)) for s, c, e in data.get("evidence") or ()),
    )
    return record, float(data["expires_at"])


def example_to_json(example: FeedbackExample) -> str:
    return json.dumps(
        {
            "id": example.id,
            "label": example.label,
            "recorded_at": example.recorded_at,
            "symbols": example.symbols,
        },
        ensure_ascii=False,
    )


def example_from_json(text: str | bytes) -> FeedbackExample:
    data: dict[str, Any] = json.loads(text)
    return FeedbackExample(
        id=data["id"],
        label=data["label"],
        recorded_at=float(data["recorded_at"]),
        symbols={str(k): float(v) for k, v in data["symbols"].items()},
    )


def merge_time(times: list[float], now: float, limit: int) -> tuple[float, ...]:
    """Add one touch time, keeping the newest `limit` in time order even when replay runs out of order."""
    merged = sorted([*times, now])
    return tuple(merged[-limit:])
