"""Scenarios of mail the users want, however much it nudges: customers, applicants, press, leads, vendors, friends, partners."""

from __future__ import annotations

from tests.scenarios2 import compose, timeline
from tests.scenarios2.box import OUTLETS, Box
from tests.scenarios2.mail import Mail
from tests.scenarios2.phrases import fill, pick
from tests.scenarios2.pitches import notification
from tests.scenarios2.world import TLDS, Person, slug


def _mail(
    box: Box,
    sender: Person,
    to: Person,
    subject: str,
    text: str,
    after: Mail | None,
    hours: tuple[float, float],
    kind: str,
    sid: str,
    parent: Mail | None = None,
) -> Mail:
    when = (
        timeline.later(box.rng, after.when, sender.language, *hours)
        if after
        else box.at(box.day(margin=12), sender)
    )
    return box.add(
        Mail(sender, [to], subject, text, when, kind, "wanted", sid, sender.language, in_reply_to=parent)
    )


def _thread(
    box: Box,
    sid: str,
    kind: str,
    outside: Person,
    user: Person,
    slots: list[tuple[str, str]],
    gaps: tuple[float, float],
    **extra: str,
) -> list[Mail]:
    """A conversation: each step is (who, slot) with who 'in' (the outsider writes) or 'out' (the user answers)."""
    sent: list[Mail] = []
    subject = ""
    for who, slot in slots:
        sender, to = (outside, user) if who == "in" else (user, outside)
        ctx = {**box.ctx(sender, to), **extra}
        text = (
            compose.letter(box.rng, sender.language, slot, ctx)
            if slot in _LETTERS
            else compose.reply(box.rng, sender.language, slot, ctx)
        )
        if not sent:
            subject = fill(
                box.rng,
                sender.language,
                slot.split("_")[0] + "_subject" if slot != "pa_out" else "pa_subject",
                ctx,
            )
            sent.append(_mail(box, sender, to, subject, text, None, gaps, kind, sid))
        else:
            re_subject = pick(box.rng, sender.language, "re") + subject
            sent.append(_mail(box, sender, to, re_subject, text, sent[-1], gaps, kind, sid, parent=sent[-1]))
    return sent


_LETTERS = {
    "cu_first",
    "ap_first",
    "ap_nudge",
    "jo_first",
    "le_first",
    "ve_first",
    "pa_out",
    "pa_in",
    "nc_body",
    "u_support_reply",
    "u_ap_reply",
    "u_le_reply",
    "in_body",
}


def customer(box: Box, lang: str) -> None:
    """A customer writes about an outage and nudges, sometimes three times, before or without an answer."""
    # Small customers write from a freemail address; some put a second person of ours in copy.
    who = box.strangers.private(lang) if box.rng.random() < 0.3 else box.strangers.worker(lang)
    user = box.user(lang)
    sid = box.sid("customer")
    if box.rng.random() < 0.5:
        _thread(box, sid, "customer_history", who, user, [("out", "pa_out"), ("in", "pa_in")], (3, 40))
    steps = [("in", "cu_first"), ("in", "cu_nudge")]
    steps += (
        [("in", "cu_nudge"), ("in", "cu_nudge2")]
        if box.rng.random() < 0.5
        else [("in", "cu_nudge2")]
        if box.rng.random() < 0.5
        else []
    )
    if box.rng.random() < 0.6:
        steps += [("out", "u_support_reply"), ("in", "cu_thanks")]
    mails = _thread(box, sid, "customer_outage", who, user, steps, (1, 20))
    colleague = box.user(lang)
    if colleague != user and box.rng.random() < 0.3:
        for mail in mails:
            if mail.sender == who:
                mail.cc = [colleague]


def applicant(box: Box, lang: str) -> None:
    """An applicant applies and asks about it once or twice, a week or two apart."""
    steps = [("in", "ap_first"), ("in", "ap_nudge")] + (
        [("in", "ap_nudge")] if box.rng.random() < 0.5 else []
    )
    if box.rng.random() < 0.4:
        steps.append(("out", "u_ap_reply"))
    _thread(
        box, box.sid("applicant"), "applicant", box.strangers.private(lang), box.user(lang), steps, (120, 340)
    )


def journalist(box: Box, lang: str) -> None:
    """A reporter asks for a comment and chases before the deadline."""
    outlet = box.rng.choice(OUTLETS[lang])
    who = box.strangers.at(box.strangers.name(lang), f"{slug(outlet)}.{TLDS[lang][0]}", lang, outlet)
    steps = [("in", "jo_first"), ("in", "jo_nudge")]
    _thread(box, box.sid("journalist"), "journalist", who, box.user(lang), steps, (16, 30), outlet=outlet)


