"""Measure pitchgate on generated mailboxes: `python -m tests.scenarios2.measure --seeds 1 2 3 --out DIR`.

For each seed it generates a mailbox (tests/scenarios2/generate.py), runs `pitchgate replay MBOX --local-domain D
--format jsonl`, joins the verdicts with the labels by Message-ID and counts, overall, by kind, by language and
by seed: follow-ups quarantined, first pitches flagged (tag or quarantine), wanted mail quarantined and flagged.
When replay's lines carry "recipients": {address: action}, every recipient counts once with its own label.
Prints a table, writes DIR/report.json (figures and every miss), and never asserts the goals: it is a report.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.scenarios2 import generate
from tests.scenarios2.world import LOCAL_DOMAIN

GOALS = {
    "followups_quarantined": (">=", 0.95),
    "firsts_flagged": (">=", 0.90),
    "wanted_quarantined": ("<=", 0.001),
    "wanted_flagged": ("<=", 0.01),
}
FLAGGED = {"tag", "quarantine"}


@dataclass(frozen=True)
class Judged:
    """One judged unit (a message, or one recipient's copy of it) with its label and verdict."""

    seed: int
    message_id: str
    recipient: str
    label: str
    kind: str
    language: str
    scenario: str
    action: str
    score: float
    symbols: dict[str, float]


def replay(mbox: Path, out: Path, local_domain: str = LOCAL_DOMAIN, config: Path | None = None) -> float:
    """Run `pitchgate replay` on the mailbox (with a configuration file if given), verdict lines into out; return seconds."""
    exe = shutil.which("pitchgate") or str(Path(sys.executable).with_name("pitchgate"))
    command = [exe, "replay", str(mbox), "--local-domain", local_domain, "--format", "jsonl"]
    if config is not None:
        command[2:2] = ["--config", str(config)]
    started = time.monotonic()
    with out.open("w", encoding="utf-8") as fh:
        subprocess.run(
            command, stdout=fh, stderr=subprocess.DEVNULL, check=True, env={**os.environ, "TQDM_DISABLE": "1"}
        )
    return time.monotonic() - started


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip().startswith("{")]


def join(
    seed: int, labels: list[dict[str, Any]], verdicts: list[dict[str, Any]]
) -> tuple[list[Judged], list[str]]:
    """Judged units for every labelled message replay judged (outbound is not judged); and labels replay never printed."""
    by_id = {str(v.get("message_id", "")).strip(): v for v in verdicts if "message_id" in v}
    units: list[Judged] = []
    missing: list[str] = []
    for row in labels:
        mid = str(row["message_id"])
        verdict = by_id.get(mid)
        if verdict is None:
            missing.append(mid)
            continue
        if verdict.get("direction") == "outbound" or row["direction"] == "outbound":
            continue
        units.extend(_units(seed, row, verdict))
    return units, missing


def _units(seed: int, row: dict[str, Any], verdict: dict[str, Any]) -> Iterable[Judged]:
    labels: dict[str, str] = row.get("recipients") or {}
    per_recipient: dict[str, str] = verdict.get("recipients") or {}
    if not per_recipient:
        per_recipient = {"": str(verdict.get("would") or verdict.get("action"))}
    for address, action in per_recipient.items():
        yield Judged(
            seed=seed,
            message_id=str(row["message_id"]),
            recipient=address,
            label=str(labels.get(address.lower(), row["label"])),
            kind=str(row["kind"]),
            language=str(row["language"]),
            scenario=str(row["scenario"]),
            action=str(action),
            score=float(verdict.get("score") or 0.0),
            symbols=dict(verdict.get("symbols") or {}),
        )


def rates(units: list[Judged]) -> dict[str, float | int | None]:
    """The four figures of issue 13 (None when a group has no unit of that label) and the counts under them."""
    fu = [u for u in units if u.label == "pitch_followup"]
    first = [u for u in units if u.label == "pitch_first"]
    wanted = [u for u in units if u.label == "wanted"]

    def share(group: list[Judged], actions: set[str]) -> float | None:
        return sum(u.action in actions for u in group) / len(group) if group else None

    return {
        "followups": len(fu),
        "followups_quarantined": share(fu, {"quarantine"}),
        "firsts": len(first),
        "firsts_flagged": share(first, FLAGGED),
        "wanted": len(wanted),
        "wanted_quarantined": share(wanted, {"quarantine"}),
        "wanted_flagged": share(wanted, FLAGGED),
    }


