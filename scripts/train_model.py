"""Rebuild the shipped content model, models/pitch.skops, from the committed label lists.

Trains on the "train" split of models/labels/{pitch,legit}.txt plus the hand-written examples, picks the
threshold on out-of-fold training scores, then reports on the "test" split (never trained on) and writes the
figures the model card quotes to models/metrics.json. With --cross-source it also trains a second, throwaway
model on Enron and the hand-written mail only and reports it on every SpamAssassin folder, so each ham folder
gets a flag rate from a model that never saw it.

    python scripts/train_model.py [--corpus ../shared/corpus] [--out models/pitch.skops] [--cross-source]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gateway.core.classifier import Example, PitchModel, evaluate, train  # noqa: E402
from gateway.core.training import load_examples, load_labelled_lists, read_list  # noqa: E402

LABELS = REPO / "models" / "labels"
HANDWRITTEN = REPO / "models" / "handwritten"


def by_source(corpus: Path) -> dict[str, dict[str, list[Example]]]:
    """Labelled corpus examples grouped as {split: {"pitch|legit source": examples}}."""
    grouped: dict[str, dict[str, list[Example]]] = defaultdict(lambda: defaultdict(list))
    for cls in ("pitch", "legit"):
        list_file = LABELS / f"{cls}.txt"
        _, entries = read_list(list_file)
        examples = load_labelled_lists(corpus, list_file, None)
        for entry, example in zip(entries, examples, strict=True):
            grouped[entry.split][f"{cls} {entry.source}"].append(example)
    return grouped


def flag_rates(model: PitchModel, groups: dict[str, list[Example]]) -> dict[str, dict[str, Any]]:
    """Share of each group's messages the model flags at its threshold."""
    rates: dict[str, dict[str, Any]] = {}
    for name, examples in sorted(groups.items()):
        scores = model.probabilities([(s, t) for s, t, _ in examples])
        flagged = int((scores >= model.threshold).sum())
        rates[name] = {
            "n": len(examples),
            "flagged": flagged,
            "rate": flagged / len(examples) if examples else 0.0,
        }
    return rates


def flatten(groups: dict[str, list[Example]], keep: str = "") -> list[Example]:
    return [example for name, examples in sorted(groups.items()) if keep in name for example in examples]


def cross_source(grouped: dict[str, dict[str, list[Example]]], handwritten: list[Example]) -> dict[str, Any]:
    """Train on Enron + hand-written only; report on all SpamAssassin data, which that model never saw."""
    every: dict[str, list[Example]] = defaultdict(list)
    for split in grouped.values():
        for name, examples in split.items():
            every[name] += examples
    model = train(flatten(every, "enron_spam") + handwritten, n_jobs=2)
    spamassassin = {name: ex for name, ex in every.items() if "spamassassin" in name}
    return {
        "threshold": model.threshold,
        "metrics": evaluate(model, flatten(spamassassin)),
        "per_source": flag_rates(model, spamassassin),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=REPO / "models" / "pitch.skops")
    parser.add_argument("--metrics", type=Path, default=REPO / "models" / "metrics.json")
    parser.add_argument("--cross-source", action="store_true", help="also train an Enron-only check model")
    args = parser.parse_args()

    grouped = by_source(args.corpus)
    handwritten = load_examples([HANDWRITTEN / "pitch"], 1, "handwritten pitch")
    handwritten += load_examples([HANDWRITTEN / "legit"], 0, "handwritten legit")
    model = train(flatten(grouped["train"]) + handwritten, n_jobs=2)
    model.meta["command"] = "python scripts/train_model.py" + (" --cross-source" if args.cross_source else "")
    model.meta["handwritten"] = {
        "pitch": sum(1 for *_, y in handwritten if y),
        "legit": sum(1 for *_, y in handwritten if not y),
    }
    model.meta["test"] = evaluate(model, flatten(grouped["test"]))
    model.save(args.out)

    report: dict[str, Any] = {
        "meta": model.meta,
        "counts": {split: {name: len(ex) for name, ex in sorted(g.items())} for split, g in grouped.items()},
        "test_per_source": flag_rates(model, grouped["test"]),
        "train_per_source_in_sample": flag_rates(model, grouped["train"]),
    }
    if args.cross_source:
        report["cross_source_enron_only"] = cross_source(grouped, handwritten)
    args.metrics.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
