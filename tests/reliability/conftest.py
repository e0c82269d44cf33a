"""Fixtures the reliability tests borrow from tests/web/conftest.py: the review page site and Chromium."""

from tests.web.conftest import browser, site  # noqa: F401  (fixtures, found by pytest under these names)
