"""Bulk mail (lists, newsletters, retail and service mail) versus one-to-one mail from a sequencer."""

from __future__ import annotations

import pytest

from gateway.core.signals.bulk import bulk_reason
from gateway.core.signals.outreach import sent_to_many
from tests.mail import make_message
from tests.signals.conftest import SAM, parse


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"List-Id": "<news.shop.example>"}, "list headers"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Feedback-ID": "1:news:shop:esp"}, "mailing platform header Feedback-ID"),
        ({"X-SES-Outgoing": "2026.12.01-54.240.0.1"}, "mailing platform header X-SES-Outgoing"),
        ({"X-Mailer": "MailChimp Mailer - **CID1234**"}, "X-Mailer: MailChimp"),
        ({"Return-Path": "<bounce-12@bounce.em.sendgrid.net>"}, "sent through sendgrid.net"),
    ],
)
def test_bulk_evidence(headers: dict[str, str], why: str) -> None:
    raw = make_message("news@shop.example", SAM, "This week", "New arrivals.\n", headers=headers)
    assert bulk_reason(parse(raw)).startswith(why)


def test_one_to_one_mail_with_an_unsubscribe_header_is_not_bulk() -> None:
    headers = {"List-Unsubscribe": "<https://t.agency.example/u/1>"}
    raw = make_message("kim@agency.example", SAM, "Idea", "Hi Sam, one idea.\n", headers=headers)
    assert bulk_reason(parse(raw)) == ""


def test_a_sales_tool_is_never_bulk_whatever_relays_it() -> None:
    headers = {"Feedback-ID": "1:seq:agency:esp", "X-Mailer": "lemlist"}
    msg = parse(make_message("kim@agency.example", SAM, "Idea", "Hi Sam, one idea.\n", headers=headers))
    assert bulk_reason(msg) and sent_to_many(msg) == ""


def test_templated_html_of_many_links_is_bulk() -> None:
    links = "".join(f'<a href="https://shop.example/p/{i}">item {i}</a> ' for i in range(9))
    html = f"<html><body><p>Our picks</p>{links}</body></html>"
    raw = (
        "From: news@shop.example\r\nTo: sam.okafor@example.com\r\nSubject: Picks\r\nMessage-ID: <n1@shop>\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    ).encode()
    assert bulk_reason(parse(raw)).startswith("templated HTML with 9 links")
