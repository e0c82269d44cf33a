"""Is this bulk mail (a list, a newsletter, retail or service mail sent to many), not a one-to-one touch?

Bulk is no sales sequence: a subscribed newsletter's third issue is not a third unanswered pitch. The
evidence is what mailing platforms add and a sequencer does not: list headers, `Precedence: bulk`,
`Feedback-ID` (Gmail's feedback loop), the sending platforms' own headers and bounce domains, or a
templated HTML page of many links (a sequencer's "personal" note has one to three; a newsletter of 2002
had no list headers yet, but dozens of links). A List-Unsubscribe header alone is not
bulk: sequencers add one to one-to-one mail. Mail carrying a sales-engagement tool's traces is never
bulk, whatever platform relays it: `outreach.sent_to_many` combines the two tests.
"""

from __future__ import annotations

import re

from gateway.core.message import Message, domain_of

# Headers that mailing platforms (ESPs) add to every message they send for a customer.
_ESP_HEADER = re.compile(
    r"^(?:feedback-id|x-ses-outgoing|x-sg-eid|x-sg-id|x-mc-user|x-mandrill-user|x-campaign(?:-?id)?|"
    r"x-mailchimp-\w+|x-csa-complaints|x-msfbl|x-mktmailing|x-marketo-\w+|x-sfmc-stack|x-job|"
    r"x-klaviyo-\w+|x-mailin-(?:campaign|eid)|x-sib-id|x-cmae-\w+|x-pm-message-id|x-esp(?:-\w+)?)$",
    re.IGNORECASE,
)
_ESP_MAILER = re.compile(
    r"mailchimp|mailerlite|sendinblue|brevo|klaviyo|campaign\s*monitor|constant\s*contact|"
    r"substack|beehiiv|convertkit|kit\.com|acoustic|exacttarget|salesforce\s*marketing|braze|iterable|"
    r"customer\.io|mailjet|sendy|phplist|mautic|listmonk|buttondown|ghost",
    re.IGNORECASE,
)
# Bounce domains of the big sending platforms (the envelope sender or Return-Path).
ESP_DOMAINS = (
    "amazonses.com",
    "sendgrid.net",
    "mcsv.net",
    "rsgsv.net",
    "mcdlv.net",
    "mailchimpapp.net",
    "mandrillapp.com",
    "sparkpostmail.com",
    "cmail19.com",
    "cmail20.com",
    "createsend.com",
    "exacttarget.com",
    "klaviyomail.com",
    "sendinblue.com",
    "mktomail.com",
    "mailjet.com",
    "postmarkapp.com",
    "substack.com",
    "beehiiv.com",
    "convertkit-mail.com",
    "ccsend.com",
    "mlsend.com",
    "bnc3.mailjet.com",
)
# A newsletter is a page of links; a sequencer's "personal" note has one to three.
_TEMPLATE_LINKS = 8


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _esp_domain(address: str) -> str:
    host = domain_of(address.strip().strip("<>"))
    return next((d for d in ESP_DOMAINS if _under(host, d)), "")


def bulk_reason(msg: Message) -> str:
    """Why the message is bulk mail, or "" when it may be one-to-one (the test is cached on the message)."""
    cached = msg.memo.get("bulk")
    if isinstance(cached, str):
        return cached
    found = _reason(msg)
    msg.memo["bulk"] = found
    return found


def _reason(msg: Message) -> str:
    if msg.list_id or msg.header("List-Post") or msg.header("Mailing-List"):
        return "list headers"
    precedence = msg.header("Precedence").strip().lower()
    if precedence in ("list", "bulk", "junk"):
        return f"Precedence: {precedence}"
    try:
        names = list(msg.parsed.keys())
    except Exception:
        names = []
    esp = next((n for n in names if _ESP_HEADER.match(n)), "")
    if esp:
        return f"mailing platform header {esp}"
    mailer = msg.header("X-Mailer")
    if mailer and _ESP_MAILER.search(mailer):
        return f"X-Mailer: {mailer[:40]}"
    for address in (msg.header("Return-Path"), msg.envelope.mail_from):
        platform = _esp_domain(address)
        if platform:
            return f"sent through {platform}"
    links = len(set(msg.html.links))
    if links >= _TEMPLATE_LINKS:
        return f"templated HTML with {links} links"
    return ""
