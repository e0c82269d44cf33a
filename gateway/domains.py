"""Domains that must never be trusted as a whole: freemail providers and bulk-mail platforms.

Writing to alice@gmail.com says nothing about bob@gmail.com, so domain-level consent skips these.
"""

from __future__ import annotations

FREEMAIL: frozenset[str] = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "web.de",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "qq.com",
        "163.com",
        "126.com",
    }
)

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


def trusted_as_whole(domain: str) -> bool:
    """True when consent given to one address at `domain` may extend to the whole domain."""
    return (
        bool(domain)
        and domain not in FREEMAIL
        and not any(domain == d or domain.endswith("." + d) for d in BULK_PLATFORMS)
    )
