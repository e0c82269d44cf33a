"""Does the sender ask something OF the recipient, rather than offer them something?

A customer with an outage, an applicant, a journalist, a lead asking for a quote, or a vendor answering
the recipient's own web-form request: each is a stranger who may nudge three times, and none is a sales
sequence. The test reads what the sender wrote this time (subject and own words) in English, German,
French, Spanish and Dutch. The sender offering their own services, or a sales tool's fingerprint, cancels
a request (a pitch that opens "quick question about your hiring" is still a pitch); a reply to the
recipient's own request ("thanks for your inquiry") keeps its standing even when it sells.

The cadence signal asks the same question, so a sequence that opened with a request never escalates.
"""

from __future__ import annotations

import re
from typing import ClassVar

from gateway.core.message import Direction, Message
from gateway.core.signals.base import Hit, SignalContext, Stateless
from gateway.core.signals.outreach import fingerprint

# Patterns are matched against lower-cased text (no IGNORECASE: cheaper on every message).
_SUPPORT = (
    r"\b(?:is|are|was|has\s+been|keeps?)\s+(?:down|broken|not\s+working|failing|crashing|unreachable)\b",
    r"\b(?:not|isn'?t|aren'?t|stopped)\s+(?:working|loading|syncing|responding)\b",
    r"\bcan(?:'?t|not)\s+(?:log\s*in|sign\s*in|access|login|connect|open|download|reset)\b",
    r"\b(?:outage|error\s+message|error\s+code|bug\s+report|support\s+ticket|ticket\s+#?\d+)\b",
    r"\b(?:getting|seeing|shows?|showing|throws?|throwing|returns?|returning)\s+(?:an?\s+)?(?:\d{3}\s+|\w+\s+)?errors?\b",
    r"\bcan\s+you\s+(?:please\s+)?(?:look\s+into|fix|investigate|restore)\b",
    r"\b(?:could|can)\s+(?:someone|anyone|you)\s+(?:please\s+)?(?:take\s+a\s+look|help(?:\s+us|\s+me)?\?|advise)|\bplease\s+advise\b",
    r"\b(?:fail(?:s|ed)?|crash(?:es|ed)?)\s+(?:with|when|on|since|every)\b|\bhttp\s+[45]\d\d\b|\b(?:haven'?t|hasn'?t|didn'?t)\s+(?:refreshed|updated|synced|arrived)\b",
    r"\b(?:users|we|i)\s+can(?:'?t|not|\s+no\s+longer)\s+(?:log\s*in|sign\s*in|access)\b|\bsince\s+(?:this\s+morning|yesterday|the\s+(?:last\s+)?update)\b",
    r"\b(?:my|our)\s+(?:order|invoice|account|subscription|payment|refund|delivery|booking|license|ticket)\b",
    r"\b(?:refund|charged\s+twice|double[-\s]charged|wrong\s+(?:item|invoice|amount))\b",
    r"\bfunktioniert\s+(?:nicht|nicht\s+mehr)\b|\b(?:störung|ausfall|fehlermeldung)\b",
    r"\bkann\s+(?:mich\s+)?nicht\s+(?:anmelden|einloggen|zugreifen)\b",
    r"\b(?:meine|unsere)\s+(?:bestellung|rechnung|lieferung|buchung)\b|\brückerstattung\b",
    r"\bne\s+(?:fonctionne|marche)\s+(?:pas|plus)\b|\b(?:panne|message\s+d'erreur)\b",
    r"\bje\s+n'arrive\s+pas\s+à\b|\b(?:ma|notre)\s+(?:commande|facture|livraison|réservation)\b",
    r"\bremboursement\b",
    r"\bno\s+funciona\b|\b(?:caída\s+del\s+servicio|mensaje\s+de\s+error)\b|\bno\s+puedo\s+(?:acceder|entrar)\b",
    r"\b(?:mi|nuestro|nuestra)\s+(?:pedido|factura|reserva|cuenta)\b|\breembolso\b",
    r"\b(?:fehlgeschlagen|fehlerhaft|nicht\s+(?:mehr\s+)?erreichbar|ausgefallen)\b",
    r"\b(?:a\s+échoué|échouent|inaccessibles?|en\s+panne)\b|\b(?:ha\s+fallado|fallan|no\s+está\s+disponible|está\s+caído)\b",
    r"\b(?:mislukt|mislukken|niet\s+bereikbaar|ligt\s+(?:er\s+)?uit)\b|\bkunnen\s+(?:nog\s+steeds\s+)?niet\s+(?:bij|in)\b",
    r"\bticket\s+#?[a-z]?\d{3,}\b|\b(?:won'?t|doesn'?t|don'?t|do\s+not|does\s+not)\s+load\b|\blädt\s+(?:nicht|kein)",
    r"\bfallando\b|\bcon\s+errores\b|\bno\s+(?:podemos|puedo)\s+acceder\b|\bno\s+carga\b|\bsiguen?\s+(?:caídos?|sin\s+funcionar)\b",
    r"\blaadt\s+(?:geen|niet)\b|\bgeven\s+(?:een\s+)?fout(?:en|melding)?\b|\bne\s+se\s+charge\s+(?:plus|pas)\b|\bindisponibles?\b",
    r"\bwerkt\s+(?:niet|niet\s+meer)\b|\b(?:storing|foutmelding)\b|\bkan\s+niet\s+inloggen\b",
    r"\b(?:mijn|onze)\s+(?:bestelling|factuur|levering|boeking)\b|\bterugbetaling\b",
)
_APPLICANT = (
    r"\bi\s+(?:have\s+)?applied\b|\bmy\s+(?:application|cv|resume|résumé|cover\s+letter|candidacy)\b",
    r"\b(?:i'?m\s+)?applying\s+(?:for|to)\b|\b(?:cv|resume|résumé)\s+(?:is\s+)?attached\b|\bbe\s+considered\s+for\b",
    r"\bwould\s+love\s+to\s+(?:be\s+considered|intern|join\s+your)\b|\binternship\b|\bapplication\s*:",
    r"\b(?:the|your)\s+[\w-]+(?:\s+[\w-]+){0,2}\s+(?:role|opening|position|vacancy)\s+(?:posted|advertised|on\s+your)\b",
    r"\b(?:application\s+(?:status|for\s+the)|the\s+(?:position|role|vacancy|opening)\s+(?:of|for|as))\b",
    r"\b(?:bewerbung|beworben|lebenslauf|stellenanzeige|ausgeschriebene\s+stelle)\b",
    r"\b(?:ma\s+candidature|j'ai\s+postulé|offre\s+d'emploi|mon\s+cv)\b",
    r"\b(?:mi\s+candidatura|mi\s+solicitud|he\s+postulado|me\s+postulé|la\s+vacante|mi\s+currículum)\b",
    r"\b(?:mijn\s+sollicitatie|gesolliciteerd|de\s+vacature|mijn\s+cv)\b",
)
_PRESS = (
    r"\bi'?m\s+an?\s+(?:journalist|reporter|editor|writer|correspondent)\b|\b(?:press|media)\s+(?:inquiry|enquiry|request)\b",
    r"\b(?:writing|working\s+on)\s+(?:a|an)\s+(?:story|article|piece|feature)\b|\bon\s+deadline\b",
    r"\b(?:request\s+for\s+comment|interview\s+request|podcast\s+(?:interview|invitation|guest))\b|\bi\s+host\s+the\b",
    r"\bi'?m\s+writing\s+(?:for|about)\b|\bcould\s+i\s+(?:get|have)\s+a\s+(?:quote|comment)\b",
    r"\b(?:a\s+comment|a\s+quote|an\s+interview)\s+for\s+(?:a|an|my|our)\s+(?:story|article|piece)\b",
    r"\b(?:journalist(?:in)?|presseanfrage|interviewanfrage|stellungnahme|redaktionsschluss)\b",
    r"\bfür\s+einen\s+(?:beitrag|artikel|bericht)\b|\bpour\s+un\s+(?:article|sujet|reportage)\b|\bbouclage\b",
    r"\bpara\s+un\s+(?:artículo|reportaje)\b|\bcierre\s+de\s+edición\b|\bvoor\s+een\s+(?:artikel|stuk|reportage)\b",
    r"\b(?:je\s+suis\s+journaliste|demande\s+de\s+presse|pour\s+un\s+article)\b",
    r"\b(?:soy\s+periodista|para\s+un\s+(?:artículo|reportaje))\b",
    r"\b(?:ik\s+ben\s+journalist|persvraag|voor\s+een\s+artikel)\b",
)
_LEAD = (
    r"\b(?:interested\s+in\s+(?:buying|purchasing|your\s+(?:product|pricing|plans?|enterprise))|"
    r"(?:request|send\s+(?:me|us))\s+(?:a|an)\s+(?:quote|quotation|estimate|invoice))\b",
    r"\b(?:how\s+much\s+(?:does|do|would)|pricing\s+for\s+(?:\d+|our|a\s+team))\b",
    r"\b(?:could|can)\s+you\s+(?:share|tell\s+(?:me|us))\s+(?:your\s+)?(?:pricing|prices|the\s+price)\b|\bwhat\s+does\s+it\s+cost\b",
    r"\bwe'?d\s+like\s+to\s+(?:see|get|try)\s+a\s+(?:demo|trial|quote)\b",
    r"\bdoes\s+your\s+[\w-]+(?:\s+plan)?\s+(?:include|support|offer)\b",
    r"\bdo\s+you\s+(?:have|offer)\s+(?:[\w-]+\s+)?(?:pricing|plans?|discounts?|licen[cs]es?)\b",
    r"\b(?:comparing|evaluating|looking\s+at)\s+(?:[\w-]+\s+){0,2}(?:tools|vendors|providers|options|platforms)\b",
    r"\b(?:could|can)\s+you\s+(?:please\s+)?send\s+(?:me\s+|us\s+)?(?:your\s+)?(?:pricing|prices|a\s+quote|a\s+proposal)\b",
    r"\bwe'?re\s+(?:evaluating|comparing|looking\s+for\s+a\s+(?:tool|vendor|supplier))\b|\bdo\s+you\s+(?:support|integrate\s+with)\b",
    r"\b(?:we'?d|we\s+would|i'?d|i\s+would)\s+like\s+to\s+(?:buy|order|purchase|subscribe|upgrade|book)\b",
    r"\b(?:angebot\s+für|kostenvoranschlag|preise\s+für|interesse\s+an\s+ihrem)\b",
    r"\b(?:un\s+devis|vos\s+tarifs|intéressés?\s+par\s+votre)\b",
    r"\b(?:un\s+presupuesto|una\s+cotización|sus\s+precios|interesados?\s+en\s+su)\b",
    r"\b(?:een\s+offerte|uw\s+prijzen|interesse\s+in\s+uw)\b",
)
# A reply to something the recipient asked for: it may sell, it still answers them.
_ANSWERS = (
    r"\bthank(?:s|\s+you)\s+for\s+(?:your|the)\s+(?:inquiry|enquiry|request|interest\s+in\s+our|message\s+via)\b",
    r"\b(?:as|per\s+your)\s+requested\b|\bper\s+your\s+request\b|\byou\s+(?:requested|asked\s+for|filled\s+(?:in|out)|submitted)\b",
    r"\b(?:vielen\s+)?dank\s+für\s+ihre\s+(?:anfrage|nachricht)\b|\bwie\s+(?:gewünscht|angefragt)\b",
    r"\b(?:zu|bezüglich)\s+ihrer\s+anfrage\b|\bdanke?\s+für\s+ihr\s+interesse\b",
    r"\bgracias\s+por\s+(?:rellenar|completar)\b|\bcomo\s+(?:pediste|solicitaste|nos\s+pidió)\b",
    r"\bmerci\s+pour\s+votre\s+intérêt\b|\bcomme\s+(?:demandé|vous\s+l'avez\s+demandé)\b|\bvotre\s+devis\b",
    r"\bzoals\s+(?:gevraagd|aangevraagd)\b|\byour\s+(?:inquiry|enquiry)\b",
    # Account mail the recipient's own action caused: a reset, a sign-in code, an address to confirm.
    r"\bif\s+you\s+did(?:n'?t|\s+not)\s+(?:request|do|make|sign\s+up|initiate)\b|\breset\s+(?:your|the)\s+password\b",
    r"\b(?:verification|login|sign-in|security|one-time)\s+code\b|\bconfirm\s+your\s+(?:email|e-mail)(?:\s+address)?\b",
    r"\bmerci\s+pour\s+votre\s+(?:demande|message)\b|\bsuite\s+à\s+votre\s+demande\b",
    r"\bgracias\s+por\s+su\s+(?:solicitud|consulta|interés)\b|\bsegún\s+lo\s+solicitado\b",
    r"\bbedankt\s+voor\s+(?:uw|je)\s+(?:aanvraag|verzoek|bericht)\b|\bnaar\s+aanleiding\s+van\s+(?:uw|je)\s+(?:aanvraag|verzoek)\b",
)


