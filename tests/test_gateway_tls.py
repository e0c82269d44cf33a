"""STARTTLS: offered when a certificate is configured, and required when the configuration says so."""

from __future__ import annotations

import ssl
from pathlib import Path

import aiosmtplib
import pytest

from tests.certs import self_signed
from tests.mail import make_message
from tests.smtp_helpers import Sink, make_settings, start_gateway


def _client_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


async def test_starttls_offered_and_required(sink: Sink, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    settings = make_settings(
        tmp_path / "state",
        sink.port,
        server={"tls_cert": str(cert), "tls_key": str(key), "require_starttls": True},
    )
    gw = await start_gateway(settings)
    try:
        plain = aiosmtplib.SMTP(hostname="127.0.0.1", port=gw.port, start_tls=False)
        await plain.connect()
        await plain.ehlo()
        assert plain.supports_extension("starttls")
        with pytest.raises(aiosmtplib.SMTPSenderRefused) as info:
            await plain.mail("a@partner.test")
        assert info.value.code == 530
        plain.close()

        secure = aiosmtplib.SMTP(
            hostname="127.0.0.1", port=gw.port, start_tls=True, tls_context=_client_context()
        )
        await secure.connect()
        await secure.sendmail("a@partner.test", ["bob@example.com"], make_message())
        await secure.quit()
        assert len(sink.received) == 1
    finally:
        await gw.stop()
