"""STARTTLS towards the upstream, by policy: never, when offered (the default), or always.

"opportunistic" is Postfix's `smtp_tls_security_level = may`: encrypt when the upstream offers STARTTLS,
without checking its certificate (an unchecked TLS session still beats clear text against a passive
listener, and checking would turn every self-signed internal relay into lost mail), and fall back to
clear text when the handshake fails. "required" is Postfix's `encrypt`: never send in clear, so an upstream
without STARTTLS, or a failed handshake, gets the client a 4xx. With `verify` it is Postfix's `secure`:
the certificate must chain to the system's CAs (or `ca_file`) and name the upstream host.
"""

from __future__ import annotations

import enum
import logging
import ssl
from dataclasses import dataclass
from functools import cached_property

import aiosmtplib

log = logging.getLogger(__name__)


class TLSMode(enum.StrEnum):
    NONE = "none"
    OPPORTUNISTIC = "opportunistic"
    REQUIRED = "required"


class TLSRequired(aiosmtplib.SMTPException):
    """The policy says TLS, and the upstream does not offer it."""


@dataclass(frozen=True)
class UpstreamTLS:
    """How the relay secures its connections to the upstream."""

    mode: TLSMode = TLSMode.OPPORTUNISTIC
    verify: bool = False
    ca_file: str = ""

    @cached_property
    def context(self) -> ssl.SSLContext:
        """One context for every connection: loading CAs is slow and the context is safe to share."""
        context = ssl.create_default_context(cafile=self.ca_file or None)
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    async def start(self, client: aiosmtplib.SMTP) -> None:
        """STARTTLS on a connected client that has said EHLO, then EHLO again, as RFC 3207 asks.

        Raises TLSRequired, or the handshake's own error (an OSError), for the caller to give up on."""
        if self.mode is TLSMode.NONE:
            return
        if not client.supports_extension("starttls"):
            if self.mode is TLSMode.REQUIRED:
                raise TLSRequired("the upstream offers no STARTTLS")
            return
        await client.starttls(tls_context=self.context)
        await client.ehlo()
