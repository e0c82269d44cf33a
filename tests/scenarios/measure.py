"""Measure pitchgate on the scenario mailboxes and on real legitimate mail, from `pitchgate replay --format jsonl`.

Scenario figures (goals from issue 3):
- unanswered follow-ups quarantined (goal >= 95%);
- first pitches tagged or quarantined (goal >= 80%);
- wanted mail quarantined (goal <= 0.5%) and tagged (goal <= 2%).
Each miss is listed with its scenario, action, score and symbols, so an engineer can see what failed.

Real legitimate mail: the SpamAssassin ham folders (easy_ham, easy_ham_2, hard_ham under
`<repo>/../shared/corpus/spamassassin/`), replayed with no local domain (everything inbound); tagging
should stay under 3% and quarantine under 0.5%.

The verdict counted is the row's `would` when present (shadow mode) and its `action` otherwise.
`tagged` means the action is exactly "tag"; "tag or quarantine" is reported next to it.

CLI: `python -m tests.scenarios.measure [--out DIR] [--no-ham] [--ham-only] [--json FILE] [--check]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.scenarios.generate import DEFAULT_SEED, LOCAL_DOMAIN, generate, load_labels

REPO_ROOT = Path(__file__).resolve().parents[2]
HAM_ROOT = REPO_ROOT.parent / "shared" / "corpus" / "spamassassin"
HAM_FOLDERS = ("easy_ham", "easy_ham_2", "hard_ham")
# Trust the scenario MX's Authentication-Results, as an admin behind a verifying MX would.
SCENARIO_CONFIG = '[auth]\ntrusted_authserv_ids = ["mx.example.com"]\n'
REPLAY_TIMEOUT = 900.0

# name: (minimum or maximum, threshold in percent)
SCENARIO_GOALS: dict[str, tuple[str, float]] = {
    "followups_quarantined": (">=", 95.0),
    "first_pitches_flagged": (">=", 80.0),
    "wanted_quarantined": ("<=", 0.5),
    "wanted_tagged": ("<=", 2.0),
}
HAM_GOALS: dict[str, tuple[str, float]] = {"tagged": ("<", 3.0), "quarantined": ("<", 0.5)}


class ReplayError(RuntimeError):
    """`pitchgate replay` failed; the message carries its stderr."""


@dataclass(frozen=True)
class Rate:
    """hits out of total, shown as a count and a percentage."""

    hits: int
    total: int

    @property
    def pct(self) -> float:
        return 100.0 * self.hits / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.hits}/{self.total} = {self.pct:.1f}%"

    def meets(self, op: str, threshold: float) -> bool:
        return {">=": self.pct >= threshold, "<=": self.pct <= threshold, "<": self.pct < threshold}[op]


@dataclass(frozen=True)
class Row:
    """One replayed message joined with its label."""

    message_id: str
    label: str
    scenario: str
    instance: str
    action: str
    score: float
    symbols: dict[str, float]
    direction: str
    touch: int | None = None
    of: int | None = None
    channel: str = ""
    status: str | None = None
    file: str = ""

    def describe(self) -> str:
        symbols = " ".join(f"{k}({v:g})" for k, v in sorted(self.symbols.items(), key=lambda kv: -abs(kv[1])))
        where = f" touch {self.touch}" + (f"/{self.of}" if self.of else "") if self.touch else ""
        where += f" {self.channel}" if self.channel else ""
        status = f" [{self.status}]" if self.status else ""
        return (
            f"{self.instance}{where} {self.label} -> {self.action} score {self.score:g}{status}\n"
            f"      {self.message_id}\n      {symbols or '(no symbols)'}"
        )


def effective_action(row: dict[str, Any]) -> str:
    """The action that counts: what shadow mode would have done, else what was done."""
    return str(row.get("would") or row.get("action") or "pass")


@dataclass
class ScenarioReport:
    """Scenario figures, misses and sanity findings."""

    rows: list[Row]
    config_note: str
    missing: list[str] = field(default_factory=list)  # labelled but absent from the replay
    unlabelled: list[str] = field(default_factory=list)  # replayed but not in labels.json
    direction_errors: list[Row] = field(default_factory=list)

    def _of(self, label: str) -> list[Row]:
        return [r for r in self.rows if r.label == label]

    @property
    def followups_quarantined(self) -> Rate:
        rows = self._of("followup_pitch")
        return Rate(sum(r.action == "quarantine" for r in rows), len(rows))

    @property
    def first_pitches_flagged(self) -> Rate:
        rows = self._of("first_pitch")
        return Rate(sum(r.action in ("tag", "quarantine") for r in rows), len(rows))

    @property
    def wanted_quarantined(self) -> Rate:
        rows = self._of("wanted")
        return Rate(sum(r.action == "quarantine" for r in rows), len(rows))

    @property
    def wanted_tagged(self) -> Rate:
        rows = self._of("wanted")
        return Rate(sum(r.action == "tag" for r in rows), len(rows))

    @property
    def wanted_flagged(self) -> Rate:
        rows = self._of("wanted")
        return Rate(sum(r.action != "pass" for r in rows), len(rows))

    def rate(self, name: str) -> Rate:
        value: Rate = getattr(self, name)
        return value

    def goals_met(self) -> dict[str, bool]:
        return {name: self.rate(name).meets(op, limit) for name, (op, limit) in SCENARIO_GOALS.items()}

    def misses(self) -> list[Row]:
        """Follow-ups not quarantined, first pitches passed, wanted mail tagged or quarantined."""
        out = []
        for r in self.rows:
            if (
                (r.label == "followup_pitch" and r.action != "quarantine")
                or (r.label == "first_pitch" and r.action == "pass")
                or (r.label == "wanted" and r.action != "pass")
            ):
                out.append(r)
        return sorted(out, key=lambda r: (r.scenario, r.instance, r.touch or 0))

    def per_scenario(self) -> dict[tuple[str, str], Counter[str]]:
        table: dict[tuple[str, str], Counter[str]] = {}
        for r in self.rows:
            if r.label != "outbound":
                table.setdefault((r.scenario, r.label), Counter())[r.action] += 1
        return dict(sorted(table.items()))


@dataclass
class HamReport:
    """Tag and quarantine rates on real legitimate mail, per folder and overall."""

    rows: dict[str, list[dict[str, Any]]]

    def tagged(self, folder: str | None = None) -> Rate:
        rows = self._rows(folder)
        return Rate(sum(effective_action(r) == "tag" for r in rows), len(rows))

    def quarantined(self, folder: str | None = None) -> Rate:
        rows = self._rows(folder)
        return Rate(sum(effective_action(r) == "quarantine" for r in rows), len(rows))

    def flagged(self, folder: str | None = None) -> Rate:
        rows = self._rows(folder)
        return Rate(sum(effective_action(r) != "pass" for r in rows), len(rows))

    def _rows(self, folder: str | None) -> list[dict[str, Any]]:
        return self.rows[folder] if folder else [r for rows in self.rows.values() for r in rows]

    def goals_met(self) -> dict[str, bool]:
        return {name: getattr(self, name)().meets(op, limit) for name, (op, limit) in HAM_GOALS.items()}

    def flagged_rows(self) -> list[dict[str, Any]]:
        return [r for r in self._rows(None) if effective_action(r) != "pass"]


# -- running pitchgate ------------------------------------------------------------------------------------
def _pitchgate(*args: str, timeout: float = REPLAY_TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_config(workdir: Path) -> tuple[Path, str]:
    """Write the scenario config; fall back to an empty one if this build rejects the [auth] option.

    Returns the config path and a note saying which config is in force. Without the trusted authserv-id,
    genuine LinkedIn mail in the scenarios cannot be told from forged mail (there is no DNS for DKIM), so
    the note matters when reading the figures.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "scenario.toml"
    config.write_text(SCENARIO_CONFIG)
    # check-config runs serve's checks, and serve needs a local domain; replay itself is given none.
    check = ("--local-domain", "example.com", "--state-dir", str(workdir / "check-state"))
    checked = _pitchgate("check-config", "--config", str(config), *check)
    if checked.returncode == 0:
        return config, 'auth.trusted_authserv_ids = ["mx.example.com"]'
    reason = (checked.stderr.strip().splitlines() or ["(no message)"])[-1]
    config.write_text("# scenario config: this build rejected [auth] trusted_authserv_ids\n")
    fallback = _pitchgate("check-config", "--config", str(config), *check)
    if fallback.returncode != 0:
        raise ReplayError(f"pitchgate check-config fails even with an empty config:\n{fallback.stderr}")
    return config, (
        f"WARNING: [auth] trusted_authserv_ids was rejected ({reason}); measured with the "
        "defaults, so genuine LinkedIn mail cannot be authenticated in this run"
    )


