"""Explanations that last (issue 13, item 5): a hold keeps the evidence lines `scan --explain` shows.

A message is held through the real gateway (client -> gateway -> aiosmtpd sink), the gateway stops, and
`pitchgate quarantine show` run afterwards, on the same SQLite directory or Redis database, still says
why, although the weights have changed since; the digest shows the top reason (the review page:
tests/web/test_web_evidence.py).
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import aiosmtplib
import pytest
from click.testing import CliRunner

from gateway.actions.digest import Digest, Entry, compose
from gateway.commands.main import main
from gateway.store._codec import record_from_json, record_to_json
from gateway.store.base import QuarantineRecord
from gateway.store.redis import RedisStore
from tests.mail import make_message
from tests.smtp_helpers import Sink, make_settings, start_gateway

REDIS_URL = "redis://127.0.0.1:6379/12"
BODY = "Hi Bob,\n\nJust bumping this to the top of your inbox: any thoughts?\n\nSam\n"
SCORES = {"FOLLOWUP_PHRASE": 7.0, "CONTENT_PITCH": 0.0}  # held on the phrase alone, whatever the model says


async def _hold_one(tmp_path: Path, backend: str) -> str:
    sink = Sink()
    await sink.start()
    store = {"redis_url": REDIS_URL} if backend == "redis" else {}
    settings = make_settings(tmp_path / "state", sink.port, scores=SCORES, store=store)
    gateway = await start_gateway(settings)
    try:
        raw = make_message(sender="sam@pitcher.test", subject="Following up", body=BODY)
        _, reply = await aiosmtplib.send(
            raw,
            sender="sam@pitcher.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=gateway.port,
        )
    finally:
        await gateway.stop()
        await sink.stop()
    found = re.search(r"queued as (\S+)", reply)
    assert found, reply
    return found.group(1)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_evidence_survives_a_restart_and_shows_in_quarantine_show(tmp_path: Path, backend: str) -> None:
    qid = asyncio.run(_hold_one(tmp_path, backend))
    where = ["--redis-url", REDIS_URL] if backend == "redis" else ["--state-dir", str(tmp_path / "state")]
    try:
        # Weights changed since the hold: a re-scan would now say something else, the record does not.
        config = tmp_path / "later.toml"
        config.write_text("[scores]\nFOLLOWUP_PHRASE = 0.5\n")
        result = CliRunner().invoke(main, ["quarantine", "show", qid, "--config", str(config), *where])
    finally:
        if backend == "redis":
            asyncio.run(RedisStore(REDIS_URL).delete_all())
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout[: result.stdout.index("\n}\n") + 2])
    phrase = [line for line in shown["evidence"] if line["symbol"] == "FOLLOWUP_PHRASE"]
    assert phrase and phrase[0]["contribution"] == 10.5
    assert "bump" in phrase[0]["evidence"].lower()


def test_records_held_before_evidence_was_kept_still_load() -> None:
    record = QuarantineRecord(
        "q-old", "<o@x>", "a@b.test", ("bob@example.com",), "Old", 11.0, {"X": 11.0}, 1e9
    )
    data = json.loads(record_to_json(record, 2e9))
    del data["evidence"]  # as an older version wrote it
    loaded, expires = record_from_json(json.dumps(data))
    assert loaded == record and loaded.evidence == () and expires == 2e9


def _held(evidence: tuple[tuple[str, float, str], ...]) -> QuarantineRecord:
    return QuarantineRecord(
        "q-1", "<1@x>", "sdr@pitcher.test", ("bob@example.com",), "Bump", 12.5, {}, 1e9, evidence=evidence
    )


def test_the_digest_gives_each_message_its_top_evidence_line() -> None:
    """The digest's "Why:" line comes from the kept evidence (the strongest line), not from the symbols."""
    why = (("BOOKING_LINK", 1.5, "calendly.com/sdr"), ("FOLLOWUP_UNANSWERED_2", 11.0, "2nd unanswered touch"))
    url = "https://review.example.com/a/t"
    digest = Digest("bob@example.com", "pg@example.com", "Held", url, [Entry(_held(why), url, url, url)])
    text = compose(digest, 1e9).get_body(("plain",))
    assert text is not None
    lines = [ln for ln in str(text.get_content()).splitlines() if ln.startswith("Why:")]
    assert lines == ["Why:     2nd message from this sender with no answer from you"]