def lead(box: Box, lang: str) -> None:
    """A prospect asks for a quote and nudges; the user may answer."""
    steps = [("in", "le_first"), ("in", "le_nudge")]
    if box.rng.random() < 0.5:
        steps += [("out", "u_le_reply"), ("in", "pa_in")]
    _thread(
        box, box.sid("lead"), "inbound_lead", box.strangers.worker(lang), box.user(lang), steps, (50, 150)
    )


def vendor(box: Box, lang: str) -> None:
    """A vendor answers the web-form request a user made on its site (no earlier mail) and follows up."""
    steps = [("in", "ve_first"), ("in", "ve_nudge")] + (
        [("in", "ve_nudge")] if box.rng.random() < 0.4 else []
    )
    _thread(
        box, box.sid("vendor"), "vendor_webform", box.strangers.worker(lang), box.user(lang), steps, (70, 200)
    )


def friendly(box: Box, lang: str) -> None:
    """Short friendly mail from someone the user knows (and sometimes has not written to in this mailbox)."""
    user = box.user(lang)
    who = box.strangers.private(lang) if box.rng.random() < 0.5 else box.strangers.worker(lang)
    sid = box.sid("friendly")
    if box.rng.random() < 0.5:
        _thread(box, sid, "friendly", who, user, [("out", "pa_out"), ("in", "pa_in")], (2, 30))
    ctx = box.ctx(who, user)
    mail = _mail(
        box,
        who,
        user,
        fill(box.rng, lang, "fr_subject", ctx),
        fill(box.rng, lang, "fr_body", ctx),
        None,
        (0, 0),
        "friendly",
        sid,
    )
    if box.rng.random() < 0.5:
        _mail(
            box,
            user,
            who,
            pick(box.rng, lang, "re") + mail.subject,
            compose.reply(box.rng, lang, "fr_reply", box.ctx(user, who)),
            mail,
            (0.2, 5),
            "friendly",
            sid,
            parent=mail,
        )


def partner(box: Box, lang: str) -> None:
    """An ongoing exchange the user started with a partner or supplier, sometimes with a colleague in copy."""
    user = box.user(lang)
    steps = [
        ("out", "pa_out"),
        ("in", "pa_in"),
        *[("out", "pa_out"), ("in", "pa_in")][: box.rng.choice([0, 1, 2])],
    ]
    mails = _thread(box, box.sid("partner"), "partner", box.strangers.worker(lang), user, steps, (2, 50))
    if box.rng.random() < 0.3:
        colleague = box.user()
        if colleague != user:
            for m in mails:
                m.cc = [colleague]


def new_connection(box: Box, lang: str) -> None:
    """A genuine new connection: LinkedIn says the invitation was accepted, then 'great to meet you, here are the slides'."""
    who, user = box.strangers.worker(lang), box.user(lang)
    sid = box.sid("newconn")
    accepted = notification(box, sid, who, user, box.day(margin=10))
    ctx = box.ctx(who, user)
    slides = _mail(
        box,
        who,
        user,
        fill(box.rng, lang, "nc_subject", ctx),
        compose.letter(box.rng, lang, "nc_body", ctx),
        accepted,
        (2, 60),
        "new_connection",
        sid,
    )
    if box.rng.random() < 0.5:
        _mail(
            box,
            user,
            who,
            pick(box.rng, lang, "re") + slides.subject,
            compose.reply(box.rng, lang, "nc_reply", box.ctx(user, who)),
            slides,
            (1, 30),
            "new_connection",
            sid,
            parent=slides,
        )


def internal(box: Box, lang: str) -> None:
    """Colleagues writing to each other, sometimes to several, sometimes answered (English across offices)."""
    sender = box.user(lang)
    others = [u for u in box.users if u != sender and (lang == "en" or u.language == lang)]
    box.rng.shuffle(others)
    to = others[: box.rng.choice([1, 1, 2, 3])]
    ctx = box.ctx(sender, to[0])
    sender_l = Person(sender.name, sender.address, lang, sender.org)
    mail = box.add(
        Mail(
            sender_l,
            to,
            fill(box.rng, lang, "in_subject", ctx),
            fill(box.rng, lang, "in_body", ctx),
            box.at(box.day(), sender),
            "internal",
            "wanted",
            box.sid("internal"),
            lang,
        )
    )
    if box.rng.random() < 0.5:
        answerer = Person(to[0].name, to[0].address, lang, to[0].org)
        text = compose.reply(box.rng, lang, "fr_reply", box.ctx(answerer, sender))
        box.add(
            Mail(
                answerer,
                [sender],
                pick(box.rng, lang, "re") + mail.subject,
                text,
                timeline.later(box.rng, mail.when, lang, 0.3, 6),
                "internal",
                "wanted",
                mail.scenario,
                lang,
                in_reply_to=mail,
            )
        )
