"""Whether a message is selling something: the shared test behind "missing unsubscribe matters".

A seller's words ("our agency", "book a call", "qualified leads"), not a buyer's: a prospect asking
"what is your pricing?" is not commercial mail, so bare "price"/"pricing" does not count.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from gateway.core.message import Message

_SELLING = re.compile(
    r"\b(?:our\s+(?:services|agency|team\s+of|solution|solutions|platform|product|software|tool|offer|pricing|clients)"
    r"|we\s+help(?:ed)?\b|we\s+(?:specialize|work\s+with|partner\s+with)|special\s+(?:offer|pricing|discount)"
    r"|discount|limited[-\s]time|free\s+(?:trial|audit|consultation|demo|analysis)|(?:quick|short|brief)\s+demo"
    r"|book\s+a\s+(?:call|meeting|time|demo|slot)|schedule\s+a\s+(?:call|demo|meeting)|hop\s+on\s+a\s+(?:quick\s+)?call"
    r"|(?:quick|short|brief)\s+(?:call|chat)|\d{2}[-\s]?min(?:ute)?s?\s+(?:call|chat|meeting)"
    r"|(?:qualified|b2b)\s+(?:leads|appointments|meetings)|lead\s+generation|lead[-\s]gen|appointment\s+setting"
    r"|outsourc\w*|offshore|dedicated\s+(?:developers|team)|white[-\s]label|seo\s+(?:services|audit|agency)"
    r"|rank(?:ing)?\s+(?:higher|on\s+(?:the\s+)?first\s+page)|grow\s+your|scale\s+your|boost\s+your|increase\s+your\s+(?:revenue|sales|roi)"
    r"|\broi\b|case\s+stud(?:y|ies)|companies\s+like\s+yours|clients\s+like"
    r"|we\s+(?:provide|offer|build|deliver|supply|run|source)\s+(?:\w+\s+){0,3}(?:developers|engineers|testers|"
    r"designers|teams|services|leads|contacts|data|videos|campaigns|content|solutions)"
    r"|(?:vetted|senior|dedicated|nearshore|remote|on-demand)\s+(?:\w+\s+)?(?:developers|engineers|testers|talent)"
    r"|(?:at\s+)?a\s+fraction\s+of\s+(?:the\s+)?(?:local\s+)?(?:cost|price)|(?:cut|reduce|lower)\s+(?:\w+\s+)?costs?\s+by"
    r"|intro(?:ductory)?\s+call|calendar\s+invite|worth\s+a\s+(?:quick\s+)?(?:chat|call|conversation|look)"
    r"|would\s+you\s+be\s+(?:open|opposed)\s+to|is\s+this\s+something\s+you(?:'d|\s+would)"
    r"|(?:\d+[mk]?\+?\s+(?:verified\s+)?(?:contacts|leads|emails))|\d+%\s+(?:cheaper|faster|more|less|lower|higher))",
    re.IGNORECASE,
)


def commercial_marker(msg: Message) -> str:
    """Why the message looks commercial ("" when it does not): a selling phrase, or links to many hosts."""
    found = _SELLING.search(msg.subject + "\n" + msg.author_text)
    if found:
        return f"selling phrase {' '.join(found.group(0).split())!r}"
    hosts = {urlsplit(u).hostname for u in msg.links} - {None}
    return f"links to {len(hosts)} hosts" if len(hosts) >= 3 else ""
