"""The first-start backfill over a few hundred messages (bench/bench_imap_backfill.py runs 5,000): every
message judged or learned from, none changed or lost on the server, what it would move printed."""

from __future__ import annotations

import os
from pathlib import Path

from bench.bench_imap_backfill import measure
from tests import dovecot


async def test_backfill_of_300_messages_changes_nothing(tmp_path: Path) -> None:
    dovecot.require()
    seconds, judged, lost, out = await measure(300, tmp_path)
    assert lost == 0
    assert judged == 300 + 30  # every INBOX message, and each Sent reply (outbound, counted as pass)
    assert out.count("would move UID") == 30  # the pitches, one in ten
    assert "300 INBOX and 30 Sent messages" in out
    print(f"backfill of 300: {seconds:.1f} s (load {os.getloadavg()[0]:.1f})")
