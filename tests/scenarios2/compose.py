"""Composing message texts from phrase slots: cold pitches, their follow-ups and the other kinds of mail."""

from __future__ import annotations

import html
import random
import re

from tests.scenarios2.phrases import fill

VERTICALS = ("leadgen", "devshop", "seo", "recruiting", "supplies", "saas")
# Where a letter's first paragraph after the greeting starts with a capital (German and Dutch continue lower case).
_CAPITALISED = {"en", "fr", "es"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def polish(language: str, paragraphs: list[str], greeted: bool) -> str:
    """Join paragraphs into a letter, with the capitals the language's letter conventions want."""
    kept = [p for p in paragraphs if p]
    out = []
    for index, para in enumerate(kept):
        after_greeting = greeted and index == 1
        out.append(para if after_greeting and language not in _CAPITALISED else _cap(para))
    return "\n\n".join(out)


def pitch_first(
    rng: random.Random, lang: str, vertical: str, ctx: dict[str, str], linkedin: bool = False
) -> tuple[str, str]:
    """A first cold touch: subject and text, in one of several shapes."""
    subject = fill(rng, lang, f"subj_{vertical}", ctx)
    opener = (
        fill(rng, lang, "li_open" if linkedin else "open", ctx) if linkedin or rng.random() < 0.75 else ""
    )
    body = [fill(rng, lang, "greet", ctx), opener, fill(rng, lang, f"value_{vertical}", ctx)]
    if rng.random() < 0.5:
        body.append(fill(rng, lang, "proof", ctx))
    ask = fill(rng, lang, "cta", ctx)
    if rng.random() < 0.6:
        ask += "\n" + fill(rng, lang, "book", ctx)
    body.append(ask)
    body.append(fill(rng, lang, "sign", ctx))
    if rng.random() < 0.4:
        body.append(fill(rng, lang, "ps", ctx))
    if rng.random() < 0.3:
        body.append(fill(rng, lang, "optout", ctx))
    if rng.random() < 0.3:
        body[1:3] = [body[2], body[1]] if body[1] and not linkedin else body[1:3]
    return subject, polish(lang, body, greeted=True)


def pitch_followup(rng: random.Random, lang: str, vertical: str, ctx: dict[str, str], last: bool) -> str:
    """A later touch of a sequence: a bump, a new angle, or the break-up note."""
    greet = fill(rng, lang, "greet", ctx) if rng.random() < 0.8 else ""
    if last and rng.random() < 0.7:
        body = [greet, fill(rng, lang, "fu_break", ctx), fill(rng, lang, "sign", ctx)]
        return polish(lang, body, greeted=bool(greet))
    body = [greet, fill(rng, lang, "fu_bump", ctx)]
    if rng.random() < 0.6:
        body.append(fill(rng, lang, "fu_angle", ctx) + " " + fill(rng, lang, f"value_{vertical}", ctx))
    ask = fill(rng, lang, "fu_cta", ctx)
    if rng.random() < 0.4:
        ask += "\n" + fill(rng, lang, "book", ctx)
    body += [ask, fill(rng, lang, "sign", ctx)]
    return polish(lang, body, greeted=bool(greet))


def resend(
    rng: random.Random, lang: str, ctx: dict[str, str], author: str, date: str, subject: str, text: str
) -> str:
    """A follow-up that forwards the first pitch again under a line of its own."""
    greet = fill(rng, lang, "greet", ctx) if rng.random() < 0.6 else ""
    top = polish(
        lang, [greet, fill(rng, lang, "fu_resend", ctx), fill(rng, lang, "sign", ctx)], greeted=bool(greet)
    )
    head = "\n".join(
        [fill(rng, lang, "fwd_head", ctx), f"From: {author}", f"Date: {date}", f"Subject: {subject}"]
    )
    return f"{top}\n\n{head}\n\n{text}"


def calendar_push(rng: random.Random, lang: str, ctx: dict[str, str]) -> str:
    """A sequencer's touch that books a slot in the recipient's calendar uninvited."""
    greet = fill(rng, lang, "greet", ctx)
    body = [
        greet,
        fill(rng, lang, "fu_calendar", ctx),
        fill(rng, lang, "book", ctx),
        fill(rng, lang, "sign", ctx),
    ]
    return polish(lang, body, greeted=True)


def reply(rng: random.Random, lang: str, slot: str, ctx: dict[str, str], greet: bool = False) -> str:
    """A short reply in one slot's words, signed with the user's own sign-off."""
    first = fill(rng, lang, slot, ctx)
    parts = [fill(rng, lang, "greet", ctx)] if greet else []
    return polish(lang, [*parts, first, fill(rng, lang, "sign_user", ctx)], greeted=greet)


def letter(rng: random.Random, lang: str, slot: str, ctx: dict[str, str]) -> str:
    """A whole message from one slot (the slot's alternatives are complete letters)."""
    return fill(rng, lang, slot, ctx)


_URL = re.compile(r"https?://\S+")


def sequencer_html(text: str, track_host: str, token: str, pixel: bool) -> str:
    """The HTML part a sales-engagement tool sends: plain paragraphs, links through its redirect, an open pixel."""

    def link(match: re.Match[str]) -> str:
        url = match.group(0)
        return f'<a href="https://{track_host}/c/{token}?u={html.escape(url)}">{html.escape(url)}</a>'

    paras = []
    for para in text.split("\n\n"):
        escaped = html.escape(para)
        paras.append("<p>" + _URL.sub(link, escaped).replace("\n", "<br>") + "</p>")
    if pixel:
        paras.append(
            f'<img src="https://{track_host}/o/{token}.gif" width="1" height="1" alt="" style="display:none">'
        )
    return (
        '<html><body><div style="font-family:Arial,sans-serif;font-size:14px">'
        + "".join(paras)
        + "</div></body></html>"
    )


def template_html(title: str, paragraphs: list[str], footer: str, brand: str, pixel_url: str) -> str:
    """A bulk sender's templated HTML: a table layout, a header with the brand, a footer and an open pixel."""
    rows = "".join(
        f'<tr><td style="padding:12px 24px;font-size:15px">{html.escape(p)}</td></tr>' for p in paragraphs
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + html.escape(title) + "</title></head>"
        '<body style="margin:0;background:#f4f4f4"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">'
        f'<tr><td align="center" style="background:#1b3a5c;color:#fff;padding:20px;font-size:22px">{html.escape(brand)}</td></tr>'
        f"{rows}"
        f'<tr><td style="padding:16px 24px;font-size:11px;color:#888">{html.escape(footer)}</td></tr>'
        f'</table><img src="{html.escape(pixel_url)}" width="1" height="1" alt=""></body></html>'
    )
