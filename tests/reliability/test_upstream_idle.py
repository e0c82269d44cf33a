"""An upstream connection the upstream has dropped for idling must not cost the client a 4xx.

The gateway keeps its upstream connection for the whole client session (opened at EHLO, reused from one
transaction to the next). Real servers hang up on idle clients (Postfix after 300 s); the sink here does
after half a second, with aiosmtpd's own "421 timeout". The next MAIL must then go over a new connection.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.mail import make_message
from tests.reliability.helpers import RawClient, dot_stuff
from tests.smtp_helpers import Sink, make_settings, start_gateway


async def _transaction(client: RawClient, n: int) -> list[bytes]:
    replies = []
    for command in (b"MAIL FROM:<alice@partner.test>", b"RCPT TO:<bob@example.com>", b"DATA"):
        replies.append(await client.say(command))
        if replies[-1][:1] not in (b"2", b"3"):
            await client.say(b"RSET")
            return replies
    await client.write(dot_stuff(make_message(subject=f"message {n}")))
    return [*replies, await client.reply()]


async def test_mail_after_the_upstream_dropped_an_idle_connection_is_relayed(tmp_path: Path) -> None:
    sink = Sink(idle_timeout=0.5)
    gw = await start_gateway(make_settings(tmp_path / "state", await sink.start()))
    try:
        client, _ = await RawClient.connect(gw.port)
        await client.say(b"EHLO client.partner.test")
        replies = []
        for n in range(3):
            await asyncio.sleep(1.0)  # longer than the sink lets a connection idle
            replies.append([r[:3] for r in await _transaction(client, n)])
        await client.close()
    finally:
        await gw.stop()
        await sink.stop()
    assert replies == [[b"250", b"250", b"354", b"250"]] * 3
    assert [m.data.count(b"Subject: message") for m in sink.received] == [1, 1, 1]
