"""Fixtures the reliability tests borrow: the review page site (tests/web/conftest.py) for quarantine races."""

from tests.web.conftest import site  # noqa: F401  (a fixture, found by pytest under this name)
