"""The unsubscribe signal and the shared commercial test behind it."""

from __future__ import annotations

from gateway.clock import ManualClock
from gateway.core.signals import SignalContext
from gateway.core.signals.commercial import commercial_marker
from gateway.core.signals.unsubscribe import Unsubscribe
from gateway.store.base import Store
from tests.mail import make_message
from tests.signals.conftest import LOCAL, SAM, parse


async def symbols(store: Store, clock: ManualClock, raw: bytes) -> list[str]:
    return [h.symbol for h in await Unsubscribe(SignalContext(store, clock, LOCAL, {})).check(parse(raw))]


async def test_one_click_and_plain_unsubscribe(store: Store, clock: ManualClock) -> None:
    one_click = {
        "List-Id": "<weekly.news.example>",
        "List-Unsubscribe": "<https://news.example/u/1>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    raw = make_message("news@news.example", SAM, "Weekly", "Hi\n", headers=one_click)
    assert await symbols(store, clock, raw) == ["LIST_UNSUBSCRIBE_ONECLICK"]
    plain = {"List-Unsubscribe": "<mailto:u@news.example>", "Feedback-ID": "1:weekly:news"}
    raw = make_message("news@news.example", SAM, "Weekly", "Hi\n", headers=plain)
    assert await symbols(store, clock, raw) == ["LIST_UNSUBSCRIBE"]


async def test_unsubscribe_on_one_to_one_mail_earns_nothing(store: Store, clock: ManualClock) -> None:
    """A sequencer's List-Unsubscribe on a personal-looking note is no sign of a subscribed list."""
    headers = {"List-Unsubscribe": "<https://t.agency.example/u/1>"}
    raw = make_message(
        "rep@agency.example", SAM, "Quick idea", "Hi Sam, one idea for you.\n", headers=headers
    )
    assert await symbols(store, clock, raw) == []


async def test_missing_unsubscribe_matters_only_for_selling(store: Store, clock: ManualClock) -> None:
    seller = make_message(
        "rep@agency.example", SAM, "Growth", "Our agency delivers qualified leads every month.\n"
    )
    assert await symbols(store, clock, seller) == ["NO_UNSUBSCRIBE_COMMERCIAL"]
    buyer = make_message("lena@harbor.example", SAM, "Pricing?", "Could you send pricing for 40 seats?\n")
    assert await symbols(store, clock, buyer) == []


def test_commercial_marker_reads_the_members_words_not_linkedin() -> None:
    assert commercial_marker(
        parse(make_message(body="We help SaaS teams scale your outbound.\n"))
    ).startswith("selling")
    assert commercial_marker(parse(make_message(body="See you at lunch.\n"))) == ""
