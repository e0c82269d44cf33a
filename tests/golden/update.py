"""Rewrite tests/golden/verdicts.jsonl from the current code: `python -m tests.golden.update`.

Run it only when detection changes on purpose (a new signal, a new model, new weights), and say so in
the commit; a performance change must leave the file as it is.
"""

from __future__ import annotations

import json

from tests.golden.replay import GOLDEN, golden_rows


def main() -> None:
    rows = golden_rows()
    with GOLDEN.open("w") as out:
        for row in rows:
            out.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} verdicts to {GOLDEN}")


if __name__ == "__main__":
    main()
