"""`check-config` refuses exactly what `serve` refuses, with the same message, and prints what serve would use.

Each case is a configuration `serve` must refuse before it opens a port; both commands run as real
subprocesses with the same file and flags, and both must exit 1 with the same error line.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest

from gateway.core.signals import default_weights
from tests.procs import PITCHGATE, free_port

DOMAIN = '[server]\nlocal_domains = ["example.com"]\n'
MODEL_MISSING = DOMAIN + '[signals.content]\nmodel = "/nonexistent/pitch.skops"\n'
# (id, config file text with {smtp} for the SMTP address, extra environment, a phrase the refusal must contain)
REFUSALS: list[tuple[str, str, dict[str, str], str]] = [
    ("no-local-domain", "", {}, "no local domain configured"),
    ("bad-value", DOMAIN + 'upstream = "nonsense"\n', {}, "server.upstream"),
    ("digest-without-secrets", DOMAIN + "[digest]\nenabled = true\n", {}, "web.link_secret"),
    ("unknown-symbol", DOMAIN + "[scores]\nNOT_A_SYMBOL = 3.0\n", {}, "NOT_A_SYMBOL"),
    ("unknown-signal", DOMAIN + "[signals.nosuch]\nenabled = true\n", {}, "nosuch"),
    ("thresholds", DOMAIN + "[policy]\ntag_score = 8.0\nquarantine_score = 5.0\n", {}, "quarantine_score"),
    ("listener-collision", DOMAIN + '[web]\nlisten = "{smtp}"\n', {}, "collides with server.listen"),
    ("model-missing", MODEL_MISSING, {}, "no model file"),
    ("starttls-without-tls", DOMAIN + "require_starttls = true\n", {}, "server.require_starttls"),
    ("tls-file-missing", DOMAIN + 'tls_cert = "/no/cert.pem"\ntls_key = "/no/key.pem"\n', {}, "tls_cert"),
    (
        "workers-digest-without-secrets",
        DOMAIN + "[digest]\nenabled = true\n",
        {"PITCHGATE_SERVER__WORKERS": "2"},
        "web.link_secret",
    ),
]


async def _pitchgate(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *PITCHGATE,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **env},
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 90)
    except TimeoutError:
        proc.send_signal(signal.SIGTERM)  # serve started although it should have refused
        out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def _ports() -> tuple[str, dict[str, str]]:
    """A free SMTP address, and the environment that puts serve's listeners on free ports."""
    smtp = f"127.0.0.1:{free_port()}"
    return smtp, {"PITCHGATE_SERVER__LISTEN": smtp, "PITCHGATE_METRICS__LISTEN": f"127.0.0.1:{free_port()}"}


@pytest.mark.parametrize(
    ("config_text", "env", "phrase"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
async def test_serve_and_check_config_refuse_alike(
    tmp_path: Path, config_text: str, env: dict[str, str], phrase: str
) -> None:
    smtp, ports = _ports()
    config = tmp_path / "pitchgate.toml"
    config.write_text(config_text.replace("{smtp}", smtp))
    flags = ("--config", str(config), "--state-dir", str(tmp_path / "state"))
    served, checked = await asyncio.gather(
        _pitchgate("serve", *flags, env={**ports, **env}),
        _pitchgate("check-config", *flags, env={**ports, **env}),
    )
    assert served[0] == 1, f"serve did not refuse: {served}"
    assert checked[0] == 1, f"check-config accepted what serve refuses: {checked}"
    serve_error, check_error = (result[2].strip().splitlines()[-1] for result in (served, checked))
    assert serve_error == check_error
    assert serve_error.startswith("Error: ") and phrase in serve_error


async def test_check_config_accepts_what_serve_runs_and_prints_the_weights(tmp_path: Path) -> None:
    config = tmp_path / "pitchgate.toml"
    config.write_text(DOMAIN + "[scores]\nBOOKING_LINK = 2.5\n")
    _, ports = _ports()
    code, out, err = await _pitchgate("check-config", "--config", str(config), env=ports)
    assert code == 0, err
    scores = json.loads(out)["scores"]
    assert scores == {**default_weights(), "BOOKING_LINK": 2.5}
    assert scores["CONTENT_PITCH"] == default_weights()["CONTENT_PITCH"]