def replay(paths: Sequence[Path], config: Path | None, local_domain: str | None) -> list[dict[str, Any]]:
    """Run `pitchgate replay --format jsonl` and return its rows."""
    args = ["replay", "--format", "jsonl"]
    if local_domain:
        args += ["--local-domain", local_domain]
    if config is not None:
        args += ["--config", str(config)]
    result = _pitchgate(*args, *map(str, paths))
    if result.returncode != 0:
        raise ReplayError(f"pitchgate replay exited {result.returncode}:\n{result.stderr[-4000:]}")
    rows = []
    for line in result.stdout.splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


# -- the two measurements ---------------------------------------------------------------------------------
def measure_scenarios(workdir: Path, seed: int = DEFAULT_SEED) -> ScenarioReport:
    """Generate the mailboxes into workdir, replay them with the scenario config, and join with the labels."""
    manifest = generate(workdir / "mail", seed)
    labels = load_labels(manifest.labels)
    config, note = write_config(workdir)
    rows = replay(manifest.mailboxes, config, LOCAL_DOMAIN)
    report = ScenarioReport([], note)
    seen = []
    for raw in rows:
        mid = str(raw.get("message_id") or "")
        truth = labels.get(mid)
        if truth is None:
            report.unlabelled.append(mid)
            continue
        seen.append(mid)
        row = Row(
            message_id=mid,
            label=truth["label"],
            scenario=truth["scenario"],
            instance=truth["instance"],
            action=effective_action(raw),
            score=float(raw.get("score") or 0.0),
            symbols=dict(raw.get("symbols") or {}),
            direction=str(raw.get("direction")),
            touch=truth.get("touch"),
            of=truth.get("of"),
            channel=truth.get("channel", ""),
            status=raw.get("status"),
            file=str(raw.get("file") or ""),
        )
        report.rows.append(row)
        # The owners' own mail must be seen as outbound (or internal, to a colleague), and nothing else
        # may be: otherwise consent learning, and so every figure, is wrong for reasons unrelated to detection.
        own = (
            row.direction in ("outbound", "internal")
            if row.label == "outbound"
            else row.direction != "outbound"
        )
        if not own:
            report.direction_errors.append(row)
    report.missing = sorted(set(labels) - set(seen))
    return report