def is_miss(unit: Judged) -> bool:
    if unit.label == "pitch_followup":
        return unit.action != "quarantine"
    if unit.label == "pitch_first":
        return unit.action not in FLAGGED
    return unit.action in FLAGGED


def breakdown(units: list[Judged]) -> dict[str, dict[str, dict[str, float | int | None]]]:
    groups: dict[str, dict[str, list[Judged]]] = {
        "kind": defaultdict(list),
        "language": defaultdict(list),
        "seed": defaultdict(list),
    }
    for u in units:
        groups["kind"][u.kind].append(u)
        groups["language"][u.language].append(u)
        groups["seed"][str(u.seed)].append(u)
    return {
        name: {key: rates(members) for key, members in sorted(group.items())}
        for name, group in groups.items()
    }


def goals(overall: dict[str, float | int | None]) -> dict[str, str]:
    verdicts = {}
    for name, (op, target) in GOALS.items():
        value = overall[name]
        ok = value is not None and (value >= target if op == ">=" else value <= target)
        verdicts[name] = f"{'met' if ok else 'MISSED'} ({op} {target:.1%})"
    return verdicts


def _pct(value: float | int | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def table(report: dict[str, Any]) -> str:
    """The figures as a text table: overall, then by kind, language and seed."""
    head = f"{'group':34} {'fu n':>6} {'fu quar':>8} {'1st n':>6} {'1st flag':>8} {'want n':>7} {'w quar':>7} {'w flag':>7}"
    lines = [head, "-" * len(head)]

    def row(name: str, r: dict[str, float | int | None]) -> str:
        return (
            f"{name:34} {r['followups']:>6} {_pct(r['followups_quarantined']):>8} {r['firsts']:>6} {_pct(r['firsts_flagged']):>8}"
            f" {r['wanted']:>7} {_pct(r['wanted_quarantined']):>7} {_pct(r['wanted_flagged']):>7}"
        )

    lines.append(row("OVERALL", report["overall"]))
    for name, group in report["by"].items():
        lines.append(f"-- by {name}")
        lines.extend(row(f"  {key}", r) for key, r in group.items())
    lines.append("goals: " + ", ".join(f"{k} {v}" for k, v in report["goals"].items()))
    return "\n".join(lines)


def measure(
    seeds: list[int], out: Path, scale: float = 1.0, days: int = 75, config: Path | None = None
) -> dict[str, Any]:
    """Generate, replay and count every seed; write out/report.json and return the report."""
    units: list[Judged] = []
    missing: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    for seed in seeds:
        where = out / f"seed-{seed}"
        mbox, labels_path = generate.write(generate.build(seed, days, scale), where)
        seconds[str(seed)] = round(replay(mbox, where / "verdicts.jsonl", config=config), 1)
        judged, lost = join(seed, read_jsonl(labels_path), read_jsonl(where / "verdicts.jsonl"))
        units += judged
        missing[str(seed)] = lost
    overall = rates(units)
    misses = [asdict(u) for u in units if is_miss(u)]
    report: dict[str, Any] = {
        "seeds": seeds,
        "scale": scale,
        "days": days,
        "units": len(units),
        "replay_seconds": seconds,
        "per_recipient": any(u.recipient for u in units),
        "overall": overall,
        "goals": goals(overall),
        "by": breakdown(units),
        "missing_from_replay": missing,
        "misses": misses,
    }
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return report


def print_misses(misses: list[dict[str, Any]], limit: int) -> None:
    for m in misses[:limit]:
        symbols = ", ".join(f"{k}({v})" for k, v in sorted(m["symbols"].items(), key=lambda kv: -abs(kv[1])))
        print(
            f"  {m['label']:14} {m['kind']:22} {m['language']} {m['scenario']:14} {m['action']:10} {m['score']:6.2f}  {symbols}"
        )
    if len(misses) > limit:
        print(f"  ... {len(misses) - limit} more in report.json")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=75)
    parser.add_argument(
        "--config",
        type=Path,
        help="a configuration file for replay (e.g. trusting our MX's Authentication-Results)",
    )
    parser.add_argument(
        "--misses", type=int, default=40, help="how many misses to print (all are in report.json)"
    )
    args = parser.parse_args(argv)
    report = measure(args.seeds, args.out, args.scale, args.days, args.config)
    print(table(report))
    print(f"misses ({len(report['misses'])}):")
    print_misses(report["misses"], args.misses)
    print(f"report: {args.out / 'report.json'}; replay seconds per seed: {report['replay_seconds']}")


if __name__ == "__main__":
    main()
