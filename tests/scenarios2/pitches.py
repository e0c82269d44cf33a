"""Scenarios of cold outreach: sequencer campaigns, rotating senders, declines, engagement, post-connection pitches."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

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


def run_sequence(
    box: Box,
    sid: str,
    kind: str,
    senders: list[Person],
    to: Person,
    start: date,
    cadence: list[int],
    vertical: str,
    st: Style,
    template_seed: int | None = None,
    linkedin: bool = False,
    prior: list[Mail] | None = None,
) -> list[Mail]:
    """One recipient's touches of a campaign (after the prior ones, if any); senders rotate when there are several."""
    lang = senders[0].language
    sent: list[Mail] = list(prior or [])
    first_subject = sent[0].subject if sent else ""
    for step, offset in enumerate(cadence, start=len(sent)):
        day = timeline.business_days_after(start, offset)
        if (day - timeline.START).days >= box.days:
            break
        sender = senders[step % len(senders)]
        ctx = box.ctx(
            sender, to, booking=box.booking(senders[0]) if template_seed is not None else box.booking(sender)
        )
        trng = random.Random(template_seed * 97 + step) if template_seed is not None else box.rng
        when = box.at(day, sender)
        if step == 0:
            subject, text = compose.pitch_first(trng, lang, vertical, ctx, linkedin=linkedin)
            first_subject = subject
            mail = Mail(sender, [to], subject, text, when, kind, "pitch_first", sid, lang)
        else:
            last = step == len(cadence) + len(prior or []) - 1
            cal = not last and trng.random() < 0.08
            text = (
                compose.calendar_push(trng, lang, ctx)
                if cal
                else compose.pitch_followup(trng, lang, vertical, ctx, last)
            )
            threaded = st.threaded > 0.35 and sent
            subject = (
                pick(trng, lang, "re") + first_subject if threaded else fill(trng, lang, "fu_subject", ctx)
            )
            mail = Mail(sender, [to], subject, text, when, kind, "pitch_followup", sid, lang)
            if threaded:
                mail.in_reply_to = sent[-1]
                mail.quote = trng.random() < 0.6
            if cal:
                mail.calendar = calendar_part(box, sender, to, day + timedelta(days=3), first_subject)
        sent.append(box.add(dress(box, mail, st)))
    return sent[len(prior or []) :]


def sequence(box: Box, lang: str) -> None:
    """A sequencer campaign from one pitcher to one to three users."""
    sender = box.strangers.worker(lang)
    st, vertical = style(box, sender), box.rng.choice(compose.VERTICALS)
    start = box.day(margin=10)
    cadence = box.rng.choice(CADENCES)
    for to in targets(box, lang, box.rng.choice([1, 1, 1, 2, 3])):
        run_sequence(
            box,
            box.sid("sequence"),
            "sequence",
            [sender],
            to,
            start + timedelta(days=box.rng.randrange(3)),
            cadence,
            vertical,
            st,
        )


def rotating(box: Box, lang: str) -> None:
    """One campaign writing from several addresses and domains, with the same template, signature and booking link."""
    org, domain = box.strangers.firm(lang)
    stem = domain.split(".", 1)[0]
    tld = domain.split(".", 1)[1]
    domains = [domain, f"get{stem}.{tld}", f"{stem}-mail.com", f"try{stem}.io"][: box.rng.choice([2, 3, 4])]
    senders = [
        box.strangers.at(box.strangers.name(lang), box.rng.choice(domains), lang, org)
        for _ in range(box.rng.choice([3, 4, 5]))
    ]
    signer = senders[0]
    senders = [Person(p.name, p.address, lang, org) for p in senders]
    st = style(box, signer)
    st.track_host = f"t.{slug(stem)}-links.com"
    vertical, seed = box.rng.choice(compose.VERTICALS), box.rng.randrange(1 << 30)
    cadence = box.rng.choice(CADENCES[:4])
    for to in targets(box, lang, box.rng.choice([2, 3, 4])):
        order = senders[:]
        box.rng.shuffle(order)
        run_sequence(
            box,
            box.sid("rotating"),
            "rotating_sender",
            order,
            to,
            box.day(margin=10),
            cadence,
            vertical,
            st,
            template_seed=seed,
        )


