"""Deterministic generator of whole scenario mailboxes: weeks of mail for two users of example.com.

`generate(out_dir, seed)` writes one inbox and one Sent folder per user as mbox files, plus `labels.json`
mapping every Message-ID to its label (`followup_pitch`, `first_pitch`, `wanted`, `outbound`), its case
(scenario name), the instance of that case, and the features the message carries. Everything comes from
one seeded `random.Random`, so the same seed gives byte-identical files.

The mailboxes play out the post-connection hard sell (a LinkedIn connection, a pitch, unanswered
follow-ups; or the same without LinkedIn) next to the mail that must pass untouched, including the
tricky cases that share a pitch's surface: a colleague nudging twice, a vendor the user asked for
pricing, a salesperson the user answered, strangers with a genuine request and one polite nudge.

Conventions the replay relies on:
- inbound mail carries `Delivered-To: <owner>`, a `Received` line and an `Authentication-Results` header
  from `mx.example.com` (the authserv-id the scenario config trusts); genuine LinkedIn mail says
  dkim=pass header.d=linkedin.com there, forged LinkedIn mail has no such verdict;
- the owners' own mail (Sent folders) is From the owner, so replay with `--local-domain example.com`
  classifies it as outbound and learns consent from it.

Run `python -m tests.scenarios.generate --out DIR` to inspect a mailbox by hand.
"""

from __future__ import annotations

import argparse
import email.policy
import json
import random
import re
import string
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from tests.scenarios import phrases as P

LOCAL_DOMAIN = "example.com"
AUTHSERV_ID = "mx.example.com"
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday; the mailboxes cover about ten weeks from here
DEFAULT_SEED = 20260105
LABELS = ("followup_pitch", "first_pitch", "wanted", "outbound")

# Cases (scenario names) and how many instances each owner gets: (bob, alice).
PITCH_CASES: dict[str, tuple[int, int]] = {
    "li_message_pitch": (7, 2),  # LinkedIn connection, pitch and follow-ups as LinkedIn messages
    "li_message_then_email": (8, 2),  # LinkedIn message pitch, then follow-ups by direct email
    "li_connect_then_email": (7, 2),  # LinkedIn connection, then pitch and follow-ups by email
    "inmail_pitch": (4, 1),  # InMail with no connection, follow-up by InMail or email
    "cold_email_sequence": (12, 3),  # no LinkedIn step at all
    "freemail_pitch": (5, 2),  # the pitcher writes from gmail.com, outlook.com...
    "fake_re_pitch": (5, 1),  # the very first touch already pretends to be a reply
    "forged_linkedin_pitch": (3, 1),  # looks like a LinkedIn message but LinkedIn never sent it
    "one_off_pitch": (4, 1),  # a single unrequested pitch and nothing after it
}
WANTED_CASES: dict[str, tuple[int, int]] = {
    "colleague": (26, 8),
    "colleague_nudge": (5, 2),  # a colleague's request and two "just following up" nudges
    "thread_reply": (10, 3),  # the owner wrote first; replies and later messages in the thread
    "thread_new_participant": (3, 1),  # someone new answers in a thread the owner started
    "thread_joined": (6, 2),  # a known contact starts a thread, the owner replies, they answer
    "vendor_after_pricing": (8, 2),  # the owner asked for pricing; the vendor answers and follows up
    "answered_salesperson": (6, 2),  # a cold pitch the owner answered; later touches are wanted
    "linkedin_genuine_note": (6, 2),  # a new connection's genuine note ("here are the slides")
    "newsletter": (6, 3),  # subscribed lists, weekly over the whole period
    "receipt": (12, 4),
    "password_reset": (8, 3),
    "linkedin_notification": (22, 7),  # invitations, job alerts, profile views, accepted, digests
    "service_notification": (10, 2),  # GitHub, Jira, calendar: machine mail with List-Id
    "stranger_prospect": (5, 2),  # a prospective customer asking for pricing, maybe one nudge
    "stranger_applicant": (4, 1),
    "stranger_customer_issue": (5, 1),
    "stranger_journalist": (4, 1),
}
# Features that must each occur on at least this many pitch messages (checked by the tests).
PITCH_FEATURES: dict[str, int] = {
    "fake_re": 20,
    "fake_in_reply_to": 5,
    "quoted_earlier": 15,
    "calendar_link": 20,
    "tracking_pixel": 20,
    "outreach_tool_header": 20,
    "no_outreach_tool_header": 20,
    "list_unsubscribe": 5,
    "no_list_unsubscribe": 100,
    "breakup": 10,
    "regular_cadence": 10,
    "irregular_cadence": 10,
    "linkedin_then_email": 8,
    "freemail_sender": 8,
    "forged_linkedin": 3,
}

# Long unbreakable header values (List-Unsubscribe URLs, Message-IDs) must not be folded into encoded
# words, which the default 78-column policy does; 200 columns keeps them intact and stays within RFC 5322.
POLICY = email.policy.default.clone(max_line_length=200)
TZS: list[timezone] = [timezone(timedelta(hours=h)) for h in (-8, -5, -5, 0, 1, 1, 2, 3, 5.5, 7, 8)]


@dataclass(frozen=True)
class Person:
    """A correspondent: display name, address, and what signatures and headlines say about them."""

    name: str
    addr: str
    title: str = ""
    company: str = ""
    tz: timezone = UTC

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def last(self) -> str:
        return self.name.split()[-1]

    @property
    def domain(self) -> str:
        return self.addr.rsplit("@", 1)[1]

    def header(self) -> str:
        return formataddr((self.name, self.addr))


@dataclass
class Record:
    """One generated message and the truth about it."""

    folder: str
    when: datetime
    envelope_from: str
    raw: bytes
    message_id: str
    label: str
    case: str
    instance: str
    owner: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Touch:
    """A message already sent in a sequence, for quoting and threading the next one."""

    message_id: str
    subject: str
    text: str
    when: datetime
    channel: str


@dataclass(frozen=True)
class Manifest:
    """What `generate` wrote."""

    mailboxes: list[Path]
    labels: Path
    records: int


