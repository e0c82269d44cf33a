"""A non-editable install works: build the wheel, install it into a fresh venv outside the checkout, run it.

The fresh venv borrows the test venv's third-party packages through a .pth path line (installing scikit-learn
and friends again would take minutes). A path line in a .pth adds that directory to sys.path without
processing the .pth files inside it, so the test venv's editable-install hook, which would put this checkout
on sys.path, stays inert: the test asserts the gateway package is imported from the wheel's files.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import sysconfig
import urllib.request
import venv
from pathlib import Path

import pytest

from tests.mail import make_message
from tests.procs import free_port, start_serve

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ directory of a fresh venv holding only the wheel built from this checkout."""
    base = tmp_path_factory.mktemp("packaging")
    assert ROOT not in base.parents, "the venv must live outside the checkout"
    wheels = base / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        cwd=base,
    )
    [wheel] = wheels.glob("pitchgate-*.whl")
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        cwd=base,
    )
    return env_dir / "bin"


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PITCHGATE_")}


def test_wheel_carries_the_model_and_the_checkout_is_not_importable(installed: Path) -> None:
    probe = (
        "import json, gateway, gateway.core.classifier as c; "
        "print(json.dumps([gateway.__file__, str(c.shipped_model_path())]))"
    )
    out = subprocess.run(
        [str(installed / "python"), "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        cwd=installed.parent,
        env=_clean_env(),
    ).stdout
    module, model = (Path(p) for p in json.loads(out))
    venv_dir = installed.parent
    assert venv_dir in module.parents and ROOT not in module.parents, module
    assert venv_dir in model.parents and model.is_file(), model
    assert model.read_bytes() == (ROOT / "models" / "pitch.skops").read_bytes()


def test_installed_scan_uses_the_packaged_model(installed: Path, tmp_path: Path) -> None:
    pitch = make_message(
        sender="sdr@vendor.test",
        subject="Quick call about your pipeline?",
        body="Hi Bob, we help teams like yours book 3x more demos. Are you free for a quick 15 minute "
        "call this week? Grab a time on my calendly: https://calendly.com/sdr/15min",
    )
    message = tmp_path / "pitch.eml"
    message.write_bytes(pitch)
    result = subprocess.run(
        [
            str(installed / "pitchgate"),
            "scan",
            "--format",
            "json",
            "--local-domain",
            "example.com",
            "--state-dir",
            str(tmp_path / "state"),
            str(message),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert "CONTENT_PITCH" in verdict["symbols"], verdict


async def test_installed_serve_answers_healthz(installed: Path, tmp_path: Path) -> None:
    proc, _, metrics_port = await start_serve(
        tmp_path / "state",
        free_port(),
        command=[str(installed / "pitchgate")],
        cwd=tmp_path,
        env=_clean_env(),
    )
    try:
        assert await asyncio.to_thread(_get, f"http://127.0.0.1:{metrics_port}/healthz") == (200, b"ok\n")
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
