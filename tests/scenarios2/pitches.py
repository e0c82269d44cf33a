"""Scenarios of cold outreach: sequencer campaigns, rotating senders, declines, engagement, post-connection pitches."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tests.scenarios2 import compose, timeline
from tests.scenarios2.box import Box
from tests.scenarios2.mail import Mail
from tests.scenarios2.phrases import fill, pick
from tests.scenarios2.world import Person, slug

# Sales-engagement cadences, in business days after the first touch.
CADENCES = ([0, 2, 5, 9], [0, 3, 7], [0, 2, 5, 9, 14], [0, 1, 4, 8, 13, 20], [0, 4], [0, 3, 8, 15], [0, 2, 6])
_MID_HOSTS = ("mail.gmail.com", "eurprd04.prod.outlook.com", "namprd11.prod.outlook.com", "")


@dataclass
class Style:
    """How one campaign's tool dresses its mail."""

    track_host: str
    pixel: bool
    unsubscribe: bool
    html: bool
    threaded: float
    mid_host: str


def targets(box: Box, lang: str, n: int) -> list[Person]:
    """The users a campaign writes to: readers of its language, and sometimes anyone (English goes everywhere)."""
    pool = [u for u in box.users if u.language == lang or (lang == "en" and box.rng.random() < 0.25)]
    box.rng.shuffle(pool)
    return pool[:n] or [box.user()]


def style(box: Box, sender: Person) -> Style:
    rng = box.rng
    host = rng.choice(
        [
            f"track.{sender.domain}",
            f"go.{sender.domain}",
            "t.outreach-mail.io",
            "links.seqtrack.co",
            "e.replyflow.app",
        ]
    )
    return Style(
        host,
        rng.random() < 0.6,
        rng.random() < 0.45,
        rng.random() < 0.6,
        rng.random(),
        rng.choice(_MID_HOSTS),
    )


def dress(box: Box, mail: Mail, st: Style) -> Mail:
    """Add the campaign tool's marks: HTML with tracked links and pixel, List-Unsubscribe on one-to-one mail."""
    token = f"{box.rng.randrange(16**12):012x}"
    if st.html:
        mail.html = compose.sequencer_html(mail.text, st.track_host, token, st.pixel)
    if st.unsubscribe:
        mail.headers["List-Unsubscribe"] = f"<https://{st.track_host}/unsubscribe/{token}>"
        if box.rng.random() < 0.5:
            mail.headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.mid_host = st.mid_host or mail.sender.domain
    return mail


def calendar_part(box: Box, sender: Person, to: Person, day: date, summary: str) -> str:
    start = f"{day:%Y%m%d}T{box.rng.choice(['09', '10', '14', '15'])}0000Z"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//scenarios2//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        f"UID:{box.rng.randrange(16**16):016x}@{sender.domain}\r\nDTSTART:{start}\r\nSUMMARY:{summary}\r\n"
        f"ORGANIZER;CN={sender.name}:mailto:{sender.address}\r\nATTENDEE;RSVP=TRUE:mailto:{to.address}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@dataclass
class Campaign:
    """What stays the same over one campaign's touches: its senders, pitch, tool, and (rotating) template seed."""

    kind: str
    senders: list[Person]
    vertical: str
    st: Style
    template_seed: int | None = None
    signer: Person | None = None
    linkedin: bool = False
    booking: str = ""


def run_sequence(
    box: Box,
    sid: str,
    camp: Campaign,
    to: Person,
    start: date,
    cadence: list[int],
    prior: list[Mail] | None = None,
) -> list[Mail]:
    """One recipient's touches of a campaign (after the prior ones, if any); senders rotate when there are several."""
    sent: list[Mail] = list(prior or [])
    total = len(sent) + len(cadence)
    for step, offset in enumerate(cadence, start=len(sent)):
        day = timeline.business_days_after(start, offset)
        if (day - timeline.START).days >= box.days:
            break
        sender = camp.senders[step % len(camp.senders)]
        # A rotating campaign's template is the same for every recipient and sender: its own seeded choices.
        trng = random.Random(camp.template_seed * 97 + step) if camp.template_seed is not None else box.rng
        signer = camp.signer or sender
        ctx = box.ctx(signer, to, rng=trng, booking=camp.booking or box.booking(sender))
        mail = _touch(box, trng, camp, sender, to, ctx, box.at(day, sender), sent, step == total - 1)
        mail.scenario = sid
        sent.append(box.add(dress(box, mail, camp.st)))
    return sent[len(prior or []) :]


