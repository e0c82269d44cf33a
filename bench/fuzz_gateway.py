"""The reliability suite's hypothesis fuzz run, longer: many more generated messages through the gateway.

Runs tests/reliability/test_fuzz.py with PITCHGATE_FUZZ_EXAMPLES set (default 100,000) and prints how long
it took. Same property: no crash, 250 for every message, relayed bytes equal sent bytes plus our headers.

    python bench/fuzz_gateway.py [--examples 100000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=100_000)
    args = parser.parse_args()
    env = {**os.environ, "PITCHGATE_FUZZ_EXAMPLES": str(args.examples)}
    started = time.perf_counter()
    test = ["tests/reliability/test_fuzz.py", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run([sys.executable, "-m", "pytest", *test], cwd=ROOT, env=env, check=False)
    seconds = time.perf_counter() - started
    print(f"{args.examples} generated messages in {seconds:.0f} s ({args.examples / seconds:.0f}/s)")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
