"""The daily digest: one mail per recipient listing their held messages, with signed one-click links.

`compose` is pure (records and links in, an EmailMessage out); `Digester` gathers the records, signs
the links and sends each digest straight to the upstream with `Relay.deliver`, never through the
gateway's own front, so a digest can never be judged or held. In an after-queue Postfix setup the
upstream is the listener without a content filter, so the digest bypasses the filter there too.

Messages from senders the recipient blocked are left out: "stop this sender" means the recipient does
not want to hear about them again. A sequence (gateway/actions/sequences.py) is one entry: the sender's
display name and address, how many messages and since when, the top reason in words, a one-line preview
of the sender's own text, and the one-click actions on its latest message.

A digest stays under `SIZE_BUDGET` bytes whatever the held mail says: Subject and sender are clipped
(gateway/display.py) and entries that do not fit are counted as "and N more", so that a hostile Subject
can never push a recipient's digest over the upstream's message size limit.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from functools import cache
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from gateway.actions.links import LinkAction, LinkSigner, action_url, review_url
from gateway.actions.relay import Relay, Reply
from gateway.actions.sequences import group, plural
from gateway.core.message import Message, domain_of
from gateway.core.policy import candidates
from gateway.core.reasons import top_reason
from gateway.display import clip, clip_address, clip_subject
from gateway.errors import ConfigError
from gateway.metrics import Metrics
from gateway.settings import Settings, parse_hostport
from gateway.store.base import ListKind, QuarantineRecord, Store

log = logging.getLogger(__name__)

MAX_ENTRIES = 100
"""Entries (sequences) listed in one digest; the rest are counted and left to the review page."""
PREVIEW_CHARS = 140
NAME_CHARS = 80
DIGEST_HEADER = "X-Pitchgate-Digest"
SIZE_BUDGET = 512 * 1024
"""Bytes one digest may take on the wire: far below Postfix's default message_size_limit (10 MB)."""


class DigestError(ConfigError):
    """The digest cannot be sent as configured (no signed links, no sender address)."""


@dataclass(frozen=True)
class Entry:
    """One sequence: its latest message (which the links act on) and what the reader needs to decide."""

    record: QuarantineRecord
    release_url: str
    """Release and trust the sender (LinkAction.RELEASE)."""
    block_url: str
    release_once_url: str
    display_name: str = ""
    preview: str = ""
    """The start of the sender's own words (quoted history and signatures left out), on one line."""
    count: int = 1
    """Held messages in the sequence."""
    first_at: float | None = None


def about(raw: bytes) -> tuple[str, str]:
    """The From header's display name ("" when there is none) and the preview, each clipped to one line."""
    msg = Message.from_bytes(raw)
    name, _ = parseaddr(msg.header("From"))
    text = (msg.author_text or msg.text)[: 8 * PREVIEW_CHARS]  # bounded work whatever the size
    return clip(" ".join(name.split()), NAME_CHARS), clip(" ".join(text.split()), PREVIEW_CHARS)


@dataclass(frozen=True)
class Digest:
    """Everything one recipient's digest says."""

    recipient: str
    sender: str
    subject: str
    review_url: str
    entries: list[Entry]
    more: int = 0
    retention_days: float = 30.0
    link_days: float = 7.0


