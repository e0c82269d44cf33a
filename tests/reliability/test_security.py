"""Security properties: not an open relay in any configuration, safe defaults, no secrets out, safe model loading.

Relay checks speak SMTP by hand to a real gateway in front of a real sink, and count what reached the
sink: an address the gateway should have refused must never get there, whatever the upstream would do.
"""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.settings import Settings
from tests.procs import free_port, run
from tests.reliability.helpers import RawClient, dot_stuff
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

# A skops file carrying an untrusted type is refused: tested beside the model code, collected here too so
# that this suite names every security check.
from tests.test_classifier import test_model_with_untrusted_type_is_refused  # noqa: F401

GATEWAY = Path(__file__).resolve().parents[2] / "gateway"
CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "outbound-elsewhere": {"outbound_networks": ["10.0.0.0/8", "192.0.2.0/24"]},
    "no-xforward-trust": {"xforward_hosts": [], "outbound_networks": ["10.0.0.0/8"]},
    "many-domains": {"local_domains": ["example.com", "example.org", "mail.example.net"]},
}
FOREIGN = [
    b"<victim@evil.test>",
    b"<victim@EVIL.TEST>",
    b"<victim@evil.test.>",
    b"<@example.com:victim@evil.test>",
    b"<@example.com,@other.test:victim@evil.test>",
    b"<victim%evil.test@example.com>",
    b"<victim%evil.test@EXAMPLE.COM>",
    b"<evil.test!victim@example.com>",
    b'<"victim@evil.test"@example.com>',
    b'<"victim%evil.test"@example.com>',
    b"<victim@evil.test@example.com>",
    b"<victim@example.com.evil.test>",
    b"<victim@evilexample.com>",
    b"<victim@[127.0.0.1]>",
    b"<victim@[IPv6:::1]>",
    b"<victim>",
    b"<postmaster@evil.test>",
]
LOCAL = [b"<bob@example.com>", b"<Bob@EXAMPLE.COM>", b"<bob@sub.example.com>", b'<"bob smith"@example.com>']


