"""The README's "One hosted inbox" quick start, run up to where a real provider would be needed.

Docker itself is not usable here (no daemon), so the test runs exactly the command line and environment
of docker-compose.imap.yml's service, as `pitchgate imap ... --once`, with the container's paths mapped
into a temporary directory and the provider replaced by the test Dovecot (its port, and --tls none since
it is on localhost). Two runs: the first start (backfill, nothing moved), then new mail (a pitch moved).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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
    with dovecot.running(users=2) as found:
        yield found


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


def test_the_compose_file_publishes_the_review_page_on_localhost_only() -> None:
    service = yaml.safe_load(COMPOSE.read_text())["services"]["pitchgate-imap"]
    published = {port.rsplit(":", 1)[1]: port for port in service["ports"]}
    assert published["8025"] == "127.0.0.1:8025:8025" and published["9425"].startswith("127.0.0.1:")
    env = service["environment"]
    assert env["PITCHGATE_WEB__ADMIN_TOKEN"].startswith("${") and env[
        "PITCHGATE_WEB__LINK_SECRET"
    ].startswith("${")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, cookie: str = "") -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        answer = conn.getresponse()
        found = re.match(r"(pitchgate_session=[^;]*)", answer.getheader("set-cookie") or "")
        return answer.status, answer.read().decode(), found.group(1) if found else cookie
    finally:
        conn.close()


def _until(check: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_pitchgate_imap_serves_the_review_page_of_the_hold_folder(server: Dovecot, tmp_path: Path) -> None:
    user = server.take_user()
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    port, token = _free_port(), "admin-token-of-the-quickstart-test"
    args = ["imap", "--host", "127.0.0.1", "--port", str(server.port), "--tls", "none", "--user", user]
    args += ["--password-file", str(secret), "--state-dir", str(tmp_path / "state")]
    args += ["--poll-seconds", "2", "--web-listen", f"127.0.0.1:{port}"]
    env = {**os.environ, "PITCHGATE_METRICS__LISTEN": "127.0.0.1:0", "PITCHGATE_WEB__ADMIN_TOKEN": token}
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def answers() -> bool:
            with contextlib.suppress(OSError):
                return _get(port, "/")[0] == 401
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            return False

        _until(answers)  # the page is up, and turns away a visitor without the token
        assert proc.stdout is not None
        while "backfill of" not in proc.stdout.readline():  # the first start learns, then watches
            assert proc.poll() is None
        server.deliver(user, pitch(user, "<w1@growthly.test>"))
        _until(lambda: server.message_ids(user, "Pitches") == ["<w1@growthly.test>"])
        status, _, cookie = _get(port, f"/?token={token}")
        assert status == 200 and cookie
        status, page, _ = _get(port, "/", cookie)
        assert status == 200 and "Quick call?" in page and "dana@growthly.test" in page
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert PASSWORD not in err and token not in err
