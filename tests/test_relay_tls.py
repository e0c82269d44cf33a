"""STARTTLS to the upstream (server.upstream_tls): none, opportunistic (the default) and required, each
against a real aiosmtpd sink with a self-signed certificate; the sink reports whether a session was TLS."""

from __future__ import annotations

import re
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.actions.relay import Relay
from gateway.app import upstream_tls
from gateway.errors import ConfigError
from gateway.settings import load_settings
from tests.certs import self_signed
from tests.mail import make_message
from tests.reliability.helpers import RawClient
from tests.smtp_helpers import Sink, make_settings, start_gateway


@pytest.fixture
def cert(tmp_path: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (so that a client can also verify it, given it as CA)."""
    return self_signed(tmp_path, "upstream.test", ip="127.0.0.1", stem="upstream")[0]


@pytest.fixture
async def tls_sink(cert: Path) -> AsyncIterator[Sink]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, cert.with_suffix(".key"))
    server = Sink(tls_context=context)
    await server.start()
    yield server
    await server.stop()


async def _send_through_gateway(sink: Sink, state: Path, **server: Any) -> list[bytes]:
    """One message from a client through a gateway configured with `server` settings; the replies."""
    gw = await start_gateway(make_settings(state, sink.port, server=server))
    try:
        client, _ = await RawClient.connect(gw.port)
        commands = [b"EHLO client.test", b"MAIL FROM:<alice@partner.test>", b"RCPT TO:<bob@example.com>"]
        replies = [await client.say(c) for c in commands]
        if replies[-1].startswith(b"250"):
            replies.append(await client.say(b"DATA"))
            await client.write(make_message() + b".\r\n")
            replies.append(await client.reply())
        await client.close()
        return replies
    finally:
        await gw.stop()


async def test_opportunistic_by_default_uses_tls_without_checking_the_certificate(
    tls_sink: Sink, tmp_path: Path
) -> None:
    replies = await _send_through_gateway(tls_sink, tmp_path / "state")
    assert replies[-1].startswith(b"250"), replies
    assert [r.tls for r in tls_sink.received] == [True]


async def test_opportunistic_sends_in_clear_to_an_upstream_without_starttls(
    sink: Sink, tmp_path: Path
) -> None:
    replies = await _send_through_gateway(sink, tmp_path / "state", upstream_tls="opportunistic")
    assert replies[-1].startswith(b"250"), replies
    assert [r.tls for r in sink.received] == [False]


async def test_none_never_starts_tls(tls_sink: Sink, tmp_path: Path) -> None:
    replies = await _send_through_gateway(tls_sink, tmp_path / "state", upstream_tls="none")
    assert replies[-1].startswith(b"250"), replies
    assert [r.tls for r in tls_sink.received] == [False]


async def test_required_refuses_to_send_in_clear(sink: Sink, tmp_path: Path) -> None:
    replies = await _send_through_gateway(sink, tmp_path / "state", upstream_tls="required")
    assert replies[1].startswith(b"451 4.4.1"), replies  # at MAIL: the client keeps the message
    assert sink.received == [] and sink.commands == []


async def test_required_without_verify_takes_a_self_signed_certificate(
    tls_sink: Sink, tmp_path: Path
) -> None:
    replies = await _send_through_gateway(tls_sink, tmp_path / "state", upstream_tls="required")
    assert replies[-1].startswith(b"250"), replies
    assert [r.tls for r in tls_sink.received] == [True]


async def test_required_with_verify_checks_the_certificate(
    tls_sink: Sink, cert: Path, tmp_path: Path
) -> None:
    untrusted = await _send_through_gateway(
        tls_sink, tmp_path / "a", upstream_tls="required", upstream_tls_verify=True
    )
    assert untrusted[1].startswith(b"451 4.4.1"), untrusted  # not signed by a system CA
    assert tls_sink.received == []
    trusted = await _send_through_gateway(
        tls_sink,
        tmp_path / "b",
        upstream_tls="required",
        upstream_tls_verify=True,
        upstream_tls_ca_file=str(cert),
    )
    assert trusted[-1].startswith(b"250"), trusted
    assert [r.tls for r in tls_sink.received] == [True]


@pytest.mark.parametrize("sender", ["", "digest@example.com"])
async def test_release_and_digest_path_uses_tls_too(tls_sink: Sink, sender: str) -> None:
    """Relay.deliver (quarantine release, the digest) with the default policy, null sender included."""
    relay = Relay("127.0.0.1", tls_sink.port, tls=upstream_tls(load_settings(None, {})))
    try:
        reply = await relay.deliver(sender, ["bob@example.com"], make_message())
    finally:
        await relay.close()
    assert reply.ok, reply
    assert [(r.mail_from, r.tls) for r in tls_sink.received] == [(sender or "<>", True)]


async def test_required_deliver_to_an_upstream_without_starttls_is_a_4xx(sink: Sink) -> None:
    settings = load_settings(None, {"server": {"upstream_tls": "required"}})
    relay = Relay("127.0.0.1", sink.port, tls=upstream_tls(settings))
    try:
        reply = await relay.deliver("", ["bob@example.com"], make_message())
    finally:
        await relay.close()
    assert reply.code == 451 and sink.received == []


NEEDS_REQUIRED = "need upstream_tls = 'required'"


@pytest.mark.parametrize(
    ("server", "says"),
    [
        ({"upstream_tls_verify": True}, NEEDS_REQUIRED),
        ({"upstream_tls": "opportunistic", "upstream_tls_ca_file": "/etc/hostname"}, NEEDS_REQUIRED),
        ({"upstream_tls": "required", "upstream_tls_ca_file": "/etc/hostname"}, "needs upstream_tls_verify"),
        ({"upstream_tls": "sometimes"}, "'none', 'opportunistic' or 'required'"),
    ],
)
def test_tls_settings_that_cannot_work_are_refused(server: dict[str, Any], says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)):
        load_settings(None, {"server": server})


def test_a_missing_ca_file_is_refused(tmp_path: Path) -> None:
    ca_file = str(tmp_path / "absent.pem")
    server = {"upstream_tls": "required", "upstream_tls_verify": True, "upstream_tls_ca_file": ca_file}
    with pytest.raises(ConfigError, match="upstream_tls_ca_file: file not found"):
        upstream_tls(load_settings(None, {"server": server}))


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
async def test_opportunistic_falls_back_to_clear_when_the_handshake_fails(cert: Path, tmp_path: Path) -> None:
    """Like Postfix at "may": a TLS the two sides cannot agree on (here TLS 1.1 at most, which our client
    refuses) must not keep the mail; "required" keeps it at the client instead, with a 4xx."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, cert.with_suffix(".key"))
    context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1_1
    sink = Sink(tls_context=context)
    await sink.start()
    try:
        replies = await _send_through_gateway(sink, tmp_path / "a")
        assert replies[-1].startswith(b"250"), replies
        assert [r.tls for r in sink.received] == [False]
        required = await _send_through_gateway(sink, tmp_path / "b", upstream_tls="required")
        assert required[1].startswith(b"451 4.4.1"), required
        assert len(sink.received) == 1
    finally:
        await sink.stop()
