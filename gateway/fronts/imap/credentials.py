"""Where an account's secret comes from: a file (a Docker secret) or a command (`pass show mail/work`).

The secret is read at each login, so a rotated token file or a command that refreshes an OAuth2 token is
picked up on the next reconnect. It is never logged: errors name the file or the command's exit status.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gateway.errors import ConfigError
from gateway.fronts.imap.config import ImapAccount

COMMAND_TIMEOUT = 30.0


@dataclass(frozen=True)
class Secret:
    """A password or an OAuth2 access token, as the account's login needs it."""

    value: str
    oauth2: bool

    def __repr__(self) -> str:  # never the value, whatever logs the object
        return f"Secret(oauth2={self.oauth2})"


def _from_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the secret file {path}: {exc.strerror}") from exc
    return text.strip("\r\n")


def _from_command(command: str) -> str:
    try:
        done = subprocess.run(
            shlex.split(command), capture_output=True, timeout=COMMAND_TIMEOUT, check=False, text=True
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"the secret command could not run: {type(exc).__name__}") from exc
    if done.returncode != 0:
        raise ConfigError(f"the secret command exited with status {done.returncode}")
    # `pass` prints the password on the first line and other fields below it.
    return done.stdout.splitlines()[0] if done.stdout else ""


def read_secret(account: ImapAccount) -> Secret:
    """The account's secret now; ConfigError when it cannot be had or is empty."""
    if account.password_file:
        secret = Secret(_from_file(account.password_file), oauth2=False)
    elif account.password_command:
        secret = Secret(_from_command(account.password_command), oauth2=False)
    elif account.oauth2_token_file:
        secret = Secret(_from_file(account.oauth2_token_file), oauth2=True)
    else:
        secret = Secret(_from_command(account.oauth2_token_command), oauth2=True)
    if not secret.value:
        raise ConfigError(f"the secret for {account.user} is empty")
    return secret