def _touch(
    box: Box,
    trng: random.Random,
    camp: Campaign,
    sender: Person,
    to: Person,
    ctx: dict[str, str],
    when: datetime,
    sent: list[Mail],
    last: bool,
) -> Mail:
    """One touch: the first pitch (sometimes dressed as a reply), or a follow-up threaded, re-sent or fresh."""
    lang = sender.language
    if not sent:
        subject, text = compose.pitch_first(trng, lang, camp.vertical, ctx, linkedin=camp.linkedin)
        if trng.random() < 0.1:
            subject = pick(trng, lang, "re") + subject  # the fake reply: "Re:" on a first message
        return Mail(sender, [to], subject, text, when, camp.kind, "pitch_first", "", lang)
    first = sent[0]
    base = (
        first.subject.split(": ", 1)[1]
        if first.in_reply_to is None and ": " in first.subject[:6]
        else first.subject
    )
    if not last and trng.random() < 0.12:
        text = compose.resend(
            trng, lang, ctx, first.sender.name, first.when.strftime("%d.%m.%Y %H:%M"), base, first.text
        )
        return Mail(
            sender, [to], pick(trng, lang, "fwd") + base, text, when, camp.kind, "pitch_followup", "", lang
        )
    cal = not last and trng.random() < 0.08
    text = (
        compose.calendar_push(trng, lang, ctx)
        if cal
        else compose.pitch_followup(trng, lang, camp.vertical, ctx, last)
    )
    threaded = camp.st.threaded > 0.35
    subject = pick(trng, lang, "re") + base if threaded else fill(trng, lang, "fu_subject", ctx)
    mail = Mail(sender, [to], subject, text, when, camp.kind, "pitch_followup", "", lang)
    if threaded:
        mail.in_reply_to = sent[-1]
        mail.quote = trng.random() < 0.6
    if cal:
        mail.calendar = calendar_part(box, sender, to, when.date() + timedelta(days=3), base)
    return mail


def _campaign(box: Box, lang: str, kind: str, linkedin: bool = False) -> Campaign:
    sender = box.strangers.worker(lang)
    return Campaign(kind, [sender], box.rng.choice(compose.VERTICALS), style(box, sender), linkedin=linkedin)


def _answer(
    box: Box,
    sender: Person,
    parent: Mail,
    text: str,
    hours: tuple[float, float],
    kind: str,
    label: str = "wanted",
) -> Mail:
    """A reply in the thread of parent, some hours after it."""
    subject = (
        parent.subject
        if parent.subject[:4].lower().startswith(("re", "aw", "antw"))
        else pick(box.rng, sender.language, "re") + parent.subject
    )
    when = timeline.later(box.rng, parent.when, sender.language, *hours)
    return box.add(
        Mail(
            sender,
            [parent.sender],
            subject,
            text,
            when,
            kind,
            label,
            parent.scenario,
            sender.language,
            in_reply_to=parent,
        )
    )


def sequence(box: Box, lang: str) -> None:
    """A sequencer campaign from one pitcher to one to three users."""
    camp = _campaign(box, lang, "sequence")
    start, cadence = box.day(margin=10), box.rng.choice(CADENCES)
    for to in targets(box, lang, box.rng.choice([1, 1, 1, 2, 3])):
        run_sequence(
            box, box.sid("sequence"), camp, to, start + timedelta(days=box.rng.randrange(3)), cadence
        )


def rotating(box: Box, lang: str) -> None:
    """One campaign writing from several addresses and domains, with the same template, signature and booking link."""
    org, domain = box.strangers.firm(lang)
    stem, tld = domain.split(".", 1)
    domains = [domain, f"get{stem}.{tld}", f"{stem}-mail.com", f"try{stem}.io"][: box.rng.choice([2, 3, 4])]
    names = [box.strangers.name(lang) for _ in range(box.rng.choice([3, 4, 5]))]
    senders = [box.strangers.at(name, domains[i % len(domains)], lang, org) for i, name in enumerate(names)]
    st = style(box, senders[0])
    st.track_host = f"t.{slug(stem)}-links.com"
    # Half the campaigns sign every mail with one persona's name, whatever address it leaves from.
    signer = senders[0] if box.rng.random() < 0.5 else None
    camp = Campaign(
        "rotating_sender",
        senders,
        box.rng.choice(compose.VERTICALS),
        st,
        box.rng.randrange(1 << 30),
        signer,
        booking=box.booking(senders[0]),
    )
    cadence = box.rng.choice(CADENCES[:4])
    for to in targets(box, lang, box.rng.choice([2, 3, 4])):
        order = senders[:]
        box.rng.shuffle(order)
        run_sequence(
            box,
            box.sid("rotating"),
            dataclasses.replace(camp, senders=order),
            to,
            box.day(margin=10),
            cadence,
        )


def declined(box: Box, lang: str) -> None:
    """The user says no after a touch or two; the sequence carries on (still pitches)."""
    camp, to = _campaign(box, lang, "declined_then_more"), targets(box, lang, 1)[0]
    sid = box.sid("declined")
    cadence = box.rng.choice([c for c in CADENCES if len(c) >= 4])
    cut = box.rng.choice([1, 2])
    sent = run_sequence(box, sid, camp, to, box.day(margin=25), cadence[:cut])
    no = _answer(
        box,
        to,
        sent[-1],
        compose.reply(box.rng, to.language, "r_decline", box.ctx(to, camp.senders[0])),
        (1, 30),
        "decline_reply",
    )
    rest_start = no.when.date() + timedelta(days=box.rng.choice([1, 2, 4]))
    more = sorted({0} | {c - cadence[cut] + box.rng.randrange(2) for c in cadence[cut + 1 :]})
    for mail in run_sequence(box, sid, camp, to, rest_start, more, prior=sent):
        if box.rng.random() < 0.4:  # some answer the "no" itself ("Understood - but quickly...")
            mail.in_reply_to, mail.subject = no, no.subject


