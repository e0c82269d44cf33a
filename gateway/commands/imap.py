"""`pitchgate imap`: watch one hosted mailbox from the command line, or the `[[imap.accounts]]` of the
configuration when no --host is given. The flags are a contract for admins' scripts."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from gateway import logs
from gateway.errors import ConfigError
from gateway.fronts.imap.config import ImapAccount
from gateway.fronts.imap.watcher import LOST
from gateway.settings import Settings, load_settings

_ACCOUNT_FLAGS = ("host", "port", "tls", "user", "password_file", "password_command", "inbox", "sent")


def _account(flags: dict[str, Any]) -> dict[str, Any]:
    given = {k: flags[k] for k in _ACCOUNT_FLAGS if flags.get(k) is not None}
    for flag, key in (
        ("hold_folder", "hold_folder"),
        ("oauth2_token_file", "oauth2_token_file"),
        ("oauth2_token_command", "oauth2_token_command"),
        ("oauth2_mechanism", "oauth2_mechanism"),
    ):
        if flags.get(flag) is not None:
            given[key] = flags[flag]
    if flags.get("address"):
        given["addresses"] = list(flags["address"])
    return given


def _settings(config: Path | None, flags: dict[str, Any]) -> Settings:
    overrides: dict[str, Any] = {}
    for flag, section, key in (
        ("state_dir", "store", "state_dir"),
        ("redis_url", "store", "redis_url"),
        ("log_level", "logging", "level"),
        ("metrics_listen", "metrics", "listen"),
        ("web_listen", "web", "listen"),
    ):
        if flags.get(flag) is not None:
            overrides.setdefault(section, {})[key] = str(flags[flag])
    settings = load_settings(config, overrides)
    imap = settings.imap.model_copy()
    if flags.get("host") is not None:
        try:
            imap.accounts = [ImapAccount.model_validate(_account(flags))]
        except ValidationError as exc:
            detail = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'account'}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"invalid account: {detail}") from exc
    if flags.get("backfill_days") is not None:
        imap.backfill_days = flags["backfill_days"]
    if flags.get("poll_seconds") is not None:
        imap.poll_seconds = flags["poll_seconds"]
    if not imap.accounts:
        raise ConfigError("no account: give --host, --user and a password source, or [[imap.accounts]]")
    return settings.model_copy(update={"imap": imap})


@click.command()
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), help="TOML configuration.")
@click.option("--host", help="IMAP server (without it, the [[imap.accounts]] of the configuration).")
@click.option("--port", type=int, help="IMAP port [993 with ssl, else 143].")
@click.option("--tls", type=click.Choice(["ssl", "starttls", "none"]), help="Transport security [ssl].")
@click.option("--user", help="Login name.")
@click.option("--password-file", help="File holding the password (a Docker secret).")
@click.option("--password-command", help="Command printing the password, e.g. 'pass show mail/work'.")
@click.option("--oauth2-token-file", help="File holding an OAuth2 access token (XOAUTH2/OAUTHBEARER).")
@click.option("--oauth2-token-command", help="Command printing an OAuth2 access token.")
@click.option("--oauth2-mechanism", type=click.Choice(["XOAUTH2", "OAUTHBEARER"]), help="[XOAUTH2].")
@click.option("--address", multiple=True, help="The account's own address (repeatable) [the user].")
@click.option("--inbox", help="The folder new mail arrives in [INBOX].")
@click.option("--sent", help="The Sent folder [Sent; Gmail: '[Gmail]/Sent Mail'; Outlook: 'Sent Items'].")
@click.option("--hold-folder", help="Where pitches are moved [Pitches].")
@click.option("--state-dir", type=click.Path(path_type=Path), help="Directory of the embedded store.")
@click.option("--redis-url", help="Redis URL: shared state instead of the embedded store.")
@click.option("--backfill-days", type=float, help="Days of history learned at first start [30].")
@click.option("--poll-seconds", type=float, help="Seconds between checks of Sent and the hold folder [60].")
@click.option("--metrics-listen", help="Address of /metrics [127.0.0.1:9425].")
@click.option(
    "--web-listen",
    is_flag=False,
    flag_value="127.0.0.1:8025",
    help="Serve the review page of the hold folder; alone it means 127.0.0.1:8025 [off].",
)
@click.option("--log-level", help="DEBUG, INFO, WARNING or ERROR [INFO].")
@click.option("--once", is_flag=True, help="Handle what is waiting, then exit (for cron and tests).")
def imap(config: Path | None, once: bool, **flags: Any) -> None:
    """Watch a hosted mailbox over IMAP: pitches are moved to the hold folder, tagged ones get $Pitch."""
    from gateway.fronts.imap import run as running

    if flags.get("password_file") and flags.get("password_command"):
        raise click.UsageError("give --password-file or --password-command, not both")
    if flags.get("state_dir") is not None and flags.get("redis_url") is not None:
        raise click.UsageError("give --state-dir or --redis-url, not both")
    try:
        settings = _settings(config, flags)
        logs.configure_from(settings.logging)
        asyncio.run(running.run(settings, once=once))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    except LOST as exc:  # --once: the session failed; the message says why, never the secret
        raise click.ClickException(f"IMAP: {type(exc).__name__}: {exc}") from exc