POOLED_SEEDS = (DEFAULT_SEED, 99, 424242)
"""The seeds whose mailboxes the goal tests pool: one mailbox has under 200 follow-ups, so a single message
moves its rate by half a point; three mailboxes give the goals a steadier footing."""


def measure_pooled(workdir: Path, seeds: Sequence[int] = POOLED_SEEDS) -> ScenarioReport:
    """Several seeds' reports joined into one: rates over every row, findings from every seed."""
    reports = [measure_scenarios(workdir / f"seed-{seed}", seed) for seed in seeds]
    pooled = ScenarioReport([], reports[0].config_note)
    for report in reports:
        pooled.rows.extend(report.rows)
        pooled.missing.extend(report.missing)
        pooled.unlabelled.extend(report.unlabelled)
        pooled.direction_errors.extend(report.direction_errors)
    return pooled


def ham_folders(root: Path = HAM_ROOT) -> list[Path]:
    return [root / name for name in HAM_FOLDERS if (root / name).is_dir()]


def measure_ham(workdir: Path, root: Path = HAM_ROOT) -> HamReport:
    """Replay the SpamAssassin ham folders together (no local domain) and split the rows by folder."""
    folders = ham_folders(root)
    if not folders:
        raise FileNotFoundError(f"no SpamAssassin ham folders under {root}")
    config, _ = write_config(workdir)
    rows = replay(folders, config, None)
    by_folder: dict[str, list[dict[str, Any]]] = {p.name: [] for p in folders}
    for row in rows:
        parts = Path(str(row.get("file") or "")).parts
        for name in by_folder:
            if name in parts:
                by_folder[name].append(row)
                break
    return HamReport(by_folder)


