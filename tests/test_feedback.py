"""The feedback loop: a release and a confirmation become metrics by symbol and examples for `train --feedback`.

Messages are held by a real gateway over real sockets; the metrics are read from the text exposition a
Prometheus scrape gets.
"""

from __future__ import annotations

import aiosmtplib
from prometheus_client import generate_latest

from gateway.commands.model import feedback_examples
from gateway.store.base import ListKind
from tests.mail import make_message
from tests.smtp_helpers import Gateway, Sink


async def test_release_and_confirm_are_counted_by_symbol_and_feed_training(
    gateway: Gateway, sink: Sink
) -> None:
    app = gateway.app
    await app.store.list_add(ListKind.BLOCK, "bob@example.com", "pitcher.test")
    for subject in ("Quick call?", "Just bumping this"):
        await aiosmtplib.send(
            make_message(sender="sdr@pitcher.test", subject=subject),
            sender="sdr@pitcher.test",
            recipients=["bob@example.com"],
            hostname="127.0.0.1",
            port=gateway.port,
        )
    held = await app.store.quarantine_list()
    assert len(held) == 2 and sink.received == []
    # Which list entry decided, and the sequence the message was counted under (the review page groups by it).
    assert held[0].extra == {"list": "block:pitcher.test", "sequence": "sdr@pitcher.test"}
    symbols = {symbol for record in held for symbol in record.symbols} or {"none"}

    released, confirmed = held
    assert (await app.quarantine.release(released.id, app.relay)).reply.ok
    assert await app.quarantine.confirm(confirmed.id) is not None

    exposition = generate_latest(gateway.registry).decode()
    for kind, record in (("released", released), ("confirmed", confirmed)):
        for symbol in record.symbols or {"none": 0.0}:
            assert f'pitchgate_feedback_total{{kind="{kind}",symbol="{symbol}"}} 1.0' in exposition
    for symbol in symbols:
        holds = sum(symbol in r.symbols or (symbol == "none" and not r.symbols) for r in held)
        assert f'pitchgate_quarantined_total{{symbol="{symbol}"}} {float(holds)}' in exposition
    assert "pitchgate_quarantine_messages 0.0" in exposition

    examples = await feedback_examples(app.settings)  # what `pitchgate train --feedback` adds
    assert {subject: label for subject, _, label in examples} == {confirmed.subject: 1, released.subject: 0}
