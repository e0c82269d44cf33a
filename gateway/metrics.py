"""Every Prometheus metric, defined once. The pipeline and the SMTP layer record them; signals never do.

No label ever carries an address: label values come from small fixed sets (actions, symbols, reply
classes, reasons, SMTP codes and stages), so cardinality stays bounded whatever the traffic.

`prime` creates every series the dashboard and the alerts read at 0 when serve starts: a series that
appears only with the first event leaves panels at "No data" and keeps `rate()` alerts from ever firing.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram

from gateway import __version__

FRONTS = ("smtp", "imap")
UPSTREAM_CLASSES = ("2xx", "4xx", "5xx", "error")
DECISION_KINDS = ("released", "confirmed")
DIGEST_RESULTS = ("sent", "failed")
NO_SYMBOL = "none"
"""The symbol label of a message held with no symbol (a blocked sender)."""
SMTP_STAGES = ("connect", "helo", "mail", "rcpt", "data")
UPSTREAM_STAGES = ("connect", "xforward", "mail", "rcpt", "data", "rset")
# The refusals the gateway itself makes (front.py, smtp.py); codes an upstream answers appear as they come.
KNOWN_REJECTIONS = (
    ("421", "connect"),
    ("501", "mail"),
    ("501", "rcpt"),
    ("550", "rcpt"),
    ("451", "mail"),
    ("451", "rcpt"),
    ("451", "data"),
    ("552", "data"),
    ("452", "mail"),
    ("452", "data"),
    ("421", "data"),
)


class Metrics:
    """The gateway's metrics, registered in one registry (the default one unless a test passes its own)."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        self.messages = Counter(
            "pitchgate_messages", "Messages judged, by action", ["action"], registry=registry
        )
        for action in ("pass", "tag", "quarantine"):
            self.messages.labels(action)  # present at 0 from the start, so "no traffic" can be alerted on
        self.symbols = Counter("pitchgate_symbols", "Symbols that fired", ["symbol"], registry=registry)
        self.scan_seconds = Histogram(
            "pitchgate_scan_seconds",
            "Time to parse and judge one message",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
            registry=registry,
        )
        self.upstream_replies = Counter(
            "pitchgate_upstream_replies",
            "Upstream replies to DATA, by class (2xx, 4xx, 5xx; error: no reply, the connection failed)",
            ["class"],
            registry=registry,
        )
        self.unscanned = Counter(
            "pitchgate_unscanned", "Messages passed unscanned, by reason", ["reason"], registry=registry
        )
        self.quarantine_messages = Gauge(
            "pitchgate_quarantine_messages",
            "Messages held in quarantine",
            multiprocess_mode="max",
            registry=registry,
        )
        self.smtp_sessions = Gauge(
            "pitchgate_smtp_sessions",
            "SMTP sessions open now",
            multiprocess_mode="livesum",
            registry=registry,
        )
        self.feedback = Counter(
            "pitchgate_feedback", "People's decisions on held messages", ["kind", "symbol"], registry=registry
        )
        self.quarantined = Counter(
            "pitchgate_quarantined",
            "Messages held, by each symbol that fired on them (set against pitchgate_feedback_total)",
            ["symbol"],
            registry=registry,
        )
        self.quarantine_purged = Counter(
            "pitchgate_quarantine_purged", "Held messages deleted by retention", registry=registry
        )
        self.digests = Counter(
            "pitchgate_digests",
            "Digest mails, by result (sent, failed)",
            ["result"],
            registry=registry,
        )
        for result in ("sent", "failed"):
            self.digests.labels(result)  # at 0 from the start: increase() misses a series' first sample
        self.ready = Gauge(
            "pitchgate_ready",
            "1 when the store and a new upstream connection answer (what /readyz says), else 0",
            multiprocess_mode="livemin",
            registry=registry,
        )
        self.quarantine_writes_failed = Counter(
            "pitchgate_quarantine_write_failures",
            "Quarantine writes that failed (client got 451)",
            registry=registry,
        )
        # One per decision, whatever the symbols (pitchgate_feedback_total counts each symbol once per decision),
        # so that releases can be set against holds.
        self.quarantine_decisions = Counter(
            "pitchgate_quarantine_decisions",
            "People's decisions on held messages, one per message (released, confirmed)",
            ["kind"],
            registry=registry,
        )
        self.scan_path = Counter(
            "pitchgate_scan_path",
            "Messages scanned, by where their body was parsed (inline on the loop, pool: a worker process)",
            ["path"],
            registry=registry,
        )
        self.scan_workers_killed = Counter(
            "pitchgate_scan_workers_killed",
            "Scan worker processes terminated because a message overran the deadline or killed them",
            registry=registry,
        )

        self.build_info = Gauge(
            "pitchgate_build_info",
            "Always 1: the running version and the content model's file hash (none when it is off)",
            ["version", "model"],
            multiprocess_mode="max",
            registry=registry,
        )
        self.smtp_rejections = Counter(
            "pitchgate_smtp_rejections_total",
            "4xx and 5xx replies to SMTP clients, by code and stage (connect, helo, mail, rcpt, data)",
            ["code", "stage"],
            registry=registry,
        )
        self.upstream_seconds = Histogram(
            "pitchgate_upstream_seconds",
            "Time the upstream took to answer, by SMTP command stage (connect includes EHLO)",
            ["stage"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
            registry=registry,
        )
        self.message_bytes = Histogram(
            "pitchgate_message_bytes",
            "Size of the messages received (DATA), in bytes",
            buckets=tuple(float(4**k * 1024) for k in range(8)),  # 1 KiB .. 16 MiB
            registry=registry,
        )
        # The fronts (smtp, imap) each count what they judged here; pitchgate_messages_total keeps its one
        # label, so the dashboards and alerts that read it see every front together, as before.
        self.front_messages = Counter(
            "pitchgate_front_messages",
            "Messages judged, by front (smtp, imap) and action",
            ["front", "action"],
            registry=registry,
        )
        self.imap_reconnects = Counter(
            "pitchgate_imap_reconnects",
            "IMAP sessions that failed to open or were lost (the watcher reconnects with backoff)",
            registry=registry,
        )
        self.bytes_in_flight = Gauge(
            "pitchgate_bytes_in_flight",
            "Message bytes held in memory by SMTP sessions now (counted against server.max_bytes_in_flight)",
            multiprocess_mode="livesum",
            registry=registry,
        )

    @classmethod
    def default(cls) -> Metrics:
        """The process-wide instance on the default registry (a registry accepts each name only once)."""
        global _DEFAULT
        if _DEFAULT is None:
            _DEFAULT = cls()
        return _DEFAULT

    def upstream_reply(self, code: int | None) -> None:
        """Count an upstream reply by class; None means no reply at all (connection failure)."""
        self.upstream_replies.labels("error" if code is None else f"{code // 100}xx").inc()

    def prime(
        self, actions: Iterable[str], symbols: Iterable[str], reasons: Iterable[str], model: str
    ) -> None:
        """Create each known series at 0 (and the build info at 1) before any traffic."""
        self.build_info.labels(__version__, model).set(1)
        symbols = sorted(symbols)
        for action in actions:
            self.messages.labels(action)
            for front in FRONTS:
                self.front_messages.labels(front, action)
        for reason in reasons:
            self.unscanned.labels(reason)
        for reply_class in UPSTREAM_CLASSES:
            self.upstream_replies.labels(reply_class)
        for symbol in symbols:
            self.symbols.labels(symbol)
        for symbol in [*symbols, NO_SYMBOL]:
            self.quarantined.labels(symbol)
            for kind in DECISION_KINDS:
                self.feedback.labels(kind, symbol)
        for kind in DECISION_KINDS:
            self.quarantine_decisions.labels(kind)
        for result in DIGEST_RESULTS:
            self.digests.labels(result)
        for code, stage in KNOWN_REJECTIONS:
            self.smtp_rejections.labels(code, stage)
        for stage in UPSTREAM_STAGES:
            self.upstream_seconds.labels(stage)

    def rejected(self, code: int, stage: str) -> None:
        """Count a 4xx/5xx reply to a client; the stage set is fixed so that the label stays bounded."""
        if stage not in SMTP_STAGES:
            raise ValueError(f"unknown SMTP stage {stage!r}")
        self.smtp_rejections.labels(str(code), stage).inc()


_DEFAULT: Metrics | None = None