# -- printing ---------------------------------------------------------------------------------------------
def _goal_line(title: str, rate: Rate, op: str, limit: float) -> str:
    verdict = "ok" if rate.meets(op, limit) else "MISSED"
    return f"  {title:42} {rate.hits:>5}/{rate.total:<5} {rate.pct:6.1f}%   goal {op} {limit:g}%   {verdict}"


def format_scenarios(report: ScenarioReport, max_misses: int | None = None) -> str:
    lines = [
        f"Scenario mailboxes: {len(report.rows)} messages replayed "
        f"({sum(r.label != 'outbound' for r in report.rows)} scored, {sum(r.label == 'outbound' for r in report.rows)} outbound)",
        f"  config: {report.config_note}",
        "",
    ]
    titles = {
        "followups_quarantined": "unanswered follow-ups quarantined",
        "first_pitches_flagged": "first pitches tagged or quarantined",
        "wanted_quarantined": "wanted mail quarantined",
        "wanted_tagged": "wanted mail tagged",
    }
    for name, (op, limit) in SCENARIO_GOALS.items():
        lines.append(_goal_line(titles[name], report.rate(name), op, limit))
    flagged = report.wanted_flagged
    lines.append(
        f"  {'(wanted mail tagged or quarantined)':42} {flagged.hits:>5}/{flagged.total:<5} {flagged.pct:6.1f}%"
    )
    for problem, items in (
        ("labelled but not replayed", report.missing),
        ("replayed but unlabelled", report.unlabelled),
        ("direction mismatches", [r.message_id for r in report.direction_errors]),
    ):
        if items:
            lines.append(f"  !! {len(items)} {problem}: {', '.join(items[:5])}")
    statuses = Counter(r.status for r in report.rows if r.status and r.label != "outbound")
    if statuses:
        lines.append(f"  status of scored mail: {', '.join(f'{s}={n}' for s, n in statuses.most_common())}")
    lines += ["", f"  {'scenario':28} {'label':15} {'n':>4} {'pass':>5} {'tag':>5} {'quar':>5}"]
    for (scenario, label), counts in report.per_scenario().items():
        total = sum(counts.values())
        lines.append(
            f"  {scenario:28} {label:15} {total:>4} {counts['pass']:>5} {counts['tag']:>5} {counts['quarantine']:>5}"
        )
    misses = report.misses()
    lines += ["", f"Misses: {len(misses)}"]
    by_scenario: dict[str, list[Row]] = {}
    for row in misses:
        by_scenario.setdefault(row.scenario, []).append(row)
    shown = 0
    for scenario, rows in sorted(by_scenario.items()):
        lines.append(f"  [{scenario}] {len(rows)}")
        for row in rows:
            if max_misses is not None and shown >= max_misses:
                break
            lines.append("    " + row.describe())
            shown += 1
    if max_misses is not None and len(misses) > shown:
        lines.append(f"  ... {len(misses) - shown} more (use --misses 0 for all)")
    return "\n".join(lines)


