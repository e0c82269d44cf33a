"""Every Prometheus metric, defined once. The pipeline and the SMTP layer record them; signals never do.

No label ever carries an address: label values come from small fixed sets (actions, symbols, reply
classes, reasons), so cardinality stays bounded whatever the traffic.
"""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    """The gateway's metrics, registered in one registry (the default one unless a test passes its own)."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:

        self.messages = Counter(
            "pitchgate_messages", "Messages judged, by action", ["action"], registry=registry
        )
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


_DEFAULT: Metrics | None = None
