"""The budget of message bytes in flight: what all SMTP sessions of one process may hold in memory at once.

A session charges bytes as they arrive in DATA and gives them back once the message has been relayed or
held. A charge that does not fit is refused, never queued: the client hears a 4xx and retries later, so
the gateway's memory stays bounded however many clients upload at once.
"""

from __future__ import annotations

from prometheus_client import Gauge


class InFlight:
    """A counter of bytes against a fixed capacity, mirrored in a gauge."""

    def __init__(self, capacity: int, gauge: Gauge | None = None) -> None:
        self.capacity = capacity
        self.used = 0
        self._gauge = gauge

    @property
    def free(self) -> int:
        return self.capacity - self.used

    def fits(self, size: int) -> bool:
        return size <= self.free

    def charge(self, size: int) -> bool:
        """Take `size` bytes when they fit; False (and nothing taken) when they do not."""
        if size > self.free:
            return False
        self._set(self.used + size)
        return True

    def release(self, size: int) -> None:
        self._set(max(0, self.used - size))

    def _set(self, used: int) -> None:
        self.used = used
        if self._gauge is not None:
            self._gauge.set(used)
