"""Logging set-up and the structured lines: one per message, one per SMTP rejection.

A line carries what an admin needs to trace a message end to end (session, client, envelope,
Message-ID, size, verdict, upstream reply, timing) and never any part of the body. structlog's
formatters render it: logfmt for text (`key=value`, quoted when needed) and JSON, both with an ISO 8601
UTC timestamp; `logging.syslog` also sends the logfmt lines to the local syslog socket (facility mail).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import socket
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from gateway.errors import ConfigError

if TYPE_CHECKING:
    from gateway.actions.relay import Reply
    from gateway.core.message import Message
    from gateway.core.policy import Verdict
    from gateway.settings import LoggingSettings

MESSAGE_LOG = logging.getLogger("pitchgate.message")
SMTP_LOG = logging.getLogger("pitchgate.smtp")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ADDRESS = re.compile(r"<[^<>]*>")


def _merge_fields(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """A record logged with extra={"fields": {...}} is that dict; any other record keeps its message."""
    fields = getattr(event_dict.get("_record"), "fields", None)
    if isinstance(fields, Mapping):
        event_dict.pop("msg", None)
        event_dict.update(fields)
    return event_dict


def _flatten(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """logfmt has no lists: join them with commas; and no raw control characters, which could forge lines."""
    for key, value in event_dict.items():
        if isinstance(value, Mapping):
            value = ",".join(f"{k}:{v}" for k, v in value.items())
        elif isinstance(value, list | tuple | set | frozenset):
            value = ",".join(str(v) for v in value)
        if isinstance(value, str):
            value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
        event_dict[key] = value
    return event_dict


_PRE_CHAIN: list[Processor] = [
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="ts"),
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.EventRenamer("msg"),
    _merge_fields,
]


def formatter(fmt: str) -> logging.Formatter:
    """The formatter for "text" (logfmt) or "json" lines."""
    renderer: list[Processor] = (
        [structlog.processors.JSONRenderer(ensure_ascii=False, default=str)]
        if fmt == "json"
        else [_flatten, structlog.processors.LogfmtRenderer(bool_as_flag=False)]
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_PRE_CHAIN,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            *renderer,
        ],
    )


def syslog_handler(address: str) -> logging.Handler:
    """A handler writing to the syslog socket at `address`; ConfigError when nothing listens there."""
    # SysLogHandler ignores a socket it cannot reach (and then fails on every line): find out now instead.
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as probe:
            probe.connect(address)
    except OSError as exc:
        raise ConfigError(f"logging.syslog_address: cannot send to {address}: {exc}") from exc
    handler = logging.handlers.SysLogHandler(
        address, logging.handlers.SysLogHandler.LOG_MAIL, socket.SOCK_DGRAM
    )
    handler.ident = "pitchgate: "
    handler.setFormatter(formatter("text"))
    return handler


def configure(level: str = "INFO", fmt: str = "text", syslog_address: str | None = None) -> None:
    """Route all logging to stderr in the chosen format, and to syslog too when an address is given."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(fmt))
    handlers: list[logging.Handler] = [handler]
    if syslog_address:
        handlers.append(syslog_handler(syslog_address))
    root = logging.getLogger()
    for old in root.handlers:
        old.close()
    root.handlers[:] = handlers
    root.setLevel(level.upper())


def configure_from(settings: LoggingSettings) -> None:
    configure(settings.level, settings.format, settings.syslog_address if settings.syslog else None)


def log_message(
    sid: str,
    msg: Message,
    verdict: Verdict,
    reply: Reply,
    qid: str | None,
    seconds: float,
    to: Sequence[str] | None = None,
) -> None:
    """The line per message, or per copy of it: `to` names the recipients that copy went to (those
    judged alike), when the recipients of one message were judged differently."""
    fields = {
        "event": "message",
        "session": sid,
        "client": msg.envelope.client_addr,
        "helo": msg.envelope.helo,
        "from": msg.envelope.mail_from,
        "to": list(msg.envelope.rcpt_tos if to is None else to),
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


def log_rejection(sid: str | None, client: str | None, stage: str, reply: str) -> None:
    """The one line per 4xx/5xx reply to a client; addresses in the reply text are masked as <>."""
    first = reply.splitlines()[0] if reply else ""
    fields = {
        "event": "rejected",
        "session": sid,
        "client": client,
        "stage": stage,
        "code": first[:3],
        "reply": _ADDRESS.sub("<>", first[4:]),
    }
    SMTP_LOG.info("rejected", extra={"fields": fields})
