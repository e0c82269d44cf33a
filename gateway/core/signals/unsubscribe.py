"""List-Unsubscribe presence: RFC 2369 links and RFC 8058 one-click.

Subscribed bulk mail carries an unsubscribe mechanism; a sales sequence mostly does not, and one that adds
it to one-to-one mail gets no credit for it: the header counts only on bulk mail (gateway/core/signals/bulk.py). Missing
unsubscribe only means something when the mail looks commercial, so the missing symbol fires only when
the message has commercial markers (see `commercial.py`: a seller's phrasing, or links to many hosts).
"""

from __future__ import annotations

from typing import ClassVar

from gateway.core.message import Message
from gateway.core.signals.base import Hit, SignalContext, Stateless
from gateway.core.signals.commercial import commercial_marker
from gateway.core.signals.outreach import sent_to_many


class Unsubscribe(Stateless):
    """Emits LIST_UNSUBSCRIBE_ONECLICK, LIST_UNSUBSCRIBE or NO_UNSUBSCRIBE_COMMERCIAL."""

    name: ClassVar[str] = "unsubscribe"
    symbols: ClassVar[dict[str, float]] = {
        "LIST_UNSUBSCRIBE_ONECLICK": -2.0,
        "LIST_UNSUBSCRIBE": -1.0,
        "NO_UNSUBSCRIBE_COMMERCIAL": 1.5,
    }
    reasons: ClassVar[dict[str, str]] = {
        "LIST_UNSUBSCRIBE_ONECLICK": "offers a one-click unsubscribe, as proper mailing lists do",
        "LIST_UNSUBSCRIBE": "offers a way to unsubscribe",
        "NO_UNSUBSCRIBE_COMMERCIAL": "sells something but offers no way to unsubscribe",
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx

    async def check(self, msg: Message) -> list[Hit]:
        header = msg.list_unsubscribe
        # Mail claiming to be LinkedIn copies LinkedIn's header; the linkedin signal judges it instead.
        if header and msg.linkedin is not None:
            return []
        if header and not sent_to_many(msg):
            # Sequencers add the header to one-to-one mail: it earns credit only on mail sent to many.
            return []
        if header:
            one_click = "list-unsubscribe=one-click" in msg.list_unsubscribe_post.lower().replace(" ", "")
            if one_click and "https://" in header.lower():
                return [Hit("LIST_UNSUBSCRIBE_ONECLICK", 1.0, "RFC 8058 one-click unsubscribe")]
            return [Hit("LIST_UNSUBSCRIBE", 1.0, f"List-Unsubscribe: {header[:80]}")]
        why = commercial_marker(msg)
        if why:
            return [Hit("NO_UNSUBSCRIBE_COMMERCIAL", 1.0, f"no List-Unsubscribe on commercial mail ({why})")]
        return []
