"""The IMAP front's settings and secrets: passwords never in the configuration, never shown, and the
command line's contract (`pitchgate imap ...`) refusing what cannot work before anything connects."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from gateway.commands.main import main
from gateway.errors import ConfigError
from gateway.fronts.imap.config import ImapAccount
from gateway.fronts.imap.credentials import read_secret
from gateway.settings import load_settings


def test_a_password_in_the_configuration_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "pitchgate.toml"
    config.write_text(
        '[[imap.accounts]]\nhost = "imap.example.com"\nuser = "bob@example.com"\npassword = "hunter2"\n'
    )
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    assert "password" in str(refused.value) and "hunter2" not in str(refused.value)


def test_accounts_from_the_configuration_with_defaults(tmp_path: Path) -> None:
    config = tmp_path / "pitchgate.toml"
    config.write_text(
        '[[imap.accounts]]\nhost = "imap.gmail.com"\nuser = "bob@example.com"\n'
        'password_command = "pass show mail/gmail"\nsent = "[Gmail]/Sent Mail"\n'
    )
    (account,) = load_settings(config).imap.accounts
    assert (account.real_port, account.tls, account.inbox, account.hold_folder) == (
        993,
        "ssl",
        "INBOX",
        "Pitches",
    )
    assert account.own_addresses == ("bob@example.com",)
    assert account.key == "bob@example.com@imap.gmail.com:993"


@pytest.mark.parametrize(
    "fields",
    [
        {},  # no secret at all
        {"password_file": "/run/secrets/a", "password_command": "pass show a"},  # two
        {"password_file": "/run/secrets/a", "tls": "none"},  # clear text to another host
        {"password_file": "/run/secrets/a", "user": "bob"},  # no address to be the recipient
    ],
)
def test_accounts_that_cannot_work_are_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        ImapAccount.model_validate({"host": "imap.example.com", "user": "bob@example.com", **fields})


def test_secret_from_a_file_and_from_a_command_never_shown(tmp_path: Path) -> None:
    secret = tmp_path / "imap_password"
    secret.write_text("s3cret-from-file\n")
    account = ImapAccount(host="imap.example.com", user="bob@example.com", password_file=str(secret))
    read = read_secret(account)
    assert read.value == "s3cret-from-file" and not read.oauth2
    assert "s3cret" not in repr(read)
    command = f"{sys.executable} -c \"print('tok-from-command'); print('login: bob')\""
    oauth = ImapAccount(host="imap.example.com", user="bob@example.com", oauth2_token_command=command)
    assert read_secret(oauth).value == "tok-from-command" and read_secret(oauth).oauth2


def test_a_failing_secret_command_names_its_status_only() -> None:
    command = f"{sys.executable} -c \"import sys; print('half-secret'); sys.exit(3)\""
    account = ImapAccount(host="imap.example.com", user="bob@example.com", password_command=command)
    with pytest.raises(ConfigError, match="status 3") as failed:
        read_secret(account)
    assert "half-secret" not in str(failed.value)


def test_the_command_line_refuses_two_password_sources_and_two_stores(tmp_path: Path) -> None:
    base = ["imap", "--host", "imap.example.com", "--user", "bob@example.com"]
    runner = CliRunner()
    both = runner.invoke(main, [*base, "--password-file", "a", "--password-command", "b"])
    assert both.exit_code == 2 and "not both" in both.output
    stores = runner.invoke(
        main, [*base, "--password-file", "a", "--state-dir", str(tmp_path), "--redis-url", "redis://x"]
    )
    assert stores.exit_code == 2 and "not both" in stores.output
    none = runner.invoke(main, ["imap", "--state-dir", str(tmp_path)])
    assert none.exit_code == 1 and "no account" in none.output


async def test_each_front_is_counted_under_its_label_and_the_old_series_still_counts_all(
    tmp_path: Path,
) -> None:
    from prometheus_client import CollectorRegistry

    from gateway.app import build_app
    from gateway.clock import ManualClock
    from gateway.core.message import Envelope
    from gateway.metrics import Metrics
    from tests.mail import make_message

    settings = load_settings(None, {"store": {"state_dir": str(tmp_path)}, "scan": {"pool_processes": 0}})
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    clock = ManualClock(1_800_000_000.0)
    smtp = build_app(settings, clock, metrics=metrics)
    imap = build_app(settings, clock, metrics=metrics, front="imap", store=smtp.store)
    try:
        for app in (smtp, imap, imap):
            msg, verdict = await app.pipeline.scan(
                make_message(), Envelope("alice@partner.test", ("bob@example.com",))
            )
            await app.pipeline.commit(msg, verdict)
    finally:
        imap.pipeline.close()
        await smtp.close()

    def sample(name: str, labels: dict[str, str]) -> float | None:
        return registry.get_sample_value(name, labels)

    assert sample("pitchgate_front_messages_total", {"front": "smtp", "action": "pass"}) == 1
    assert sample("pitchgate_front_messages_total", {"front": "imap", "action": "pass"}) == 2
    assert sample("pitchgate_front_messages_total", {"front": "imap", "action": "quarantine"}) == 0  # primed
    assert sample("pitchgate_messages_total", {"action": "pass"}) == 3