# The sender offering their own services: a request that also sells is a pitch ("we help teams like yours;
# what does your roadmap look like?"). Narrower than commercial.py: a buyer asking for a discount sells nothing.
_SELLS = (
    r"\bour\s+(?:services|agency|solution|solutions|platform|software|team\s+of|clients|offer)\b",
    r"\bwe\s+(?:help|helped|specialize|provide|offer|build|deliver|place|source)\b|\bcompanies\s+like\s+yours\b",
    r"\b(?:book|schedule|hop\s+on)\s+a\s+(?:quick\s+)?(?:call|meeting|demo|chat)\b|\bworth\s+a\s+(?:quick\s+)?(?:chat|call|look)\b",
    r"\bwould\s+you\s+be\s+(?:open|opposed)\s+to\b|\bfree\s+(?:trial|audit|consultation|analysis)\b",
    r"\bwir\s+helfen\b|\bunsere\s+(?:lösung|agentur|dienstleistungen|plattform)\b|\bnous\s+aidons\b",
    r"\bnotre\s+(?:solution|agence|plateforme)\b|\bayudamos\b|\bnuestra\s+(?:solución|agencia|plataforma)\b",
    r"\bwij\s+helpen\b|\bonze\s+(?:oplossing|diensten|bureau|platform)\b",
)


