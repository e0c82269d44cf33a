"""`pitchgate replay` and `pitchgate scan` on real files: mbox, Maildir and plain directories."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

from tests.mail import make_message
from tests.procs import run

DAY = 86400.0
T0 = 1_767_225_600.0  # 2026-01-01


def _mailbox_messages() -> list[bytes]:
    # Deliberately out of order: replay must sort by Date.
    return [
        make_message(
            "carol@vendor.test",
            "bob@example.com",
            "Re: pricing",
            "Here are our prices.\n",
            message_id="<answer@vendor.test>",
            date=T0 + 2 * DAY,
            headers={"In-Reply-To": "<ask@example.com>", "Delivered-To": "bob@example.com"},
        ),
        make_message(
            "bob@example.com",
            "carol@vendor.test",
            "pricing",
            "What do you charge?\n",
            message_id="<ask@example.com>",
            date=T0 + DAY,
        ),
        make_message(
            "x@stranger.test",
            "bob@example.com",
            "Re: our chat",
            "Following up on my last email.\n",
            message_id="<fake@stranger.test>",
            date=T0 + 3 * DAY,
        ),
    ]


def _write_mbox(path: Path, messages: list[bytes]) -> None:
    box = mailbox.mbox(str(path))
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()


async def test_replay_jsonl_in_date_order_with_reply_tracking(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    _write_mbox(path, _mailbox_messages())
    result = await run("replay", str(path), "--local-domain", "example.com", "--format", "jsonl")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["message_id"] for r in rows] == [
        "<ask@example.com>",
        "<answer@vendor.test>",
        "<fake@stranger.test>",
    ]
    for row in rows:
        assert set(row) >= {"message_id", "date", "direction", "action", "score", "symbols"}
        assert row["action"] in ("pass", "tag", "quarantine")
    assert [r["direction"] for r in rows] == ["outbound", "inbound", "inbound"]
    assert "REPLY_TO_OURS" in rows[1]["symbols"]
    assert "FAKE_REPLY" in rows[2]["symbols"]
    assert "action" in result.err and "FAKE_REPLY" in result.err  # the summary goes to stderr for jsonl


async def test_replay_reads_maildir_and_directories(tmp_path: Path) -> None:
    messages = _mailbox_messages()
    maildir = mailbox.Maildir(str(tmp_path / "md"), create=True)
    for raw in messages[:2]:
        maildir.add(raw)
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "one.eml").write_bytes(messages[2])
    result = await run("replay", str(tmp_path / "md"), str(plain), "--format", "jsonl")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert len(rows) == 3
    assert {r["direction"] for r in rows} == {"inbound"}  # no local domain: everything is inbound


async def test_replay_table_ends_with_summary(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    _write_mbox(path, _mailbox_messages())
    result = await run("replay", str(path), "--local-domain", "example.com")
    assert result.code == 0, result.err
    assert "action" in result.out and "symbol" in result.out and "REPLY_TO_OURS" in result.out


async def test_replay_with_state_dir_keeps_state(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    messages = _mailbox_messages()
    _write_mbox(path, messages[1:2])
    state = tmp_path / "state"
    assert (
        await run("replay", str(path), "--local-domain", "example.com", "--state-dir", str(state))
    ).code == 0
    answer = tmp_path / "answer.eml"
    answer.write_bytes(messages[0])
    scanned = await run(
        "scan", str(answer), "--local-domain", "example.com", "--state-dir", str(state), "--format", "json"
    )
    assert scanned.code == 0, scanned.err
    verdict = json.loads(scanned.out)
    assert "REPLY_TO_OURS" in verdict["symbols"]
    assert verdict["evidence"]["REPLY_TO_OURS"].startswith("answers <ask@example.com>")


async def test_scan_explain_shows_evidence(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(
        make_message(
            "x@stranger.test",
            "bob@example.com",
            "Re: quick question",
            "We help companies grow. Book a quick call?\n",
        )
    )
    result = await run("scan", str(path), "--explain", "--state-dir", str(tmp_path / "s"))
    assert result.code == 0, result.err
    assert "FAKE_REPLY" in result.out and "reply subject with no thread" in result.out
    assert "NO_UNSUBSCRIBE_COMMERCIAL" in result.out
