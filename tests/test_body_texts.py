"""The body's text parts come from mail-parser's own MIME walk with its header work skipped
(gateway/body.py `_TextParts`): they must be exactly what the whole `MailParser` gives, on real mail
(SpamAssassin ham and spam from ../shared/corpus, broken MIME included) and on the scenario mailboxes."""

from __future__ import annotations

import email.message
import tempfile
from pathlib import Path

import mailparser
import pytest

from gateway.core.body import bounded_parse, texts
from gateway.core.limits import ScanLimits
from gateway.core.mailsource import iter_messages
from tests.scenarios.generate import generate
from tests.scenarios.measure import HAM_ROOT

FOLDERS = (("easy_ham", 300), ("hard_ham", 249), ("spam", 500), ("spam_2", 300))


def _corpus() -> list[tuple[str, bytes]]:
    found = []
    for folder, count in FOLDERS:
        path = HAM_ROOT / folder
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file())[:count]
            found += list(iter_messages(files))
    return found


def _whole(parsed: email.message.Message) -> tuple[str, str]:
    mail = mailparser.MailParser(parsed)
    return "\n".join(mail.text_plain), "\n".join(mail.text_html)


def _same(messages: list[tuple[str, bytes]]) -> None:
    differ = []
    for name, raw in messages:
        parsed = bounded_parse(raw, ScanLimits(), [])
        if texts(parsed) != _whole(parsed):
            differ.append(name)
    assert not differ, f"{len(differ)} of {len(messages)} differ, first: {differ[:3]}"


def test_text_parts_match_the_whole_parser_on_real_mail() -> None:
    messages = _corpus()
    if not messages:
        pytest.skip(f"SpamAssassin corpus not found under {HAM_ROOT}")
    _same(messages)


def test_text_parts_match_the_whole_parser_on_the_scenarios() -> None:
    with tempfile.TemporaryDirectory() as temp:
        messages = list(iter_messages(generate(Path(temp)).mailboxes))
    assert len(messages) > 500
    _same(messages)


def test_text_parts_of_multipart_mail() -> None:
    raw = (
        b'Content-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; '
        b"charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9\r\n--b\r\n"
        b"Content-Type: text/html\r\n\r\n<p>Caf&eacute;</p>\r\n--b--\r\n"
    )
    assert texts(bounded_parse(raw, ScanLimits(), [])) == ("Café", "<p>Caf&eacute;</p>")