def _any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(patterns))


_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("support request", _any(_SUPPORT)),
    ("job application", _any(_APPLICANT)),
    ("press request", _any(_PRESS)),
    ("buying enquiry", _any(_LEAD)),
)
_ANSWER = _any(_ANSWERS)
_SELLING = _any(_SELLS)


def asks_of_recipient(msg: Message) -> str:
    """What the sender asks of the recipient ("support request: 'is down'"), or "" (cached per message)."""
    cached = msg.memo.get("asks")
    if isinstance(cached, str):
        return cached
    found = _asks(msg)
    msg.memo["asks"] = found
    return found


def _asks(msg: Message) -> str:
    if msg.linkedin is not None and msg.linkedin.text == "":
        return ""
    text = (msg.subject + "\n" + msg.author_text).lower()
    answer = _ANSWER.search(text)
    if answer:
        return f"answers the recipient's request: {' '.join(answer.group(0).split())!r}"
    if fingerprint(msg) or _SELLING.search(text):
        return ""
    for kind, pattern in _KINDS:
        found = pattern.search(text)
        if found:
            return f"{kind}: {' '.join(found.group(0).split())!r}"
    return ""


class Asks(Stateless):
    """Emits ASKS_RECIPIENT when the sender asks something of the recipient instead of selling."""

    name: ClassVar[str] = "asks"
    symbols: ClassVar[dict[str, float]] = {"ASKS_RECIPIENT": -2.0}
    reasons: ClassVar[dict[str, str]] = {
        "ASKS_RECIPIENT": "the sender asks something of you rather than selling ({evidence})",
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx

    async def check(self, msg: Message) -> list[Hit]:
        if msg.envelope.direction is not Direction.INBOUND:
            return []
        why = asks_of_recipient(msg)
        return [Hit("ASKS_RECIPIENT", 1.0, why)] if why else []
