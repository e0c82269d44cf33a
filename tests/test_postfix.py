"""pitchgate behind a real Postfix, in both modes the README documents, with the README's own snippets.

Mail goes in at Postfix's front port and out of Postfix into an aiosmtpd sink (`relayhost`). Each mode is
checked for: verdict headers at the sink, a quarantined pitch that never reaches it, the real client
address and HELO in pitchgate's message log (XFORWARD), the message traceable in that log by its
Message-ID, and what happens while pitchgate is down (before-queue: the client gets a 4xx; after-queue:
Postfix keeps the message and delivers it once pitchgate is back). Each mode also shows pitchgate its users'
outgoing mail the README's way (a mynetworks client on port 25, `sendmail`): delivered, recorded as ours,
so that the outsider's reply to it gets REPLY_TO_OURS.

Without Postfix (or root) the tests skip with the reason; under CI (the `CI` variable set) they fail
instead, because `.ci/run` installs Postfix and a skip there would hide a broken integration.
"""

from __future__ import annotations

import asyncio
import email
import json
import os
import re
import shutil
import signal
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiosmtplib
import pytest

from tests.mail import make_message
from tests.postfix import (
    CONFIG_FILE,
    LAN_USER,
    ROOT,
    SERVE_ARGS,
    SNIPPETS,
    Ports,
    Postfix,
    localize,
    pitchgate_environment,
    unavailable_reason,
    wait_until,
)
from tests.procs import PITCHGATE, free_port, run, wait_for_port
from tests.smtp_helpers import Sink

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
CLIENT_ADDR = "127.0.0.2"  # not the address pitchgate sees Postfix connect from, so XFORWARD shows
CLIENT_HELO = "client.partner.test"
ROAMING_USER = "127.0.0.6"  # neither in mynetworks nor in outbound_networks: only AUTH makes it ours
SASL_USER, SASL_PASSWORD = "alice", "correct horse"


@pytest.fixture(scope="module")
def postfix_usable() -> None:
    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the Postfix integration tests: {reason}")
    pytest.skip(reason)


@dataclass
class Gatekeeper:
    """The `pitchgate serve` process of the README's Postfix section, stoppable and restartable."""

    ports: Ports
    state: Path
    log: Path
    proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        config = self.state.parent / "pitchgate.toml"
        shutil.copy(ROOT / "config" / "pitchgate.toml", config)
        with self.log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                *PITCHGATE,
                *localize(SERVE_ARGS, self.ports).replace(CONFIG_FILE, str(config)).split(),
                "--state-dir",
                str(self.state),
                "--metrics-listen",
                f"127.0.0.1:{free_port()}",
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log,
                env=os.environ | pitchgate_environment(self.ports),
            )
        await wait_for_port(self.ports.pitchgate)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.proc.wait(), 30)
        self.proc = None

    def message_line(self, message_id: str) -> dict[str, object]:
        """The README's trace step: grep the log for the Message-ID, pretty-print the JSON line."""
        found = subprocess.run(
            f"grep -F '{message_id}' {self.log} | python3 -m json.tool",
            shell=True,
            capture_output=True,
            text=True,
            check=True,
        )
        line: dict[str, object] = json.loads(found.stdout)
        return line


@dataclass
class Stack:
    postfix: Postfix
    pitchgate: Gatekeeper
    sink: Sink

    async def send(
        self, raw: bytes, sender: str, recipient: str = "bob@example.com", client: str = CLIENT_ADDR
    ) -> None:
        await aiosmtplib.send(
            raw,
            sender=sender,
            recipients=[recipient],
            hostname="127.0.0.1",
            port=self.postfix.ports.front,
            source_address=(client, 0),
            local_hostname=CLIENT_HELO,
            timeout=30,
        )

    def received(self, message_id: str) -> list[email.message.Message]:
        parsed = [email.message_from_bytes(r.data) for r in self.sink.received]
        return [m for m in parsed if m["Message-ID"] == message_id]

    async def delivered(self, message_id: str) -> email.message.Message:
        await wait_until(lambda: bool(self.received(message_id)), f"{message_id} at the sink")
        [message] = self.received(message_id)
        return message


