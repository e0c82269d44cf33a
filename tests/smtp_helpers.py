"""Real SMTP parts for tests: an aiosmtpd sink standing in for the mail server, and a gateway on 127.0.0.1.

Both run in the test's own event loop over real sockets; nothing here is mocked.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session, syntax
from prometheus_client import CollectorRegistry

from gateway.app import App, build_app, front_options
from gateway.clock import Clock, SystemClock
from gateway.fronts.smtp.handler import Handler
from gateway.fronts.smtp.protocol import Front
from gateway.metrics import Metrics
from gateway.settings import Settings, load_settings

_DSN_KEYS = ("RET", "ENVID", "NOTIFY", "ORCPT")


class _LenientSMTP(SMTP):  # type: ignore[misc]
    """Like Postfix, the sink takes lines longer than RFC 5321's 1,000 octets, XFORWARD and DSN parameters
    when it offers them, and records each MAIL and RCPT argument as it came over the wire."""

    line_length_limit = 1024 * 1024

    def _getparams(self, params: Sequence[str]) -> dict[str, str | bool] | None:
        # aiosmtpd knows no DSN parameters and would answer 555; a sink offering DSN takes them.
        sink = self.event_handler
        assert isinstance(sink, Sink)
        if sink.offer_dsn:
            params = [p for p in params if p.partition("=")[0].upper() not in _DSN_KEYS]
        result: dict[str, str | bool] | None = super()._getparams(params)
        return result

    async def smtp_MAIL(self, arg: str | None) -> None:
        self._record("MAIL", arg)
        await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg: str | None) -> None:
        self._record("RCPT", arg)
        await super().smtp_RCPT(arg)

    def _record(self, verb: str, arg: str | None) -> None:
        sink = self.event_handler
        assert isinstance(sink, Sink)
        sink.commands.append(f"{verb} {arg or ''}".rstrip())

    @syntax("XFORWARD attribute=value ...")
    async def smtp_XFORWARD(self, arg: str) -> None:
        sink = self.event_handler
        assert isinstance(sink, Sink)
        sink.xforwards.append(dict(item.split("=", 1) for item in arg.split()))
        await self.push("250 2.0.0 Ok")


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool = False
    """Whether the session that delivered it had done STARTTLS."""


@dataclass
class Sink:
    """The upstream mail server: records what it accepts; can refuse recipients or DATA on demand."""

    received: list[Received] = field(default_factory=list)
    refuse_rcpt: dict[str, str] = field(default_factory=dict)
    data_reply: str | None = None
    data_delay: float = 0.0
    offer_xforward: bool = False
    xforwards: list[dict[str, str]] = field(default_factory=list)
    offer_dsn: bool = False
    tls_context: ssl.SSLContext | None = None
    """Set: the sink offers STARTTLS with this context."""
    size_limit: int | None = None
    """Set: the sink offers SIZE with this limit (and refuses larger messages)."""
    idle_timeout: float = 300.0
    """Seconds the sink lets a connection idle before it says 421 and hangs up, as real servers do."""
    commands: list[str] = field(default_factory=list)
    """Every MAIL and RCPT argument as received, e.g. 'MAIL FROM:<a@b> SIZE=10'."""
    server: asyncio.Server | None = None

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.offer_xforward:
            responses.insert(len(responses) - 1, "250-XFORWARD NAME ADDR PROTO HELO")
        if self.offer_dsn:
            responses.insert(len(responses) - 1, "250-DSN")
        return responses

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        if self.data_reply:
            return self.data_reply
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.original_content,
                tls=session.ssl is not None,
            )
        )
        return "250 2.0.0 Ok: queued at sink"

    async def start(self, port: int = 0) -> int:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(
            lambda: _LenientSMTP(
                self,
                decode_data=False,
                enable_SMTPUTF8=True,
                data_size_limit=self.size_limit,
                tls_context=self.tls_context,
                timeout=self.idle_timeout,
            ),
            "127.0.0.1",
            port,
        )
        return int(self.server.sockets[0].getsockname()[1])

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


def make_settings(state_dir: Path, upstream_port: int, **sections: dict[str, Any]) -> Settings:
    overrides: dict[str, Any] = {
        "server": {
            "upstream": f"127.0.0.1:{upstream_port}",
            "local_domains": ["example.com"],
            "listen": "127.0.0.1:0",
        },
        "store": {"state_dir": str(state_dir)},
    }
    for section, values in sections.items():
        overrides.setdefault(section, {}).update(values)
    return load_settings(None, overrides)


@dataclass
class Gateway:
    app: App
    front: Front
    handler: Handler
    metrics: Metrics
    registry: CollectorRegistry

    @property
    def port(self) -> int:
        return self.front.port

    async def stop(self) -> None:
        await self.front.stop(grace=2.0)
        await self.app.close()


async def start_gateway(settings: Settings, clock: Clock | None = None) -> Gateway:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    app = build_app(settings, clock or SystemClock(), metrics=metrics)
    handler = Handler(front_options(settings), app.relay, app.pipeline, app.quarantine, app.clock, metrics)
    front = Front(handler, "127.0.0.1", 0)
    await front.start()
    return Gateway(app, front, handler, metrics, registry)


def sample(registry: CollectorRegistry, name: str, labels: dict[str, str] | None = None) -> float:
    value = registry.get_sample_value(name, labels or {})
    return 0.0 if value is None else value
