"""pitchgate_ready follows what /readyz says, from the /readyz handler and from the background check."""

from __future__ import annotations

from gateway.actions.housekeeping import build_scheduler
from gateway.readiness import readiness_problems
from tests.smtp_helpers import Gateway, Sink, sample


async def test_ready_gauge_follows_the_upstream(gateway: Gateway, sink: Sink) -> None:
    assert await readiness_problems(gateway.app) == []
    assert sample(gateway.registry, "pitchgate_ready") == 1.0
    await sink.stop()
    assert await readiness_problems(gateway.app) == ["upstream unreachable"]
    assert sample(gateway.registry, "pitchgate_ready") == 0.0


async def test_background_check_sets_the_gauge_without_anyone_asking_readyz(gateway: Gateway) -> None:
    # Prometheus scrapes /metrics only, so the scheduler must keep the gauge current on its own.
    assert sample(gateway.registry, "pitchgate_ready") == 0.0  # never checked yet
    await build_scheduler(gateway.app).tick()
    assert sample(gateway.registry, "pitchgate_ready") == 1.0


def test_counters_alerts_rely_on_exist_at_zero(gateway: Gateway) -> None:
    # increase() cannot see a series' first sample, so the first failed digest must find the series at 0.
    assert gateway.registry.get_sample_value("pitchgate_digests_total", {"result": "failed"}) == 0.0
    for action in ("pass", "tag", "quarantine"):
        assert gateway.registry.get_sample_value("pitchgate_messages_total", {"action": action}) == 0.0
