"""Follow-up language in what the sender wrote this time, and quoting their own unanswered message.

Only the subject and `Message.author_text` are read (new words, or a LinkedIn member's text), never
quoted history, so a reply that quotes someone's "just following up" does not fire. The phrases are
broad on purpose and weighted lightly: a stranger's one polite nudge must pass on these alone, and the
heavy lifting for a pitcher's follow-up is done by cadence escalation. Colleagues are internal mail
and never scanned; replies in threads the recipient joined carry the replies signal's consent.
"""

from __future__ import annotations

import re
from typing import ClassVar

from gateway.core.linkedin_mail import normalize_name
from gateway.core.message import Message
from gateway.core.signals.base import Hit, SignalContext, Stateless

_F = re.IGNORECASE
_EMAIL = r"(?:e-?mail|note|message|msg|mail|invite|invitation|proposal|request|inmail)"
_PREV = r"(?:last|previous|earlier|prior|below|original|first)"

_FOLLOWUP = re.compile(
    "|".join(
        [
            r"\bfollow(?:ing|ed)?[\s-]?up\b",
            r"\b(?:quick|gentle|friendly|little|polite|soft|small)\s+(?:reminder|nudge|ping|bump)\b",
            r"\bbump(?:ing|ed)?\s+(?:this|it|my|that|up|the\s+thread)\b",
            r"\bcircl(?:e|ing)\s+back\b",
            r"\btouch(?:ing)?\s+base\b",
            r"\b(?:just\s+|wanted\s+to\s+)check(?:ing)?\s+in\b|\bchecking\s+in\s+(?:on|again|to\s+see)\b",
            r"\b(?:get|got|had|have|any)\s+a\s+chance\s+to\s+(?:look|review|read|check|consider|think|see|go)",
            r"\b(?:did|have)\s+you\s+(?:had|have|get|got)\s+a\s+chance\b",
            rf"\b(?:did|have|had)\s+you\s+(?:see|seen|get|got|receive|received|read|catch|caught)\s+my\s+(?:{_PREV}\s+)?{_EMAIL}",
            r"\b(?:haven'?t|have\s+not|hadn'?t|didn'?t|did\s+not|not|never)\s+(?:yet\s+)?(?:heard|hear)\s+back\b",
            r"\b(?:haven'?t|have\s+not)\s+(?:yet\s+)?heard\s+from\s+you\b",
            r"\bfloat(?:ing)?\s+(?:this|it|my\s+\w+)\s+(?:back\s+)?(?:up\s+)?to\s+the\s+top\b",
            r"\b(?:top|front)\s+of\s+your\s+inbox\b",
            r"\bresurfac(?:e|ing)\s+(?:this|my)\b",
            r"\bany\s+(?:thoughts|update|updates|feedback|news)\b[^?.\n]{0,40}\?",
            rf"\bin\s+case\s+(?:it|this|my\s+(?:{_PREV}\s+)?{_EMAIL})\s+(?:got|was|slipped|fell|went)\b",
            r"\bslipped\s+through\s+the\s+cracks\b|\bgot\s+(?:buried|lost)\b",
            rf"\b(?:my|the)\s+{_PREV}\s+{_EMAIL}\b",
            r"\bre-?sending\s+(?:this|my|it)\b|\bsending\s+(?:this|it)\s+again\b",
            r"\bjust\s+(?:wanted\s+to\s+)?(?:ping|nudge|remind)\b",
            r"\bwanted\s+to\s+make\s+sure\s+(?:you\s+(?:saw|got|received)|this\s+(?:didn'?t|did\s+not|reached))",
            r"\bknow\s+(?:you'?re|you\s+are|things\s+(?:are|get))\s+(?:busy|swamped|slammed|hectic)\b",
            r"\binbox\s+(?:is|gets|must\s+be)\s+(?:busy|full|crazy|overflowing)\b",
            r"\breaching\s+out\s+(?:again|once\s+more|one\s+more\s+time)\b",
            r"\bcoming\s+back\s+to\s+(?:this|my\s+\w+)\b",
        ]
    ),
    _F,
)

