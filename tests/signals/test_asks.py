"""The asks signal: a request of the recipient, in five languages, and what cancels it."""

from __future__ import annotations

import pytest

from gateway.clock import ManualClock
from gateway.core.signals import SignalContext
from gateway.core.signals.asks import Asks, asks_of_recipient
from gateway.store.base import Store
from tests.mail import make_message
from tests.signals.conftest import LOCAL, SAM, parse


@pytest.mark.parametrize(
    "body",
    [
        "Since this morning none of our users can log in; the dashboard returns HTTP 502. Please advise.",
        "I'm applying for the data engineer role posted on your careers page; my CV is attached.",
        "I'm a reporter at The Ledger writing about hiring freezes. Could I get a quote from you by Friday?",
        "We're comparing analytics tools for 40 people. Could you send a quote, and does your team plan include SSO?",
        "Thanks for your inquiry on our website. Our pricing for 40 seats is attached; book a call any time.",
        "Seit heute Morgen funktioniert der Export nicht mehr, wir bekommen eine Fehlermeldung.",
        "Bonjour, je vous envoie ma candidature pour le poste de développeur backend.",
        "Hola, soy periodista y preparo un reportaje sobre datos abiertos.",
        "Goedemiddag, kunt u ons een offerte sturen voor twintig licenties?",
    ],
)
async def test_requests_of_the_recipient(store: Store, clock: ManualClock, body: str) -> None:
    raw = make_message("Pat Doe <pat@stranger.example>", SAM, "Question", f"Hi,\n\n{body}\n\nPat\n")
    hits = await Asks(SignalContext(store, clock, LOCAL, {})).check(parse(raw))
    assert [h.symbol for h in hits] == ["ASKS_RECIPIENT"], body
    assert hits[0].evidence


@pytest.mark.parametrize(
    "body",
    [
        # A pitch that poses a question about the recipient's needs still offers the sender's services.
        "Quick question: are you hiring engineers? We help companies like yours hire in two weeks.",
        "Do you have 15 minutes next week? Would you be open to a quick call about your pipeline?",
        "Wir helfen Teams wie Ihrem, mehr Termine zu buchen. Haben Sie nächste Woche Zeit?",
        "Hi Sam, lunch on Thursday?",
    ],
)
def test_no_request_in_a_pitch_or_a_chat(body: str) -> None:
    raw = make_message("Pat Doe <pat@agency.example>", SAM, "Idea", f"Hi,\n\n{body}\n")
    assert asks_of_recipient(parse(raw)) == "", body


def test_a_sales_tool_cancels_a_request() -> None:
    body = "Hi,\n\nOur export is not working since yesterday. Can you look into it?\n"
    raw = make_message("Pat Doe <pat@stranger.example>", SAM, "Export", body, headers={"X-Mailer": "lemlist"})
    assert asks_of_recipient(parse(raw)) == ""
