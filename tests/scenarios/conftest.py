"""Markers for the scenario suite."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "corpus: replays the real SpamAssassin ham in ../shared/corpus (about 4,000 files)"
    )
