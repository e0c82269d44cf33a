"""Time in the generated mailbox: the 75 days it spans, business days and office hours in each sender's zone."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from tests.scenarios2.world import TZ_HOURS

START = date(2026, 9, 7)  # a Monday


def business_days_after(day: date, n: int) -> date:
    """The n-th business day after day (Saturday and Sunday skipped); n = 0 is day itself, moved off a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def office_time(rng: random.Random, day: date, language: str, early: int = 8, late: int = 18) -> datetime:
    """A moment during office hours on day, in the sender's own time zone."""
    zone = timezone(timedelta(hours=TZ_HOURS[language]))
    minute = rng.randrange(early * 60, late * 60)
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randrange(60), tzinfo=zone)


def later(rng: random.Random, after: datetime, language: str, min_hours: float, max_hours: float) -> datetime:
    """A reply's moment: some hours after another message, in the replier's zone."""
    zone = timezone(timedelta(hours=TZ_HOURS[language]))
    return (
        (after + timedelta(hours=rng.uniform(min_hours, max_hours))).astimezone(zone).replace(microsecond=0)
    )


def day_of(start: date, days: int) -> date:
    return start + timedelta(days=days)