def format_ham(report: HamReport, max_flagged: int = 15) -> str:
    lines = ["SpamAssassin ham (real legitimate mail, no local domain):", ""]
    lines.append(f"  {'folder':12} {'messages':>8} {'tagged':>16} {'quarantined':>16}")
    for folder in report.rows:
        t, q = report.tagged(folder), report.quarantined(folder)
        lines.append(f"  {folder:12} {t.total:>8} {t.hits:>7} {t.pct:6.2f}%  {q.hits:>7} {q.pct:6.2f}%")
    t, q = report.tagged(), report.quarantined()
    lines.append(f"  {'overall':12} {t.total:>8} {t.hits:>7} {t.pct:6.2f}%  {q.hits:>7} {q.pct:6.2f}%")
    for name, (op, limit) in HAM_GOALS.items():
        rate: Rate = getattr(report, name)()
        lines.append(
            f"  {name} {rate.pct:.2f}% goal {op} {limit:g}%: {'ok' if rate.meets(op, limit) else 'MISSED'}"
        )
    flagged = report.flagged_rows()
    symbols: Counter[str] = Counter(s for r in flagged for s in (r.get("symbols") or {}))
    if flagged:
        lines.append(f"  symbols on flagged ham: {', '.join(f'{s} {n}' for s, n in symbols.most_common(10))}")
        for row in flagged[:max_flagged]:
            syms = " ".join(f"{k}({v:g})" for k, v in (row.get("symbols") or {}).items())
            lines.append(
                f"    {effective_action(row):10} {row.get('score')!s:>5}  {row.get('file')}\n               {syms}"
            )
        if len(flagged) > max_flagged:
            lines.append(f"    ... {len(flagged) - max_flagged} more")
    return "\n".join(lines)


def as_json(scenarios: ScenarioReport | None, ham: HamReport | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if scenarios is not None:
        out["scenarios"] = {
            "config": scenarios.config_note,
            **{name: vars(scenarios.rate(name)) for name in SCENARIO_GOALS},
            "wanted_flagged": vars(scenarios.wanted_flagged),
            "goals_met": scenarios.goals_met(),
            "misses": [vars(r) for r in scenarios.misses()],
        }
    if ham is not None:
        out["ham"] = {
            folder: {"tagged": vars(ham.tagged(folder)), "quarantined": vars(ham.quarantined(folder))}
            for folder in ham.rows
        } | {"overall": {"tagged": vars(ham.tagged()), "quarantined": vars(ham.quarantined())}}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Measure pitchgate on scenario mailboxes and SpamAssassin ham."
    )
    parser.add_argument(
        "--out", type=Path, help="keep the generated mailboxes and config here (default: a temp dir)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-ham", action="store_true", help="skip the SpamAssassin ham replay")
    parser.add_argument("--ham-only", action="store_true", help="only the SpamAssassin ham replay")
    parser.add_argument("--ham-root", type=Path, default=HAM_ROOT)
    parser.add_argument("--misses", type=int, default=60, help="how many misses to print (0 = all)")
    parser.add_argument("--json", type=Path, help="also write the figures and misses as JSON here")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pitchgate-scenarios-") as temp:
        workdir = args.out or Path(temp)
        scenarios = ham = None
        if not args.ham_only:
            scenarios = measure_scenarios(workdir, args.seed)
            print(format_scenarios(scenarios, args.misses or None))
            print()
        if not args.no_ham:
            if ham_folders(args.ham_root):
                ham = measure_ham(workdir, args.ham_root)
                print(format_ham(ham))
            else:
                print(f"SpamAssassin ham not found under {args.ham_root}; skipped")
    if args.json:
        args.json.write_text(json.dumps(as_json(scenarios, ham), indent=1) + "\n")
    met = [*(scenarios.goals_met().values() if scenarios else []), *(ham.goals_met().values() if ham else [])]
    return 1 if args.check and not all(met) else 0


if __name__ == "__main__":
    sys.exit(main())
