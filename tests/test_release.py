"""What a release does, through the real `pitchgate serve` and `pitchgate quarantine` commands.

The CLI finds the upstream the way serve does (the same --config file), the copy at the sink says it was
released (by whom, when) and no longer says spam, "release once" trusts nobody, and a later "this is a
pitch" takes back the trust a "release and trust" gave.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import email.utils
import json
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import aiosmtplib
import pytest

from tests.mail import make_message
from tests.procs import PITCHGATE, free_port, run, wait_for_port
from tests.smtp_helpers import Sink

SENDER = "sdr@pitcher.test"
BOB = "bob@example.com"


class Served:
    def __init__(self, config: Path, port: int, sink: Sink) -> None:
        self.config, self.port, self.sink = config, port, sink

    async def send(self, subject: str) -> str:
        """A message from SENDER to BOB through serve; the quarantine id, or "" if it was passed on."""
        raw = make_message(sender=SENDER, to=BOB, subject=subject)
        _, reply = await aiosmtplib.send(
            raw, sender=SENDER, recipients=[BOB], hostname="127.0.0.1", port=self.port
        )
        found = re.search(r"queued as (\S+)", reply)
        return found.group(1) if found else ""

    async def cli(self, *args: str) -> str:
        result = await run(*args, "--config", str(self.config))
        assert result.code == 0, result.err
        return result.out


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    """serve started with nothing but a config file whose upstream is a sink on a port of its own."""
    sink = Sink()
    await sink.start(free_port())
    port, metrics = free_port(), free_port()
    config = tmp_path / "pitchgate.toml"
    config.write_text(
        f'[server]\nlisten = "127.0.0.1:{port}"\nupstream = "127.0.0.1:{sink.port}"\n'
        'local_domains = ["example.com"]\n'
        f'[metrics]\nlisten = "127.0.0.1:{metrics}"\n[store]\nstate_dir = "{tmp_path / "state"}"\n'
    )
    assert (await run("block", "add", "pitcher.test", "--config", str(config))).code == 0
    proc = await asyncio.create_subprocess_exec(
        *PITCHGATE, "serve", "--config", str(config), stdout=asyncio.subprocess.DEVNULL
    )
    try:
        await wait_for_port(port)
        yield Served(config, port, sink)
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
        await sink.stop()


async def test_cli_release_uses_the_config_upstream_and_marks_the_copy_released(served: Served) -> None:
    qid = await served.send("Quick call?")
    assert qid and served.sink.received == []
    held = json.loads((await served.cli("quarantine", "list", "--format", "jsonl")).splitlines()[0])
    assert held["score"] >= 5.0
    before = email.utils.localtime().timestamp()
    out = await served.cli("quarantine", "release", qid)
    assert f"released {qid}" in out
    [copy] = served.sink.received
    assert copy.rcpt_tos == [BOB] and copy.mail_from == SENDER
    msg = email.message_from_bytes(copy.data, policy=email.policy.default)
    assert msg.get_all("X-Pitchgate-Action") == ["released"]
    released = msg["X-Pitchgate-Released"]
    found = re.fullmatch(r"by=(cli:\S+|cli) at=(.+)", str(released))
    assert found, released
    at = email.utils.parsedate_to_datetime(found.group(2))
    assert at.utcoffset() is not None and at.timestamp() >= before - 1
    # Sieve and Outlook rules on Yes, the flag or the stars must not file it as junk.
    assert str(msg["X-Spam-Status"]).startswith("No, ") and msg["X-Spam-Flag"] is None
    assert len(str(msg["X-Spam-Level"] or "").strip()) < 5
    assert float(str(msg["X-Spam-Score"])) < 5.0
    assert msg["Subject"] == "Quick call?" and msg["X-Pitchgate-Score"] is not None
    # Released once: the sender is not trusted, so the next pitch is held again.
    assert (await served.cli("allow", "list")).strip() == ""
    assert await served.send("Following up") != ""
    assert len(served.sink.received) == 1


async def test_trust_then_a_later_pitch_holds_the_sender_again(served: Served) -> None:
    first, second = await served.send("Quick call?"), await served.send("Following up")
    assert first and second
    out = await served.cli("quarantine", "release", first, "--trust")
    assert f"{SENDER} trusted" in out
    assert f"{BOB}\t{SENDER}" in await served.cli("allow", "list")
    assert await served.send("Just checking in") == ""  # trusted: passed on
    assert len(served.sink.received) == 2
    await served.cli("quarantine", "confirm", second)
    assert SENDER not in await served.cli("allow", "list")
    assert f"{BOB}\t{SENDER}" in await served.cli("block", "list")
    assert await served.send("Last try") != ""  # the pitch won over the earlier release
    assert len(served.sink.received) == 2
