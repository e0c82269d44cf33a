"""The consent ledger: outbound mail makes its recipients wanted; replies to our own mail are wanted.

`learn` records, for each local sender, the Message-IDs it sent (with whom each went to) and the
addresses and organisations it wrote to. `check` answers whether an inbound message continues one of
those conversations, and flags replies that pretend to (a `Re:` subject or an In-Reply-To that points
at nothing the recipient ever saw).

Consent is only ever given to a proven identity (gateway/core/identity.py: From aligned with the envelope
or a verified DKIM d=), and a reply is ours only when the message it answers went to that identity
(its address, or its organisation): replying to a public list post earns a stranger nothing. Mail a
machine wrote for the recipient (out-of-office, bounces, any Auto-Submitted) records no consent, and
nor does a reply that declines ("not interested", in five languages: gateway/core/signals/answer.py).
"""

from __future__ import annotations

import email.utils
import re
from typing import TYPE_CHECKING, ClassVar

from gateway.core.domains import org_domain, trusted_as_whole
from gateway.core.identity import AuthOptions, Identity, identity
from gateway.core.linkedin_mail import linkable, normalize_name
from gateway.core.message import Direction, Message, domain_of, is_local
from gateway.core.signals.answer import DECLINED, ReplyKind, reply_kind
from gateway.core.signals.base import Hit, SignalContext
from gateway.store.base import Store

if TYPE_CHECKING:
    from gateway.core.policy import Verdict

_RE_SUBJECT = re.compile(r"^\s*(re|aw|sv|antw|réf|ref)\s*(\[\d+\])?\s*:", re.IGNORECASE)
DAY = 86400.0
# Enough for any real conversation; a message to hundreds (an announcement) is no one-to-one thread.
_MAX_SENT_TO = 50


def went_to(sent_to: str, who: str) -> bool:
    """The recorded recipients of one of our messages include `who`, or someone of its organisation."""
    recipients = sent_to.split()
    if who in recipients:
        return True
    org = org_domain(domain_of(who))
    return trusted_as_whole(org) and any(org_domain(domain_of(r)) == org for r in recipients)


async def consent(store: Store, rcpt: str, who: Identity, ids: list[str], now: float) -> Hit | None:
    """Why `rcpt` wants this sender, from the recipient's own mail, or None: the one consent rule.

    The cadence signal asks it too, so that a conversation the recipient started never escalates. A
    "no" the recipient sent this address later than anything else they wrote to it cancels consent:
    declining a pitcher does not make them wanted. Every mark is read in one store call.
    """
    if not who.aligned:
        return None  # nothing proves who wrote it: a typed From is no one the recipient knows
    domain = domain_of(who.address)
    org = org_domain(domain)
    # Marks written before organisations were used hold the full domain; both keys are asked.
    orgs = list(dict.fromkeys((org, domain))) if trusted_as_whole(org) else []
    items = [("wrote", who.address), (DECLINED, who.address)]
    items += [("msgid", mid) for mid in ids] + [("wrote_domain", key) for key in orgs]
    wrote, declined, *rest = await store.marks_get_many(rcpt, items, now)
    if declined is not None and _number(wrote) <= _number(declined):
        return None
    for mid, sent_to in zip(ids, rest, strict=False):
        if sent_to is not None and went_to(sent_to, who.address):
            return Hit("REPLY_TO_OURS", 1.0, f"answers {mid} that {rcpt} sent to {who.address}")
    if wrote is not None:
        return Hit("CONSENT_WROTE_FIRST", 1.0, f"{rcpt} wrote to {who.address} before ({who.how})")
    if any(rest[len(ids) :]):
        return Hit("CONSENT_WROTE_DOMAIN", 1.0, f"{rcpt} wrote to someone at {org} before")
    return None


def _number(value: str | None) -> float:
    try:
        return float(value) if value else float("-inf")
    except ValueError:
        return float("-inf")


async def fake_reply(store: Store, rcpts: list[str], msg: Message, ids: list[str], now: float) -> str:
    """Why the message only pretends to continue a conversation, or "" when it does not pretend."""
    if msg.list_id:
        return ""  # a list reply threads on posts the recipient may never have received; no pretence
    if ids:
        for rcpt, mid in ((r, m) for r in rcpts for m in ids):
            if await store.mark_get(rcpt, "seen", mid, now) is not None:
                return ""
        return "In-Reply-To/References point at nothing the recipient saw"
    if _RE_SUBJECT.match(msg.subject):
        return f"reply subject with no thread: {msg.subject[:60]!r}"
    return ""


def thread_ids(msg: Message) -> list[str]:
    """The Message-IDs a message says it answers, In-Reply-To first."""
    return list(dict.fromkeys(msg.in_reply_to + msg.references))


