"""Says when a message was judged on part of itself: which cap of the bounded scan it hit.

Weight 0 by default: padding is no proof of a pitch, but the verdict should show that the signals saw
only what fit (the first so many bytes, parts, URLs), and an operator may give it a weight.
"""

from __future__ import annotations

from typing import ClassVar

from gateway.core.message import Message
from gateway.core.signals.base import Hit, SignalContext, Stateless


class Limits(Stateless):
    """Emits SCAN_TRUNCATED with the caps hit as evidence (e.g. "html_bytes 8388608 > 32768")."""

    name: ClassVar[str] = "limits"
    symbols: ClassVar[dict[str, float]] = {"SCAN_TRUNCATED": 0.0}
    reasons: ClassVar[dict[str, str]] = {
        "SCAN_TRUNCATED": "too large to read whole: only its first part was checked"
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx

    async def check(self, msg: Message) -> list[Hit]:
        caps = msg.truncated
        return [Hit("SCAN_TRUNCATED", 1.0, "; ".join(caps))] if caps else []
