"""What the recipient's own reply says: a decline ("not interested", "please remove me") or not.

A "no" is not consent: replying to a pitcher to decline must not make the pitcher wanted, and touches
after it are escalated faster (gateway/core/signals/cadence.py). Anything else the recipient writes engages
(a question, a time, a "yes"), and engaging is consent as before. A reply that both declines and keeps
the door open ("not now, but let's talk in Q3") engages. English, German, French, Spanish and Dutch.
"""

from __future__ import annotations

import re
from enum import StrEnum

from gateway.core.message import Message

DECLINED = "declined"
"""The mark (per recipient, per address or sequence) of when the recipient last declined it."""

# Matched on lower-cased text.
_DECLINE = re.compile(
    "|".join(
        (
            r"\bnot\s+(?:interested|a\s+(?:good\s+)?fit|looking\s+for|relevant\s+(?:to|for)\s+(?:us|me)|"
            r"a\s+priority|for\s+us|at\s+this\s+time)\b",
            r"\bno\s+(?:thanks|thank\s+you|interest|need)\b|\bwe'?re\s+(?:all\s+set|good|covered)\b",
            r"\b(?:please\s+)?(?:remove|unsubscribe|take)\s+(?:me|us)\b|\boff\s+your\s+(?:list|mailing)\b",
            r"\b(?:stop|quit)\s+(?:emailing|e-mailing|contacting|messaging|writing\s+to)\b",
            r"\b(?:do\s+not|don'?t)\s+(?:contact|email|e-mail|write\s+to|follow\s+up\s+with)\s+(?:me|us)\b",
            r"\bwe\s+(?:already\s+)?(?:have|use|work\s+with)\s+(?:a|an)\s+(?:\w+\s+){0,2}"
            r"(?:provider|vendor|partner|agency|solution)\b",
            r"\bfrom\s+your\s+(?:list|mailing\s+list|database|distribution)\b",
            r"\b(?:nehmen|streichen|löschen)\s+sie\s+mich\s+(?:aus|von)\b|\baus\s+(?:ihrem|dem)\s+verteiler\b",
            r"\bquit(?:adme|enme|arme|ame)\b|\b(?:sacadme|sáquenme)\b|\bde\s+(?:vuestra|su)\s+lista\b",
            r"\bhaal\s+(?:me|mij)\s+(?:\w+\s+)?van\b|\bvan\s+(?:jullie|uw)\s+(?:mailing)?lijst\b",
            r"\b(?:retirez|enlevez|supprimez)-moi\b|\bde\s+votre\s+(?:liste|fichier)\b",
            r"\bkein(?:e|en)?\s+(?:interesse|bedarf)\b|\bnicht\s+interessiert\b|\bnein,?\s+danke\b",
            r"\b(?:bitte\s+)?(?:entfernen\s+sie\s+mich|tragen\s+sie\s+mich\s+aus|keine\s+weiteren\s+(?:e-?mails|nachrichten))\b",
            r"\bnicht\s+mehr\s+(?:kontaktieren|anschreiben|schreiben)\b|\bkontaktieren\s+sie\s+mich\s+nicht\b",
            r"\bpas\s+intéressée?s?\b|\bça\s+ne\s+(?:m|nous)'intéresse\s+pas\b|\bnon\s+merci\b|\baucun\s+intérêt\b",
            r"\b(?:merci\s+de\s+)?(?:me\s+retirer|retirez-moi|me\s+désinscrire|désabonnez-moi)\b",
            r"\bne\s+(?:plus\s+)?me\s+(?:contacter|recontacter|écrire)\b|\bpas\s+besoin\b",
            r"\bno\s+(?:me|nos)\s+interesa\b|\bno\s+estoy\s+interesad[oa]\b|\bno\s+estamos\s+interesad[oa]s\b",
            r"\bno,?\s+gracias\b|\b(?:por\s+favor\s+)?(?:elimínenme|elimíname|dar(?:me)?\s+de\s+baja)\b",
            r"\b(?:dejen|deja)\s+de\s+(?:escribirme|contactarme|enviarme)\b|\bno\s+me\s+(?:contacten|escriban)\b",
            r"\bgeen\s+(?:interesse|behoefte)\b|\bniet\s+geïnteresseerd\b|\bnee,?\s+(?:bedankt|dank\s+je)\b",
            r"\b(?:haal\s+(?:me|mij)\s+van|verwijder\s+(?:me|mij))\b|\bafmelden\b",
            r"\b(?:stop\s+met\s+mailen|neem\s+geen\s+contact\s+(?:meer\s+)?op)\b",
        )
    )
)
_ENGAGE = re.compile(
    "|".join(
        (
            r"\b(?:let'?s|happy\s+to|glad\s+to|would\s+love\s+to|keen\s+to)\s+(?:talk|chat|meet|connect|speak|hop)\b",
            r"\b(?:send|share)\s+(?:me|us)\s+(?:more|the|some|a)\b|\bwhat(?:'s|\s+is)\s+your\s+availability\b",
            r"\b(?:works\s+for\s+me|sounds\s+(?:good|great|interesting))\b",
            # The door left open: "try me again next quarter", "check back in a few months".
            r"\b(?:try|ping|contact|email)\s+me\s+(?:again\s+)?(?:in|next|after)\b|\bnext\s+(?:quarter|year)\b|\bin\s+q[1-4]\b",
            r"\b(?:reach\s+out|get\s+back\s+to\s+me|check\s+back|circle\s+back)\s+(?:again\s+)?(?:in|next|after)\b",
            r"\bnächste[sn]?\s+(?:quartal|jahr)\b|\ble\s+trimestre\s+prochain\b|\bel\s+próximo\s+trimestre\b|\bvolgend\s+kwartaal\b",
            r"\bgerne\s+(?:mehr|einen\s+termin|ein\s+gespräch|telefonieren)\b|\blass(?:en)?\s+sie\s+uns\s+(?:sprechen|telefonieren)\b|\bmelden\s+sie\s+sich\s+(?:gerne\s+)?(?:in|im)\b",
            r"\bavec\s+plaisir\b|\bparlons-en\b|\bvolontiers\s+(?:un|une|pour)\b",
            r"\bcon\s+gusto\b|\bhablemos\b|\bme\s+interesa\s+(?:saber|conocer)\b",
            r"\bgraag\s+(?:meer|een\s+afspraak|een\s+gesprek)\b|\blaten\s+we\s+(?:bellen|praten|afspreken)\b",
        )
    )
)


