"""Plain-language reasons: every symbol of every registered signal has one, and records render in words."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.core.reasons import ordinal, reason_for, record_reasons, templates, top_reason
from gateway.core.signals import SIGNALS
from gateway.store.base import QuarantineRecord


def _record(symbols: dict[str, float], **extra: str) -> QuarantineRecord:
    return QuarantineRecord(
        "q1", "<m@x>", "sam@pitcher.test", ("bob@example.com",), "Hi", 17.0, symbols, 1e9, extra=extra
    )


def test_every_symbol_of_every_signal_has_a_sentence() -> None:
    for factory in SIGNALS:
        assert set(factory.reasons) == set(factory.symbols), factory.name
        for symbol in factory.symbols:
            sentence = reason_for(symbol, 1.0, "some evidence")
            assert sentence and symbol not in sentence and "{" not in sentence, symbol


def test_ordinals_and_fields() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "103rd", "111th",
    ]  # fmt: skip
    assert reason_for("FOLLOWUP_UNANSWERED_3", 1.0) == "3rd message from this sender with no answer from you"
    assert (
        reason_for("FOLLOWUP_PHRASE", 1.0, "'just following up'")
        == "uses follow-up wording: 'just following up'"
    )
    assert "lemlist" in reason_for("OUTREACH_TOOL", 1.0, "lemlist")
    assert templates()["CONTENT_PITCH"] == "reads like a sales pitch"


def test_an_unknown_symbol_still_reads_as_a_sentence() -> None:
    assert reason_for("CUSTOM_RULE", 1.0) == "matched the check CUSTOM_RULE"
    assert reason_for("CUSTOM_RULE", 1.0, "x" * 1000).endswith("…")


def test_a_record_lists_its_reasons_strongest_first_with_a_deciding_block_entry_on_top() -> None:
    record = _record({"BOOKING_LINK": 1.5, "FOLLOWUP_UNANSWERED_3": 12.0, "LIST_UNSUBSCRIBE": -1.0})
    assert [r.symbol for r in record_reasons(record)] == [
        "FOLLOWUP_UNANSWERED_3",
        "BOOKING_LINK",
        "LIST_UNSUBSCRIBE",
    ]
    assert top_reason(record) == "3rd message from this sender with no answer from you"
    blocked = _record({"BOOKING_LINK": 1.5}, list="block:pitcher.test")
    assert top_reason(blocked) == "the sender (pitcher.test) is on a block list"
    assert top_reason(_record({})) == "its score reached the quarantine line"


@dataclass(frozen=True)
class _WithEvidence(QuarantineRecord):
    """A record carrying stored evidence lines, as QuarantineRecord.evidence will (helper `verdicts`)."""

    evidence: tuple[tuple[str, float, str], ...] = ()


def test_stored_evidence_is_used_when_the_record_has_it() -> None:
    record = _WithEvidence(
        "q1", "<m@x>", "sam@pitcher.test", ("bob@example.com",), "Hi", 13.5, {"FOLLOWUP_PHRASE": 1.5}, 1e9,
        evidence=(("FOLLOWUP_PHRASE", 1.5, "'bumping this'"), ("FOLLOWUP_UNANSWERED_2", 11.0, "touch 2 from sam")),
    )  # fmt: skip
    reasons = record_reasons(record)
    assert [(r.symbol, r.evidence) for r in reasons] == [
        ("FOLLOWUP_UNANSWERED_2", "touch 2 from sam"),
        ("FOLLOWUP_PHRASE", "'bumping this'"),
    ]
    assert reasons[1].sentence == "uses follow-up wording: 'bumping this'"