def _pitch() -> bytes:
    return make_message(sender="sdr@pitcher.test", subject="Quick call?", message_id="<pitch@pitcher.test>")


@pytest.fixture
async def stack(request: pytest.FixtureRequest, postfix_usable: None, tmp_path: Path) -> AsyncIterator[Stack]:
    """Sink, pitchgate and Postfix in the mode given by the test's parameter; pitcher.test is blocked."""
    mode: str = request.param
    sink = Sink()
    await sink.start()
    ports = Ports(front=free_port(), pitchgate=free_port(), reinject=free_port(), submission=free_port())
    state = tmp_path / "state"
    assert (await run("block", "add", "pitcher.test", "--state-dir", str(state))).code == 0
    gate = Gatekeeper(ports, state, tmp_path / "pitchgate.log")
    postfix = Postfix(sink.port, ports)
    try:
        await gate.start()
        postfix.configure(mode)
        postfix.enable_sasl(SASL_USER, SASL_PASSWORD)
        postfix.start()
        await wait_for_port(ports.front)
        yield Stack(postfix, gate, sink)
    finally:
        # Shown by pytest only when the test fails: what Postfix and pitchgate said.
        print("--- Postfix mail log\n" + postfix.maillog())
        print("--- pitchgate log\n" + (gate.log.read_text() if gate.log.exists() else ""))
        postfix.stop()
        await gate.stop()
        await sink.stop()
        postfix.remove()


async def _filters_and_traces(stack: Stack) -> None:
    """Verdict headers at the sink, a held pitch never delivered, and the message log line via XFORWARD."""
    await stack.send(make_message(message_id="<good@partner.test>"), "alice@partner.test")
    good = await stack.delivered("<good@partner.test>")
    assert good["X-Pitchgate-Action"] == "pass" and good["X-Pitchgate-Score"] is not None

    await stack.send(_pitch(), "sdr@pitcher.test")
    held = await run("quarantine", "list", "--format", "jsonl", "--state-dir", str(stack.pitchgate.state))
    await wait_until(lambda: not stack.postfix.queue(), "an empty Postfix queue")
    assert [json.loads(line)["message_id"] for line in held.out.splitlines()] == ["<pitch@pitcher.test>"]
    await stack.send(make_message(message_id="<after@partner.test>"), "alice@partner.test")
    await stack.delivered("<after@partner.test>")
    assert stack.received("<pitch@pitcher.test>") == []

    line = stack.pitchgate.message_line("<good@partner.test>")
    assert line["client"] == CLIENT_ADDR and line["helo"] == CLIENT_HELO, line
    assert line["from"] == "alice@partner.test" and line["to"] == ["bob@example.com"]
    assert line["action"] == "pass" and str(line["reply"]).startswith("250")
    assert stack.pitchgate.message_line("<pitch@pitcher.test>")["action"] == "quarantine"
    # pitchgate passes XFORWARD on, so Postfix's own log names the real client for the queued mail, never
    # pitchgate's connection from 127.0.0.1.
    # Postfix logs it as orig_client on the reinjection listener's line.
    queued = re.findall(r"postfix/smtpd\[\d+\]: [0-9A-F]+: (client=.*)", stack.postfix.maillog())
    from_us = [line for line in queued if "client=unknown[127.0.0.1]" in line or "client=localhost[" in line]
    assert from_us and all(f"orig_client=unknown[{CLIENT_ADDR}]" in line for line in from_us), queued


async def _reply_to_ours(stack: Stack, message_id: str) -> None:
    """Our user's mail was delivered untouched and recorded as ours; the prospect's reply to it
    gets REPLY_TO_OURS."""
    sent = await stack.delivered(message_id)
    assert sent["X-Pitchgate-Action"] is None, "outgoing mail leaves as the user sent it"
    line = stack.pitchgate.message_line(message_id)
    assert line["direction"] == "outbound" and line["to"] == ["prospect@customer.test"], line
    assert "status=bounced" not in stack.postfix.maillog()
    reply_id = "<re-" + message_id.strip("<>") + ">"
    reply = make_message(
        sender="prospect@customer.test",
        to="alice@example.com",
        subject="Re: Our offer",
        message_id=reply_id,
        headers={"In-Reply-To": message_id, "References": message_id},
    )
    await stack.send(reply, "prospect@customer.test", "alice@example.com")
    answer = await stack.delivered(reply_id)
    assert "REPLY_TO_OURS" in str(answer["X-Pitchgate-Symbols"]), answer["X-Pitchgate-Symbols"]
    assert stack.pitchgate.message_line(reply_id)["direction"] == "inbound"