def engaged(box: Box, lang: str) -> None:
    """The user answers a pitch with interest: from then on the counterpart is wanted, nudges included."""
    camp, to = _campaign(box, lang, "engaged_pitch"), targets(box, lang, 1)[0]
    sender = camp.senders[0]
    first = run_sequence(box, box.sid("engaged"), camp, to, box.day(margin=20), [0])[0]
    yes = _answer(
        box,
        to,
        first,
        compose.reply(box.rng, to.language, "r_engage", box.ctx(to, sender)),
        (2, 48),
        "engage_reply",
    )
    previous = _answer(
        box,
        sender,
        yes,
        compose.reply(box.rng, lang, "e_reply", box.ctx(sender, to), greet=True),
        (1, 20),
        "engaged_pitch",
    )
    for _ in range(box.rng.choice([1, 2])):
        nudge = _answer(
            box,
            sender,
            previous,
            compose.reply(box.rng, lang, "e_nudge", box.ctx(sender, to), greet=True),
            (70, 170),
            "engaged_pitch",
        )
        nudge.to = [to]
        previous = dress(box, nudge, camp.st)


def looped_in(box: Box, lang: str) -> None:
    """One user engages, and the pitcher's answer also goes to a colleague: wanted by the first, a cold pitch to the other."""
    camp = _campaign(box, lang, "looped_in")
    pair = targets(box, lang, 2)
    if len(pair) < 2:
        pair = [pair[0], next(u for u in box.users if u != pair[0])]
    carol, bob = pair
    sender = camp.senders[0]
    first = run_sequence(box, box.sid("looped"), camp, carol, box.day(margin=20), [0])[0]
    yes = _answer(
        box,
        carol,
        first,
        compose.reply(box.rng, carol.language, "r_engage", box.ctx(carol, sender)),
        (2, 30),
        "engage_reply",
    )
    ctx = box.ctx(sender, carol, colleague=bob.first)
    both = _answer(
        box, sender, yes, compose.reply(box.rng, lang, "e_loop", ctx, greet=True), (1, 20), "looped_in"
    )
    both.to, both.cc = [carol], [bob]
    both.recipient_labels = {carol.address: "wanted", bob.address: "pitch_first"}


def linkedin_pitch(box: Box, lang: str) -> None:
    """The post-connection hard sell: the invitation is accepted, and the pitch follows within hours."""
    camp, to = _campaign(box, lang, "linkedin_pitch", linkedin=True), targets(box, lang, 1)[0]
    sid = box.sid("linkedin")
    accepted = notification(box, sid, camp.senders[0], to, box.day(margin=15))
    start = (accepted.when + timedelta(hours=box.rng.uniform(1, 30))).date()
    run_sequence(box, sid, camp, to, start, box.rng.choice(CADENCES))


def one_off(box: Box, lang: str) -> None:
    """A single cold pitch, sometimes sent to a hidden list (To: undisclosed-recipients)."""
    camp, to = _campaign(box, lang, "one_off_pitch"), targets(box, lang, 1)[0]
    mail = run_sequence(box, box.sid("oneoff"), camp, to, box.day(), [0])
    if mail and box.rng.random() < 0.3:
        mail[0].headers["To"] = "undisclosed-recipients:;"


def notification(box: Box, sid: str, contact: Person, to: Person, day: date) -> Mail:
    """LinkedIn's notice that the user's invitation was accepted (or that they are now connected)."""
    linkedin = Person("LinkedIn", "invitations@linkedin.com", to.language, "LinkedIn")
    ctx = box.ctx(
        linkedin,
        to,
        name=contact.name,
        first_of_name=to.first,
        link=f"https://www.linkedin.com/comm/in/{slug(contact.name)}-{box.rng.randrange(16**6):06x}",
    )
    mail = Mail(
        linkedin,
        [to],
        fill(box.rng, to.language, "li_accept_subject", ctx),
        compose.letter(box.rng, to.language, "li_accept_body", ctx),
        box.at(day, to),
        "linkedin_notification",
        "wanted",
        sid,
        to.language,
    )
    mail.headers.update(
        {
            "X-LinkedIn-Class": "INVITATION-ACCEPT",
            "X-LinkedIn-Template": "email_m2m_invite_accepted_01",
            "List-Unsubscribe": f"<https://www.linkedin.com/e/v2?e={box.rng.randrange(16**8):08x}&m=unsub>",
            "Feedback-ID": "email_m2m_invite_accepted_01:linkedin",
        }
    )
    mail.return_path = f"s-{box.rng.randrange(16**10):010x}@bounce.linkedin.com"
    mail.mid_host = "lva1-app3333.prod.linkedin.com"
    return box.add(mail)
