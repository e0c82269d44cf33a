"""Bulk mail the users asked for: subscribed newsletters, retail and service notices, calendar invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tests.scenarios2 import compose, timeline
from tests.scenarios2.box import Box
from tests.scenarios2.mail import Mail
from tests.scenarios2.phrases import BANKS, fill, pick
from tests.scenarios2.pitches import calendar_part
from tests.scenarios2.world import Person

_ESPS = (
    ("mcsv.net", "MailChimp Mailer - **CID{cid}**", "{cid}:{cid2}:us{n}:mc"),
    ("sendgrid.net", "", "{cid}:SG"),
    ("amazonses.com", "", "1.eu-west-1.{cid}=:AmazonSES"),
    ("sparkpostmail.com", "", "{cid}:{cid2}:sparkpost"),
    ("rsgsv.net", "Brevo", "{cid}:brevo"),
)
_INVITE = {
    "en": "Invitation: ",
    "de": "Einladung: ",
    "fr": "Invitation : ",
    "es": "Invitación: ",
    "nl": "Uitnodiging: ",
}


@dataclass(frozen=True)
class Sender:
    """A brand's mailing set-up, the same for all its mail: its ESP, whether bounces come back to its own domain."""

    brand: Person
    esp: tuple[str, str, str]
    aligned: bool
    unsubscribe: bool

    @classmethod
    def draw(cls, box: Box, brand: Person, unsubscribe: bool) -> Sender:
        return cls(brand, box.rng.choice(_ESPS), box.rng.random() < 0.6, unsubscribe)

    def headers(self, box: Box, to: Person, list_id: str | None, cid: int) -> tuple[dict[str, str], str]:
        """The ESP's fingerprint: Feedback-ID, its mailer, list and unsubscribe headers, and a bounce address."""
        host, mailer, fbl = self.esp
        domain = self.brand.domain
        headers = {"Feedback-ID": fbl.format(cid=cid, cid2=cid % 99991, n=cid % 17 + 2)}
        if mailer:
            headers["X-Mailer"] = mailer.format(cid=cid)
        if list_id is not None:
            headers["List-Id"] = list_id
            headers["Precedence"] = "bulk"
        if self.unsubscribe:
            headers["List-Unsubscribe"] = (
                f"<https://{domain}/unsubscribe?u={cid}&e={to.address}>, <mailto:unsubscribe-{cid}@{domain}>"
            )
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        tag = box.rng.randrange(16**6)
        bounce = (
            f"bounces+{cid}.{tag:06x}@em.{domain}"
            if self.aligned
            else f"bounce-{cid}-{to.address.replace('@', '=')}@{host}"
        )
        return headers, bounce


def newsletter(box: Box, lang: str) -> None:
    """A newsletter some users subscribed to, arriving every week or two, each copy addressed to one subscriber."""
    org, domain = box.strangers.firm(lang)
    brand = Person(f"{org}", f"newsletter@{domain}", lang, org)
    setup = Sender.draw(box, brand, unsubscribe=True)
    ctx0 = box.ctx(brand, box.users[0])
    name = pick(box.rng, lang, "nl_names")
    subscribers = [u for u in box.users if u.language == lang or box.rng.random() < 0.15][
        : box.rng.choice([1, 2, 3, 5])
    ] or [box.user()]
    every, day = box.rng.choice([7, 7, 14, 3]), box.day(0, margin=60)
    issue = int(ctx0["n"])
    sid = box.sid("newsletter")
    while (day - timeline.START).days < box.days:
        topic = pick(box.rng, lang, "nl_item")
        # One issue is the same for every subscriber: subject and items drawn once, only the address differs.
        ctx = box.ctx(brand, box.users[0], nl=name, n=str(issue), topic=topic)
        subject = fill(box.rng, lang, "nl_subject", ctx)
        others = box.rng.sample([t for t in BANKS[lang]["nl_item"] if t != topic], 2)
        promo = [fill(box.rng, lang, "nl_promo", ctx)] if box.rng.random() < 0.4 else []
        items = [fill(box.rng, lang, "nl_intro", ctx), topic, *others, *promo]
        sent_at, cid = box.at(day, brand), box.rng.randrange(10**6, 10**7)
        for to in subscribers:
            ctx = box.ctx(brand, to, nl=name, n=str(issue), topic=topic)
            footer = fill(box.rng, lang, "nl_footer", ctx)
            mail = Mail(
                brand,
                [to],
                subject,
                "\n\n".join([*items, footer]),
                sent_at + timedelta(seconds=box.rng.randrange(300)),
                "newsletter",
                "wanted",
                sid,
                lang,
            )
            mail.html = compose.template_html(
                subject, items, footer, name, f"https://open.{domain}/o/{box.rng.randrange(16**10):010x}.gif"
            )
            mail.headers, mail.return_path = setup.headers(box, to, f"{name} <news.{domain}>", cid)
            mail.mid_host = f"mail.{domain}"
            box.add(mail)
        issue += 1
        day += timedelta(days=every)


