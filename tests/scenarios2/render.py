"""Turning a generated Mail into the bytes a mail client or an MTA would have stored."""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
from email.message import EmailMessage

from tests.scenarios2.mail import Mail
from tests.scenarios2.world import LOCAL_DOMAIN, Person

# Long Message-IDs and References stay on one line (real MUAs fold them too, but a folded ID is rarer).
_POLICY = email.policy.SMTP.clone(max_line_length=998)

_WROTE = {
    "en": "On {date}, {name} wrote:",
    "de": "Am {date} schrieb {name}:",
    "fr": "Le {date}, {name} a écrit :",
    "es": "El {date}, {name} escribió:",
    "nl": "Op {date} schreef {name}:",
}


def _quoted(mail: Mail) -> str:
    parent = mail.in_reply_to
    if parent is None or not mail.quote:
        return ""
    head = _WROTE[mail.language].format(date=parent.when.strftime("%d.%m.%Y %H:%M"), name=parent.sender.name)
    lines = "\n".join(f"> {line}" if line else ">" for line in parent.text.splitlines())
    return f"\n\n{head}\n{lines}\n"


def _addresses(people: list[Person]) -> str:
    return ", ".join(email.utils.formataddr((p.name, p.address)) for p in people)


def _headers(mail: Mail, msg: EmailMessage) -> None:
    inbound = not mail.sender.address.endswith("@" + LOCAL_DOMAIN)
    if inbound:
        envelope = mail.return_path or mail.sender.address
        msg["Return-Path"] = f"<{envelope}>"
        host = mail.sender.domain
        # Our MX's verdict, above its own Received line (RFC 8601); trusted only when configured as ours.
        msg["Authentication-Results"] = (
            f"mx.{LOCAL_DOMAIN}; spf=pass smtp.mailfrom={envelope.rsplit('@', 1)[1]}; "
            f"dkim=pass header.d={host}; dmarc=pass header.from={host}"
        )
        msg["Received"] = (
            f"from mail.{host} (mail.{host} [198.51.100.{len(host) % 200 + 10}]) by mx.{LOCAL_DOMAIN} "
            f"with ESMTPS; {email.utils.format_datetime(mail.when)}"
        )
        if len(mail.to) == 1 and not mail.cc and not mail.headers.get("To"):
            msg["Delivered-To"] = mail.to[0].address
    msg["From"] = email.utils.formataddr((mail.sender.name, mail.sender.address))
    if "To" in mail.headers:
        msg["To"] = mail.headers["To"]
    else:
        msg["To"] = _addresses(mail.to)
    if mail.cc:
        msg["Cc"] = _addresses(mail.cc)
    msg["Subject"] = mail.subject
    msg["Date"] = email.utils.format_datetime(mail.when)
    msg["Message-ID"] = mail.message_id
    refs = mail.references()
    if refs:
        msg["In-Reply-To"] = refs[-1]
        msg["References"] = " ".join(refs)
    msg["MIME-Version"] = "1.0"
    for name, value in mail.headers.items():
        if name != "To":
            msg[name] = value


def render(mail: Mail) -> bytes:
    """The message as bytes: headers, a text part, and the HTML and calendar parts it has."""
    msg = EmailMessage(policy=_POLICY)
    _headers(mail, msg)
    msg.set_content(mail.text + _quoted(mail), cte="quoted-printable")
    if mail.html is not None:
        msg.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    if mail.calendar is not None:
        msg.add_attachment(
            mail.calendar.encode(),
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": "REQUEST"},
        )
    # The email package draws MIME boundaries at random; derive them from the Message-ID so a seed gives the same bytes.
    digest = hashlib.sha1(mail.message_id.encode()).hexdigest()[:24]
    for index, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"----=_Part_{index}_{digest}")
    return msg.as_bytes()