def declined(box: Box, lang: str) -> None:
    """The user says no after a touch or two; the sequence carries on (still pitches)."""
    sender, to = box.strangers.worker(lang), targets(box, lang, 1)[0]
    st, vertical = style(box, sender), box.rng.choice(compose.VERTICALS)
    sid = box.sid("declined")
    start = box.day(margin=25)
    cadence = box.rng.choice([c for c in CADENCES if len(c) >= 4])
    cut = box.rng.choice([1, 2])
    sent = run_sequence(box, sid, "declined_then_more", [sender], to, start, cadence[:cut], vertical, st)
    last = sent[-1]
    no = Mail(
        to,
        [sender],
        pick(box.rng, to.language, "re") + sent[0].subject,
        compose.reply(box.rng, to.language, "r_decline", box.ctx(to, sender)),
        timeline.later(box.rng, last.when, to.language, 1, 30),
        "decline_reply",
        "wanted",
        sid,
        to.language,
        in_reply_to=last,
    )
    box.add(no)
    rest_start = no.when.date() + timedelta(days=box.rng.choice([1, 2, 4]))
    more = sorted({0} | {c - cadence[cut] + box.rng.randrange(2) for c in cadence[cut + 1 :]})
    for mail in run_sequence(
        box, sid, "declined_then_more", [sender], to, rest_start, more, vertical, st, prior=sent
    ):
        if box.rng.random() < 0.4:
            mail.in_reply_to, mail.subject = no, pick(box.rng, lang, "re") + sent[0].subject


def engaged(box: Box, lang: str) -> None:
    """The user answers a pitch with interest: from then on the counterpart is wanted, nudges included."""
    sender, to = box.strangers.worker(lang), targets(box, lang, 1)[0]
    st, sid = style(box, sender), box.sid("engaged")
    first = run_sequence(
        box,
        sid,
        "engaged_pitch",
        [sender],
        to,
        box.day(margin=20),
        [0],
        box.rng.choice(compose.VERTICALS),
        st,
    )[0]
    re_ = pick(box.rng, lang, "re")
    yes = box.add(
        Mail(
            to,
            [sender],
            re_ + first.subject,
            compose.reply(box.rng, to.language, "r_engage", box.ctx(to, sender)),
            timeline.later(box.rng, first.when, to.language, 2, 48),
            "engage_reply",
            "wanted",
            sid,
            to.language,
            in_reply_to=first,
        )
    )
    answer = box.add(
        Mail(
            sender,
            [to],
            re_ + first.subject,
            compose.reply(box.rng, lang, "e_reply", box.ctx(sender, to), greet=True),
            timeline.later(box.rng, yes.when, lang, 1, 20),
            "engaged_pitch",
            "wanted",
            sid,
            lang,
            in_reply_to=yes,
        )
    )
    previous = answer
    for _ in range(box.rng.choice([1, 2])):
        nudge = Mail(
            sender,
            [to],
            re_ + first.subject,
            compose.reply(box.rng, lang, "e_nudge", box.ctx(sender, to), greet=True),
            timeline.later(box.rng, previous.when, lang, 70, 170),
            "engaged_pitch",
            "wanted",
            sid,
            lang,
            in_reply_to=previous,
        )
        previous = box.add(dress(box, nudge, st))


def linkedin_pitch(box: Box, lang: str) -> None:
    """The post-connection hard sell: the invitation is accepted, and the pitch follows within hours."""
    sender, to = box.strangers.worker(lang), targets(box, lang, 1)[0]
    sid = box.sid("linkedin")
    accepted = notification(box, sid, sender, to, box.day(margin=15))
    start = (accepted.when + timedelta(hours=box.rng.uniform(1, 30))).date()
    run_sequence(
        box,
        sid,
        "linkedin_pitch",
        [sender],
        to,
        start,
        box.rng.choice(CADENCES),
        box.rng.choice(compose.VERTICALS),
        style(box, sender),
        linkedin=True,
    )


def one_off(box: Box, lang: str) -> None:
    """A single cold pitch, sometimes sent to a hidden list (To: undisclosed-recipients)."""
    sender, to = box.strangers.worker(lang), targets(box, lang, 1)[0]
    mail = run_sequence(
        box,
        box.sid("oneoff"),
        "one_off_pitch",
        [sender],
        to,
        box.day(),
        [0],
        box.rng.choice(compose.VERTICALS),
        style(box, sender),
    )
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
