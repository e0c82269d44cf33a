"""Shared parts for signal tests: real stores, a ManualClock, the real pipeline and policy, DKIM keys.

There is no network here, so DKIM tests sign with a key generated per session and a stubbed DNS
function (`dns`) serves its public half, the way LinkedIn's DNS would.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from prometheus_client import CollectorRegistry

from gateway.clock import ManualClock
from gateway.core.message import Message
from gateway.core.pipeline import Pipeline
from gateway.core.policy import Policy, Thresholds, Verdict
from gateway.core.signals import SIGNALS, Hit, SignalContext, SignalFactory, default_weights
from gateway.core.signals.base import Stateless
from gateway.core.signals.commercial import commercial_marker
from gateway.fronts.replay.runner import load
from gateway.metrics import Metrics
from gateway.store.base import Store
from gateway.store.redis import RedisStore
from gateway.store.sqlite import SQLiteStore

REDIS_URL = "redis://127.0.0.1:6379/15"
LOCAL = frozenset({"example.com"})
SAM = "sam.okafor@example.com"
T0 = 1_741_000_000.0
MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
FIXTURES = Path(__file__).parent.parent / "fixtures" / "linkedin"
SELECTOR = b"pgtest"

StoreFactory = Callable[[], Store]
# Signal tests pin their expectations to the rule-based signals; the trained model is exercised in
# test_content.py and end to end in the scenario suite, so its retraining cannot shift these scores.
RULES: list[SignalFactory] = [f for f in SIGNALS if f.name != "content"]


@dataclass(frozen=True)
class Key:
    private_pem: bytes
    public_b64: bytes


def _new_key() -> Key:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return Key(pem, base64.b64encode(der))


@pytest.fixture(scope="session")
def linkedin_key() -> Key:
    return _new_key()


@pytest.fixture(scope="session")
def attacker_key() -> Key:
    return _new_key()


@pytest.fixture(scope="session")
def vendor_key() -> Key:
    """The key of the ordinary companies in VENDOR_DOMAINS, signing through their ESPs."""
    return _new_key()


VENDOR_DOMAINS = (b"cloudvault.example", b"vendor.example")


@pytest.fixture(scope="session")
def dns(linkedin_key: Key, vendor_key: Key) -> Callable[..., bytes | None]:
    """Stub DNS (no network in tests): serves LinkedIn's and the vendors' test selector, nothing else."""

    def get_txt(name: bytes, timeout: int = 5) -> bytes | None:
        if name == SELECTOR + b"._domainkey.linkedin.com.":
            return b"v=DKIM1; k=rsa; p=" + linkedin_key.public_b64
        if any(name == SELECTOR + b"._domainkey." + d + b"." for d in VENDOR_DOMAINS):
            return b"v=DKIM1; k=rsa; p=" + vendor_key.public_b64
        return None

    return get_txt


def sign(raw: bytes, key: Key, domain: bytes = b"linkedin.com") -> bytes:
    """Raw mail with a DKIM-Signature by `domain` prepended."""
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    header = dkim.sign(
        raw, SELECTOR, domain, key.private_pem, include_headers=[b"from", b"to", b"subject", b"date"]
    )
    return bytes(header) + raw


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
async def store(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Store]:
    opened = SQLiteStore(tmp_path / "state", clock=clock)
    yield opened
    await opened.close()


@pytest.fixture(params=["sqlite", "redis"])
async def make_store(
    request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[StoreFactory]:
    """Stores on one backend sharing one state, so a second gateway instance sees the first's data."""
    opened: list[Store] = []
    prefix = f"pgtest-signals-{uuid.uuid4().hex}"

    def make() -> Store:
        backend: Store = (
            SQLiteStore(tmp_path / "state", clock=clock)
            if request.param == "sqlite"
            else RedisStore(REDIS_URL, prefix=prefix, clock=clock)
        )
        opened.append(backend)
        return backend

    yield make
    if request.param == "redis":
        await RedisStore(REDIS_URL, prefix=prefix).delete_all()
    for backend in opened:
        await backend.close()


@dataclass
class Gateway:
    """The real pipeline and policy over real signals, driven like replay: judge, then commit."""

    store: Store
    clock: ManualClock
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    factories: list[SignalFactory] = field(default_factory=lambda: list(RULES))

    def __post_init__(self) -> None:
        base = {"sequence_ttl_days": 90.0, "connection_ttl_days": 30.0, "consent_ttl_days": 365.0}
        self.signals = [
            f(SignalContext(self.store, self.clock, LOCAL, {**base, **self.options.get(f.name, {})}))
            for f in self.factories
        ]
        policy = Policy(default_weights(self.factories), Thresholds(), self.store, shadow=False)
        self.pipeline = Pipeline(self.signals, policy, self.clock, Metrics(CollectorRegistry()))

    async def deliver(self, raw: bytes, *, after: float = 0.0) -> Verdict:
        """Advance the clock by `after` seconds, then judge and commit one message."""
        self.clock.advance(after)
        msg = load(raw, LOCAL)
        verdict = await self.pipeline.judge(msg)
        await self.pipeline.commit(msg, verdict)
        return verdict

    async def judge(self, raw: bytes) -> Verdict:
        return await self.pipeline.judge(load(raw, LOCAL))


def parse(raw: bytes) -> Message:
    return load(raw, LOCAL)


class StandInContent(Stateless):
    """A deterministic stand-in for the content classifier: fires on a seller's phrasing, the way the
    classifier's pitch probability would, so that escalation is tested without depending on a trained model."""

    name: ClassVar[str] = "content_standin"
    symbols: ClassVar[dict[str, float]] = {"CONTENT_STANDIN": 5.0}

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx

    async def check(self, msg: Message) -> list[Hit]:
        why = commercial_marker(msg)
        return [Hit("CONTENT_STANDIN", 1.0, why)] if why.startswith("selling") else []


WITH_CONTENT: list[SignalFactory] = [*RULES, StandInContent]


@pytest.fixture
def gateway(store: Store, clock: ManualClock, dns: Callable[..., bytes | None]) -> Gateway:
    return Gateway(store, clock, {"linkedin": {"dkim_dnsfunc": dns}})
