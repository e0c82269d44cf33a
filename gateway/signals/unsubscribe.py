"""List-Unsubscribe presence: RFC 2369 links and RFC 8058 one-click.

Subscribed bulk mail carries an unsubscribe mechanism; a sales sequence mostly does not. Missing
unsubscribe only means something when the mail looks commercial, so the missing symbol fires only when
the message has commercial markers (links to many hosts, tracking, a pitch-like call to action).
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlsplit

from gateway.message import Message
from gateway.signals.base import Hit, SignalContext, Stateless

_COMMERCIAL = re.compile(
    r"\b(pricing|price|discount|offer|demo|quick call|15[- ]min|book a (call|meeting|time)|schedule a call"
    r"|free trial|our (services|agency|team|solution|platform)|we help|leads?|roi|grow your)\b",
    re.IGNORECASE,
)


def _is_commercial(msg: Message) -> bool:
    hosts = {urlsplit(u).hostname for u in msg.links}
    return bool(_COMMERCIAL.search(msg.subject + "\n" + msg.visible_text)) or len(hosts) >= 3


class Unsubscribe(Stateless):
    """Emits LIST_UNSUBSCRIBE_ONECLICK, LIST_UNSUBSCRIBE or NO_UNSUBSCRIBE_COMMERCIAL."""

    name: ClassVar[str] = "unsubscribe"
    symbols: ClassVar[dict[str, float]] = {
        "LIST_UNSUBSCRIBE_ONECLICK": -2.0,
        "LIST_UNSUBSCRIBE": -1.0,
        "NO_UNSUBSCRIBE_COMMERCIAL": 1.5,
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx

    async def check(self, msg: Message) -> list[Hit]:
        header = msg.list_unsubscribe
        if header:
            one_click = "list-unsubscribe=one-click" in msg.list_unsubscribe_post.lower().replace(" ", "")
            if one_click and "https://" in header.lower():
                return [Hit("LIST_UNSUBSCRIBE_ONECLICK", 1.0, "RFC 8058 one-click unsubscribe")]
            return [Hit("LIST_UNSUBSCRIBE", 1.0, f"List-Unsubscribe: {header[:80]}")]
        if _is_commercial(msg):
            return [Hit("NO_UNSUBSCRIBE_COMMERCIAL", 1.0, "commercial text without List-Unsubscribe")]
        return []
