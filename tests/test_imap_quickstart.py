"""The README's "One hosted inbox" quick start, run up to where a real provider would be needed.

Docker itself is not usable here (no daemon), so the test runs exactly the command line and environment
of docker-compose.imap.yml's service, as `pitchgate imap ... --once`, with the container's paths mapped
into a temporary directory and the provider replaced by the test Dovecot (its port, and --tls none since
it is on localhost). Two runs: the first start (backfill, nothing moved), then new mail (a pitch moved).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests import dovecot
from tests.dovecot import PASSWORD, Dovecot
from tests.imap_helpers import pitch, wanted

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.imap.yml"
_VAR = re.compile(r"\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}")


@pytest.fixture(scope="module")
def server() -> Iterator[Dovecot]:
    if not dovecot.available():
        if os.environ.get("CI"):
            pytest.fail("CI must run the IMAP tests: install dovecot-imapd")
        pytest.skip("no Dovecot (apt-get install dovecot-imapd)")
    found = Dovecot(users=2)
    found.start()
    yield found
    found.remove()


def _expand(value: str, env: dict[str, str]) -> str:
    def one(found: re.Match[str]) -> str:
        name, default = found.group(1), found.group(2)
        if name in env:
            return env[name]
        assert default is not None, f"{name} is required by the compose file"
        return default

    return _VAR.sub(one, value)


def _service_command(env: dict[str, str], paths: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    service = yaml.safe_load(COMPOSE.read_text())["services"]["pitchgate-imap"]
    args = [paths.get(a, a) for a in (_expand(str(a), env) for a in service["command"])]
    environment = {k: _expand(str(v), env) for k, v in service["environment"].items()}
    return args, environment


def _run(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args, "--once"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **environment, "PITCHGATE_METRICS__LISTEN": "127.0.0.1:0"},
        check=False,
    )


def test_the_compose_service_moves_a_pitch(server: Dovecot, tmp_path: Path) -> None:
    user = server.take_user()
    secret = tmp_path / "secrets" / "imap_password"
    secret.parent.mkdir()
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    state = tmp_path / "state"
    # What the README tells the person to set in .env, with the test server in place of the provider.
    env = {"IMAP_HOST": "127.0.0.1", "IMAP_PORT": str(server.port), "IMAP_TLS": "none", "IMAP_USER": user}
    paths = {
        "/run/secrets/imap_password": str(secret),
        "/var/lib/pitchgate": str(state),
        "/etc/pitchgate/pitchgate.toml": str(ROOT / "config" / "pitchgate.toml"),
    }
    args, environment = _service_command(env, paths)
    server.deliver(user, wanted(user, "<q1@partner.test>"))
    first = _run(args, environment)
    assert first.returncode == 0, first.stderr
    assert "backfill of" in first.stdout and "1 INBOX" in first.stdout
    server.deliver(user, pitch(user, "<q2@growthly.test>"))
    second = _run(args, environment)
    assert second.returncode == 0, second.stderr
    assert server.message_ids(user, "INBOX") == ["<q1@partner.test>"]
    assert server.message_ids(user, "Pitches") == ["<q2@growthly.test>"]
    assert (state / "pitchgate.sqlite3").is_file()
    assert PASSWORD not in first.stdout + first.stderr + second.stdout + second.stderr
    assert "action=quarantine" in second.stderr  # the same log line as serve's
