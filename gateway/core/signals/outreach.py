"""Fingerprints of sales-engagement tools: their headers and hosts, open pixels, tracked links, booking links.

A sequence tool dresses a mass mailing as a personal note, but leaves traces: its own headers, Message-ID
or bounce domains, open-tracking pixels and redirecting links on its hosts, a calendar booking link, and
"Sent from my iPhone" under an HTML template no phone wrote. Generic tracking only counts on mail that
poses as personal (not bulk: gateway/core/signals/bulk.py): subscribed newsletters track too, and say so;
a sequencer's List-Unsubscribe on one-to-one mail does not hide its pixel.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from gateway.core.message import Message, domain_of
from gateway.core.signals.base import Hit, SignalContext, Stateless
from gateway.core.signals.bulk import bulk_reason

# Domains that belong to sales-engagement / sequencing tools and their tracking services.
TOOL_DOMAINS: dict[str, str] = {
    "lemlist.com": "lemlist",
    "lemlist.io": "lemlist",
    "apollo.io": "Apollo",
    "outreach.io": "Outreach",
    "outrch.com": "Outreach",
    "getoutreach.com": "Outreach",
    "reply.io": "Reply.io",
    "instantly.ai": "Instantly",
    "woodpecker.co": "Woodpecker",
    "mailshake.com": "Mailshake",
    "salesloft.com": "Salesloft",
    "yesware.com": "Yesware",
    "mixmax.com": "Mixmax",
    "smartlead.ai": "Smartlead",
    "saleshandy.com": "SalesHandy",
    "klenty.com": "Klenty",
    "quickmail.io": "QuickMail",
    "snov.io": "Snov.io",
    "gmass.co": "GMass",
    "gmtrack.net": "GMass",
    "mailtrack.io": "Mailtrack",
    "mltrk.io": "Mailtrack",
    "toutapp.com": "ToutApp",
    "mailfoogae.appspot.com": "Streak",
    "cirrusinsight.com": "Cirrus Insight",
    "bl-1.com": "Bananatag",
    "mailstat.us": "Boomerang",
    "getsidekick.com": "HubSpot Sales",
    "hubspotlinks.com": "HubSpot",
    "hubspotemail.net": "HubSpot",
    "close.io": "Close",
    "prosperworks.com": "Copper",
    "contactmonkey.com": "ContactMonkey",
    "yamm-track.appspot.com": "YAMM",
}
# HubSpot Sales open-tracking hosts rotate through numbered domains (t.sidekickopen87.com, t.senaluno.com).
_TOOL_HOST = re.compile(r"^t\.(?:sidekickopen|sigopn|senal|signaux|signale|hsmsdd|strk)\w*\.", re.IGNORECASE)
_TOOL_PATH = re.compile(r"/e2t/(?:o|c|to)/|/api/mailings/opened|/email_trackers|/api/track/", re.IGNORECASE)
_TOOL_NAMES = (
    r"lemlist|apollo|outreach|reply[.-]?io|instantly|woodpecker|mailshake|salesloft|yesware|mixmax|smartlead|"
    r"saleshandy|klenty|quickmail|snov|gmass|mailmeteor|hubspot|sidekick|toutapp|persistiq|replyapp|"
    r"lagrowthmachine|expandi|waalaxy|mailtrack"
)
_TOOL_HEADER_NAME = re.compile(rf"^x-(?:{_TOOL_NAMES})", re.IGNORECASE)
_TOOL_IN_VALUE = re.compile(rf"\b(?:{_TOOL_NAMES})\b", re.IGNORECASE)

BOOKING_HOSTS = (
    "calendly.com",
    "cal.com",
    "savvycal.com",
    "chilipiper.com",
    "zcal.co",
    "tidycal.com",
    "youcanbook.me",
    "acuityscheduling.com",
    "oncehub.com",
    "koalendar.com",
    "harmonizely.com",
    "calendar.app.google",
    "appt.link",
    "vyte.in",
)
_BOOKING_PATH = re.compile(
    r"^(?:meetings(?:-\w+)?\.hubspot\.com/|calendar\.google\.com/calendar/(?:u/\d+/)?appointments|"
    r"outlook\.office365\.com/(?:owa/calendar/.*/bookings|book/)|app\.reclaim\.ai/m/|doodle\.com/(?:mm|bp)/)",
    re.IGNORECASE,
)
_PIXEL_PATH = re.compile(
    r"/(?:open|pixel|beacon)(?:[/.?]|$)|/wf/open|/track/open|/e/o/|open\.gif|pixel\.(?:gif|png)",
    re.IGNORECASE,
)
_REDIRECT = re.compile(
    r"[?&](?:url|u|redirect|redirect_to|r|target|dest|destination|link|to)=(?:https?%3A|https?://)", re.I
)
_PHONE = re.compile(
    r"^\s*sent\s+from\s+my\s+(?:iphone|ipad|android|samsung|galaxy|pixel|mobile(?:\s+device)?|phone|blackberry)\b",
    re.IGNORECASE | re.MULTILINE,
)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def tool_for_host(host: str) -> str:
    """The tool a host belongs to, or ""."""
    if _TOOL_HOST.match(host):
        return "HubSpot Sales"
    return next((tool for dom, tool in TOOL_DOMAINS.items() if _under(host, dom)), "")


def _is_pixel(width: str, height: str) -> bool:
    def size(value: str) -> int | None:
        digits = re.match(r"\s*(\d+)", value)
        return int(digits.group(1)) if digits else None

    w, h = size(width), size(height)
    tiny = [s for s in (w, h) if s is not None]
    return bool(tiny) and all(s <= 2 for s in tiny)


class Outreach(Stateless):
    """Emits OUTREACH_TOOL, TRACKING_PIXEL, LINK_TRACKING, BOOKING_LINK, SENT_FROM_PHONE_TEMPLATED."""

    name: ClassVar[str] = "outreach"
    symbols: ClassVar[dict[str, float]] = {
        "OUTREACH_TOOL": 3.0,
        "TRACKING_PIXEL": 1.0,
        "LINK_TRACKING": 1.0,
        "BOOKING_LINK": 1.5,
        "SENT_FROM_PHONE_TEMPLATED": 1.5,
    }
    reasons: ClassVar[dict[str, str]] = {
        "OUTREACH_TOOL": "sent with a sales-outreach tool ({evidence})",
        "TRACKING_PIXEL": "carries a hidden image that tells the sender when you open it",
        "LINK_TRACKING": "its links are rewritten to tell the sender when you click",
        "BOOKING_LINK": "asks you to book a meeting through a scheduling link",
        "SENT_FROM_PHONE_TEMPLATED": 'says "Sent from my phone" but is a designed template',
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx

    async def check(self, msg: Message) -> list[Hit]:
        if msg.linkedin is not None:
            return []  # LinkedIn's own tracking says nothing about the member; the linkedin signal rules
        hits: list[Hit] = []
        tool = _tool_headers(msg) or _tool_urls(msg)
        if tool:
            hits.append(Hit("OUTREACH_TOOL", 1.0, tool))
        personal = _personal(msg)
        pixel = _pixel(msg) if personal else ""
        if pixel:
            hits.append(Hit("TRACKING_PIXEL", 1.0, pixel))
        tracked = _tracked_link(msg) if personal else ""
        if tracked:
            hits.append(Hit("LINK_TRACKING", 1.0, tracked))
        booking = _booking(msg)
        if booking:
            hits.append(Hit("BOOKING_LINK", 1.0, booking))
        if (
            _PHONE.search(msg.text)
            and msg.html.text
            and (pixel or tracked or tool or len(msg.html.links) >= 2)
        ):
            hits.append(Hit("SENT_FROM_PHONE_TEMPLATED", 1.0, "'Sent from my phone' under templated HTML"))
        return hits


def sent_to_many(msg: Message) -> str:
    """Why the message is bulk mail (gateway/core/signals/bulk.py), or "": never mail with a sales tool's
    traces, whatever platform relays it."""
    return "" if tool_traces(msg) else bulk_reason(msg)


def _personal(msg: Message) -> bool:
    """Mail that poses as one-to-one: not bulk (a sequencer's List-Unsubscribe alone does not make it so)."""
    return not sent_to_many(msg)


def tool_traces(msg: Message) -> str:
    """A sales-engagement tool's own traces (its headers, hosts, a booking link), or ""."""
    if msg.linkedin is not None:
        return ""
    return _tool_headers(msg) or _tool_urls(msg) or _booking(msg)


def fingerprint(msg: Message) -> str:
    """The first sales-engagement fingerprint (tool, booking link, tracking pixel) a message carries, or ""."""
    if msg.linkedin is not None:
        return ""
    personal = _personal(msg)
    return _tool_headers(msg) or _tool_urls(msg) or _booking(msg) or (_pixel(msg) if personal else "")


def _tool_headers(msg: Message) -> str:
    try:
        items = list(msg.parsed.items())
    except Exception:
        return ""
    for name, value in items:
        if _TOOL_HEADER_NAME.match(name):
            return f"header {name}"
        if name.lower() in ("x-mailer", "user-agent", "x-sender-tool") and _TOOL_IN_VALUE.search(str(value)):
            return f"{name}: {str(value)[:60]}"
    for label, address in (("Message-ID", msg.message_id), ("Return-Path", msg.header("Return-Path"))):
        tool = tool_for_host(domain_of(address.strip("<> ")))
        if tool:
            return f"{tool}: {label} {address.strip()[:80]}"
    return ""


def _urls(msg: Message) -> list[str]:
    return [*msg.links, *(src for src, _, _ in msg.html.images)]


def _tool_urls(msg: Message) -> str:
    for url in _urls(msg):
        tool = tool_for_host(_host(url))
        if tool or _TOOL_PATH.search(url):
            return f"{tool or 'sales tool'} tracking: {url[:80]}"
    return ""


def _pixel(msg: Message) -> str:
    for src, width, height in msg.html.images:
        if _is_pixel(width, height):
            return f"{width or '?'}x{height or '?'} image from {_host(src) or src[:40]}"
        if _PIXEL_PATH.search(urlsplit(src).path if "://" in src else src) and not (width or height):
            return f"open-tracking image {src[:80]}"
    return ""


def _tracked_link(msg: Message) -> str:
    for url in msg.links:
        found = _REDIRECT.search(url)
        if found:
            return f"redirect via {_host(url)}: {unquote(url[found.start() + 1 :])[:70]}"
    return ""


def booking_urls(msg: Message) -> list[str]:
    """The message's calendar booking links."""
    found = []
    for url in msg.links:
        host = _host(url)
        rest = host + urlsplit(url).path if host else ""
        if any(_under(host, h) for h in BOOKING_HOSTS) or _BOOKING_PATH.match(rest):
            found.append(url)
    return found


def tracking_hosts(msg: Message) -> set[str]:
    """Hosts serving the message's open-tracking pixels and redirecting its links."""
    hosts = {_host(src) for src, width, height in msg.html.images if _is_pixel(width, height)}
    hosts |= {_host(url) for url in msg.links if _REDIRECT.search(url)}
    return hosts - {""}


def _booking(msg: Message) -> str:
    found = booking_urls(msg)
    return f"booking link {found[0][:80]}" if found else ""
