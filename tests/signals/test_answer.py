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
