"""The `[imap]` configuration: the accounts to watch and how often. Passwords are never in here.

A password or an OAuth2 access token comes from a file (a Docker secret) or a command (`pass show mail/work`),
as mbsync and aerc take them; the model refuses any other key, so `password = "..."` in the file is an error.

Folder names differ by provider (README, "One hosted inbox"): Gmail `[Gmail]/Sent Mail`, Fastmail
`Sent`, Outlook and Microsoft 365 `Sent Items`; the INBOX is `INBOX` everywhere.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

IDLE_LIMIT = 29 * 60.0
"""RFC 2177: servers may drop an IDLE after 30 minutes, so a client re-issues it before 29."""


class ImapAccount(BaseModel):
    """One mailbox: where it is, who logs in, where the secret comes from, and its folders."""

    model_config = ConfigDict(extra="forbid")

    host: str
    port: int = 0
    """0: 993 with tls = "ssl", else 143."""
    tls: Literal["ssl", "starttls", "none"] = "ssl"
    tls_verify: bool = True
    tls_ca_file: str = ""
    user: str
    password_file: str = ""
    password_command: str = ""
    oauth2_token_file: str = ""
    oauth2_token_command: str = ""
    oauth2_mechanism: Literal["XOAUTH2", "OAUTHBEARER"] = "XOAUTH2"
    addresses: list[str] = Field(default_factory=list)
    """The account's own addresses (the recipients of its INBOX); default: the user, if it is one."""
    inbox: str = "INBOX"
    sent: str = "Sent"
    hold_folder: str = "Pitches"

    @model_validator(mode="after")
    def _one_secret(self) -> ImapAccount:
        given = [
            name
            for name in ("password_file", "password_command", "oauth2_token_file", "oauth2_token_command")
            if getattr(self, name)
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of password_file, password_command, oauth2_token_file, oauth2_token_command"
                f" (got {', '.join(given) or 'none'})"
            )
        if self.tls == "none" and self.host not in ("127.0.0.1", "::1", "localhost"):
            raise ValueError("tls = 'none' sends the password in clear: only for a server on localhost")
        if not self.own_addresses:
            raise ValueError("addresses: the user is not an address, so list the account's own addresses")
        return self

    @property
    def real_port(self) -> int:
        return self.port or (993 if self.tls == "ssl" else 143)

    @property
    def own_addresses(self) -> tuple[str, ...]:
        found = [a.strip().lower() for a in self.addresses] or (
            [self.user.lower()] if "@" in self.user else []
        )
        return tuple(dict.fromkeys(found))

    @property
    def key(self) -> str:
        """The store's name for the account: its user on its server."""
        return f"{self.user.lower()}@{self.host.lower()}:{self.real_port}"


class ImapSettings(BaseModel):
    """`[imap]`: the accounts (`[[imap.accounts]]`) and the watcher's timing."""

    model_config = ConfigDict(extra="forbid")

    accounts: list[ImapAccount] = Field(default_factory=list)
    keyword: str = "$Pitch"
    """The IMAP keyword a tagged message gets, for Sieve, Thunderbird and Apple Mail rules."""
    poll_seconds: float = Field(default=60.0, gt=0)
    """How often Sent and the hold folder are checked, and INBOX too on a server without IDLE."""
    idle_seconds: float = Field(default=25 * 60.0, gt=0, le=IDLE_LIMIT)
    """How long one IDLE runs before it is re-issued (at most 29 minutes, RFC 2177)."""
    backfill_days: float = Field(default=30.0, ge=0)
    """At first start: how many days of Sent and INBOX history are learned from (nothing is moved)."""
    max_backoff: float = Field(default=300.0, gt=0)
    """The longest wait between reconnection attempts (the wait doubles from 1 second)."""
    timeout: float = Field(default=60.0, gt=0)
    """Seconds one IMAP command may take before the connection counts as lost."""
    batch: int = Field(default=50, gt=0)
    """Messages fetched per FETCH: the memory bound of one round."""
