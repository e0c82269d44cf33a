"""How long the IMAP front's first-start backfill takes over a large INBOX, and what it changes (nothing).

Starts a private Dovecot (tests/dovecot.py), APPENDs N generated messages over the last 20 days to one
user's INBOX (a tenth of them pitches, a tenth answered from Sent), runs `pitchgate imap`'s first start in
process (fetch, judge and learn each, in arrival order) and prints the time, then checks that every
Message-ID is still in the INBOX with its flags unchanged. Figures, not assertions on speed.

    python bench/bench_imap_backfill.py [--messages 5000]

tests/test_imap_backfill.py runs the same function on a few hundred messages.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client import CollectorRegistry

from gateway.app import build_app
from gateway.clock import ManualClock
from gateway.metrics import Metrics
from gateway.settings import load_settings
from tests.dovecot import Dovecot
from tests.imap_helpers import new_account, pitch, wanted, watcher
from tests.mail import make_message


def fill(server: Dovecot, user: str, count: int) -> None:
    """`count` INBOX messages (and a reply in Sent to every tenth), spread over the last 20 days."""
    start = datetime.now(UTC) - timedelta(days=20)
    step = timedelta(days=20) / max(count, 1)
    with server.client(user) as client:
        client.create_folder("Sent")
        for i in range(count):
            when = start + step * i
            if i % 10 == 0:
                raw = pitch(
                    user, f"<bf{i}@growthly{i % 37}.test>", sender=f"rep{i % 37}@growthly{i % 37}.test"
                )
            else:
                raw = wanted(user, f"<bf{i}@partner.test>", sender=f"friend{i % 211}@partner{i % 53}.test")
            client.append("INBOX", raw, msg_time=when)
            if i % 10 == 5:
                answer = make_message(user, f"friend{i % 211}@partner{i % 53}.test", "Re: Lunch", "Sure.\n")
                client.append("Sent", answer, msg_time=when + step / 2)


def flags_by_id(server: Dovecot, user: str) -> dict[str, set[str]]:
    return server.flags(user, "INBOX")


async def measure(count: int, state: Path) -> tuple[float, int, int, str]:
    """Seconds for the backfill of `count` messages, messages judged, messages lost, and its output."""
    server = Dovecot(users=1)
    server.start()
    try:
        account = new_account(server, state)
        await asyncio.to_thread(fill, server, account.user, count)
        before = await asyncio.to_thread(flags_by_id, server, account.user)
        clock = ManualClock(0.0)
        settings = load_settings(
            None, {"store": {"state_dir": str(state / "store")}, "scan": {"pool_processes": 0}}
        )
        app = build_app(settings, clock, metrics=Metrics(CollectorRegistry()), front="imap")
        try:
            found = watcher(app, clock, account, backfill_days=30.0)
            found.out = io.StringIO()
            started = time.perf_counter()
            await found.once()
            seconds = time.perf_counter() - started
            judged = int(app.metrics.front_messages.labels("imap", "pass")._value.get())
            judged += int(app.metrics.front_messages.labels("imap", "tag")._value.get())
            judged += int(app.metrics.front_messages.labels("imap", "quarantine")._value.get())
        finally:
            await app.close()
        after = await asyncio.to_thread(flags_by_id, server, account.user)
        lost = len(set(before) - set(after)) + sum(before[m] != after.get(m) for m in before)
        return seconds, judged, lost, found.out.getvalue()
    finally:
        server.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seconds, judged, lost, out = asyncio.run(measure(args.messages, Path(tmp)))
    print(out.strip().splitlines()[-1])
    print(
        f"backfill of {args.messages} INBOX messages: {seconds:.1f} s ({args.messages / seconds:.0f} msg/s),"
        f" {judged} judged (with the Sent replies), {lost} changed or lost; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