def _offer(message_id: str) -> bytes:
    return make_message(
        sender="alice@example.com", to="prospect@customer.test", subject="Our offer", message_id=message_id
    )


async def _outgoing_is_recorded(stack: Stack) -> None:
    """A mynetworks client on port 25, then a local `sendmail`: both delivered and recorded as ours."""
    await stack.send(_offer("<lan@example.com>"), "alice@example.com", "prospect@customer.test", LAN_USER)
    await _reply_to_ours(stack, "<lan@example.com>")
    assert stack.pitchgate.message_line("<lan@example.com>")["client"] == LAN_USER
    stack.postfix.sendmail(_offer("<pickup@example.com>"), "alice@example.com", "prospect@customer.test")
    await _reply_to_ours(stack, "<pickup@example.com>")


async def _submit(stack: Stack, message_id: str, password: str) -> None:
    """A roaming user on port 587 with SASL AUTH (Dovecot), as a mail client sends."""
    await aiosmtplib.send(
        _offer(message_id),
        sender="alice@example.com",
        recipients=["prospect@customer.test"],
        hostname="127.0.0.1",
        port=stack.postfix.ports.submission,
        source_address=(ROAMING_USER, 0),
        username=SASL_USER,
        password=password,
        start_tls=False,
        timeout=30,
    )


async def _submission_is_recorded(stack: Stack) -> None:
    with pytest.raises(aiosmtplib.SMTPAuthenticationError):
        await _submit(stack, "<wrong@example.com>", "wrong")
    await _submit(stack, "<sub@example.com>", SASL_PASSWORD)
    await _reply_to_ours(stack, "<sub@example.com>")
    assert stack.pitchgate.message_line("<sub@example.com>")["client"] == "127.0.0.4"
    assert f"client=unknown[{ROAMING_USER}], sasl_method=PLAIN, sasl_username={SASL_USER}" in (
        stack.postfix.maillog()
    )


@pytest.mark.parametrize("stack", ["before-queue", "after-queue"], indirect=True)
async def test_outgoing_mail_is_delivered_and_recorded(stack: Stack) -> None:
    await _outgoing_is_recorded(stack)
    await _submission_is_recorded(stack)


@pytest.mark.parametrize("stack", ["before-queue"], indirect=True)
async def test_before_queue(stack: Stack) -> None:
    await _filters_and_traces(stack)
    await stack.pitchgate.stop()
    # Postfix's proxy connects to pitchgate at RCPT time, so that is where the client hears the 4xx.
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
        await stack.send(make_message(message_id="<down@partner.test>"), "alice@partner.test")
    assert [r.code // 100 for r in refused.value.recipients] == [4], refused.value
    assert [m for m in stack.postfix.queue() if m["sender"] == "alice@partner.test"] == []


@pytest.mark.parametrize("stack", ["after-queue"], indirect=True)
async def test_after_queue(stack: Stack) -> None:
    await _filters_and_traces(stack)
    await stack.pitchgate.stop()
    await stack.send(make_message(message_id="<down@partner.test>"), "alice@partner.test")
    await wait_until(
        lambda: [m["queue_name"] for m in stack.postfix.queue()] == ["deferred"], "the message deferred"
    )
    assert stack.received("<down@partner.test>") == []
    await stack.pitchgate.start()
    stack.postfix.flush()
    late = await stack.delivered("<down@partner.test>")
    assert late["X-Pitchgate-Action"] == "pass"
    await wait_until(lambda: not stack.postfix.queue(), "an empty Postfix queue")


def test_readme_shows_exactly_the_snippets_the_tests_use() -> None:
    for path in sorted([*SNIPPETS.rglob("*.cf"), *SNIPPETS.rglob("*.env")]):
        assert path.read_text() in README, f"README.md lacks {path.relative_to(SNIPPETS.parent.parent)}"
    assert f"pitchgate {SERVE_ARGS}" in README
