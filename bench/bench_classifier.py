"""Speed and size of the shipped content model: load time, file size, per-message inference latency.

Figures, not assertions: run it on the target machine and compare with the budget (load < 200 ms,
file < 50 MB; content scoring <= 0.5 ms median and <= 3 ms p99 per message, issue 13). Messages are real SpamAssassin
mail read from the shared corpus; parsing is timed separately because the gateway parses every message once
for all signals anyway.

    python bench/bench_classifier.py [--model models/pitch.skops] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gateway.core.classifier import PitchModel, example_from_bytes  # noqa: E402

FOLDERS = ("easy_ham", "easy_ham_2", "hard_ham", "spam", "spam_2")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{label:<28} n={len(ms):>5}  median {statistics.median(ms):6.3f} ms  p99 {percentile(ms, 0.99):6.3f} ms"
        f"  max {max(ms):6.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=REPO / "models" / "pitch.skops")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()

    start = time.perf_counter()
    model = PitchModel.load(args.model)
    print(f"model load                   {(time.perf_counter() - start) * 1000:.1f} ms")
    print(f"model file                   {args.model.stat().st_size / 1e6:.2f} MB")

    sized: list[tuple[int, str, str]] = []
    parse_times: list[float] = []
    for folder in FOLDERS:
        for file in sorted((args.corpus / "spamassassin" / folder).iterdir()):
            raw = file.read_bytes()
            start = time.perf_counter()
            subject, text = example_from_bytes(raw)
            parse_times.append(time.perf_counter() - start)
            sized.append((len(raw), subject, text))

    model.probability("warm-up", "warm up the vectorizers once")
    all_times: list[float] = []
    typical: list[float] = []
    for size, subject, text in sized:
        start = time.perf_counter()
        model.probability(subject, text)
        elapsed = time.perf_counter() - start
        all_times.append(elapsed)
        if 5_000 <= size <= 20_000:
            typical.append(elapsed)

    report("inference, 5-20 KB messages", typical)
    report("inference, all messages", all_times)
    report("parse (Message.from_bytes)", parse_times)


if __name__ == "__main__":
    main()
