"""How replay and quarantine listings look on the terminal: JSON lines, tables and summaries."""

from __future__ import annotations

import json
import time

import click

from gateway.fronts.replay.runner import Outcome, Summary
from gateway.store.base import QuarantineRecord


def print_outcome(outcome: Outcome, fmt: str) -> None:
    data = outcome.as_json()
    if fmt == "jsonl":
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    action = str(data["would"] or data["action"])
    subject = outcome.message.subject[:50]
    click.echo(f"{action:<10} {data['score']:>7.2f}  {data['direction']:<8}  {subject}")


def print_summary(summary: Summary, fmt: str) -> None:
    """A summary table of actions and symbols; on stderr for jsonl, so that stdout stays pure JSON lines."""
    err = fmt == "jsonl"
    total = sum(summary.actions.values())
    click.echo("", err=err)
    click.echo(f"{'action':<24}{'messages':>10}{'share':>9}", err=err)
    for action, count in summary.actions.most_common():
        click.echo(f"{action:<24}{count:>10}{count / max(total, 1):>9.1%}", err=err)
    click.echo(f"{'(not scanned: outbound)':<24}{summary.directions.get('outbound', 0):>10}", err=err)
    if summary.symbols:
        click.echo(f"\n{'symbol':<32}{'fired':>10}", err=err)
        for symbol, count in summary.symbols.most_common():
            click.echo(f"{symbol:<32}{count:>10}", err=err)


def record_json(record: QuarantineRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "message_id": record.message_id,
        "recipients": list(record.recipients),
        "sender": record.sender,
        "subject": record.subject,
        "score": record.score,
        "symbols": record.symbols,
        "received_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.received_at)),
        "size": record.size,
        # Why it was held, as judged then (empty for records held before evidence was kept).
        "evidence": [{"symbol": s, "contribution": c, "evidence": e} for s, c, e in record.evidence],
        "extra": record.extra,
    }


def record_row(record: QuarantineRecord) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(record.received_at))
    rcpts = ",".join(record.recipients)
    return (
        f"{record.id}  {when}  {record.score:>6.2f}  {record.sender:<30} -> {rcpts:<30} {record.subject[:50]}"
    )
