"""The signal registry: every check the pipeline can run, in one list.

Adding a signal means one new module in this package, one line in SIGNALS, and its tests.
"""

from __future__ import annotations

from gateway.core.signals.asks import Asks
from gateway.core.signals.base import Hit, Signal, SignalContext, SignalFactory
from gateway.core.signals.cadence import Cadence
from gateway.core.signals.content import Content
from gateway.core.signals.followup import Followup
from gateway.core.signals.limits import Limits
from gateway.core.signals.linkedin import LinkedIn
from gateway.core.signals.outreach import Outreach
from gateway.core.signals.replies import Replies
from gateway.core.signals.unsubscribe import Unsubscribe

SIGNALS: list[SignalFactory] = [
    Replies,
    Asks,
    Unsubscribe,
    LinkedIn,
    Cadence,
    Outreach,
    Followup,
    Content,
    Limits,
]

__all__ = ["SIGNALS", "Hit", "Signal", "SignalContext", "SignalFactory", "default_weights"]


def default_weights(factories: list[SignalFactory] | None = None) -> dict[str, float]:
    """Every known symbol with its default weight; duplicate symbols across signals are a bug."""
    weights: dict[str, float] = {}
    for factory in factories if factories is not None else SIGNALS:
        clash = set(weights) & set(factory.symbols)
        if clash:
            raise RuntimeError(f"signal {factory.name} redefines {sorted(clash)}")
        weights.update(factory.symbols)
    return weights
