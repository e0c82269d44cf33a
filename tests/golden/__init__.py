"""Golden verdicts: a fixed corpus replayed through the pipeline, every verdict compared with a committed file.

The optimisations of issue 15 must not change a single verdict, score or symbol. `replay.golden_rows`
replays the corpus; `python -m tests.golden.update` rewrites `verdicts.jsonl` (only when detection is
changed on purpose); `tests/test_golden.py` compares.
"""
