"""Every signal is registered once, and every symbol is documented in config/pitchgate.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from gateway.core.signals import SIGNALS, default_weights

CONFIG = Path(__file__).parent.parent.parent / "config" / "pitchgate.toml"


def test_every_symbol_is_documented_with_its_default() -> None:
    text = CONFIG.read_text()
    documented = {
        m.group(1): float(m.group(2)) for m in re.finditer(r"^# ([A-Z0-9_]+) = (-?[\d.]+)", text, re.M)
    }
    assert {s: w for s, w in default_weights().items() if s in documented} == default_weights()
    assert set(default_weights()) <= set(documented)


def test_every_signal_has_a_config_section() -> None:
    sections = tomllib.loads(CONFIG.read_text())["signals"]
    assert {f.name for f in SIGNALS} <= set(sections)