class Replies:
    """Emits REPLY_TO_OURS, CONSENT_WROTE_FIRST, CONSENT_WROTE_DOMAIN, FAKE_REPLY."""

    name: ClassVar[str] = "replies"
    symbols: ClassVar[dict[str, float]] = {
        "REPLY_TO_OURS": -8.0,
        "CONSENT_WROTE_FIRST": -6.0,
        "CONSENT_WROTE_DOMAIN": -3.0,
        "FAKE_REPLY": 2.5,
    }
    reasons: ClassVar[dict[str, str]] = {
        "REPLY_TO_OURS": "answers a message you sent",
        "CONSENT_WROTE_FIRST": "you have written to this sender before",
        "CONSENT_WROTE_DOMAIN": "you have written to someone at their organisation before",
        "FAKE_REPLY": "pretends to answer a message you never sent",
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx
        self._ttl = float(ctx.options.get("consent_ttl_days", 365)) * DAY
        self._auth = AuthOptions.from_options(ctx.options)

    def _local_recipients(self, msg: Message) -> list[str]:
        domains = self._ctx.local_domains
        return [r for r in msg.recipients if not domains or is_local(r, domains)]

    async def check(self, msg: Message) -> list[Hit]:
        if msg.envelope.direction is not Direction.INBOUND:
            return []
        now = self._ctx.clock.now()
        ids = thread_ids(msg)
        rcpts = self._local_recipients(msg)
        who = await identity(msg, self._auth)
        for rcpt in rcpts:
            hit = await consent(self._ctx.store, rcpt, who, ids, now)
            if hit:
                return [hit]
        # A thread is genuine if any recipient of the transaction saw what it answers: a partner replying
        # to Carol and Bob continues Carol's thread for Bob's copy too. Consent above stays per recipient.
        domains = self._ctx.local_domains
        cohort = [r for r in msg.cohort if not domains or is_local(r, domains)]
        return await self._fake_reply(msg, cohort, ids, now)

    async def _fake_reply(self, msg: Message, rcpts: list[str], ids: list[str], now: float) -> list[Hit]:
        why = await fake_reply(self._ctx.store, rcpts, msg, ids, now)
        return [Hit("FAKE_REPLY", 1.0, why)] if why else []

    async def learn(self, msg: Message, verdict: Verdict) -> None:
        if msg.envelope.direction is Direction.INBOUND:
            await self._remember_inbound(msg)
            return
        await self._remember_outbound(msg)

    async def _remember_inbound(self, msg: Message) -> None:
        # Received ids make a later In-Reply-To genuine, but they are not consent: a pitcher threads onto
        # its own earlier pitch, so "seen" is kept apart from "msgid" (what the recipient sent).
        if not msg.message_id:
            return
        now = self._ctx.clock.now()
        for rcpt in self._local_recipients(msg):
            await self._ctx.store.mark_set(rcpt, "seen", msg.message_id, "in", now, self._ttl)

    async def _remember_outbound(self, msg: Message) -> None:
        store, now, ttl = self._ctx.store, self._ctx.clock.now(), self._ttl
        me = msg.sender
        if msg.message_id:
            # "seen" even for an auto-reply: a later In-Reply-To to it is a real thread, if no consent.
            await store.mark_set(me, "seen", msg.message_id, "out", now, ttl)
        if msg.automatic:
            return  # an out-of-office reply or a bounce is not the recipient writing to anyone
        if reply_kind(msg) is ReplyKind.DECLINE:
            # "Not interested" is no consent and answers no sequence: the cadence signal escalates
            # whatever the decliner is sent next.
            for rcpt in msg.recipients:
                await store.mark_set(me, DECLINED, rcpt, f"{now:.3f}", now, ttl)
            return
        if msg.message_id:
            sent_to = " ".join(dict.fromkeys(msg.recipients[:_MAX_SENT_TO]))
            await store.mark_set(me, "msgid", msg.message_id, sent_to, now, ttl)
        for rcpt in msg.recipients:
            if is_local(rcpt, self._ctx.local_domains) and rcpt == me:
                continue
            await store.mark_set(me, "wrote", rcpt, str(now), now, ttl)
            org = org_domain(domain_of(rcpt))
            if trusted_as_whole(org):
                await store.mark_set(me, "wrote_domain", org, str(now), now, ttl)
            await store.sequence_answer(me, rcpt, now, ttl)
        # Names too, so that the same person writing later through LinkedIn is recognised (the
        # linkedin signal reads "wrote_name", and only for mail LinkedIn provably sent).
        for name, _ in email.utils.getaddresses(msg.headers("To") + msg.headers("Cc")):
            key = normalize_name(name)
            if linkable(key):
                await store.mark_set(me, "wrote_name", key, str(now), now, ttl)