def transactional(box: Box, lang: str) -> None:
    """A shop or service's notices to one user: order then shipping, an invoice, or a sign-in code."""
    org, domain = box.strangers.firm(lang)
    brand = Person(
        org, box.rng.choice(["noreply", "no-reply", "orders", "billing", "service"]) + f"@{domain}", lang, org
    )
    to = box.user(lang)
    setup = Sender.draw(box, brand, unsubscribe=box.rng.random() < 0.5)
    sid = box.sid("transactional")
    ctx = box.ctx(brand, to)
    kinds = box.rng.choice([["order", "ship"], ["invoice"], ["reset"], ["order", "ship", "invoice"]])
    day = box.day(margin=5)
    for kind in kinds:
        mail = Mail(
            brand,
            [to],
            fill(box.rng, lang, f"tx_{kind}_subject", ctx),
            fill(box.rng, lang, f"tx_{kind}_body", ctx),
            box.at(day, brand),
            "transactional",
            "wanted",
            sid,
            lang,
        )
        paras = mail.text.split("\n\n")
        mail.html = compose.template_html(
            mail.subject, paras, "© " + org, org, f"https://{domain}/t/{box.rng.randrange(16**8):08x}.gif"
        )
        mail.headers, mail.return_path = setup.headers(box, to, None, box.rng.randrange(10**6, 10**7))
        mail.headers["Auto-Submitted"] = "auto-generated" if box.rng.random() < 0.3 else "no"
        mail.mid_host = f"{box.rng.choice(['mta', 'smtp', 'mail'])}.{domain}"
        box.add(mail)
        day = timeline.business_days_after(day, box.rng.choice([1, 2, 3]))


def calendar(box: Box, lang: str) -> None:
    """A calendar invitation or hold, from a colleague or from a partner the user already works with."""
    user = box.user(lang)
    opener: Mail | None = None
    if box.rng.random() < 0.6:
        organizer = box.rng.choice(
            [u for u in box.users if u != user and (lang == "en" or u.language == lang)]
        )
        kind = "calendar"
    else:
        organizer = box.strangers.worker(lang)
        kind = "calendar"
        opener = Mail(
            user,
            [organizer],
            fill(box.rng, lang, "pa_subject", box.ctx(user, organizer)),
            compose.letter(box.rng, lang, "pa_out", box.ctx(user, organizer)),
            box.at(box.day(margin=15), user),
            kind,
            "wanted",
            "",
            lang,
        )
    organizer = Person(organizer.name, organizer.address, lang, organizer.org)
    sid = box.sid("calendar")
    ctx = box.ctx(organizer, user)
    summary = fill(box.rng, lang, "ca_summary", ctx)
    ctx["summary"] = summary
    mail = Mail(
        organizer,
        [user],
        _INVITE[lang] + summary,
        fill(box.rng, lang, "ca_body", ctx),
        box.at(box.day(margin=3), organizer),
        kind,
        "wanted",
        sid,
        lang,
    )
    if opener is not None:
        opener.scenario = sid
        box.add(opener)
        mail.when = timeline.later(box.rng, opener.when, lang, 24, 200)
    mail.calendar = calendar_part(
        box, organizer, user, mail.when.date() + timedelta(days=box.rng.randrange(1, 8)), summary
    )
    box.add(mail)