# Where the quoted history starts: a ">" line, an attribution in one of the five languages, Outlook's header.
_QUOTE_START = re.compile(
    r"^\s*>|^\s*(?:on|am|le|el|op)\s.{5,200}?\s(?:wrote|schrieb|a\s+écrit|escribió|schreef)\s*:?\s*$"
    r"|^\s*-{2,}\s*(?:original|ursprüngliche|message\s+d'origine|mensaje\s+original|oorspronkelijk)"
    r"|^\s*(?:from|von|de|van)\s*:\s",
    re.MULTILINE,
)


def own_words(text: str) -> str:
    """The reply's own words: everything above the quoted message (the body split is English-only)."""
    found = _QUOTE_START.search(text)
    return text[: found.start()] if found else text


class ReplyKind(StrEnum):
    DECLINE = "decline"
    ENGAGE = "engage"


def reply_kind(msg: Message) -> ReplyKind:
    """Whether what the recipient wrote (not the quoted pitch under it) declines or engages."""
    # Not the subject: "Re: Let's talk growth" is the pitcher's wording, not the recipient's.
    text = own_words(msg.author_text.lower())
    if _DECLINE.search(text) and not _ENGAGE.search(text):
        return ReplyKind.DECLINE
    return ReplyKind.ENGAGE
