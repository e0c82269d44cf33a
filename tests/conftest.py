"""Shared fixtures: a sink server and a gateway in front of it, both on 127.0.0.1 in the test's loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway


@pytest.fixture
async def sink() -> AsyncIterator[Sink]:
    server = Sink()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def gateway(sink: Sink, tmp_path: Path) -> AsyncIterator[Gateway]:
    gw = await start_gateway(make_settings(tmp_path / "state", sink.port))
    yield gw
    await gw.stop()
