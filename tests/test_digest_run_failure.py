"""A digest run that fails as a whole (not one refused mail) is counted, so PitchgateDigestFailing fires."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from gateway.actions.housekeeping import build_scheduler
from gateway.clock import ManualClock
from gateway.store.base import StoreError
from tests.smtp_helpers import Sink, make_settings, sample, start_gateway


async def test_a_failed_digest_run_counts_as_failed(
    sink: Sink, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(
        tmp_path,
        sink.port,
        digest={"enabled": True, "hour": 0},
        web={"link_secret": "s" * 32, "base_url": "https://review.example.com"},
    )
    # Within the digest hour, so that the first tick runs it (a gateway started after the hour waits a day).
    clock = ManualClock(datetime.now().replace(hour=0, minute=30).timestamp())
    gw = await start_gateway(settings, clock)
    try:
        # A fake failure: a real store that grants the day's claim and then fails the very next read cannot
        # be arranged on cue, so the read that lists held mail raises the store's own error.
        async def broken(*args: object) -> list[object]:
            raise StoreError("store went away")

        monkeypatch.setattr(gw.app.store, "quarantine_list", broken)
        await build_scheduler(gw.app).tick()  # the scheduler logs the failure and carries on
        assert sample(gw.registry, "pitchgate_digests_total", {"result": "failed"}) == 1.0
        assert sample(gw.registry, "pitchgate_digests_total", {"result": "sent"}) == 0.0
    finally:
        await gw.stop()
