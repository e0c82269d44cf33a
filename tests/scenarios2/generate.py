"""Generate a labelled company mailbox from a seed: `python -m tests.scenarios2.generate --seed 1 --out DIR`.

Writes DIR/mailbox.mbox (every message once, inbound and the users' own outbound and internal mail, in Date
order) and DIR/labels.jsonl (one line per message: message_id, kind, language, label, scenario, direction,
recipients). Replay it with `pitchgate replay DIR/mailbox.mbox --local-domain larkhill-analytics.example`.
"""

from __future__ import annotations

import argparse
import json
import mailbox
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.scenarios2 import bulk, pitches, wanted
from tests.scenarios2.box import Box
from tests.scenarios2.mail import Mail
from tests.scenarios2.render import render
from tests.scenarios2.world import LANGUAGES, LOCAL_DOMAIN

# English dominates; the other offices' languages share the rest.
WEIGHTS = (0.4, 0.17, 0.14, 0.14, 0.15)

# How many times each scenario runs in 75 days for 15 users.
PLAN: tuple[tuple[Callable[[Box, str], None], int], ...] = (
    (pitches.sequence, 40),
    (pitches.rotating, 7),
    (pitches.declined, 10),
    (pitches.engaged, 6),
    (pitches.linkedin_pitch, 8),
    (pitches.one_off, 15),
    (pitches.looped_in, 5),
    (wanted.customer, 8),
    (wanted.applicant, 6),
    (wanted.journalist, 4),
    (wanted.lead, 6),
    (wanted.vendor, 6),
    (wanted.friendly, 20),
    (wanted.partner, 18),
    (wanted.new_connection, 6),
    (wanted.internal, 70),
    (bulk.newsletter, 7),
    (bulk.transactional, 20),
    (bulk.calendar, 15),
)


def _message_id(box: Box, mail: Mail) -> str:
    rng = box.rng
    host = mail.mid_host or mail.sender.domain
    if host == "mail.gmail.com":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+"
        return "<CA" + "".join(rng.choice(alphabet) for _ in range(44)) + "@mail.gmail.com>"
    if host.endswith("prod.outlook.com"):
        box_id = f"{rng.choice(['AM0PR', 'DB9PR', 'PAXPR', 'BN8PR'])}{rng.randrange(10, 99)}MB{rng.randrange(1000, 9999)}"
        return f"<{box_id}{rng.randrange(16**8):08X}{rng.randrange(16**8):08X}@{box_id}.{host}>"
    return f"<{int(mail.when.timestamp())}.{rng.randrange(16**12):012x}@{host}>"


def direction(mail: Mail) -> str:
    """inbound, outbound or internal, from the addresses (as replay decides for a mailbox)."""
    if not mail.sender.address.endswith("@" + LOCAL_DOMAIN):
        return "inbound"
    everyone = mail.to + mail.cc
    return "internal" if all(p.address.endswith("@" + LOCAL_DOMAIN) for p in everyone) else "outbound"


def build(seed: int, days: int = 75, scale: float = 1.0) -> list[Mail]:
    """Every message of the mailbox for a seed, in Date order, with Message-IDs."""
    box = Box(seed, days)
    for scenario, count in PLAN:
        # Every scenario runs at least once in every language; the rest in the languages a mailbox like this gets.
        runs = max(len(LANGUAGES), round(count * scale * days / 75))
        for run in range(runs):
            scenario(
                box,
                LANGUAGES[run] if run < len(LANGUAGES) else box.rng.choices(LANGUAGES, weights=WEIGHTS)[0],
            )
    for mail in box.mails:
        mail.message_id = _message_id(box, mail)
    return sorted(box.mails, key=lambda m: m.when)


def write(mails: list[Mail], out: Path, raw: dict[str, bytes] | None = None) -> tuple[Path, Path]:
    """Write the mbox (from raw bytes by Message-ID when given, else rendering) and the labels file; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    box_path, labels_path = out / "mailbox.mbox", out / "labels.jsonl"
    box_path.unlink(missing_ok=True)
    mbox = mailbox.mbox(str(box_path))
    try:
        for mail in mails:
            mbox.add(raw[mail.message_id] if raw else render(mail))
        mbox.flush()
    finally:
        mbox.close()
    with labels_path.open("w", encoding="utf-8") as fh:
        for mail in mails:
            fh.write(json.dumps(mail.label_row(direction(mail)), ensure_ascii=False) + "\n")
    return box_path, labels_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--days", type=int, default=75)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every scenario's count (0.1 for a small box)"
    )
    args = parser.parse_args(argv)
    mails = build(args.seed, args.days, args.scale)
    box_path, labels_path = write(mails, args.out)
    counts = Counter((direction(m), m.label) for m in mails)
    print(f"{box_path}: {len(mails)} messages; {labels_path}")
    for (where, label), n in sorted(counts.items()):
        print(f"  {where:9} {label:15} {n}")


if __name__ == "__main__":
    main()