class Generator:
    """Builds every scenario into `records`, drawing every choice from one seeded RNG."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.records: list[Record] = []
        self.instances: Counter[str] = Counter()
        self.used_addrs: list[str] = []
        self.used_companies: list[str] = []
        self.bob = Person("Bob Martin", "bob@example.com", "Head of Engineering", "Example Analytics", TZS[3])
        self.alice = Person("Alice Nguyen", "alice@example.com", "VP Marketing", "Example Analytics", TZS[3])
        self.colleagues = [
            Person(n, f"{n.split()[0].lower()}@{LOCAL_DOMAIN}", t, "Example Analytics", TZS[3])
            for n, t in [
                ("Carol Jensen", "Engineering Manager"),
                ("Dave Okafor", "Staff Engineer"),
                ("Erin Walsh", "Head of Finance"),
                ("Frank Rossi", "Product Manager"),
                ("Grace Tanaka", "Recruiter"),
                ("Heidi Novak", "Customer Success Lead"),
                ("Ivan Petrov", "SRE"),
            ]
        ]

    # -- small helpers -----------------------------------------------------------------------------------
    def token(self, n: int = 16, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self.rng.choices(alphabet, k=n))

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def instance(self, case: str) -> str:
        self.instances[case] += 1
        return f"{case}#{self.instances[case]:02d}"

    def company(self) -> tuple[str, str]:
        while True:
            name = f"{self.pick(P.COMPANY_HEADS)} {self.pick(P.COMPANY_TAILS)}"
            if name not in self.used_companies:
                self.used_companies.append(name)
                slug = name.lower().replace(" ", self.pick(["", "", "-"]))
                return name, f"{slug}.{self.pick(P.COMPANY_TLDS)}"

    def person(
        self, domain: str | None = None, company: str = "", title: str = "", freemail: bool = False
    ) -> Person:
        while True:
            first, last = self.pick(P.FIRST_NAMES), self.pick(P.LAST_NAMES)
            f, l_ = first.lower(), re.sub(r"[^a-z]", "", last.lower())
            if freemail:
                dom = self.pick(P.FREEMAIL)
                local = self.pick(
                    [
                        f"{f}.{l_}",
                        f"{f}{l_}{self.rng.randint(1, 99)}",
                        f"{f}.{l_}.{self.rng.randint(70, 99)}",
                        f"{f[0]}{l_}",
                    ]
                )
            else:
                dom = domain or self.company()[1]
                local = self.pick([f, f"{f}.{l_}", f"{f[0]}{l_}", f"{f}{l_[0]}", f"{f}_{l_}"])
            addr = f"{local}@{dom}"
            if addr not in self.used_addrs:
                self.used_addrs.append(addr)
                return Person(f"{first} {last}", addr, title, company, self.pick(TZS))

    def msgid(self, domain: str, style: str = "") -> str:
        style = style or self.pick(["plain", "gmail", "outlook", "uuid"])
        if style == "gmail":
            return f"<CA+{self.token(40, string.ascii_letters + string.digits + '_-')}@mail.gmail.com>"
        if style == "outlook":
            host = f"{self.token(4, string.ascii_uppercase)}{self.rng.randint(1, 9)}PR{self.rng.randint(10, 99)}MB{self.rng.randint(1000, 9999)}"
            return f"<{host}{self.token(20, string.ascii_uppercase + string.digits)}@{host}.namprd{self.rng.randint(1, 19):02d}.prod.outlook.com>"
        if style == "uuid":
            h = self.token(32, "0123456789abcdef")
            return f"<{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}@{domain}>"
        return f"<{self.rng.getrandbits(48):x}.{self.rng.randint(10**9, 10**10)}@{domain}>"

    def local_time(
        self, day: int, tz: timezone, hour: int | None = None, minute: int | None = None
    ) -> datetime:
        """A moment on day `day` of the period, at a working hour in the sender's time zone."""
        date = (START + timedelta(days=day)).date()
        h = hour if hour is not None else self.rng.choice([8, 9, 9, 10, 10, 11, 13, 14, 15, 16, 17, 18])
        m = minute if minute is not None else self.rng.randrange(60)
        return datetime(date.year, date.month, date.day, h, m, self.rng.randrange(60), tzinfo=tz)

    def weekday_only(self, when: datetime) -> datetime:
        while when.weekday() >= 5:
            when += timedelta(days=1)
        return when

    def fill(self, template: str, ctx: dict[str, Any]) -> str:
        return template.format(**{**ctx, "weekday": self.pick(P.WEEKDAYS)})

    def owner_ctx(self, owner: Person) -> dict[str, Any]:
        marketing = owner is self.alice
        return {
            "first": owner.first,
            "last": owner.last,
            "bcompany": owner.company,
            "title": owner.title,
            "industry": "data analytics",
            "role_plural": "marketing leaders" if marketing else "engineering leaders",
            "region": self.pick(P.REGIONS),
            "topic_hook": self.pick(P.TOPIC_HOOKS),
            "launch": self.pick(P.LAUNCHES),
            "year": 2026,
            "quarter": self.rng.randint(1, 4),
            "n": self.rng.randint(12, 60),
            "k": self.rng.randint(12, 90),
            "token": self.token(24),
            "event": self.pick(P.EVENTS),
        }

    # -- message assembly --------------------------------------------------------------------------------
    def auth_results(self, domain: str) -> str:
        return (
            f"{AUTHSERV_ID}; dkim=pass header.d={domain} header.s={self.pick(['s1', 'google', 'selector1', 'k1', 'mail'])}"
            f" header.b={self.token(8)}; spf=pass smtp.mailfrom={domain}; dmarc=pass header.from={domain}"
        )

    def received(self, domain: str, rcpt: str, when: datetime) -> str:
        ip = f"{self.rng.randint(20, 220)}.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        host = f"{self.pick(['mail', 'smtp', 'out', 'mx', 'o1'])}{self.rng.randint(1, 40)}.{domain}"
        stamp = format_datetime((when + timedelta(seconds=self.rng.randint(1, 20))).astimezone(UTC))
        return (
            f"from {host} ({host} [{ip}]) by {AUTHSERV_ID} (Postfix) with ESMTPS id "
            f"{self.token(10, string.ascii_uppercase + string.digits)} for <{rcpt}>; {stamp}"
        )

    def emit(
        self,
        *,
        owner: Person,
        sender: Person,
        to: Sequence[Person],
        subject: str,
        text: str,
        when: datetime,
        label: str,
        case: str,
        instance: str,
        html: str | None = None,
        cc: Sequence[Person] = (),
        in_reply_to: str | None = None,
        references: Sequence[str] = (),
        headers: dict[str, str] | None = None,
        attachments: Sequence[tuple[str, str, bytes]] = (),
        from_header: str | None = None,
        return_path: str | None = None,
        auth: Sequence[str] | None = None,
        message_id: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> str:
        """Build one message as RFC 5322 bytes and file it in the owner's inbox or Sent folder.

        Mail From the owner goes to the Sent folder without trace headers; everything else is inbound
        and gets Delivered-To, Received and Authentication-Results as the local MX would add them.
        `auth` replaces the default dkim=pass verdict (an empty list means no such header at all).
        """
        outbound = sender.addr == owner.addr
        mid = message_id or self.msgid(sender.domain)
        msg = EmailMessage(policy=POLICY)
        if not outbound:
            msg["Return-Path"] = f"<{return_path or sender.addr}>"
            msg["Delivered-To"] = owner.addr
            received = self.received(sender.domain, owner.addr, when)
            # The MX writes its verdict above the Received header of its own hop (RFC 8601 §5); only
            # there does the gateway believe it.
            for value in [self.auth_results(sender.domain)] if auth is None else auth:
                msg["Authentication-Results"] = value
            msg["Received"] = received
        msg["From"] = from_header or sender.header()
        msg["To"] = ", ".join(p.header() for p in to)
        if cc:
            msg["Cc"] = ", ".join(p.header() for p in cc)
        msg["Subject"] = subject
        msg["Date"] = format_datetime(when)
        msg["Message-ID"] = mid
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to
        if references:
            msg["References"] = " ".join(references)
        msg["MIME-Version"] = "1.0"
        for name, value in (headers or {}).items():
            msg[name] = value
        msg.set_content(text if text.endswith("\n") else text + "\n")
        if html is not None:
            msg.add_alternative(html, subtype="html")
        for filename, ctype, data in attachments:
            maintype, subtype = ctype.split("/", 1)
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        for part in msg.walk():
            if part.is_multipart():  # the email package draws boundaries from the global RNG
                part.set_boundary(
                    f"----=_Part_{self.rng.randint(10**6, 10**7)}_{self.rng.randint(10**8, 10**9)}"
                )
        folder = f"{owner.first.lower()}-{'sent' if outbound else 'inbox'}"
        self.records.append(
            Record(
                folder,
                when,
                sender.addr,
                msg.as_bytes(),
                mid,
                "outbound" if outbound else label,
                case,
                instance,
                owner.addr,
                meta or {},
            )
        )
        return mid

    def html_of(self, text: str, pixel: str | None = None, track: str | None = None) -> str:
        """Templated HTML for a text body: paragraphs, linked URLs (through a click tracker) and a pixel."""

        def link(m: re.Match[str]) -> str:
            url = m.group(0)
            href = f"{track}?u={url}" if track else url
            return f'<a href="{href}">{url}</a>'

        paras = []
        for block in text.split("\n\n"):
            escaped = block.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            escaped = re.sub(r"https?://[^\s<]+", link, escaped)
            paras.append("<p>" + escaped.replace("\n", "<br>") + "</p>")
        img = f'<img src="{pixel}" width="1" height="1" alt="" style="display:none">' if pixel else ""
        font = self.pick(["Arial, sans-serif", "Helvetica, Arial", "Calibri, sans-serif", "Verdana"])
        return f'<html><body><div style="font-family:{font};font-size:14px">{"".join(paras)}</div>{img}</body></html>\n'

    def quote(self, touch: Touch, author: Person, owner: Person) -> str:
        """A quoted copy of an earlier touch, in one of the shapes mail clients and tools use."""
        style = self.pick(["gmail", "outlook", "original", "gmail"])
        if style == "gmail":
            stamp = touch.when.strftime("%a, %b %-d, %Y at %-I:%M %p")
            lines = "\n".join("> " + line if line else ">" for line in touch.text.splitlines())
            return f"On {stamp} {author.name} <{author.addr}> wrote:\n\n{lines}"
        stamp = touch.when.strftime("%A, %B %-d, %Y %-I:%M %p")
        head = "-----Original Message-----" if style == "original" else "________________________________"
        return (
            f"{head}\nFrom: {author.name} <{author.addr}>\nSent: {stamp}\nTo: {owner.name} <{owner.addr}>\n"
            f"Subject: {touch.subject}\n\n{touch.text}"
        )

    # -- LinkedIn ----------------------------------------------------------------------------------------
    def linkedin_footer(self, owner: Person, kind: str) -> str:
        eid = self.token(18, string.ascii_lowercase + string.digits)
        return (
            f"\n\n{'.' * 37}\n\nUnsubscribe: https://www.linkedin.com/comm/psettings/email-unsubscribe?lipi={self.token(22)}"
            f"&midToken={self.token(14)}&eid={eid}\nHelp: https://www.linkedin.com/help/linkedin/answer/67?lang=en\n\n"
            f"You are receiving {kind} notification emails.\n\n"
            f"This email was intended for {owner.name} ({owner.title} at {owner.company}).\n"
            f"Learn why we included this: https://www.linkedin.com/help/linkedin/answer/4788\n"
            f"© {START.year} LinkedIn Corporation, 1000 West Maude Avenue, Sunnyvale, CA 94085. "
            "LinkedIn and the LinkedIn logo are registered trademarks of LinkedIn.\n"
        )

    def linkedin_mail(
        self,
        owner: Person,
        *,
        local: str,
        display: str,
        subject: str,
        text: str,
        when: datetime,
        label: str,
        case: str,
        instance: str,
        li_class: str,
        template: str,
        forged: str = "",
        meta: dict[str, Any] | None = None,
    ) -> str:
        """A notification from LinkedIn. Genuine ones carry the trusted MX's dkim=pass for linkedin.com.

        `forged` names how a fake one gives itself away: "none" (no verdict), "fail" (dkim=fail from our
        MX), "untrusted" (a dkim=pass from some other authserv-id, next to our MX's dkim=none), or
        "lookalike" (a look-alike domain).
        """
        domain = "linkedin.com"
        sender_addr = f"{local}@{domain}"
        return_path = f"s-{self.token(40, string.ascii_lowercase + string.digits)}@bounce.linkedin.com"
        auth = [
            f"{AUTHSERV_ID}; dkim=pass header.i=@linkedin.com header.d=linkedin.com header.s=d2048-2023-q3 "
            f"header.b={self.token(8)}; spf=pass smtp.mailfrom=bounce.linkedin.com; dmarc=pass (p=REJECT "
            "sp=REJECT dis=NONE) header.from=linkedin.com"
        ]
        if forged:
            spoof = self.company()[1]
            return_path = f"{self.token(8, string.ascii_lowercase)}@{spoof}"
            if forged == "none":
                auth = []
            elif forged == "fail":
                auth = [
                    f"{AUTHSERV_ID}; dkim=fail (signature verification failed) header.d=linkedin.com; "
                    f"spf=fail smtp.mailfrom={spoof}; dmarc=fail (p=REJECT) header.from=linkedin.com"
                ]
            elif forged == "untrusted":
                auth = [
                    f"mx.google.com; dkim=pass header.i=@linkedin.com header.s=proddkim1024 header.b={self.token(8)}",
                    f"{AUTHSERV_ID}; dkim=none; spf=softfail smtp.mailfrom={spoof}",
                ]
            else:  # lookalike: a domain that only reads as LinkedIn
                domain = self.pick(
                    ["linkedin-mail.com", "linkedln.com", "linkedinmail.net", "notify-linkedin.com"]
                )
                sender_addr = f"{local}@{domain}"
                auth = [self.auth_results(domain)]
        when = when.astimezone(UTC)  # LinkedIn stamps its mail in UTC
        host = f"lva1-app{self.rng.randint(1000, 9999)}.prod.linkedin.com"
        mid = f"<{self.rng.randint(10**8, 10**10)}.{self.rng.randint(10**5, 10**7)}.{int(when.timestamp() * 1000)}.JavaMail.app@{host}>"
        li_sender = Person(display, sender_addr)
        eid = self.token(18, string.ascii_lowercase + string.digits)
        headers = {
            "X-LinkedIn-Class": li_class,
            "X-LinkedIn-Template": template,
            "X-LinkedIn-fbl": f"m2-{self.token(60, string.ascii_lowercase + string.digits)}",
            "X-LinkedIn-Id": f"{self.token(5, string.ascii_lowercase + string.digits)}-{self.token(8, string.ascii_lowercase + string.digits)}",
            "List-Unsubscribe": f"<https://www.linkedin.com/e/v2?e={eid}&t=lun&midToken={self.token(14)}&ek={template}&m=unsub&ts=unsub>",
        }
        full = text + self.linkedin_footer(owner, li_class.replace("-", " ").title())
        return self.emit(
            owner=owner,
            sender=li_sender,
            to=[owner],
            subject=subject,
            text=full,
            html=self.html_of(full),
            when=when,
            label=label,
            case=case,
            instance=instance,
            headers=headers,
            return_path=return_path,
            auth=auth,
            message_id=mid,
            meta=meta,
        )

    def profile_url(self, member: Person) -> str:
        return f"https://www.linkedin.com/comm/in/{member.first.lower()}-{member.last.lower().replace(' ', '')}-{self.token(8, string.ascii_lowercase + string.digits)}"

    def headline(self, member: Person) -> str:
        extra = self.pick(P.HEADLINE_EXTRAS)
        base = f"{member.title} at {member.company}" if member.company else member.title
        return f"{base} | {extra}" if extra else base

    def linkedin_anchor(
        self, owner: Person, member: Person, when: datetime, case: str, instance: str, kind: str = ""
    ) -> datetime:
        """The connection, as LinkedIn mails it; returns when the connection was made."""
        kind = kind or self.pick(["invite", "invite", "invite_then_connected", "accepted"])
        ctx = {"first": owner.first, "name": member.name, "mfirst": member.first}
        meta = {"linkedin": kind}
        if kind.startswith("invite"):
            subject = self.pick(
                [
                    "{first}, please add me to your LinkedIn network",
                    "{name} wants to connect",
                    "Invitation to connect from {name}",
                    "{name} would like to connect on LinkedIn",
                    "I want to connect",
                ]
            ).format(**ctx)
            note = self.pick(
                [
                    "I'd like to join your LinkedIn network.",
                    "I'd like to add you to my professional network on LinkedIn.",
                    "Hi {first}, I'd love to connect and follow your work.",
                    "Hi {first}, we're in similar circles, so I thought I'd connect.",
                    "Hi {first}, I came across your profile and would like to connect.",
                ]
            ).format(**ctx)
            text = (
                f"Hi {owner.first},\n\n{note}\n\n{member.name.upper()}\n{self.headline(member)}\n\n"
                f"View profile: {self.profile_url(member)}\n\nAccept: https://www.linkedin.com/comm/people/invite-accept?"
                f"mboxid={self.token(20)}&sharedKey={self.token(8)}&invitationId={self.rng.randint(10**15, 10**16)}"
            )
            self.linkedin_mail(
                owner, local="invitations", display=member.name, subject=subject, text=text, when=when,
                label="wanted", case=case, instance=instance, li_class="INVITATION", template="email_m2m_invite_single_01", meta=meta,
            )  # fmt: skip
            if kind == "invite":
                return when
            when = when + timedelta(minutes=self.rng.randint(5, 36 * 60))
            subject = self.pick(
                [
                    "{first}, start a conversation with your new connection, {name}",
                    "You're now connected with {name}",
                    "{first}, say hello to your new connection {name}",
                ]
            ).format(**ctx)
            text = (
                f"You and {member.name} are now connected.\n\n{member.name}\n{self.headline(member)}\n\n"
                f"Message {member.first}: https://www.linkedin.com/comm/messaging/compose?recipient={self.token(12)}"
            )
            self.linkedin_mail(
                owner, local="invitations", display="LinkedIn", subject=subject, text=text, when=when,
                label="wanted", case=case, instance=instance, li_class="CONNECTIONS", template="email_new_connection_01", meta=meta,
            )  # fmt: skip
            return when
        subject = self.pick(
            ["{name} accepted your invitation", "{mfirst} accepted your invitation. Start a conversation"]
        ).format(**ctx)
        text = (
            f"{member.name} has accepted your invitation. Let's start a conversation.\n\n{member.name}\n"
            f"{self.headline(member)}\n\nView {member.first}'s profile: {self.profile_url(member)}"
        )
        self.linkedin_mail(
            owner, local="invitations", display=member.name, subject=subject, text=text, when=when,
            label="wanted", case=case, instance=instance, li_class="INVITATION-ACCEPT", template="email_accepted_invite_01", meta=meta,
        )  # fmt: skip
        return when

    def linkedin_message(
        self,
        owner: Person,
        member: Person,
        body: str,
        when: datetime,
        label: str,
        case: str,
        instance: str,
        *,
        inmail_subject: str = "",
        forged: str = "",
        meta: dict[str, Any] | None = None,
    ) -> str:
        """A member's message (or InMail) as LinkedIn's notification: the member's words inside boilerplate."""
        ctx = {"name": member.name, "mfirst": member.first, "first": owner.first}
        thread = f"https://www.linkedin.com/comm/messaging/thread/2-{self.token(40)}/?lipi={self.token(16)}"
        if inmail_subject:
            subject = self.pick(
                ["{subject}", "InMail from {name}: {subject}", "{name} sent you an InMail"]
            ).format(**ctx, subject=inmail_subject)
            local, li_class, template = "inmail-hit-reply", "INMAIL", "email_inmail_01"
            text = f"{member.name}\n{self.headline(member)}\n\n{inmail_subject}\n\n{body}\n\nReply: {thread}"
        else:
            subject = self.pick(
                [
                    "{mfirst} sent you a new message",
                    "{name} just messaged you",
                    "New message from {name}",
                    "{mfirst} just sent you a message",
                    "You have a new message from {name}",
                    "{first}, you have 1 new message",
                ]
            ).format(**ctx)
            local, li_class, template = "messages-noreply", "MESSAGING", "email_messaging_new_message_01"
            if self.chance(0.5):
                text = f"{member.name}\n{self.headline(member)}\n\n{body}\n\nView message: {thread}"
            else:
                text = (
                    f"{body}\n\n{member.name}\n{self.headline(member)}\n\nReply to {member.first}: {thread}"
                )
        return self.linkedin_mail(
            owner, local=local, display=f"{member.name} via LinkedIn", subject=subject, text=text, when=when,
            label=label, case=case, instance=instance, li_class=li_class, template=template, forged=forged, meta=meta,
        )  # fmt: skip

    # -- pitch sequences ---------------------------------------------------------------------------------
    def pitch_ctx(self, owner: Person, seller: Person, offer: dict[str, Any], cal: str) -> dict[str, Any]:
        ctx = self.owner_ctx(owner)
        ctx.update(
            sender_first=seller.first,
            company=seller.company or f"{self.pick(P.COMPANY_HEADS)} {self.pick(P.COMPANY_TAILS)}",
            topic=offer["topic"],
            offer=offer["offer"],
            benefit=offer["benefit"],
            pain=offer["pain"],
            country=self.pick(P.COUNTRIES),
            cal=cal,
        )
        ctx["client"], ctx["client2"] = self.company()[0], self.company()[0]
        ctx["result"] = self.pick(offer["results"]).format(**ctx)
        ctx["value"] = self.pick(offer["values"]).format(**ctx)
        return ctx

    def signature(self, seller: Person, ctx: dict[str, Any], formal: bool) -> str:
        if not formal:
            return seller.first
        lines = [seller.name, seller.title]
        lines.append(ctx["company"])
        if self.chance(0.5):
            lines.append(
                f"+1 ({self.rng.randint(200, 989)}) {self.rng.randint(200, 989)}-{self.rng.randint(1000, 9999)}"
            )
        if self.chance(0.4) and not seller.domain.startswith(tuple(P.FREEMAIL)):
            lines.append(f"www.{seller.domain}")
        if self.chance(0.1):
            lines = [seller.first, "", "Sent from my iPhone"]
        return "\n".join(line for line in lines if line is not None)

    def cta(self, ctx: dict[str, Any], calendar: bool, pool: Sequence[str]) -> str:
        options = (
            [c for c in pool if ("{cal}" in c) == calendar]
            if calendar and self.chance(0.6)
            else [c for c in pool if "{cal}" not in c]
        )
        text = self.fill(self.pick(options), ctx)
        if calendar and "{cal}" not in text and ctx["cal"] not in text:
            text += " " + self.fill(self.pick(P.CAL_APPENDS), ctx)
        return text

    def first_pitch_body(
        self, ctx: dict[str, Any], f: dict[str, Any], linkedin: bool, short: bool
    ) -> list[str]:
        greeting = self.fill(self.pick(P.GREETINGS), ctx)
        opener = self.fill(self.pick(P.LINKEDIN_OPENERS if linkedin else P.COLD_OPENERS), ctx)
        parts = [greeting]
        value = ctx["value"]
        if self.chance(0.4):
            parts.append(f"{opener} {value}")
        else:
            parts += [opener, value]
        if not short and self.chance(0.6):
            parts.append(self.fill(self.pick(P.PROOF_FRAMES), ctx))
        parts.append(self.cta(ctx, f["calendar"], P.CTAS))
        return parts

    def followup_body(self, ctx: dict[str, Any], f: dict[str, Any], breakup: bool, bridge: bool) -> list[str]:
        parts = []
        if self.chance(0.75):
            parts.append(
                self.fill(self.pick([*P.GREETINGS, "Hi again {first},", "Hey {first}, me again."]), ctx)
            )
        if bridge:
            parts.append(
                self.pick(
                    [
                        "I sent you a note on LinkedIn last week but figured email might be easier.",
                        "Following up on my LinkedIn message, in case email works better for you.",
                        "Not sure how often you check LinkedIn, so I thought I'd reach out here too.",
                        "I messaged you on LinkedIn a few days ago and thought I'd move this over to email.",
                        "Thought I'd try you by email since LinkedIn messages get lost so easily.",
                        "We connected on LinkedIn recently and I dropped you a message there.",
                    ]
                )
            )
        if breakup:
            parts.append(self.fill(self.pick(P.BREAKUP_LINES), ctx))
            tail = self.fill(self.pick(P.BREAKUP_TAILS), ctx)
            if tail:
                parts.append(tail)
            return parts
        if not bridge:
            parts.append(self.fill(self.pick(P.FOLLOWUP_OPENERS), ctx))
        middle = self.fill(self.pick(P.FOLLOWUP_MIDDLES), ctx)
        if middle:
            parts.append(middle)
        elif bridge:
            parts.append(ctx["value"])
        parts.append(self.cta(ctx, f["calendar"] and self.chance(0.6), P.FOLLOWUP_CTAS))
        return parts

    def pitch_features(self, case: str, n: int, email_touches: int) -> dict[str, Any]:
        tool = self.pick(P.OUTREACH_TOOLS) if email_touches and self.chance(0.5) else None
        regular = self.chance(0.75 if tool else 0.35)
        return {
            "tool": tool,
            "regular": regular,
            "business_days": self.chance(0.5),
            "calendar": self.chance(0.45),
            "pixel": email_touches > 0 and self.chance(0.85 if tool else 0.3),
            "link_tracking": self.chance(0.3),
            "html": self.chance(0.5),
            "list_unsubscribe": email_touches > 0 and self.chance(0.2),
            "footer_optout": self.chance(0.2),
            "quote": self.chance(0.5),
            "threading": self.pick(["thread", "thread", "fresh", "fake", "re_only"]),
            "breakup": n >= 3 and self.chance(0.45),
            "ps": self.chance(0.3),
            "attachment": self.chance(0.08),
            "benign_mailer": None if tool or self.chance(0.6) else self.pick(P.BENIGN_MAILERS),
        }

    def channels(self, case: str, n: int) -> list[str]:
        if case == "li_message_pitch":
            return ["li"] * n
        if case == "li_message_then_email":
            k = self.rng.randint(1, max(1, n - 1))
            return ["li"] * k + ["email"] * (n - k)
        if case == "inmail_pitch":
            return ["inmail"] + [self.pick(["inmail", "email"]) for _ in range(n - 1)]
        if case == "forged_linkedin_pitch":
            return ["forged_li"] + [self.pick(["forged_li", "email"]) for _ in range(n - 1)]
        return ["email"] * n

    def touch_times(self, first: datetime, n: int, f: dict[str, Any]) -> list[datetime]:
        """Touch times: a sequencing tool's fixed gap and hour, or a person's irregular 2-5 days."""
        times = [first]
        gap = self.rng.randint(2, 5)
        for _ in range(n - 1):
            prev = times[-1]
            if f["regular"]:
                nxt = prev + timedelta(days=gap, minutes=self.rng.randint(-2, 2))
            else:
                # A person writes during their own working day, whatever the gap.
                nxt = prev + timedelta(hours=self.rng.uniform(48, 120))
                if not 7 <= nxt.hour <= 19:
                    nxt = nxt.replace(hour=self.rng.randint(8, 18))
            if f["business_days"]:
                nxt = self.weekday_only(nxt)
            times.append(nxt)
        return times

    def pitch_sequence(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        n = 1 if case == "one_off_pitch" else self.pick([2, 3, 3, 4, 4, 5, 6])
        chans = self.channels(case, n)
        offer = self.pick(P.OFFERS)
        company, domain = self.company()
        freemail = case == "freemail_pitch" or (
            case in ("li_message_then_email", "li_connect_then_email", "inmail_pitch") and self.chance(0.3)
        )
        seller = self.person(domain, company, self.pick(P.SELLER_TITLES), freemail=freemail)
        slug = f"{seller.first.lower()}-{seller.last.lower().replace(' ', '').replace(chr(39), '')}"
        cal = self.pick(P.CALENDAR_LINKS).format(
            slug=slug, company_slug=company.lower().replace(" ", ""), domain=domain, token=self.token(12)
        )
        f = self.pitch_features(case, n, chans.count("email"))
        ctx = self.pitch_ctx(owner, seller, offer, cal)
        day = self.rng.randint(0, 40)
        start = self.weekday_only(self.local_time(day, seller.tz))
        anchored = case in ("li_message_pitch", "li_message_then_email", "li_connect_then_email")
        if anchored:
            connected = self.linkedin_anchor(owner, seller, start, case, inst)
            delay = self.pick(
                [
                    timedelta(minutes=self.rng.randint(3, 55)),
                    timedelta(hours=self.rng.uniform(1, 12)),
                    timedelta(days=self.rng.uniform(1, 4)),
                ]
            )
            start = connected + delay
        times = self.touch_times(start, n, f)
        tool = f["tool"]
        pixel_tpl = (tool["pixel"] if tool else self.pick(P.GENERIC_PIXELS)) if f["pixel"] else None
        track = (
            f"https://{self.pick(['click', 'links', 'go', 'trk'])}.{domain}/c/{self.token(10)}"
            if f["link_tracking"]
            else None
        )
        forged = (
            self.pick(["none", "fail", "untrusted", "lookalike"]) if case == "forged_linkedin_pitch" else ""
        )
        first_subject = self.fill(self.pick(P.FIRST_SUBJECTS), ctx)
        if case == "fake_re_pitch":
            first_subject = self.pick(["Re: ", "RE: ", "Re: ", "Fwd: "]) + first_subject
        inmail_subject = self.fill(self.pick(P.FIRST_SUBJECTS), ctx)
        unsubscribe = self.pick(
            [
                f"<https://{domain}/unsubscribe?e={self.token(16)}>",
                f"<mailto:unsubscribe@{domain}?subject=unsubscribe>",
            ]
        )
        done: list[Touch] = []
        for i, (chan, when) in enumerate(zip(chans, times, strict=True)):
            label = "first_pitch" if i == 0 else "followup_pitch"
            breakup = f["breakup"] and i == n - 1 and i > 0
            feats: list[str] = []
            meta: dict[str, Any] = {
                "touch": i + 1,
                "of": n,
                "offer": offer["key"],
                "channel": chan,
                "features": feats,
            }
            prev_email = [t for t in done if t.channel == "email"]
            if chan in ("li", "inmail", "forged_li"):
                parts = (
                    self.first_pitch_body(ctx, f, linkedin=chan == "li" and anchored, short=True)
                    if i == 0
                    else self.followup_body(ctx, f, breakup, bridge=False)
                )
                body = "\n\n".join([*parts, seller.first])
                if chan == "forged_li":
                    feats.append("forged_linkedin")
                if breakup:
                    feats.append("breakup")
                if ctx["cal"] in body:
                    feats.append("calendar_link")
                feats.append("regular_cadence" if f["regular"] else "irregular_cadence")
                mid = self.linkedin_message(
                    owner, seller, body, when, label, case, inst,
                    inmail_subject=inmail_subject if chan == "inmail" else "", forged=forged if chan == "forged_li" else "", meta=meta,
                )  # fmt: skip
                done.append(Touch(mid, "", body, when, chan))
                continue
            # -- a direct email touch
            bridge = i > 0 and not prev_email
            if i == 0:
                parts = self.first_pitch_body(ctx, f, linkedin=anchored and self.chance(0.7), short=False)
            else:
                parts = self.followup_body(ctx, f, breakup, bridge=bridge)
            if f["ps"] and self.chance(0.5):
                parts.append(self.fill(self.pick(P.POSTSCRIPTS), ctx))
            sign = (
                self.pick(P.SIGNOFFS) + "\n" + self.signature(seller, ctx, formal=i == 0 or self.chance(0.5))
            )
            text = "\n\n".join([*parts, sign])
            if f["footer_optout"]:
                text += "\n\n" + self.pick(
                    [
                        "If you don't want to hear from me again, please let me know.",
                        "Not the right person? Reply and I'll update my records.",
                        f"Unsubscribe: https://{domain}/u/{self.token(12)}",
                        "To stop receiving these emails, reply with 'no thanks'.",
                    ]
                )
            headers: dict[str, str] = {}
            in_reply_to = None
            refs: list[str] = []
            subject = first_subject
            if i == 0 and case == "fake_re_pitch":
                feats.append("fake_re")
                if self.chance(0.6):
                    in_reply_to = self.msgid(self.pick([LOCAL_DOMAIN, domain]))
                    refs = [in_reply_to]
                    feats.append("fake_in_reply_to")
            elif i > 0:
                mode = f["threading"]
                if breakup and self.chance(0.4):
                    mode = "fresh"
                if mode == "thread" and not prev_email:
                    mode = self.pick(["fresh", "re_only", "fake"])
                if mode == "fresh":
                    pool = P.BREAKUP_SUBJECTS if breakup else P.FOLLOWUP_SUBJECTS
                    subject = self.fill(self.pick(pool), ctx)
                    if subject.lower().startswith("re:"):
                        feats.append("fake_re")
                else:
                    base = prev_email[0].subject if prev_email else first_subject
                    base = re.sub(r"^(re|fwd|fw):\s*", "", base, flags=re.IGNORECASE)
                    subject = self.pick(["Re: ", "Re: ", "RE: ", "re: "]) + base
                    feats.append("fake_re")
                    if mode == "thread":
                        in_reply_to = prev_email[-1].message_id
                        refs = [t.message_id for t in prev_email]
                    elif mode == "fake":
                        in_reply_to = self.msgid(self.pick([LOCAL_DOMAIN, domain, "mail.gmail.com"]))
                        refs = [in_reply_to]
                        feats.append("fake_in_reply_to")
                if f["quote"] and done:
                    earlier = prev_email[-1] if prev_email else done[-1]
                    if earlier.channel == "email":
                        text += "\n\n" + self.quote(earlier, seller, owner)
                        feats.append("quoted_earlier")
            if breakup:
                feats.append("breakup")
            if tool:
                headers.update(tool["headers"])
            elif f["benign_mailer"]:
                headers["X-Mailer"] = f["benign_mailer"]
            feats.append("outreach_tool_header" if tool and tool["headers"] else "no_outreach_tool_header")
            if f["list_unsubscribe"]:
                headers["List-Unsubscribe"] = unsubscribe
                feats.append("list_unsubscribe")
            else:
                feats.append("no_list_unsubscribe")
            if ctx["cal"] in text:
                feats.append("calendar_link")
            if freemail:
                feats.append("freemail_sender")
            if bridge:
                feats.append("linkedin_then_email")
            feats.append("regular_cadence" if f["regular"] else "irregular_cadence")
            html = None
            if pixel_tpl or f["html"] or track:
                pixel = pixel_tpl.format(token=self.token(24), domain=domain) if pixel_tpl else None
                html = self.html_of(text, pixel, track)
                if pixel:
                    feats.append("tracking_pixel")
            attachments = []
            if f["attachment"] and i == 0:
                attachments.append(
                    (f"{company.replace(' ', '_')}_case_study.pdf", "application/pdf", self.pdf_bytes())
                )
            mid = self.emit(
                owner=owner, sender=seller, to=[owner], subject=subject, text=text, html=html, when=when,
                label=label, case=case, instance=inst, in_reply_to=in_reply_to, references=refs, headers=headers,
                attachments=attachments, message_id=self.msgid(domain, "gmail" if freemail else ""), meta=meta,
            )  # fmt: skip
            done.append(Touch(mid, subject, text, when, "email"))

    def pdf_bytes(self) -> bytes:
        return (
            b"%PDF-1.4\n%"
            + bytes(self.rng.randrange(128, 256) for _ in range(4))
            + b"\n"
            + self.token(300).encode()
            + b"\n%%EOF\n"
        )

    # -- wanted: people ----------------------------------------------------------------------------------
    def owner_sign(self, owner: Person, formal: bool = False) -> str:
        if formal:
            return f"{self.pick(['Thanks,', 'Best,', 'Cheers,', 'Regards,'])}\n{owner.first}\n\n--\n{owner.name}\n{owner.title}, {owner.company}"
        return str(self.pick(["Thanks,\n", "Best,\n", "Cheers,\n", "", "- "])) + owner.first

    def colleague(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        mate = self.pick(self.colleagues)
        ctx = {**self.owner_ctx(owner), "first": owner.first}
        subject, ask = self.pick(P.COLLEAGUE_REQUESTS)
        when = self.weekday_only(self.local_time(self.rng.randint(0, 66), mate.tz))
        greeting = self.pick(
            [f"Hi {owner.first},", f"Hey {owner.first},", f"{owner.first} -", "Hi,", "Hi all,"]
        )
        detail = self.pick(P.COLLEAGUE_DETAILS)
        text = "\n\n".join(x for x in [greeting, self.fill(ask, ctx), detail, mate.first] if x)
        subj = self.fill(subject, ctx)
        cc = [self.pick(self.colleagues)] if self.chance(0.3) else []
        cc = [c for c in cc if c != mate]
        mid = self.emit(
            owner=owner,
            sender=mate,
            to=[owner],
            cc=cc,
            subject=subj,
            text=text,
            when=when,
            label="wanted",
            case=case,
            instance=inst,
            message_id=self.msgid(LOCAL_DOMAIN, "outlook"),
        )
        if self.chance(0.3):
            reply = self.pick(
                [
                    "Done, thanks!",
                    "Will do.",
                    "Sounds good.",
                    "Looks fine to me.",
                    "On it, will have it by tomorrow.",
                ]
            )
            self.emit(
                owner=owner, sender=owner, to=[mate], subject=f"Re: {subj}", text=f"{reply}\n\n{owner.first}",
                when=when + timedelta(minutes=self.rng.randint(10, 300)), label="outbound", case=case, instance=inst,
                in_reply_to=mid, references=[mid], message_id=self.msgid(LOCAL_DOMAIN, "outlook"),
            )  # fmt: skip

    def colleague_nudge(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        mate = self.pick(self.colleagues)
        ctx = self.owner_ctx(owner)
        subject, ask = self.pick(P.COLLEAGUE_REQUESTS)
        subj = self.fill(subject, ctx)
        when = self.weekday_only(self.local_time(self.rng.randint(0, 55), mate.tz))
        first = self.emit(
            owner=owner, sender=mate, to=[owner], subject=subj, text=f"Hi {owner.first},\n\n{self.fill(ask, ctx)}\n\n{mate.first}",
            when=when, label="wanted", case=case, instance=inst, message_id=self.msgid(LOCAL_DOMAIN, "outlook"), meta={"touch": 1},
        )  # fmt: skip
        refs = [first]
        prev_text = f"Hi {owner.first},\n\n{self.fill(ask, ctx)}\n\n{mate.first}"
        for k in (2, 3):
            when = self.weekday_only(when + timedelta(hours=self.rng.uniform(20, 80)))
            text = f"{self.fill(self.pick(P.COLLEAGUE_NUDGES), ctx)}\n\n{mate.first}"
            if self.chance(0.5):
                text += "\n\n" + self.quote(Touch(refs[-1], subj, prev_text, when, "email"), mate, owner)
            mid = self.emit(
                owner=owner, sender=mate, to=[owner], subject=f"Re: {subj}" if self.chance(0.8) else f"Reminder: {subj}", text=text,
                when=when, label="wanted", case=case, instance=inst, in_reply_to=refs[-1], references=refs, message_id=self.msgid(LOCAL_DOMAIN, "outlook"),
                meta={"touch": k},
            )  # fmt: skip
            refs = [*refs, mid]
            prev_text = text

    def contact(self, freemail_p: float = 0.25) -> Person:
        company, domain = self.company()
        return self.person(
            domain,
            company,
            self.pick(["CTO", "Partner Manager", "Director of Data", "Consultant", "Engineer"]),
            freemail=self.chance(freemail_p),
        )

    def thread_reply(self, owner: Person, case: str, new_participant: bool = False) -> None:
        inst = self.instance(case)
        other = self.contact()
        subject, opening, answer = self.pick(P.OWNER_THREADS)
        ctx = {**self.owner_ctx(owner), "cfirst": other.first}
        when = self.weekday_only(self.local_time(self.rng.randint(0, 55), owner.tz))
        text = f"{self.fill(opening, ctx)}\n\n{self.owner_sign(owner, self.chance(0.5))}"
        mine = self.emit(
            owner=owner,
            sender=owner,
            to=[other],
            subject=subject,
            text=text,
            when=when,
            label="outbound",
            case=case,
            instance=inst,
            message_id=self.msgid(LOCAL_DOMAIN, "outlook"),
        )
        refs = [mine]
        responder = other
        if new_participant:
            responder = self.person(
                other.domain,
                other.company,
                self.pick(["Account Manager", "Solutions Engineer", "Office Manager"]),
            )
            answer = self.pick(
                [
                    f"Hi {owner.first},\n\n{other.first} looped me in as I look after this. Happy to help; here's what you need.",
                    f"Hi {owner.first}, I'm taking over from {other.first} on this. Could we do a quick call on Tuesday?",
                    f"Hello {owner.first},\n\n{other.first} is out this week, so I'm answering on their behalf. Details below.",
                ]
            )
        reply_when = when + timedelta(hours=self.rng.uniform(1, 50))
        body = f"{self.fill(answer, ctx)}\n\n{responder.first}\n\n{self.quote(Touch(mine, subject, text, when, 'email'), owner, owner)}"
        theirs = self.emit(
            owner=owner, sender=responder, to=[owner], cc=[other] if new_participant else [], subject=f"Re: {subject}", text=body,
            when=reply_when, label="wanted", case=case, instance=inst, in_reply_to=mine, references=refs,
        )  # fmt: skip
        refs = [*refs, theirs]
        when = reply_when
        if self.chance(0.5):
            when += timedelta(hours=self.rng.uniform(1, 30))
            mine = self.emit(
                owner=owner, sender=owner, to=[responder], subject=f"Re: {subject}", text=f"{self.fill(self.pick(P.OWNER_REPLIES), {'cfirst': responder.first})}\n\n{owner.first}",
                when=when, label="outbound", case=case, instance=inst, in_reply_to=theirs, references=refs, message_id=self.msgid(LOCAL_DOMAIN, "outlook"),
            )  # fmt: skip
            refs = [*refs, mine]
        for _ in range(self.pick([0, 1, 1, 2])):
            when += timedelta(hours=self.rng.uniform(30, 100))
            threaded = self.chance(0.8)
            mid = self.emit(
                owner=owner, sender=responder, to=[owner], subject=f"Re: {subject}", text=f"{self.fill(self.pick(P.THREAD_LATER), ctx)}\n\n{responder.first}",
                when=when, label="wanted", case=case, instance=inst, in_reply_to=refs[-1] if threaded else None, references=refs if threaded else (),
            )  # fmt: skip
            refs = [*refs, mid]

    def thread_joined(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        other = self.contact(0.15)
        subject, opening = self.pick(P.INBOUND_THREAD_STARTS)
        ctx = {**self.owner_ctx(owner), "cfirst": other.first, "mutual": self.pick(self.colleagues).name}
        subj = self.fill(subject, ctx)
        when = self.weekday_only(self.local_time(self.rng.randint(0, 55), other.tz))
        text = f"{self.fill(opening, ctx)}\n\n{self.pick(['Best', 'Thanks', 'Kind regards', 'Cheers'])},\n{other.name}\n{other.title}, {other.company}"
        theirs = self.emit(
            owner=owner,
            sender=other,
            to=[owner],
            subject=subj,
            text=text,
            when=when,
            label="wanted",
            case=case,
            instance=inst,
        )
        when += timedelta(hours=self.rng.uniform(2, 40))
        reply = f"{self.fill(self.pick(P.OWNER_REPLIES), ctx)}\n\n{owner.first}\n\n{self.quote(Touch(theirs, subj, text, when, 'email'), other, owner)}"
        mine = self.emit(
            owner=owner, sender=owner, to=[other], subject=f"Re: {subj}", text=reply, when=when, label="outbound", case=case,
            instance=inst, in_reply_to=theirs, references=[theirs], message_id=self.msgid(LOCAL_DOMAIN, "outlook"),
        )  # fmt: skip
        for k in range(self.pick([1, 1, 2])):
            when += timedelta(hours=self.rng.uniform(3, 90))
            self.emit(
                owner=owner, sender=other, to=[owner], subject=f"Re: {subj}", text=f"{self.fill(self.pick(P.THREAD_LATER), ctx)}\n\n{other.first}",
                when=when, label="wanted", case=case, instance=inst, in_reply_to=mine, references=[theirs, mine], meta={"later": k + 1},
            )  # fmt: skip

    def vendor_after_pricing(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        company, domain = self.company()
        product, scope = self.pick(P.VENDOR_PRODUCTS)
        rep = self.person(domain, company, self.pick(P.SELLER_TITLES))
        sales = Person(f"{company} Sales", f"{self.pick(['sales', 'hello', 'info', 'contact'])}@{domain}")
        first_to = sales if self.chance(0.6) else rep
        ctx = {**self.owner_ctx(owner), "cfirst": rep.first, "product": product, "scope": scope, "cal": self.pick(P.CALENDAR_LINKS).format(
            slug=rep.first.lower(), company_slug=company.lower().replace(" ", ""), domain=domain, token=self.token(12))}  # fmt: skip
        when = self.weekday_only(self.local_time(self.rng.randint(0, 45), owner.tz))
        ask = f"{self.fill(self.pick(P.OWNER_PRICING_ASKS), ctx)}\n\n{self.owner_sign(owner, True)}"
        mine = self.emit(owner=owner, sender=owner, to=[first_to], subject=self.pick([f"Pricing for {product}", "Quote request", f"{product.capitalize()} pricing", "Pricing question"]),
                         text=ask, when=when, label="outbound", case=case, instance=inst, message_id=self.msgid(LOCAL_DOMAIN, "outlook"))  # fmt: skip
        asked_subject = self.records[-1].raw.split(b"Subject: ", 1)[1].split(b"\n", 1)[0].decode()
        when += timedelta(hours=self.rng.uniform(1, 30))
        sign = f"{self.pick(P.SIGNOFFS)}\n{rep.name}\n{rep.title}, {company}"
        answer = f"{self.fill(self.pick(P.VENDOR_ANSWERS), ctx)}\n\n{sign}"
        tool_headers = {"X-Mailer": "HubSpot"} if self.chance(0.3) else {}
        pixel = f"https://t.{domain}/o/{self.token(20)}" if self.chance(0.4) else None
        answered = self.emit(
            owner=owner, sender=rep, to=[owner], subject=f"Re: {asked_subject}", text=answer, html=self.html_of(answer, pixel) if pixel else None,
            when=when, label="wanted", case=case, instance=inst, in_reply_to=mine, references=[mine], headers=tool_headers,
            attachments=[(f"{company.replace(' ', '_')}_quote.pdf", "application/pdf", self.pdf_bytes())],
        )  # fmt: skip
        refs = [mine, answered]
        for k in range(self.pick([1, 2, 2, 3])):
            when = self.weekday_only(when + timedelta(days=self.rng.uniform(2, 6)))
            # Sometimes an account executive the user never wrote to takes over: same domain, new address.
            sender = rep if k == 0 or self.chance(0.6) else self.person(domain, company, "Account Executive")
            text = f"{self.fill(self.pick(P.VENDOR_FOLLOWUPS), ctx)}\n\n{sender.first}"
            if self.chance(0.4):
                text += "\n\n" + self.quote(
                    Touch(refs[-1], f"Re: {asked_subject}", answer, when, "email"), rep, owner
                )
            mid = self.emit(
                owner=owner, sender=sender, to=[owner], subject=f"Re: {asked_subject}", text=text, html=self.html_of(text, pixel) if pixel else None,
                when=when, label="wanted", case=case, instance=inst, in_reply_to=refs[-1], references=refs, headers=tool_headers, meta={"vendor_followup": k + 1},
            )  # fmt: skip
            refs = [*refs, mid]

    def answered_salesperson(self, owner: Person, case: str) -> None:
        """A cold pitch (labelled as such) that the owner answered; what the seller sends after that is wanted."""
        inst = self.instance(case)
        offer = self.pick(P.OFFERS)
        company, domain = self.company()
        seller = self.person(domain, company, self.pick(P.SELLER_TITLES))
        cal = self.pick(P.CALENDAR_LINKS).format(
            slug=seller.first.lower(),
            company_slug=company.lower().replace(" ", ""),
            domain=domain,
            token=self.token(12),
        )
        ctx = self.pitch_ctx(owner, seller, offer, cal)
        f = {"calendar": self.chance(0.4)}
        when = self.weekday_only(self.local_time(self.rng.randint(0, 40), seller.tz))
        subject = self.fill(self.pick(P.FIRST_SUBJECTS), ctx)
        text = "\n\n".join(
            [
                *self.first_pitch_body(ctx, f, False, False),
                self.pick(P.SIGNOFFS) + "\n" + self.signature(seller, ctx, True),
            ]
        )
        last = self.emit(
            owner=owner,
            sender=seller,
            to=[owner],
            subject=subject,
            text=text,
            when=when,
            label="first_pitch",
            case=case,
            instance=inst,
            meta={"touch": 1},
        )
        refs = [last]
        if self.chance(0.4):
            when = self.weekday_only(when + timedelta(days=self.rng.uniform(2, 5)))
            text = "\n\n".join(
                [*self.followup_body(ctx, f, False, False), self.pick(P.SIGNOFFS) + "\n" + seller.first]
            )
            last = self.emit(owner=owner, sender=seller, to=[owner], subject=f"Re: {subject}", text=text, when=when, label="followup_pitch",
                             case=case, instance=inst, in_reply_to=last, references=refs, meta={"touch": 2})  # fmt: skip
            refs.append(last)
        when += timedelta(hours=self.rng.uniform(2, 48))
        reply = self.pick(
            [
                f"Hi {seller.first},\n\nThanks for reaching out. We might be interested. Could you send a one-pager with pricing?",
                f"Hi {seller.first}, not a priority right now, but try me again next quarter.",
                f"{seller.first}, happy to chat. Thursday at 3pm works.",
                f"Hi {seller.first},\n\nGood timing, actually. What would this cost for a team of 40?",
                f"Thanks {seller.first}. Please send some case studies and I'll share them with the team.",
            ]
        )
        mine = self.emit(owner=owner, sender=owner, to=[seller], subject=f"Re: {subject}", text=f"{reply}\n\n{owner.first}", when=when, label="outbound",
                         case=case, instance=inst, in_reply_to=refs[-1], references=refs, message_id=self.msgid(LOCAL_DOMAIN, "outlook"))  # fmt: skip
        refs.append(mine)
        later = [
            f"Hi {owner.first},\n\nThanks for getting back to me! I've attached the one-pager. Let me know what you think.",
            f"Great to hear from you, {owner.first}. I'll put a note in my calendar to reach out in a few months.",
            "Perfect, I've sent over an invite for Thursday at 3pm. Here's the agenda.",
            f"Hi {owner.first}, just checking whether you had a chance to look at the case studies I sent.",
            f"Hi {owner.first},\n\nFollowing up on our exchange last week. Any questions from the team?",
            f"Hi {owner.first}, circling back as promised. Is now a better time to talk? {cal}",
        ]
        for k in range(self.pick([1, 2, 2, 3])):
            when = self.weekday_only(when + timedelta(days=self.rng.uniform(1, 6)))
            mid = self.emit(owner=owner, sender=seller, to=[owner], subject=f"Re: {subject}", text=f"{self.pick(later)}\n\n{seller.first}",
                            when=when, label="wanted", case=case, instance=inst, in_reply_to=refs[-1], references=refs, meta={"after_reply": k + 1})  # fmt: skip
            refs.append(mid)

    def linkedin_genuine_note(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        company, domain = self.company()
        member = self.person(
            domain,
            company,
            self.pick(["Data Scientist", "Engineering Manager", "Speaker", "Developer Advocate", "CTO"]),
        )
        when = self.local_time(self.rng.randint(0, 55), member.tz)
        connected = self.linkedin_anchor(
            owner, member, when, case, inst, kind=self.pick(["invite", "invite_then_connected", "accepted"])
        )
        ctx = {
            "first": owner.first,
            "event": self.pick(P.EVENTS),
            "link": f"https://{self.pick(['docs.google.com/presentation/d/', 'speakerdeck.com/', 'github.com/', 'www.youtube.com/watch?v='])}{self.token(14)}",
        }
        note = self.pick(P.GENUINE_NOTES).format(**ctx)
        when = connected + timedelta(minutes=self.rng.randint(5, 3000))
        if self.chance(0.5):
            self.linkedin_message(owner, member, f"{note}\n\n{member.first}", when, "wanted", case, inst)
        else:
            subject = self.pick(
                [
                    "Slides from the summit",
                    "Great meeting you",
                    f"Following up from {ctx['event']}",
                    "The link I mentioned",
                ]
            )
            mid = self.emit(
                owner=owner,
                sender=member,
                to=[owner],
                subject=subject,
                text=f"{note}\n\nBest,\n{member.name}",
                when=when,
                label="wanted",
                case=case,
                instance=inst,
            )
            if self.chance(0.5):
                self.emit(owner=owner, sender=owner, to=[member], subject=f"Re: {subject}", text=f"Thanks {member.first}, great to meet you too!\n\n{owner.first}",
                          when=when + timedelta(hours=self.rng.uniform(1, 20)), label="outbound", case=case, instance=inst, in_reply_to=mid, references=[mid],
                          message_id=self.msgid(LOCAL_DOMAIN, "outlook"))  # fmt: skip

    def stranger(self, owner: Person, case: str) -> None:
        """Strangers who want something from the owner; about half send one polite nudge."""
        inst = self.instance(case)
        pool = {
            "stranger_prospect": P.PROSPECT_ASKS,
            "stranger_applicant": P.APPLICANT_ASKS,
            "stranger_customer_issue": P.CUSTOMER_ISSUES,
            "stranger_journalist": P.JOURNALIST_ASKS,
        }[case]
        company, domain = self.company()
        who = self.person(domain, company, "", freemail=case == "stranger_applicant" or self.chance(0.2))
        ctx = {**self.owner_ctx(owner), "company": company, "outlet": self.pick(P.OUTLETS)}
        subject, ask = self.pick(pool)
        subj = self.fill(subject, ctx)
        text = f"{self.fill(ask, ctx)}\n\n{self.pick(['Thanks', 'Thank you', 'Best regards', 'Kind regards', 'Best'])},\n{who.name}"
        if case == "stranger_journalist":
            text += f"\n{ctx['outlet']}"
        attachments = (
            [(f"{who.first}_{who.last}_CV.pdf".replace(" ", "_"), "application/pdf", self.pdf_bytes())]
            if case == "stranger_applicant"
            else []
        )
        when = self.weekday_only(self.local_time(self.rng.randint(0, 58), who.tz))
        first = self.emit(
            owner=owner,
            sender=who,
            to=[owner],
            subject=subj,
            text=text,
            when=when,
            label="wanted",
            case=case,
            instance=inst,
            attachments=attachments,
            meta={"touch": 1},
        )
        if self.chance(0.55):
            when = self.weekday_only(when + timedelta(days=self.rng.uniform(2, 8)))
            nudge = f"{self.fill(self.pick(P.STRANGER_NUDGES), ctx)}\n\n{who.first}"
            threaded = self.chance(0.7)
            if self.chance(0.5):
                nudge += "\n\n" + self.quote(Touch(first, subj, text, when, "email"), who, owner)
            self.emit(owner=owner, sender=who, to=[owner], subject=f"Re: {subj}" if threaded or self.chance(0.5) else f"Following up: {subj}", text=nudge,
                      when=when, label="wanted", case=case, instance=inst, in_reply_to=first if threaded else None, references=[first] if threaded else (), meta={"touch": 2})  # fmt: skip

    # -- wanted: machines --------------------------------------------------------------------------------
    def newsletter(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        name = self.pick(["The Data Dispatch", "Pipeline Weekly", "SRE Notes", "Frontend Focus", "Growth Memo", "The Analytics Brief",
                          "Cloud Cost Digest", "Product Updates", "Engineering Leadership Weekly", "Marketing Brew", "Postgres Weekly", "Security Sunday"])  # fmt: skip
        company, domain = self.company()
        esp = self.pick(["substack", "mailchimp", "buttondown", "beehiiv", "own"])
        sender = Person(
            name,
            f"{self.pick(['newsletter', 'hello', 'news', 'updates', 'digest'])}@{'substack.com' if esp == 'substack' else domain}",
        )
        weekday, hour = self.rng.randint(0, 4), self.rng.randint(6, 16)
        one_click = self.chance(0.75)
        issue = self.rng.randint(40, 300)
        list_id = f"{name} <{re.sub(r'[^a-z]', '', name.lower())}.{self.token(6, string.ascii_lowercase)}.list-id.{domain}>"
        bounce = {
            "substack": "substack.com",
            "mailchimp": "mcsv.net",
            "buttondown": "buttondown.email",
            "beehiiv": "mail.beehiiv.com",
        }.get(esp, domain)
        for week in range(10):
            issue += 1
            when = self.local_time(week * 7 + weekday, TZS[1], hour, self.rng.randint(0, 5))
            topics = self.rng.sample(
                ["Why your dashboards are slow", "A gentle intro to CDC", "Hiring your first SRE", "The cost of a data outage", "Ten SQL anti-patterns",
                 "What we learned from 1,000 postmortems", "Feature flags at scale", "Writing good design docs", "Budgeting for observability",
                 "The state of open-source BI", "On-call without burnout", "Pricing pages that convert", "How to run a QBR", "Lakehouse vs warehouse"], 3)  # fmt: skip
            subject = self.pick(
                [
                    f"{name} #{issue}: {topics[0]}",
                    f"{topics[0]} (and more)",
                    f"Issue {issue} - {topics[0]}",
                    f"{name}: {topics[0]}",
                ]
            )
            text = (
                f"{name}, issue #{issue}\n\nHi {owner.first}, here's what's new this week.\n\n"
                + "\n\n".join(
                    f"{t}\nhttps://{domain}/p/{re.sub(r'[^a-z0-9]+', '-', t.lower())}" for t in topics
                )
                + (
                    f"\n\nThis week's sponsor: {self.company()[0]}. Try it free for 30 days."
                    if self.chance(0.3)
                    else ""
                )
                + f"\n\nYou're receiving this because you subscribed to {name}.\nUnsubscribe: https://{domain}/unsubscribe/{self.token(20)}\n{company}, 123 Main St, Springfield"
            )
            headers = {
                "List-Id": list_id,
                "List-Unsubscribe": f"<https://{domain}/unsubscribe/{self.token(20)}>, <mailto:unsubscribe-{self.token(10)}@{bounce}>",
                "Precedence": "bulk",
            }
            if one_click:
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            if esp == "mailchimp":
                headers["X-Mailer"] = "MailChimp Mailer - **CID" + self.token(12, "0123456789abcdef") + "**"
            self.emit(owner=owner, sender=sender, to=[owner], subject=subject, text=text, html=self.html_of(text, f"https://{bounce}/open/{self.token(20)}.gif"),
                      when=when, label="wanted", case=case, instance=inst, headers=headers, return_path=f"bounce-{self.token(12, string.ascii_lowercase)}@{bounce}",
                      meta={"issue": issue, "one_click": one_click})  # fmt: skip

    def receipt(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        merchant, domain, local = self.pick([
            ("Stripe", "stripe.com", "receipts+acct_{t}"), ("Amazon Business", "amazon.com", "auto-confirm"), ("Uber", "uber.com", "noreply"),
            ("AWS", "amazon.com", "aws-billing"), ("GitHub", "github.com", "billing"), ("Figma", "figma.com", "no-reply"), ("Zoom", "zoom.us", "billing"),
            ("Delta Air Lines", "delta.com", "DeltaAirLines"), ("Hilton", "hilton.com", "reservations"), ("Notion", "mail.notion.so", "team"),
            ("DigitalOcean", "digitalocean.com", "support"), ("Apple", "email.apple.com", "no_reply"), ("Lyft", "lyftmail.com", "no-reply"),
        ])  # fmt: skip
        num = self.rng.randint(100000, 9999999)
        amount = f"${self.rng.randint(5, 2400)}.{self.rng.randint(0, 99):02d}"
        subject = self.pick([f"Your receipt from {merchant} #{num}", f"Order confirmation #{num}", f"Invoice {num} is available", "Payment received - thank you",
                             f"Your {merchant} invoice", f"Receipt for your payment of {amount}", f"Your trip with {merchant}"])  # fmt: skip
        text = (
            f"Hi {owner.first},\n\nThanks for your purchase. Here are the details.\n\n{self.pick(['Order', 'Invoice', 'Receipt'])} number: {num}\n"
            f"Amount paid: {amount}\nPayment method: Visa ending in {self.rng.randint(1000, 9999)}\nDate: {(START + timedelta(days=self.rng.randint(0, 60))).date()}\n\n"
            f"Questions? Visit https://{domain}/support\n\n{merchant}"
        )
        when = self.local_time(
            self.rng.randint(0, 66), TZS[self.rng.randrange(len(TZS))], self.rng.randint(0, 23)
        )
        sender = Person(merchant, f"{local.format(t=self.token(8, string.ascii_lowercase))}@{domain}")
        attachments = (
            [(f"invoice_{num}.pdf", "application/pdf", self.pdf_bytes())] if self.chance(0.4) else []
        )
        self.emit(owner=owner, sender=sender, to=[owner], subject=subject, text=text, html=self.html_of(text), when=when, label="wanted", case=case,
                  instance=inst, attachments=attachments, return_path=f"bounces+{self.token(10, string.digits)}@em.{domain}")  # fmt: skip

    def password_reset(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        service, domain = self.pick([("Slack", "slack.com"), ("Atlassian", "atlassian.com"), ("Google", "accounts.google.com"), ("Okta", "okta.com"),
                                     ("Dropbox", "dropbox.com"), ("Salesforce", "salesforce.com"), ("1Password", "1password.com"), ("Microsoft", "accountprotection.microsoft.com")])  # fmt: skip
        code = self.rng.randint(100000, 999999)
        subject, body = self.pick([
            ("Reset your password", f"We received a request to reset the password for your {service} account.\n\nReset it here: https://{domain}/reset?token={self.token(32)}\n\nIf you didn't request this, you can ignore this email."),
            (f"Your {service} verification code", f"Your verification code is {code}. It expires in 10 minutes."),
            (f"{code} is your {service} login code", f"Enter {code} to finish signing in. Never share this code with anyone."),
            ("New sign-in to your account", f"We noticed a new sign-in to your {service} account from Chrome on macOS.\n\nIf this was you, no action is needed. Otherwise, secure your account: https://{domain}/security"),
            ("Confirm your email address", f"Please confirm your email address to finish setting up {service}: https://{domain}/confirm/{self.token(24)}"),
            ("Your password was changed", f"The password for your {service} account was just changed. If you didn't do this, contact support immediately."),
        ])  # fmt: skip
        when = self.local_time(self.rng.randint(0, 66), owner.tz, self.rng.randint(7, 22))
        sender = Person(
            service, f"{self.pick(['no-reply', 'noreply', 'security', 'account-security-noreply'])}@{domain}"
        )
        self.emit(owner=owner, sender=sender, to=[owner], subject=subject, text=f"Hi {owner.first},\n\n{body}\n\nThe {service} team", html=self.html_of(body),
                  when=when, label="wanted", case=case, instance=inst)  # fmt: skip

    def linkedin_notification(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        member = self.person(
            None,
            self.company()[0],
            self.pick(
                ["Product Designer", "Data Engineer", "Recruiter", "CTO", "Student", "Engineering Manager"]
            ),
        )
        when = self.local_time(self.rng.randint(0, 66), TZS[0], self.rng.randint(0, 23))
        kind = self.pick(
            [
                "invite",
                "accepted",
                "jobs",
                "jobs",
                "viewed",
                "searches",
                "endorse",
                "anniversary",
                "post",
                "connected",
            ]
        )
        if kind in ("invite", "accepted", "connected"):
            self.linkedin_anchor(
                owner,
                member,
                when,
                case,
                inst,
                kind={"invite": "invite", "accepted": "accepted", "connected": "invite_then_connected"}[kind],
            )
            return
        ctx = {"first": owner.first, "name": member.name, "n": self.rng.randint(3, 40)}
        local, cls, template, subject, text = self.pick({
            "jobs": [("jobs-noreply", "JOBS-TO-MBR", "jobs_jymbii_digest", "{n} new jobs for 'engineering manager'",
                      "Jobs you may be interested in\n\nEngineering Manager - Data Platform\n{name}'s company · Remote\n\nSee all jobs: https://www.linkedin.com/comm/jobs/"),
                     ("jobs-listings", "JOBS-TO-MBR", "jobs_alert", "Head of Engineering at a fast-growing startup and more",
                      "Your job alert for 'head of engineering'\n\n{n} new jobs match your preferences.\n\nView jobs: https://www.linkedin.com/comm/jobs/alerts")],
            "viewed": [("notifications-noreply", "PROFILE-VIEW", "email_wvmp_01", "{first}, {name} viewed your profile",
                        "{name} and {n} others viewed your profile this week.\n\nSee all views: https://www.linkedin.com/comm/me/profile-views/"),
                       ("notifications-noreply", "PROFILE-VIEW", "email_wvmp_01", "Your profile was viewed by {n} people",
                        "See who's looking at your profile.\n\nhttps://www.linkedin.com/comm/me/profile-views/")],
            "searches": [("notifications-noreply", "SEARCH-APPEARANCE", "email_search_appearance_01", "{first}, you appeared in {n} searches this week",
                          "You appeared in {n} searches this week.\nSearchers were from companies like {name}'s.\n\nSee your search stats: https://www.linkedin.com/comm/me/search-appearances/")],
            "endorse": [("notifications-noreply", "ENDORSEMENT", "email_endorsement_01", "{name} endorsed you for Python",
                         "{name} endorsed you for Python.\n\nView your skills: https://www.linkedin.com/comm/in/me/details/skills/")],
            "anniversary": [("notifications-noreply", "NETWORK-UPDATE", "email_work_anniversary_01", "Congratulate {name} on their work anniversary",
                             "{name} is celebrating 3 years at their company.\n\nSay congrats: https://www.linkedin.com/comm/feed/")],
            "post": [("notifications-noreply", "NOTIFICATIONS", "email_notifications_digest_01", "{name} commented on your post",
                      "{name} commented: \"Great write-up, thanks for sharing!\"\n\nSee the conversation: https://www.linkedin.com/comm/feed/update/urn:li:activity:{n}")],
        }[kind])  # fmt: skip
        self.linkedin_mail(owner, local=local, display="LinkedIn" if "jobs" not in local else "LinkedIn Job Alerts", subject=subject.format(**ctx),
                           text=text.format(**ctx), when=when, label="wanted", case=case, instance=inst, li_class=cls, template=template, meta={"linkedin": kind})  # fmt: skip

    def service_notification(self, owner: Person, case: str) -> None:
        inst = self.instance(case)
        when = self.weekday_only(self.local_time(self.rng.randint(0, 66), TZS[0]))
        n = self.rng.randint(100, 4000)
        kind = self.pick(["github", "github", "jira", "calendar", "pagerduty"])
        mate = self.pick(self.colleagues)
        if kind == "github":
            repo = self.pick(["example/ingest", "example/dashboards", "example/infra"])
            subject = f"[{repo}] {self.pick(['Fix flaky export test', 'Bump pydantic to 2.9', 'Add retry to webhook sender', 'Speed up CI cache'])} (PR #{n})"
            text = f"@{mate.first.lower()} requested your review on: {repo}#{n}.\n\n--\nReply to this email directly or view it on GitHub:\nhttps://github.com/{repo}/pull/{n}"
            headers = {"List-Id": f"{repo} <{repo.split('/')[1]}.{repo.split('/')[0]}.github.com>", "List-Unsubscribe": f"<mailto:unsub+{self.token(20)}@reply.github.com>",
                       "X-GitHub-Reason": "review_requested"}  # fmt: skip
            sender = Person(f"{mate.name}", "notifications@github.com")
        elif kind == "jira":
            subject = f"[JIRA] (PLAT-{n}) {self.pick(['Export times out for large tenants', 'Upgrade Kafka brokers', 'Rotate API keys'])}"
            text = f"{mate.name} assigned PLAT-{n} to you.\n\nView: https://example.atlassian.net/browse/PLAT-{n}"
            headers = {"Auto-Submitted": "auto-generated"}
            sender = Person(f"{mate.name} (Jira)", "jira@example.atlassian.net")
        elif kind == "calendar":
            subject = f"Invitation: {self.pick(['Design review', '1:1', 'Quarterly planning', 'Incident review'])} @ {self.pick(P.WEEKDAYS)} 10am - 11am ({owner.addr})"
            text = f"{mate.name} has invited you to an event.\n\nJoin with Google Meet: https://meet.google.com/{self.token(3, string.ascii_lowercase)}-{self.token(4, string.ascii_lowercase)}"
            headers = {}
            sender = Person(f"{mate.name} (Google Calendar)", "calendar-notification@google.com")
        else:
            subject = f"[Resolved] #{n}: High error rate on ingest-api"
            text = f"Incident #{n} was resolved by {mate.name}.\n\nhttps://example.pagerduty.com/incidents/{self.token(8)}"
            headers = {}
            sender = Person("PagerDuty", "no-reply@pagerduty.com")
        self.emit(
            owner=owner,
            sender=sender,
            to=[owner],
            subject=subject,
            text=text,
            when=when,
            label="wanted",
            case=case,
            instance=inst,
            headers=headers,
        )

    # -- the whole mailbox -------------------------------------------------------------------------------
    def build(self) -> list[Record]:
        wanted = {
            "colleague": self.colleague,
            "colleague_nudge": self.colleague_nudge,
            "thread_reply": self.thread_reply,
            "thread_new_participant": lambda o, c: self.thread_reply(o, c, new_participant=True),
            "thread_joined": self.thread_joined,
            "vendor_after_pricing": self.vendor_after_pricing,
            "answered_salesperson": self.answered_salesperson,
            "linkedin_genuine_note": self.linkedin_genuine_note,
            "newsletter": self.newsletter,
            "receipt": self.receipt,
            "password_reset": self.password_reset,
            "linkedin_notification": self.linkedin_notification,
            "service_notification": self.service_notification,
            "stranger_prospect": self.stranger,
            "stranger_applicant": self.stranger,
            "stranger_customer_issue": self.stranger,
            "stranger_journalist": self.stranger,
        }
        for index, owner in enumerate((self.bob, self.alice)):
            for case, counts in PITCH_CASES.items():
                for _ in range(counts[index]):
                    self.pitch_sequence(owner, case)
            for case, counts in WANTED_CASES.items():
                for _ in range(counts[index]):
                    wanted[case](owner, case)
        ids = [r.message_id for r in self.records]
        assert len(ids) == len(set(ids)), "duplicate Message-ID in the generated mailbox"
        return self.records


def write_mbox(path: Path, records: Sequence[Record]) -> None:
    """Write records as an mbox in Date order, with a deterministic "From " line and >From quoting."""
    with path.open("wb") as fh:
        for rec in sorted(records, key=lambda r: r.when):
            stamp = time.asctime(time.gmtime(rec.when.timestamp()))
            fh.write(f"From {rec.envelope_from} {stamp}\n".encode())
            for line in rec.raw.rstrip(b"\n").split(b"\n"):
                fh.write((b">" + line if re.match(rb">*From ", line) else line) + b"\n")
            fh.write(b"\n")


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> Manifest:
    """Write the mailboxes (`<owner>-inbox.mbox`, `<owner>-sent.mbox`) and `labels.json` into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    records = Generator(seed).build()
    folders: dict[str, list[Record]] = {}
    for rec in records:
        folders.setdefault(rec.folder, []).append(rec)
    paths = []
    for folder in sorted(folders):
        path = out_dir / f"{folder}.mbox"
        write_mbox(path, folders[folder])
        paths.append(path)
    labels = {
        r.message_id: {
            "label": r.label,
            "scenario": r.case,
            "instance": r.instance,
            "owner": r.owner,
            "folder": r.folder,
            **r.meta,
        }
        for r in sorted(records, key=lambda r: r.when)
    }
    labels_path = out_dir / "labels.json"
    labels_path.write_text(
        json.dumps(
            {"seed": seed, "local_domain": LOCAL_DOMAIN, "messages": labels}, indent=1, ensure_ascii=False
        )
        + "\n"
    )
    return Manifest(paths, labels_path, len(records))


def load_labels(path: Path) -> dict[str, dict[str, Any]]:
    """Message-ID → {label, scenario, instance, ...} from a labels.json."""
    data: dict[str, dict[str, Any]] = json.loads(path.read_text())["messages"]
    return data


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).parent / "data",
        help="output directory [tests/scenarios/data]",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.seed)
    labels = load_labels(manifest.labels)
    print(f"{manifest.records} messages in {', '.join(p.name for p in manifest.mailboxes)}")
    by_label = Counter(v["label"] for v in labels.values())
    print("  " + ", ".join(f"{k}={by_label[k]}" for k in LABELS))
    for case, count in sorted(Counter(v["scenario"] for v in labels.values()).items()):
        print(f"  {case:28} {count}")


if __name__ == "__main__":
    main()