@dataclass
class Report:
    """What one run did: digests sent and failed, and how many held messages they listed."""

    sent: int = 0
    failed: int = 0
    listed: int = 0
    failures: list[tuple[str, Reply]] = field(default_factory=list)


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("gateway.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def plural_days(days: float) -> str:
    return f"{days:g} day" if days == 1 else f"{days:g} days"


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M %Z")


def compose(digest: Digest, now: float) -> EmailMessage:
    """The digest mail: a plain-text part and an HTML part (escaped, no remote resources)."""
    entries = [
        {
            "name": e.display_name,
            "sender": clip_address(e.record.sender) or "(no sender)",
            "subject": clip_subject(e.record.subject) or "(no subject)",
            "when": _when(e.record.received_at),
            "since": _when(e.first_at) if e.count > 1 and e.first_at is not None else "",
            "messages": plural(e.count, "message"),
            "count": e.count,
            "reason": top_reason(e.record),
            "preview": e.preview,
            "score": f"{e.record.score:g}",
            "release_url": e.release_url,
            "release_once_url": e.release_once_url,
            "block_url": e.block_url,
        }
        for e in digest.entries
    ]
    held = sum(e.count for e in digest.entries) + digest.more
    context = {
        "recipient": digest.recipient,
        "subject": digest.subject,
        "review_url": digest.review_url,
        "entries": entries,
        "count": held,
        "messages": plural(held, "message"),
        "more": digest.more,
        "more_messages": plural(digest.more, "more message"),
        "retention": plural_days(digest.retention_days),
        "links_last": plural_days(digest.link_days),
    }
    msg = EmailMessage()
    msg["From"] = digest.sender
    msg["To"] = digest.recipient
    msg["Subject"] = digest.subject
    msg["Date"] = formatdate(now, localtime=True)
    msg["Message-ID"] = make_msgid("digest", domain=domain_of(digest.sender) or None)
    msg[DIGEST_HEADER] = "1"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(_templates().get_template("digest.txt").render(context))
    msg.add_alternative(_templates().get_template("digest.html").render(context), subtype="html")
    return msg


def fit(digest: Digest, now: float, budget: int = SIZE_BUDGET) -> bytes:
    """The digest on the wire, with as many entries as fit in `budget` bytes; the rest become "more"."""
    while True:
        raw = compose(digest, now).as_bytes(policy=policy.SMTP)
        if len(raw) <= budget or not digest.entries:
            return raw
        # Entries are about equally large once clipped: drop the share that overflows, at least one.
        keep = min(len(digest.entries) - 1, len(digest.entries) * budget // len(raw))
        dropped = sum(e.count for e in digest.entries[keep:])
        digest = replace(digest, entries=digest.entries[:keep], more=digest.more + dropped)


def digest_sender(settings: Settings) -> str:
    """The digest's From address, once the settings are known to allow a digest; else DigestError."""
    web = settings.web
    if not web.link_secret.get_secret_value() or not web.base_url:
        raise DigestError(
            "the digest needs signed links: set web.link_secret and web.base_url "
            "(PITCHGATE_WEB__LINK_SECRET, PITCHGATE_WEB__BASE_URL)"
        )
    _check_reachable_links(settings)
    domains = settings.server.local_domains
    sender = settings.digest.sender or (f"postmaster@{domains[0]}" if domains else "")
    if not sender:
        raise DigestError("the digest needs a sender: set digest.sender or server.local_domains")
    return sender


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name, or "" (all interfaces)


def _check_reachable_links(settings: Settings) -> None:
    """Digest links pointing at 127.0.0.1 work only on this machine; a gateway that listens for others
    would mail everyone links that cannot open, so the start is refused instead."""
    if not settings.digest.enabled:
        return
    base_host = urlsplit(settings.web.base_url).hostname or ""
    if not _is_loopback(base_host):
        return
    listeners = [("server.listen", settings.server.listen)]
    if settings.web.listen:
        listeners.append(("web.listen", settings.web.listen))
    for key, value in listeners:
        if not _is_loopback(parse_hostport(value)[0]):
            raise DigestError(
                f"web.base_url {settings.web.base_url} is a loopback address, but {key} is {value}: digest "
                "links would not open for anyone else; set web.base_url (PITCHGATE_WEB__BASE_URL) to the "
                "review page's public URL"
            )


class Digester:
    """Builds and sends the digests of everyone with held messages (or of one recipient)."""

    def __init__(
        self,
        store: Store,
        relay: Relay,
        metrics: Metrics,
        signer: LinkSigner,
        *,
        base_url: str,
        sender: str,
        subject: str,
        retention_days: float,
        link_days: float,
    ) -> None:
        self._store = store
        self._relay = relay
        self._metrics = metrics
        self._signer = signer
        self._base_url = base_url
        self._sender = sender
        self._subject = subject
        self._retention_days = retention_days
        self._link_days = link_days

    @classmethod
    def from_settings(cls, settings: Settings, store: Store, relay: Relay, metrics: Metrics) -> Digester:
        """Raises DigestError when links or the sender address are not configured: links are the point."""
        web = settings.web
        return cls(
            store,
            relay,
            metrics,
            LinkSigner.from_settings(web),
            base_url=web.base_url,
            sender=digest_sender(settings),
            subject=settings.digest.subject,
            retention_days=settings.quarantine.retention_days,
            link_days=web.link_ttl_days,
        )

    async def held_by_recipient(self, recipient: str | None = None) -> dict[str, list[QuarantineRecord]]:
        """Each recipient's held messages, newest first, leaving out senders they stopped themselves.

        Only the recipient's own block list counts ("stop this sender" writes there); mail held by an
        admin's global block is still listed, since the recipient never chose to stop hearing of it."""
        wanted = recipient.lower() if recipient else None
        grouped: dict[str, list[QuarantineRecord]] = defaultdict(list)
        # A sender's follow-ups are held side by side: ask the block list once per recipient and sender.
        stopped: dict[tuple[str, str], bool] = {}
        for record in await self._store.quarantine_list(wanted):
            for rcpt in record.recipients:
                if wanted is not None and rcpt != wanted:
                    continue
                pair = (rcpt, record.sender)
                if pair not in stopped:
                    stopped[pair] = await self._stopped(*pair)
                if not stopped[pair]:
                    grouped[rcpt].append(record)
        return dict(grouped)

    async def _stopped(self, rcpt: str, sender: str) -> bool:
        entries = candidates(sender) if sender else []
        return bool(entries) and await self._store.list_contains(ListKind.BLOCK, rcpt, entries) is not None

    async def originals(self, recipient: str, records: list[QuarantineRecord]) -> dict[str, bytes]:
        """The held bytes of each listed sequence's latest message (its display name and preview)."""
        found: dict[str, bytes] = {}
        for g in group(records, recipient)[:MAX_ENTRIES]:
            held = await self._store.quarantine_get(g.latest.id)
            if held is not None:
                found[g.latest.id] = held[1]
        return found

    def digest_for(
        self,
        recipient: str,
        records: list[QuarantineRecord],
        now: float,
        originals: Mapping[str, bytes] | None = None,
    ) -> Digest:
        """One entry per sequence, newest first; the first MAX_ENTRIES are listed, the rest counted.
        `originals` (from `originals()`) gives the entries their display names and previews."""

        def link(action: LinkAction, qid: str) -> str:
            return action_url(self._base_url, self._signer.sign(recipient, action, now, qid))

        groups = group(records, recipient)
        entries = []
        for g in groups[:MAX_ENTRIES]:
            latest = g.latest
            raw = (originals or {}).get(latest.id)
            name, text = about(raw) if raw else ("", "")
            entries.append(
                Entry(
                    latest,
                    link(LinkAction.RELEASE, latest.id),
                    link(LinkAction.BLOCK, latest.id),
                    link(LinkAction.RELEASE_ONCE, latest.id),
                    display_name=name,
                    preview=text,
                    count=len(g.records),
                    first_at=g.first_at,
                )
            )
        subject = self._subject.replace("{count}", str(len(records)))
        return Digest(
            recipient=recipient,
            sender=self._sender,
            subject=subject.replace("{messages}", plural(len(records), "message")),
            review_url=review_url(self._base_url, self._signer.sign(recipient, LinkAction.VIEW, now)),
            entries=entries,
            more=sum(len(g.records) for g in groups[MAX_ENTRIES:]),
            retention_days=self._retention_days,
            link_days=self._link_days,
        )

    async def send(self, now: float, recipient: str | None = None) -> Report:
        """Send every due digest; one recipient's failure does not stop the others."""
        report = Report()
        for rcpt, records in sorted((await self.held_by_recipient(recipient)).items()):
            raw = fit(self.digest_for(rcpt, records, now, await self.originals(rcpt, records)), now)
            reply = await self._relay.deliver(self._sender, [rcpt], raw)
            if reply.ok:
                report.sent += 1
                report.listed += len(records)
            else:
                report.failed += 1
                report.failures.append((rcpt, reply))
                log.warning("digest for %s not delivered: %s", rcpt, reply)
            self._metrics.digests.labels("sent" if reply.ok else "failed").inc()
        return report