_BREAKUP = re.compile(
    "|".join(
        [
            r"\bone\s+(?:last|final)\s+(?:try|time|attempt|note|e-?mail|message|shot|nudge|ping)\b",
            r"\b(?:last|final)\s+(?:try|attempt|follow[\s-]?up|reach[\s-]?out)\b",
            r"\b(?:this\s+is|this\s+will\s+be)\s+my\s+(?:last|final)\b",
            r"\bclos(?:e|ing)\s+(?:out\s+)?(?:your|the|this|my)\s+(?:file|loop)\b",
            r"\bshould\s+i\s+(?:stop|close|give\s+up|assume|take\s+(?:you|this)\s+off|remove\s+you)\b",
            r"\b(?:i'?ll|i\s+will|i\s+won'?t|i\s+will\s+not)\s+(?:stop\s+)?(?:reach(?:ing)?\s+out|e-?mail(?:ing)?|"
            r"bother(?:ing)?|contact(?:ing)?|follow(?:ing)?\s+up(?:\s+with)?)\s+(?:you\s+)?(?:again|anymore|any\s+more|further)\b",
            r"\b(?:i'?ll|i\s+will)\s+(?:assume|take\s+(?:it|that))\s+(?:that\s+)?(?:you'?re|you\s+are|this\s+is|"
            r"it'?s|now\s+is|now\s+isn'?t)\b",
            r"\b(?:is|are)\s+(?:this|you)\s+still\s+(?:a\s+priority|interested|relevant|on\s+your\s+radar)\b",
            r"\bbreak[\s-]?up\s+(?:e-?mail|note)\b|\b(?:permission|ok(?:ay)?)\s+to\s+close\b",
            r"\bhaven'?t\s+been\s+able\s+to\s+(?:reach|connect\s+with|get\s+(?:a\s+)?hold\s+of)\s+you\b",
        ]
    ),
    _F,
)

# Attribution lines of quoted history: "On Tue, 3 Jun 2025 at 09:14, Jane Doe <jane@x.io> wrote:" (also
# wrapped over two lines), and Outlook's "From: Jane Doe <jane@x.io>" header block.
_ON_WROTE = re.compile(
    r"^[ >]*(?:On|Am|Le|El|Il|Op)\s((?:(?!\n[ >]*\n).){5,300}?)\s(?:wrote|schrieb|a\s+écrit|escribió|ha\s+scritto|schreef)\s*:",
    re.MULTILINE | re.DOTALL,
)
_OUTLOOK_FROM = re.compile(
    r"^[ >*]*(?:From|Von|De|Van)\s*:\s*\**\s*(.+)$\n(?:^.*$\n){0,2}^[ >*]*(?:Sent|Date|Gesendet|Envoyé|Enviado)\s*:",
    re.MULTILINE,
)


def attributions(text: str) -> list[str]:
    """Who each quoted block in the text is attributed to."""
    return [m.group(1) for m in _ON_WROTE.finditer(text)] + [m.group(1) for m in _OUTLOOK_FROM.finditer(text)]


def _by_sender(who: str, msg: Message) -> bool:
    who_l = " ".join(who.lower().split())
    if msg.from_addr and msg.from_addr in who_l:
        return True
    key = normalize_name(msg.from_name)
    return bool(key) and key in normalize_name(re.sub(r"<[^>]*>|\S+@\S+", " ", who))


def _phrases(pattern: re.Pattern[str], text: str) -> list[str]:
    return list(dict.fromkeys(" ".join(m.group(0).split()).lower() for m in pattern.finditer(text)))


class Followup(Stateless):
    """Emits FOLLOWUP_PHRASE, FOLLOWUP_BREAKUP, FOLLOWUP_SELF_QUOTE."""

    name: ClassVar[str] = "followup"
    symbols: ClassVar[dict[str, float]] = {
        "FOLLOWUP_PHRASE": 1.5,
        "FOLLOWUP_BREAKUP": 2.0,
        "FOLLOWUP_SELF_QUOTE": 1.0,
    }
    reasons: ClassVar[dict[str, str]] = {
        "FOLLOWUP_PHRASE": "uses follow-up wording: {evidence}",
        "FOLLOWUP_BREAKUP": 'a "last try" message, written to pressure you into answering',
        "FOLLOWUP_SELF_QUOTE": "quotes their own earlier message that you did not answer",
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx

    async def check(self, msg: Message) -> list[Hit]:
        text = msg.subject + "\n" + msg.author_text
        hits = []
        found = _phrases(_FOLLOWUP, text)
        if found:
            # More distinct phrasings make it likelier a nudge, but never more than half again.
            factor = min(1.0 + 0.25 * (len(found) - 1), 1.5)
            hits.append(Hit("FOLLOWUP_PHRASE", factor, "; ".join(repr(p) for p in found[:3])))
        breakup = _phrases(_BREAKUP, text)
        if breakup:
            hits.append(Hit("FOLLOWUP_BREAKUP", 1.0, "; ".join(repr(p) for p in breakup[:3])))
        quote = self._self_quote(msg)
        if quote:
            hits.append(Hit("FOLLOWUP_SELF_QUOTE", 1.0, quote))
        return hits

    @staticmethod
    def _self_quote(msg: Message) -> str:
        """Evidence when every quoted block is the sender's own earlier mail (nothing from anyone else)."""
        if msg.linkedin is not None:
            return ""
        who = attributions(msg.text)
        if who and all(_by_sender(w, msg) for w in who):
            return f"quotes own earlier message: {' '.join(who[0].split())[:80]!r}"
        return ""