@pytest.fixture(params=CONFIGS.values(), ids=CONFIGS.keys())
async def configured(request: pytest.FixtureRequest, sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    gw = await start_gateway(make_settings(tmp_path / "state", sink.port, server=dict(request.param)))
    yield gw
    await gw.stop()


async def _rcpt_replies(port: int, rcpts: list[bytes], xforward: bytes = b"") -> list[bytes]:
    client, _ = await RawClient.connect(port)
    await client.say(b"EHLO outside.test")
    if xforward:
        await client.say(b"XFORWARD " + xforward)
    replies = []
    for rcpt in rcpts:
        await client.say(b"RSET")
        assert (await client.say(b"MAIL FROM:<spammer@evil.test>")).startswith(b"250")
        reply = await client.say(b"RCPT TO:" + rcpt)
        if reply.startswith(b"250"):
            await client.say(b"DATA")
            await client.write(dot_stuff(b"Subject: relay test\r\n\r\nhi\r\n"))
            await client.reply()
        replies.append(reply)
    await client.close()
    return replies


async def test_foreign_and_routed_recipients_are_refused(configured: Gateway, sink: Sink) -> None:
    replies = await _rcpt_replies(configured.port, FOREIGN)
    refused = {r.decode(): reply[:3] for r, reply in zip(FOREIGN, replies, strict=True)}
    assert {k: v for k, v in refused.items() if v not in (b"550", b"553", b"501")} == {}
    assert sink.received == []


async def test_xforward_cannot_claim_an_outbound_network(sink: Sink, tmp_path: Path) -> None:
    """XFORWARD names the original client for logs and signals; relay rights come from the real peer only."""
    settings = make_settings(tmp_path / "state", sink.port, server={"outbound_networks": ["10.0.0.0/8"]})
    gw = await start_gateway(settings)
    try:
        replies = await _rcpt_replies(
            gw.port, [b"<victim@evil.test>"], xforward=b"ADDR=10.1.2.3 NAME=smarthost"
        )
    finally:
        await gw.stop()
    assert replies[0].startswith(b"550")
    assert sink.received == []


async def test_xforward_from_an_untrusted_host_is_refused(sink: Sink, tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "state", sink.port, server={"xforward_hosts": ["192.0.2.1"]})
    gw = await start_gateway(settings)
    try:
        client, _ = await RawClient.connect(gw.port)
        ehlo = await client.say(b"EHLO outside.test")
        reply = await client.say(b"XFORWARD ADDR=10.1.2.3")
        await client.close()
    finally:
        await gw.stop()
    assert b"XFORWARD" not in ehlo
    assert reply.startswith(b"550")


async def test_local_recipients_in_odd_spellings_are_delivered(gateway: Gateway, sink: Sink) -> None:
    replies = await _rcpt_replies(gateway.port, LOCAL)
    assert [r[:3] for r in replies] == [b"250"] * len(LOCAL)
    assert len(sink.received) == len(LOCAL)


async def test_outbound_network_may_relay(sink: Sink, tmp_path: Path) -> None:
    """The one way out: the peer is in outbound_networks (here 127.0.0.0/8, where the test client is)."""
    settings = make_settings(tmp_path / "state", sink.port, server={"outbound_networks": ["127.0.0.0/8"]})
    gw = await start_gateway(settings)
    try:
        replies = await _rcpt_replies(gw.port, [b"<partner@elsewhere.test>"])
    finally:
        await gw.stop()
    assert replies[0].startswith(b"250")
    assert [r.rcpt_tos for r in sink.received] == [["partner@elsewhere.test"]]


def test_defaults_listen_on_localhost_only() -> None:
    settings = Settings()
    assert settings.server.listen.startswith("127.0.0.1:")
    assert settings.metrics.listen.startswith("127.0.0.1:")
    assert settings.web.listen == ""  # the review page is off unless configured
    assert settings.server.outbound_networks == []
    assert settings.server.xforward_hosts == ["127.0.0.1", "::1"]


async def test_serve_refuses_colliding_listeners(tmp_path: Path) -> None:
    result = await run(
        "serve", "--local-domain", "example.com", "--state-dir", str(tmp_path),
        "--listen", "127.0.0.1:12525", "--metrics-listen", "127.0.0.1:12525",
    )  # fmt: skip
    assert result.code != 0
    assert "metrics.listen (127.0.0.1:12525) collides with server.listen" in result.err


@pytest.mark.parametrize("flag", ["--metrics-listen", "--web-listen"])
@pytest.mark.parametrize("workers", ["1", "2"])
async def test_serve_stops_cleanly_when_another_process_holds_a_port(
    tmp_path: Path, flag: str, workers: str
) -> None:
    taken = socket.create_server(("127.0.0.1", 0))
    smtp_port = free_port()
    try:
        result = await run(
            "serve", "--local-domain", "example.com", "--state-dir", str(tmp_path), "--workers", workers,
            "--listen", f"127.0.0.1:{smtp_port}", flag, f"127.0.0.1:{taken.getsockname()[1]}",
        )  # fmt: skip
    finally:
        taken.close()
    assert result.code == 1 and "cannot listen" in result.err, result.err
    assert "Traceback" not in result.err


SECRETS = {"redis": "hunter2-redis", "token": "hunter2-token", "link": "hunter2-link"}


async def test_check_config_masks_every_secret(tmp_path: Path) -> None:
    config = tmp_path / "pitchgate.toml"
    config.write_text(
        '[server]\nlocal_domains = ["example.com"]\n'
        f'[store]\nredis_url = "redis://:{SECRETS["redis"]}@127.0.0.1:1/0"\n'
        f'[web]\nadmin_token = "{SECRETS["token"]}"\nlink_secret = "{SECRETS["link"]}"\n'
    )
    result = await run("check-config", "--config", str(config))
    for secret in SECRETS.values():
        assert secret not in result.out + result.err


async def test_secrets_never_reach_the_logs(sink: Sink, tmp_path: Path) -> None:
    """A Redis that is down makes the gateway log store errors at every message; none may carry the URL."""
    from tests.procs import start_serve

    config = tmp_path / "pitchgate.toml"
    config.write_text(f'[store]\nredis_url = "redis://user:{SECRETS["redis"]}@127.0.0.1:1/0"\n')
    proc, port, _ = await start_serve(tmp_path, sink.port, "--config", str(config), "--log-level", "DEBUG")
    client, _ = await RawClient.connect(port)
    await client.say(b"EHLO c.test")
    replies = await client.transaction(
        b"<a@partner.test>", b"<bob@example.com>", dot_stuff(b"Subject: s\r\n\r\nx\r\n")
    )
    await client.say(b"QUIT")
    proc.terminate()
    out, err = await proc.communicate()
    assert replies[-1].startswith(b"250")  # passed unscanned
    logs = (out + err).decode()
    assert "unscanned" in logs or "store" in logs.lower()
    assert SECRETS["redis"] not in logs


def test_package_never_unpickles() -> None:
    """Models load through skops with a reviewed trusted-types list; pickle, joblib and dill never appear."""
    banned = re.compile(r"\b(import pickle|from pickle|import joblib|from joblib|import dill|cloudpickle)\b")
    trusted_all = re.compile(r"trusted\s*=\s*True|get_untrusted_types\([^)]*\)\s*\)")
    offenders = [
        str(path)
        for path in GATEWAY.rglob("*.py")
        if banned.search(path.read_text()) or trusted_all.search(path.read_text())
    ]
    assert offenders == []
    loads = re.findall(r"skops\.io\.loads?\((.*)\)", "\n".join(p.read_text() for p in GATEWAY.rglob("*.py")))
    assert loads and all("trusted=TRUSTED_TYPES" in call for call in loads), loads
