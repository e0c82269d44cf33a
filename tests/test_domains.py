"""Organisational domains from the Public Suffix List, and the maintained freemail list."""

from __future__ import annotations

import pytest

from gateway.core.domains import is_freemail, org_domain, trusted_as_whole


@pytest.mark.parametrize(
    ("domain", "org"),
    [
        ("mail.acme.co.uk", "acme.co.uk"),
        ("acme.co.uk", "acme.co.uk"),
        ("eu.sales.vendor.com", "vendor.com"),
        ("Vendor.COM.", "vendor.com"),
        ("shop.example.com.au", "example.com.au"),
        ("co.uk", "co.uk"),  # a bare public suffix is nobody's organisation but its own
    ],
)
def test_org_domain(domain: str, org: str) -> None:
    assert org_domain(domain) == org


@pytest.mark.parametrize(
    "domain",
    ["hotmail.co.uk", "yahoo.co.uk", "fastmail.fm", "t-online.de", "orange.fr", "comcast.net", "gmail.com"],
)
def test_freemail_providers_are_never_trusted_as_a_whole(domain: str) -> None:
    assert is_freemail(domain) and not trusted_as_whole(domain)


@pytest.mark.parametrize("domain", ["acme.co.uk", "vendor.com", "mail.acme.co.uk"])
def test_company_domains_are_trusted_as_a_whole(domain: str) -> None:
    assert not is_freemail(domain) and trusted_as_whole(domain)


def test_bulk_platforms_are_not_trusted_as_a_whole() -> None:
    assert not trusted_as_whole("em1234.sendgrid.net") and not trusted_as_whole("linkedin.com")
