"""config/pitchgate.toml documents the code's defaults, so they cannot drift apart again.

tests/test_deploy.py checks the settings sections (the file loads to exactly `Settings()`); this file checks
what the settings model cannot see: the weights listed as comments under [scores], and the [signals.*]
options, by building the signals from the file's settings and from the defaults and comparing them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from gateway.app import build_app
from gateway.clock import ManualClock
from gateway.core.signals import SIGNALS, default_weights
from gateway.settings import LIST_OPTIONS, Settings, load_settings

CONFIG = Path(__file__).resolve().parents[1] / "config" / "pitchgate.toml"
_WEIGHT_RE = re.compile(r"^# ([A-Z][A-Z0-9_]+) = (-?\d+(?:\.\d+)?)\b", re.MULTILINE)
_PLAIN = (bool, int, float, str, frozenset, set, list, tuple, type(None))


def _scores_section(text: str) -> str:
    start = text.index("\n[scores]\n")
    return text[start : text.index("\n[", start + 1)]


def test_every_documented_weight_is_the_code_default() -> None:
    documented = _WEIGHT_RE.findall(_scores_section(CONFIG.read_text()))
    symbols = [symbol for symbol, _ in documented]
    assert len(symbols) == len(set(symbols)), "a symbol is documented twice"
    defaults = default_weights()
    assert set(symbols) == set(defaults), "documented symbols differ from the signals' symbols"
    for symbol, value in documented:
        assert float(value) == defaults[symbol], (
            f"{symbol}: the file says {value}, the code {defaults[symbol]}"
        )


def test_signal_sections_name_known_signals_and_their_default_state() -> None:
    signals = tomllib.loads(CONFIG.read_text())["signals"]
    factories = {f.name: f for f in SIGNALS}
    assert set(signals) == set(factories), "every signal has its [signals.NAME] section, and only those"
    for name, options in signals.items():
        assert options["enabled"] == getattr(factories[name], "enabled_by_default", True), name
        lists = {key for key, value in options.items() if isinstance(value, list)}
        assert lists == LIST_OPTIONS.get(name, frozenset()), f"settings.LIST_OPTIONS[{name!r}]"


def _state(signal: object) -> dict[str, Any]:
    """A signal's configured values: its plain attributes (not the store, clock or model objects)."""
    return {k: v for k, v in vars(signal).items() if isinstance(v, _PLAIN)}


async def test_documented_signal_options_are_the_code_defaults(tmp_path: Path) -> None:
    documented = load_settings(CONFIG, {"store": {"state_dir": str(tmp_path / "a")}})
    defaults = Settings.model_validate({"store": {"state_dir": str(tmp_path / "b")}})
    assert documented.signals, "the file documents signal options"
    apps = [build_app(settings, ManualClock()) for settings in (documented, defaults)]
    try:
        built = [{type(s).__name__: _state(s) for s in app.pipeline.signals} for app in apps]
        assert set(built[0]) == {f.__name__ for f in SIGNALS}
        assert built[0]["Cadence"] and built[0]["Content"], "the comparison sees the configured values"
        for name, state in built[0].items():
            assert state == built[1][name], f"[signals] options of {name} differ from the code's defaults"
    finally:
        for app in apps:
            await app.close()
