"""The second scenario generator: deterministic per seed, real parseable mail, every kind in every language, and
measure.py running end to end on a small mailbox through the real `pitchgate replay` (it reports, it asserts no goal)."""

from __future__ import annotations

import email
import email.parser
import email.policy
import json
import mailbox
from pathlib import Path

import pytest

from gateway.core.message import Message
from tests.scenarios2 import generate, measure
from tests.scenarios2.mail import LABELS, Mail
from tests.scenarios2.phrases import BANKS
from tests.scenarios2.render import render
from tests.scenarios2.world import LANGUAGES, LOCAL_DOMAIN

# Every kind of inbound or internal mail the generator claims, each in all five languages.
CLAIMED_KINDS = {
    "sequence",
    "rotating_sender",
    "declined_then_more",
    "engaged_pitch",
    "linkedin_pitch",
    "one_off_pitch",
    "looped_in",
    "customer_outage",
    "applicant",
    "journalist",
    "inbound_lead",
    "vendor_webform",
    "friendly",
    "partner",
    "new_connection",
    "linkedin_notification",
    "internal",
    "newsletter",
    "transactional",
    "calendar",
}


@pytest.fixture(scope="module")
def small() -> list[Mail]:
    return generate.build(seed=5, days=30, scale=0.1)


@pytest.fixture(scope="module")
def raw(small: list[Mail]) -> dict[str, bytes]:
    """Each message's bytes, rendered once for the module (rendering is most of the generator's time)."""
    return {m.message_id: render(m) for m in small}


def test_same_seed_same_bytes_other_seed_other_mail() -> None:
    one = [render(m) for m in generate.build(seed=11, days=6, scale=0.05)]
    again = [render(m) for m in generate.build(seed=11, days=6, scale=0.05)]
    other = [render(m) for m in generate.build(seed=12, days=6, scale=0.05)]
    assert one == again
    assert one != other


def test_every_phrase_bank_fills_the_same_slots() -> None:
    slots = set(BANKS["en"])
    for language in LANGUAGES:
        assert set(BANKS[language]) == slots, language
        assert all(BANKS[language][slot] for slot in slots), language


def test_messages_parse_from_bytes_with_their_headers(small: list[Mail], raw: dict[str, bytes]) -> None:
    ids = set()
    for mail in small:
        parsed = email.message_from_bytes(raw[mail.message_id], policy=email.policy.default)
        assert parsed["Message-ID"] == mail.message_id and parsed["Date"] and parsed["From"]
        assert parsed.get_body(("plain",)) is not None
        ours = Message.from_bytes(raw[mail.message_id])
        assert ours.message_id == mail.message_id
        assert ours.from_addr == mail.sender.address.lower()
        ids.add(mail.message_id)
    assert len(ids) == len(small), "Message-IDs are unique"


def test_replies_answer_an_earlier_message_of_the_box(small: list[Mail], raw: dict[str, bytes]) -> None:
    seen: dict[str, Mail] = {}
    replies = 0
    for mail in small:
        if mail.in_reply_to is not None:
            replies += 1
            parent = seen[mail.in_reply_to.message_id]
            assert parent.when < mail.when
            parsed = email.message_from_bytes(raw[mail.message_id], policy=email.policy.default)
            assert parsed["In-Reply-To"] == parent.message_id
            assert parent.message_id in parsed["References"]
        seen[mail.message_id] = mail
    assert replies > 20


def test_every_kind_in_every_language_with_valid_labels(small: list[Mail]) -> None:
    judged = [m for m in small if generate.direction(m) != "outbound"]
    covered = {(m.kind, m.language) for m in judged}
    missing = {(k, lang) for k in CLAIMED_KINDS for lang in LANGUAGES} - covered
    assert not missing
    assert {m.label for m in small} == set(LABELS)
    assert {generate.direction(m) for m in small} == {"inbound", "outbound", "internal"}
    outbound = [m for m in small if generate.direction(m) == "outbound"]
    assert all(m.sender.address.endswith("@" + LOCAL_DOMAIN) and m.label == "wanted" for m in outbound)


def test_sequencer_marks_and_rotating_senders(small: list[Mail]) -> None:
    pitches = [m for m in small if m.label.startswith("pitch")]
    assert any("List-Unsubscribe" in m.headers for m in pitches)
    assert any(m.html and 'width="1"' in m.html for m in pitches)
    assert any(m.calendar for m in pitches)
    rotating: dict[str, set[str]] = {}
    for m in pitches:
        if m.kind == "rotating_sender":
            rotating.setdefault(m.scenario, set()).add(m.sender.domain)
    assert any(len(domains) > 1 for domains in rotating.values())
    resent = [
        m
        for m in pitches
        if m.label == "pitch_followup"
        and m.in_reply_to is None
        and m.sender.name in m.text.split("\n\n", 3)[-1]
    ]
    assert resent, "some follow-ups forward the first pitch again"


def test_one_copy_can_be_wanted_by_one_recipient_and_a_pitch_to_another(small: list[Mail]) -> None:
    looped = [m for m in small if m.kind == "looped_in" and m.cc]
    assert looped
    for mail in looped:
        row = mail.label_row(generate.direction(mail))
        assert row["label"] == "wanted"
        recipients = row["recipients"]
        assert isinstance(recipients, dict)
        assert sorted(recipients.values()) == ["pitch_first", "wanted"]


def test_written_mailbox_and_labels_match(tmp_path: Path, small: list[Mail], raw: dict[str, bytes]) -> None:
    box_path, labels_path = generate.write(small, tmp_path, raw)
    rows = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines()]
    stored = [
        email.message_from_bytes(mailbox.mbox(str(box_path)).get_bytes(k))
        for k in mailbox.mbox(str(box_path)).iterkeys()
    ]
    assert [r["message_id"] for r in rows] == [m["Message-ID"] for m in stored]
    assert all(r["label"] in LABELS and r["language"] in LANGUAGES for r in rows)


def test_measure_runs_end_to_end_on_a_small_mailbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "pitchgate.toml"
    config.write_text(f'[auth]\ntrusted_authserv_ids = ["mx.{LOCAL_DOMAIN}"]\n', encoding="utf-8")
    argv = ["--seeds", "2", "--out", str(tmp_path), "--scale", "0.05", "--days", "8", "--config", str(config)]
    measure.main(argv)
    printed = capsys.readouterr().out
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    labels = [
        json.loads(line)
        for line in (tmp_path / "seed-2" / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    judged = [r for r in labels if r["direction"] != "outbound"]
    overall = report["overall"]
    assert report["missing_from_replay"] == {"2": []}
    # With replay's per-recipient actions each local recipient of a message is one unit, else each message.
    units = sum(len(r["recipients"]) for r in judged) if report["per_recipient"] else len(judged)
    assert overall["followups"] + overall["firsts"] + overall["wanted"] == units == report["units"]
    assert set(report["by"]["language"]) == set(LANGUAGES)
    assert set(report["goals"]) == set(measure.GOALS)
    assert len(report["misses"]) == sum(measure.is_miss(measure.Judged(**m)) for m in report["misses"])
    assert "OVERALL" in printed and "goals:" in printed
