"""Replay the golden corpus through the serve pipeline and return one row per message.

The corpus: the scenario generator's mailboxes at its default seed (replayed with the scenario config and
`example.com` local, so consent and cadence are learned from the owners' Sent folders), and a fixed slice
of SpamAssassin easy_ham and hard_ham from ../shared/corpus (replayed with no local domain). Each message
goes through `Pipeline.scan`, the path `serve` takes (inline or the scanning pool), then `commit`, with the
clock on the message's Date as `pitchgate replay` sets it.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.app import build_app
from gateway.clock import ManualClock
from gateway.core.message import Message
from gateway.fronts.replay.runner import ordered
from gateway.settings import load_settings
from tests.scenarios.generate import DEFAULT_SEED, LOCAL_DOMAIN, generate
from tests.scenarios.measure import HAM_ROOT

GOLDEN = Path(__file__).with_name("verdicts.jsonl")
HAM_SLICE = (("easy_ham", 150), ("hard_ham", 50))
"""Which SpamAssassin folders, and how many of each one's files in name order."""
TRUSTED_AUTHSERV = ["mx.example.com"]
SCAN_SECONDS = 300.0
SCORE_DIGITS = 9
"""Scores are compared to 9 decimals: the weight table's sums, not the last bit of a float."""


@dataclass(frozen=True)
class Batch:
    """One replay: its messages in order, and the local domains it runs with (its own fresh store)."""

    name: str
    paths: tuple[Path, ...]
    local_domains: tuple[str, ...]
    root: Path


def ham_files(root: Path = HAM_ROOT) -> list[Path]:
    """The fixed slice of real ham; empty when the shared corpus is not there."""
    files: list[Path] = []
    for folder, count in HAM_SLICE:
        path = root / folder
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))[:count]
    return files


def batches(workdir: Path) -> list[Batch]:
    manifest = generate(workdir / "scenarios", DEFAULT_SEED)
    found = [Batch("scenarios", tuple(manifest.mailboxes), (LOCAL_DOMAIN,), workdir / "scenarios")]
    ham = ham_files()
    if ham:
        found.append(Batch("ham", tuple(ham), (), HAM_ROOT))
    return found


def _row(batch: Batch, name: str, msg: Message, verdict: Any) -> dict[str, Any]:
    return {
        "corpus": batch.name,
        "file": Path(name.split("#")[0]).relative_to(batch.root).as_posix() + _index(name),
        "message_id": msg.message_id,
        "action": str(verdict.action),
        "score": round(verdict.score, SCORE_DIGITS),
        "symbols": {k: round(v, SCORE_DIGITS) for k, v in sorted(verdict.symbols.items())},
        "status": verdict.status,
        "would": str(verdict.would) if verdict.would else None,
    }


def _index(name: str) -> str:
    return "#" + name.split("#", 1)[1] if "#" in name else ""


async def _replay(batch: Batch, state: Path, redis_url: str) -> list[dict[str, Any]]:
    store: dict[str, Any] = {"redis_url": redis_url} if redis_url else {"state_dir": str(state)}
    settings = load_settings(
        None,
        {
            "server": {"local_domains": list(batch.local_domains)},
            "store": store,
            "auth": {"trusted_authserv_ids": TRUSTED_AUTHSERV},
            # A loaded machine must not turn a slow scan into an "unscanned (timeout)" verdict.
            "scan": {"timeout": SCAN_SECONDS, "pool_deadline": SCAN_SECONDS},
        },
    )
    clock = ManualClock()
    app = build_app(settings, clock)
    rows = []
    try:
        for name, loaded in ordered(batch.paths, frozenset(batch.local_domains)):
            if loaded.date is not None:
                clock.set(max(clock.now(), loaded.date))
            msg, verdict = await app.pipeline.scan(loaded.raw, loaded.envelope)
            await app.pipeline.commit(msg, verdict)
            rows.append(_row(batch, name, msg, verdict))
    finally:
        await app.close()
    return rows


def golden_rows(redis_urls: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Every row of every batch. With `redis_urls` (one empty database per batch), the Redis store is used
    instead of the embedded SQLite one."""
    with tempfile.TemporaryDirectory(prefix="pitchgate-golden-") as temp:
        rows: list[dict[str, Any]] = []
        for index, batch in enumerate(batches(Path(temp))):
            url = redis_urls[index] if redis_urls else ""
            rows += asyncio.run(_replay(batch, Path(temp) / f"state-{batch.name}", url))
        return rows
