"""The parsed message: what signals see, derived once from real bytes, and never an exception."""

from __future__ import annotations

from gateway.core.message import Direction, Envelope, Message, direction_of, split_reply
from tests.mail import make_message

LOCAL = frozenset({"example.com"})


def test_visible_text_drops_quotes_and_signature_but_keeps_bullet_lists() -> None:
    body = (
        "Hi Bob,\n\nWe offer:\n- SEO audits\n- link building\n\nWorth a chat?\n\nBest,\nJane\n--\nJane Doe\n\n"
        "On Mon, Jan 5, 2026 at 10:00 AM Jane <jane@x.example> wrote:\n> earlier pitch text\n"
    )
    parts = split_reply(body)
    assert "- link building" in parts.body and "Worth a chat?" in parts.body
    assert "earlier pitch text" not in parts.body and "earlier pitch text" in parts.quoted
    assert "Jane Doe" in parts.signature


def test_headers_are_decoded_and_ids_extracted() -> None:
    raw = make_message(
        '"Doe, Jane" <Jane@Partner.Example>',
        subject="=?utf-8?q?Caf=C3=A9_menu?=",
        message_id="<abc@x>",
        headers={"In-Reply-To": "<p1@x> garbage", "References": "<r1@x>\r\n <r2@x>"},
    )
    msg = Message.from_bytes(raw)
    assert msg.subject == "Café menu"
    assert (msg.from_name, msg.from_addr) == ("Doe, Jane", "jane@partner.example")
    assert msg.message_id == "<abc@x>"
    assert msg.in_reply_to == ("<p1@x>",) and msg.references == ("<r1@x>", "<r2@x>")
    assert msg.date is not None


def test_html_only_mail_gives_text_links_and_images() -> None:
    raw = (
        b"From: a@b.example\r\nSubject: hi\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b'<p>Book a time: <a href="https://calendly.example/x">here</a></p>'
        b'<img src="https://t.example/open.gif" width="1" height="1">'
    )
    msg = Message.from_bytes(raw)
    assert "Book a time" in msg.text
    assert "https://calendly.example/x" in msg.links
    assert msg.html.images == (("https://t.example/open.gif", "1", "1"),)


def test_garbage_never_raises() -> None:
    for raw in (b"", b"\x00\xff\xfe" * 100, b"no headers at all", b"Subject: =?x?B?!!!?=\r\n\r\n\xff"):
        msg = Message.from_bytes(raw)
        assert (
            isinstance(msg.subject, str)
            and isinstance(msg.visible_text, str)
            and isinstance(msg.links, tuple)
        )


def test_direction_follows_the_local_domains() -> None:
    assert direction_of("a@partner.example", ("bob@example.com",), LOCAL) is Direction.INBOUND
    assert direction_of("bob@example.com", ("carol@example.com",), LOCAL) is Direction.INTERNAL
    assert direction_of("bob@example.com", ("carol@vendor.example",), LOCAL) is Direction.OUTBOUND
    assert direction_of("bob@example.com", ("carol@vendor.example",), frozenset()) is Direction.INBOUND


def test_automatic_mail_is_recognised() -> None:
    def automatic(headers: dict[str, str], mail_from: str = "bob@example.com") -> str:
        raw = make_message(headers=headers)
        return Message.from_bytes(raw, Envelope(mail_from, ("a@partner.example",))).automatic

    assert automatic({"Auto-Submitted": "auto-replied"}) == "Auto-Submitted: auto-replied"
    assert automatic({"Auto-Submitted": "auto-notified; owner-email=bob@example.com"})
    assert automatic({"Precedence": "auto_reply"})
    assert automatic({}, mail_from="") == "null envelope sender (a bounce)"
    assert automatic({"Auto-Submitted": "no"}) == "" and automatic({}) == ""
