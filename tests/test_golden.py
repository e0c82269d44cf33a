"""Every verdict, score and symbol of the golden corpus is what tests/golden/verdicts.jsonl says, with the
embedded SQLite store and with a real Redis (127.0.0.1:6379): a change made for speed must not move one.

After a deliberate detection change, regenerate the file with `python -m tests.golden.update`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import redis

from tests.golden.replay import GOLDEN, golden_rows, ham_files

# Two databases nobody else's tests use, emptied first: the scenario batch and the ham batch each start
# from an empty store, as the SQLite replay does.
REDIS_URLS = ("redis://127.0.0.1:6379/11", "redis://127.0.0.1:6379/12")


def _golden() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLDEN.read_text().splitlines() if line.strip()]


def _compare(rows: list[dict[str, Any]]) -> None:
    golden = _golden()
    if not ham_files():
        golden = [g for g in golden if g["corpus"] != "ham"]
    assert len(rows) == len(golden), f"{len(rows)} verdicts, golden file has {len(golden)}"
    changed = [(g, r) for g, r in zip(golden, rows, strict=True) if g != r]
    shown = "\n".join(f"  golden {g}\n  now    {r}" for g, r in changed[:5])
    assert not changed, f"{len(changed)} of {len(rows)} verdicts changed:\n{shown}"


def test_golden_file_covers_every_action() -> None:
    actions = {row["action"] for row in _golden()}
    assert {"pass", "tag", "quarantine"} <= actions


def test_verdicts_match_golden_sqlite() -> None:
    _compare(golden_rows())


def test_verdicts_match_golden_redis() -> None:
    for url in REDIS_URLS:
        client = redis.Redis.from_url(url)
        try:
            client.flushdb()
        except redis.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        finally:
            client.close()
    _compare(golden_rows(REDIS_URLS))
