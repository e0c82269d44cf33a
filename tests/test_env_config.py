"""List-valued settings from the environment: what people type (a,b) works, a malformed value names its key.

Every list in the settings model and every list-valued signal option is covered, found from the model and
from settings.LIST_OPTIONS rather than listed here, through real `pitchgate check-config` subprocesses.
"""

from __future__ import annotations

import asyncio
import json
import os
import typing
from pathlib import Path

from pydantic import BaseModel

from gateway.settings import LIST_OPTIONS, Settings
from tests.procs import PITCHGATE


def list_settings() -> list[tuple[str, ...]]:
    """Every list-valued key: (section, key) of the settings model, (signals, name, option) of the signals."""
    keys: list[tuple[str, ...]] = []
    for section, field in Settings.model_fields.items():
        model = field.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            for key, inner in model.model_fields.items():
                args = typing.get_args(inner.annotation)
                # Lists of tables (`[[imap.accounts]]`) take JSON only; the comma form is for lists of words.
                tables = bool(args) and isinstance(args[0], type) and issubclass(args[0], BaseModel)
                if typing.get_origin(inner.annotation) is list and not tables:
                    keys.append((section, key))
    keys += [("signals", name, option) for name, options in LIST_OPTIONS.items() for option in options]
    return keys


def env_name(key: tuple[str, ...]) -> str:
    return "PITCHGATE_" + "__".join(key).upper()


async def check_config(env: dict[str, str], state: Path) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *PITCHGATE,
        "check-config",
        "--state-dir",
        str(state),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("PITCHGATE_")}, **env},
    )
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def lookup(effective: dict[str, typing.Any], key: tuple[str, ...]) -> typing.Any:
    for part in key:
        effective = effective[part]
    return effective


def test_the_list_settings_are_found() -> None:
    found = set(list_settings())
    assert {
        ("server", "local_domains"),
        ("server", "xforward_hosts"),
        ("server", "outbound_networks"),
    } <= found
    assert ("signals", "cadence", "suspect_symbols") in found


async def test_comma_separated_lists_are_accepted(tmp_path: Path) -> None:
    keys = list_settings()
    env = {env_name(key): "Example.com, second.test ,third.test" for key in keys}
    env[env_name(("server", "outbound_networks"))] = "10.0.0.0/8, 192.168.0.0/16"
    env[env_name(("server", "local_domains"))] = "example.com,Other.Example"
    code, out, err = await check_config(env, tmp_path)
    assert code == 0, err
    effective = json.loads(out)
    for key in keys:
        expected = [part.strip() for part in env[env_name(key)].split(",")]
        if key == ("server", "local_domains"):
            expected = ["example.com", "other.example"]  # domains are lower-cased
        assert lookup(effective, key) == expected, key
    # The JSON form keeps working.
    code, out, err = await check_config({env_name(("server", "local_domains")): '["a.example"]'}, tmp_path)
    assert code == 0 and json.loads(out)["server"]["local_domains"] == ["a.example"], err


async def test_a_malformed_list_names_its_key_and_the_expected_form(tmp_path: Path) -> None:
    keys = list_settings()
    domain = {env_name(("server", "local_domains")): "example.com"}
    runs = [
        check_config({**domain, env_name(key): '["unclosed"'}, tmp_path / str(i))
        for i, key in enumerate(keys)
    ]
    for key, (code, _, err) in zip(keys, await asyncio.gather(*runs), strict=True):
        error = err.strip().splitlines()[-1]
        assert code == 1, (key, err)
        assert ".".join(key[1:] if key[0] == "signals" else key) in error, error
        assert env_name(key) in error, error
        assert "comma-separated" in error and "JSON list" in error, error


def test_settings_reach_workers_as_json_with_their_secrets(tmp_path: Path) -> None:
    # `--workers` hands the parent's settings to its children as JSON (never pickle): every value,
    # secrets, networks and paths included, must come back as it was.
    from gateway.settings import Settings, settings_from_json, settings_to_json

    settings = Settings.model_validate(
        {
            "server": {"outbound_networks": ["10.0.0.0/8"], "local_domains": ["example.com"]},
            "store": {"state_dir": str(tmp_path), "redis_url": "redis://:pw@127.0.0.1:6379/0"},
            "web": {"admin_token": "s3cret-token", "link_secret": "k" * 32},
        }
    )
    blob = settings_to_json(settings)
    assert b"pickle" not in blob and b"s3cret-token" in blob
    assert settings_from_json(blob) == settings
