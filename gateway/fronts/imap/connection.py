"""Opening an authenticated IMAP connection: implicit TLS, STARTTLS or (localhost only) none; a password,
or an OAuth2 token with XOAUTH2 or OAUTHBEARER. The protocol itself is IMAPClient's."""

from __future__ import annotations

import ssl

from imapclient import IMAPClient

from gateway.fronts.imap.config import ImapAccount
from gateway.fronts.imap.credentials import read_secret


def tls_context(account: ImapAccount) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=account.tls_ca_file or None)
    if not account.tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect(account: ImapAccount, timeout: float) -> IMAPClient:
    """A logged-in client; raises IMAPClient's errors, OSError, or ConfigError for the secret."""
    secret = read_secret(account)
    context = tls_context(account)
    client = IMAPClient(
        account.host,
        port=account.real_port,
        ssl=account.tls == "ssl",
        ssl_context=context,
        timeout=timeout,
    )
    try:
        client.normalise_times = False  # INTERNALDATE with its zone, not converted to local naive time
        if account.tls == "starttls":
            client.starttls(context)
        if not secret.oauth2:
            client.login(account.user, secret.value)
        elif account.oauth2_mechanism == "OAUTHBEARER":
            client.oauthbearer_login(account.user, secret.value)
        else:
            client.oauth2_login(account.user, secret.value)
    except BaseException:
        client.shutdown()
        raise
    return client
