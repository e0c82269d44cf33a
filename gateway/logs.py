"""Logging set-up and the one structured line written per message.

The line carries what an admin needs to trace a message end to end (session, client, envelope,
Message-ID, size, verdict, upstream reply, timing) and never any part of the body.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gateway.message import Message
    from gateway.policy import Verdict
    from gateway.relay import Reply

MESSAGE_LOG = logging.getLogger("pitchgate.message")


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname,
            "logger": record.name,
        }
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            fields.update(extra)
        else:
            fields["msg"] = record.getMessage()
        return json.dumps(fields, ensure_ascii=False, default=str)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extra = getattr(record, "fields", None)
        base = f"{self.formatTime(record)} {record.levelname} {record.name}"
        if isinstance(extra, dict):
            pairs = " ".join(
                f"{k}={json.dumps(v, ensure_ascii=False, default=str)}" for k, v in extra.items()
            )
            return f"{base} {pairs}"
        return f"{base} {record.getMessage()}"


def configure(level: str = "INFO", fmt: str = "text") -> None:
    """Route all logging to stderr in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if fmt == "json" else _TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def log_message(
    sid: str, msg: Message, verdict: Verdict, reply: Reply, qid: str | None, seconds: float
) -> None:
    """The one line per message."""
    fields = {
        "event": "message",
        "session": sid,
        "client": msg.envelope.client_addr,
        "helo": msg.envelope.helo,
        "from": msg.envelope.mail_from,
        "to": list(msg.envelope.rcpt_tos),
        "message_id": msg.message_id,
        "size": len(msg.raw),
        "direction": str(msg.envelope.direction),
        "direction_reason": msg.envelope.direction_reason,
        "action": str(verdict.action),
        "would": str(verdict.would) if verdict.would else None,
        "score": verdict.score,
        "symbols": verdict.symbols,
        "status": verdict.status,
        "quarantine_id": qid,
        "reply": f"{reply.code} {reply.text.splitlines()[0] if reply.text else ''}",
        "ms": round(seconds * 1000, 2),
    }
    MESSAGE_LOG.info("message", extra={"fields": fields})
