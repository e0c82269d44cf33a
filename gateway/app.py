"""Building the gateway's parts from settings: store, signals, policy, pipeline, quarantine, relay.

serve, scan, replay and the quarantine commands all assemble the same parts here, so that the same
configuration always means the same verdicts.
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.actions.headers import HeaderStyle
from gateway.actions.quarantine import Quarantine
from gateway.actions.relay import Relay
from gateway.actions.spamassassin import SpamHeaders
from gateway.actions.upstream_tls import TLSMode, UpstreamTLS
from gateway.clock import Clock
from gateway.core.classifier import shipped_model_path
from gateway.core.limits import ScanLimits
from gateway.core.pipeline import Pipeline
from gateway.core.policy import Action, Policy, Thresholds, build_weights
from gateway.core.scanpool import Heavy, ScanPool
from gateway.core.signals import SIGNALS, Signal, SignalContext, SignalFactory, default_weights
from gateway.core.signals.content import Content
from gateway.errors import ConfigError
from gateway.fronts.smtp.handler import FrontOptions
from gateway.metrics import Metrics
from gateway.settings import Settings, parse_hostport
from gateway.store import open_store
from gateway.store.base import Store

DAY = 86400.0


@dataclass
class App:
    """Everything a command needs, built once."""

    settings: Settings
    store: Store
    pipeline: Pipeline
    quarantine: Quarantine
    relay: Relay
    metrics: Metrics
    clock: Clock

    async def close(self) -> None:
        self.pipeline.close()
        await self.relay.close()
        await self.store.close()


def make_store(settings: Settings) -> Store:
    url = settings.store.redis_url.get_secret_value()
    return open_store(
        None if url else settings.store.state_dir,
        url or None,
        require_durable=settings.store.redis_require_durable,
        wait_replicas=settings.store.redis_wait_replicas,
    )


def _signal_options(settings: Settings, factory: SignalFactory) -> Mapping[str, Any]:
    store = settings.store
    return {
        "sequence_ttl_days": store.sequence_ttl_days,
        "connection_ttl_days": store.connection_ttl_days,
        "consent_ttl_days": store.consent_ttl_days,
        **settings.auth.model_dump(),
        **settings.signal_options(factory.name),
    }


def check_signal_config(settings: Settings, factories: list[SignalFactory]) -> None:
    known = {f.name for f in factories}
    unknown = sorted(set(settings.signals) - known)
    if unknown:
        raise ConfigError(f"signals: unknown signal(s) {', '.join(unknown)}")


def build_app(
    settings: Settings,
    clock: Clock,
    *,
    store: Store | None = None,
    metrics: Metrics | None = None,
    front: str = "smtp",
) -> App:
    """Assemble the parts. Raises ConfigError for settings that cannot work (unknown symbol, thresholds)."""
    factories = list(SIGNALS)
    check_signal_config(settings, factories)
    weights = build_weights(default_weights(factories), settings.scores)
    store = store or make_store(settings)
    domains = frozenset(settings.server.local_domains)
    signals = [
        f(SignalContext(store, clock, domains, _signal_options(settings, f)))
        for f in factories
        if settings.signal_enabled(f.name, default=getattr(f, "enabled_by_default", True))
    ]
    p = settings.policy
    policy = Policy(weights, Thresholds(p.tag_score, p.quarantine_score), store, p.shadow)
    metrics = metrics or Metrics.default()
    metrics.prime(
        actions=[str(a) for a in Action],
        symbols=weights,
        reasons=["store", "timeout", *(f"signal {s.name}" for s in signals)],
        model=model_label(settings, signals),
    )
    host, port = parse_hostport(settings.server.upstream)
    relay = Relay(
        host,
        port,
        timeout=settings.server.upstream_timeout,
        pool_size=settings.server.upstream_pool_size,
        local_hostname=settings.server.hostname or None,
        tls=upstream_tls(settings),
        metrics=metrics,
    )
    return App(
        settings=settings,
        store=store,
        pipeline=make_pipeline(settings, signals, policy, clock, metrics, front),
        quarantine=Quarantine(
            store,
            metrics,
            settings.quarantine.retention_days,
            feedback_ttl_days=settings.store.feedback_ttl_days,
            allow_ttl_days=settings.store.allow_ttl_days,
            style=header_style(settings),
        ),
        relay=relay,
        metrics=metrics,
        clock=clock,
    )


def upstream_tls(settings: Settings) -> UpstreamTLS:
    s = settings.server
    if s.upstream_tls_ca_file and not Path(s.upstream_tls_ca_file).is_file():
        raise ConfigError("server.upstream_tls_ca_file: file not found")
    return UpstreamTLS(TLSMode(s.upstream_tls), s.upstream_tls_verify, s.upstream_tls_ca_file)


def model_label(settings: Settings, signals: list[Signal]) -> str:
    """The content model's file hash (first 12 hex digits of its SHA-256), or "none" when it is off."""
    if not any(isinstance(s, Content) for s in signals):
        return "none"
    path = Path(str(_signal_options(settings, Content).get("model") or shipped_model_path()))
    with path.open("rb") as model:  # Content loaded this very file a moment ago
        return hashlib.file_digest(model, "sha256").hexdigest()[:12]


def make_pipeline(
    settings: Settings,
    signals: list[Signal],
    policy: Policy,
    clock: Clock,
    metrics: Metrics,
    front: str = "smtp",
) -> Pipeline:
    """The pipeline with the caps of [scan], and a scanning pool (started on first use) unless
    scan.pool_processes is 0."""
    s = settings.scan
    limits = ScanLimits(s.parse_bytes, s.mime_parts, s.html_bytes, s.text_chars, s.urls)
    pool = (
        ScanPool(s.pool_processes, limits, s.pool_deadline, metrics.scan_workers_killed.inc)
        if s.pool_processes
        else None
    )
    heavy = Heavy(s.pool_bytes, s.pool_tags, s.pool_parts)
    return Pipeline(
        signals, policy, clock, metrics, timeout=s.timeout, limits=limits, pool=pool, heavy=heavy, front=front
    )


def header_style(settings: Settings) -> HeaderStyle:
    p = settings.policy
    spam = SpamHeaders(p.spam_status_header, p.spam_score_header, p.spam_level_header, p.tag_score)
    return HeaderStyle(
        p.spam_flag_header, p.spam_flag_value, p.subject_prefix, settings.server.strip_spam_flag, spam
    )


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    s = settings.server
    if not s.tls_cert:
        return None
    if not Path(s.tls_cert).is_file() or not Path(s.tls_key).is_file():
        raise ConfigError("server.tls_cert/server.tls_key: certificate or key file not found")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(s.tls_cert, s.tls_key)
    return context


def front_options(settings: Settings) -> FrontOptions:
    s = settings.server
    context = tls_context(settings)
    if s.require_starttls and context is None:
        raise ConfigError("server.require_starttls needs server.tls_cert and server.tls_key")
    return FrontOptions(
        local_domains=frozenset(s.local_domains),
        outbound_networks=tuple(s.outbound_networks),
        xforward_hosts=tuple(s.xforward_hosts),
        relay_checked_by=tuple(s.relay_checked_by),
        data_size_limit=s.data_size_limit,
        max_line_length=s.max_line_length,
        max_bytes_in_flight=s.max_bytes_in_flight,
        session_timeout=s.session_timeout,
        max_session_seconds=s.max_session_seconds,
        max_connections=s.max_connections,
        max_connections_per_client=s.max_connections_per_client,
        hostname=s.hostname or None,
        tls_context=context,
        require_starttls=s.require_starttls,
        style=header_style(settings),
        received_header=s.received_header,
    )
