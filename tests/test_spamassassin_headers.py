"""SpamAssassin-compatible headers: the exact formats SpamAssassin writes, and what a real sink receives."""

from __future__ import annotations

import email
from pathlib import Path

import aiosmtplib
import pytest

from gateway.actions.headers import HeaderStyle, verdict_headers
from gateway.actions.spamassassin import SpamHeaders, score_text, stars
from gateway.core.policy import Action, ScoredHit, Verdict
from gateway.core.signals.base import Hit
from gateway.errors import ConfigError
from tests.mail import make_message
from tests.smtp_helpers import Sink, make_settings, start_gateway


def _headers(verdict: Verdict, style: HeaderStyle | None = None) -> email.message.Message:
    return email.message_from_bytes(verdict_headers(verdict, style or HeaderStyle()) + b"\r\n")


@pytest.mark.parametrize(
    ("action", "yesno"), [(Action.PASS, "No"), (Action.TAG, "Yes"), (Action.QUARANTINE, "Yes")]
)
def test_status_says_yes_for_tag_and_quarantine(action: Action, yesno: str) -> None:
    hits = (ScoredHit(Hit("ZED", 1.0), 1.0), ScoredHit(Hit("ALPHA", 1.0), 2.0))
    status = _headers(Verdict(action, 3.0, hits))["X-Spam-Status"]
    # SpamAssassin lists tests sorted, comma-separated without spaces.
    assert status == f"{yesno}, score=3.0 required=5.0 tests=ALPHA,ZED"


@pytest.mark.parametrize(
    ("score", "level"), [(-3.5, ""), (0.0, ""), (0.99, ""), (1.0, "*"), (7.9, "*******"), (80.0, "*" * 50)]
)
def test_level_is_int_score_stars(score: float, level: str) -> None:
    assert stars(score) == level
    assert _headers(Verdict(Action.PASS, score))["X-Spam-Level"] == level


def test_score_has_one_decimal_and_never_contradicts_no() -> None:
    assert score_text(Verdict(Action.TAG, 7.25), 5.0) == "7.2"
    assert score_text(Verdict(Action.PASS, -0.04), 5.0) == "-0.0"
    # Not spam (shadow mode, allow list) but above the threshold: SpamAssassin shows required - 0.1.
    assert score_text(Verdict(Action.PASS, 12.0, would=Action.QUARANTINE), 5.0) == "4.9"
    assert score_text(Verdict(Action.PASS, 4.96), 5.0) == "4.9"
    assert score_text(Verdict(Action.QUARANTINE, 1.0), 5.0) == "1.0"  # a block list holds it: Yes


def test_long_test_lists_fold_after_commas() -> None:
    hits = tuple(ScoredHit(Hit(f"SYMBOL_NUMBER_{i:02}", 1.0), 1.0) for i in range(30))
    block = verdict_headers(Verdict(Action.TAG, 30.0, hits), HeaderStyle())
    status = block[block.index(b"X-Spam-Status") :]
    assert all(len(line) <= 78 for line in status.split(b"\r\n"))
    assert status.count(b"\r\n\t") >= 5
    value = email.message_from_bytes(block + b"\r\n")["X-Spam-Status"]
    tests = value.partition("tests=")[2].replace("\r\n", "").replace("\t", "")
    assert tests.split(",") == [f"SYMBOL_NUMBER_{i:02}" for i in range(30)]


def test_each_header_can_be_renamed_or_left_out() -> None:
    style = HeaderStyle(spam=SpamHeaders(status="", score="X-Pitch-Score", level=""))
    parsed = _headers(Verdict(Action.TAG, 6.0), style)
    assert parsed["X-Pitch-Score"] == "6.0"
    assert parsed["X-Spam-Status"] is None and parsed["X-Spam-Level"] is None


def test_a_header_name_cannot_inject_a_header(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"policy\.spam_status_header"):
        make_settings(tmp_path, 1, policy={"spam_status_header": "X-Status: No\r\nX-Other"})


async def test_sink_receives_spamassassin_headers_with_the_tag_threshold(sink: Sink, tmp_path: Path) -> None:
    # A negative tag threshold tags every message, so the plain test mail shows "Yes" and required=-1.0.
    settings = make_settings(tmp_path, sink.port, policy={"tag_score": -1.0})
    gw = await start_gateway(settings)
    try:
        raw = make_message(
            sender="a@partner.test", headers={"X-Spam-Status": "No, score=-9.0", "X-Spam-Level": "x"}
        )
        await aiosmtplib.send(
            raw, sender="a@partner.test", recipients=["bob@example.com"], hostname="127.0.0.1", port=gw.port
        )
    finally:
        await gw.stop()
    parsed = email.message_from_bytes(sink.received[0].data)
    score = parsed["X-Pitchgate-Score"]
    assert parsed.get_all("X-Spam-Status") == [
        f"Yes, score={float(score):.1f} required=-1.0 tests={_tests(parsed)}"
    ]
    assert parsed.get_all("X-Spam-Score") == [f"{float(score):.1f}"]
    assert parsed.get_all("X-Spam-Level") == ["*" * max(int(float(score)), 0)]


def _tests(parsed: email.message.Message) -> str:
    symbols = str(parsed["X-Pitchgate-Symbols"])
    if symbols == "none":
        return "none"
    return ",".join(sorted(s.strip().partition("(")[0] for s in symbols.split(",")))
