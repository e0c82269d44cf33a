"""The recipient's reply classified: a decline is no consent, anything else engages."""

from __future__ import annotations

import pytest

from gateway.core.signals.answer import ReplyKind, reply_kind
from tests.mail import make_message
from tests.signals.conftest import SAM, parse

QUOTE = (
    "\n\nOn Mon, 3 Mar 2025 at 10:02, Kim <kim@leadsly.example> wrote:\n> Let's talk growth! Book a call.\n"
)


@pytest.mark.parametrize(
    "text",
    [
        "Not interested, thanks.",
        "Please remove me from your list.",
        "We already work with an agency for this. No thanks.",
        "Kein Interesse. Bitte keine weiteren E-Mails.",
        "Merci, mais pas intéressé. Ne plus me contacter s'il vous plaît.",
        "No me interesa, gracias. Por favor dejen de escribirme.",
        "Geen interesse, verwijder mij alstublieft.",
    ],
)
def test_declines(text: str) -> None:
    raw = make_message(SAM, "kim@leadsly.example", "Re: Let's talk growth", text + "\n\nSam" + QUOTE)
    assert reply_kind(parse(raw)) is ReplyKind.DECLINE, text


@pytest.mark.parametrize(
    "text",
    [
        "Sounds interesting, send me more details.",
        "Thursday at 3pm works for me.",
        "Not a priority right now, but try me again next quarter.",
        "Gerne, lassen Sie uns telefonieren.",
        "Avec plaisir, parlons-en la semaine prochaine.",
        "What would this cost for a team of 40?",
    ],
)
def test_engages(text: str) -> None:
    # The quoted pitch under the reply ("Let's talk") is the pitcher's wording and never counts.
    raw = make_message(SAM, "kim@leadsly.example", "Re: Not interested?", text + "\n\nSam" + QUOTE)
    assert reply_kind(parse(raw)) is ReplyKind.ENGAGE, text


@pytest.mark.parametrize(
    ("own", "quoted", "kind"),
    [
        ("Können Sie mir Preise schicken?", "Kein Bedarf? Dann melde ich mich nicht mehr.", ReplyKind.ENGAGE),
        ("Haal me alsjeblieft van jullie lijst.", "Zullen we volgend kwartaal bellen?", ReplyKind.DECLINE),
        ("Por favor, quitadme de vuestra lista.", "¿Hablemos la semana que viene?", ReplyKind.DECLINE),
    ],
)
def test_only_the_replys_own_words_count_in_any_language(own: str, quoted: str, kind: ReplyKind) -> None:
    """The body split knows English attributions only; the classifier cuts at "Am ... schrieb:" itself."""
    attribution = {
        "Kö": "Am 21.10.2026 17:22 schrieb Tobias Lange:",
        "Ha": "Op 20.10.2026 08:26 schreef Noor:",
    }
    head = attribution.get(own[:2], "El 23.09.2026 11:50, Sergio escribió:")
    body = f"{own}\n\nSam\n\n{head}\n> {quoted}\n"
    assert reply_kind(parse(make_message(SAM, "kim@leadsly.example", "Re: Idee", body))) is kind
