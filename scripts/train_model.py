"""Rebuild the shipped content model, models/pitch.skops, from the committed label lists, and measure it.

Trains on the "train" split of models/labels/{pitch,legit}.txt (SpamAssassin and Enron, from ../shared/corpus),
of models/labels/modern.txt (modern multilingual mail from fetched public repositories, see
scripts/collect_corpus.py) and on the hand-written examples; picks the threshold on out-of-fold training
scores; then reports on the "test" split, never trained on: by source, by language and on short texts
(< 300 characters), with the scoring time per message. The figures go to models/metrics.json.

    python scripts/train_model.py [--corpus ../shared/corpus] [--mirror /work/.mirror] [--compare]

--compare also trains the candidate feature sets (hashed words, character n-grams, both, both with the cue
flags) on the same split and reports each one's held-out figures and scoring time, without saving them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from modern_corpus import DEFAULT_MIRROR, labelled_messages  # noqa: E402

from gateway.core.classifier import (  # noqa: E402
    DEFAULT_SPEC,
    Example,
    PitchModel,
    _metrics,
    example_from_bytes,
    train,
)
from gateway.core.training import load_examples, load_labelled_lists, read_list  # noqa: E402

LABELS = REPO / "models" / "labels"
HANDWRITTEN = REPO / "models" / "handwritten"
SHORT_CHARS = 300

CANDIDATES = {
    "words": replace(DEFAULT_SPEC, use_chars=False, flags=()),
    "chars": replace(DEFAULT_SPEC, use_words=False, flags=()),
    "words+chars": replace(DEFAULT_SPEC, flags=()),
    "words+chars+flags": DEFAULT_SPEC,
}
CHOSEN = "words+chars"


@dataclass(frozen=True)
class Row:
    """One labelled example with where it came from."""

    example: Example
    split: str
    group: str  # "pitch modern:owner/name" or "legit spamassassin/easy_ham_2"
    lang: str


def corpus_rows(corpus: Path) -> list[Row]:
    rows: list[Row] = []
    for cls in ("pitch", "legit"):
        list_file = LABELS / f"{cls}.txt"
        _, entries = read_list(list_file)
        for entry, example in zip(entries, load_labelled_lists(corpus, list_file, None), strict=True):
            rows.append(Row(example, entry.split, f"{cls} {entry.source}", "en"))
    return rows


def modern_rows(mirror: Path) -> list[Row]:
    rows: list[Row] = []
    for entry, raw in labelled_messages(LABELS / "modern.txt", LABELS / "modern_sources.json", mirror):
        cls = "pitch" if entry.label else "legit"
        rows.append(
            Row((*example_from_bytes(raw), entry.label), entry.split, f"{cls} {entry.repo}", entry.lang)
        )
    return rows


def handwritten_rows() -> list[Row]:
    examples = load_examples([HANDWRITTEN / "pitch"], 1, "handwritten pitch")
    examples += load_examples([HANDWRITTEN / "legit"], 0, "handwritten legit")
    return [Row(e, "train", f"{'pitch' if e[2] else 'legit'} handwritten", "en") for e in examples]


def report(model: PitchModel, test: list[Row]) -> dict[str, Any]:
    """Held-out figures: overall, modern only, by source, by language and label, on short texts."""
    scores = model.probabilities([(r.example[0], r.example[1]) for r in test])
    out: dict[str, Any] = {"all": _figures(model, scores, test, lambda r: True)}
    out["modern"] = _figures(model, scores, test, lambda r: not _is_old(r))
    out["short_lt_300"] = _figures(model, scores, test, lambda r: len(r.example[1]) < SHORT_CHARS)
    out["short_modern_lt_300"] = _figures(
        model, scores, test, lambda r: len(r.example[1]) < SHORT_CHARS and not _is_old(r)
    )
    out["by_source"] = _flag_rates(model, scores, test, lambda r: r.group)
    out["by_language"] = _flag_rates(
        model, scores, test, lambda r: f"{'pitch' if r.example[2] else 'legit'} {r.lang}"
    )
    return out


def _is_old(row: Row) -> bool:
    return "spamassassin" in row.group or "enron" in row.group


def _figures(model: PitchModel, scores: Any, rows: list[Row], keep: Any) -> dict[str, Any]:
    chosen = [i for i, r in enumerate(rows) if keep(r)]
    labels = [rows[i].example[2] for i in chosen]
    return _metrics(np.asarray(scores)[chosen], np.asarray(labels, dtype=int), model.threshold)


def _flag_rates(model: PitchModel, scores: Any, rows: list[Row], key: Any) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[float]] = defaultdict(list)
    for score, row in zip(scores, rows, strict=True):
        groups[key(row)].append(float(score))
    return {
        name: {
            "n": len(v),
            "flagged": sum(s >= model.threshold for s in v),
            "rate": _rate(v, model.threshold),
        }
        for name, v in sorted(groups.items())
    }


def _rate(scores: list[float], threshold: float) -> float:
    return sum(s >= threshold for s in scores) / len(scores) if scores else 0.0


def timing(model: PitchModel, rows: list[Row]) -> dict[str, float]:
    """Scoring time per message (subject and visible text already parsed), p50 and p99, in ms."""
    pairs = [(r.example[0], r.example[1]) for r in rows]
    for subject, text in pairs[:200]:
        model.probability(subject, text)
    seconds = []
    for subject, text in pairs:
        start = time.perf_counter()
        model.probability(subject, text)
        seconds.append(time.perf_counter() - start)
    ordered = sorted(seconds)
    return {
        "n": len(seconds),
        "p50_ms": statistics.median(seconds) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--out", type=Path, default=REPO / "models" / "pitch.skops")
    parser.add_argument("--metrics", type=Path, default=REPO / "models" / "metrics.json")
    parser.add_argument("--compare", action="store_true", help="also measure the candidate feature sets")
    args = parser.parse_args()

    rows = corpus_rows(args.corpus) + modern_rows(args.mirror) + handwritten_rows()
    train_rows = [r for r in rows if r.split == "train"]
    test_rows = [r for r in rows if r.split == "test"]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        counts[r.split][f"{r.group} [{r.lang}]"] += 1

    results: dict[str, Any] = {}
    names = list(CANDIDATES) if args.compare else [CHOSEN]
    for name in names:
        print(f"training {name} on {len(train_rows)} messages", file=sys.stderr)
        model = train([r.example for r in train_rows], spec=CANDIDATES[name], n_jobs=2)
        results[name] = {
            "test": report(model, test_rows),
            "timing": timing(model, test_rows),
            "oof": model.meta["oof"],
        }
        results[name]["threshold"] = model.threshold
        if name == CHOSEN:
            model.meta["command"] = "python scripts/train_model.py"
            model.meta["handwritten"] = sum(1 for r in train_rows if "handwritten" in r.group)
            model.meta["test"] = results[name]["test"]["all"]
            model.save(args.out)
            results[name]["file_mb"] = args.out.stat().st_size / 1e6
    report_out = {"chosen": CHOSEN, "results": results, "counts": {k: dict(v) for k, v in counts.items()}}
    args.metrics.write_text(
        json.dumps(report_out, indent=2, sort_keys=True, default=float) + "\n", encoding="utf-8"
    )
    print(
        json.dumps(
            {k: {"modern": v["test"]["modern"], "timing": v["timing"]} for k, v in results.items()}, indent=2
        )
    )


if __name__ == "__main__":
    main()
