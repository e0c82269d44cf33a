"""Sequence cadence: how a counterpart's touches to one recipient pile up, unanswered, over time.

The counterpart is the proven sender (gateway/core/identity.py: the From address when it aligns with the
envelope or a verified DKIM d=, else the envelope sender), or for LinkedIn messages the member
("linkedin:<name>"). A forged From therefore counts against the forger, never against the person it
names: Dana's genuine invoice is not "touch 2" of a sequence someone else started in her name. Direct
email whose display name matches a recent LinkedIn connection, or a member already writing through
LinkedIn, joins that member's sequence, so an email follow-up to a LinkedIn pitch is its next touch.

Escalation rests on what the recipient saw, not on being unknown. FOLLOWUP_UNANSWERED_2/_3/_N (heavy
enough to quarantine alone) fire only in a sequence the recipient never answered and never consented to,
when an earlier touch was judged a pitch, or carried selling evidence (`suspect_symbols`) without being
tagged. One plain reminder after a first touch that was no pitch gets FOLLOWUP_FIRST_NUDGE instead, so a
stranger's polite nudge (a customer, an applicant, a journalist) is judged on its words; a reminder that
fakes a thread or comes out of a sales tool is no such reminder. Feeds are kept out: marks are only
planted in the first `pitch_window` unanswered touches, several touches a day are a stream, and list or
bulk traffic is no sequence at all. The store makes every update atomic, so many gateway instances share
one correct count.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, ClassVar

from gateway.core.identity import AuthOptions, identity
from gateway.core.linkedin_mail import MEMBER_KINDS, Kind, linkable, normalize_name
from gateway.core.message import Direction, Message, is_local, normalize_address
from gateway.core.signals.answer import DECLINED, ReplyKind, reply_kind
from gateway.core.signals.asks import asks_of_recipient
from gateway.core.signals.base import Hit, SignalContext, note
from gateway.core.signals.campaign import CAMPAIGN, features, quoted_features
from gateway.core.signals.linkedin import Anchor, connection_anchor
from gateway.core.signals.outreach import fingerprint, sent_to_many
from gateway.core.signals.replies import consent, fake_reply, thread_ids
from gateway.store.base import Sequence

if TYPE_CHECKING:
    from gateway.core.policy import Verdict

DAY = 86400.0
HOUR = 3600.0
PITCHED = "pitched"
SUSPECT = "suspect"
ALIAS = "alias"
BEST = "best"
"""The strongest content evidence (CONTENT_PITCH's factor) any touch of the sequence carried."""
ASKED = "asked"
"""A touch of the sequence asked something of the recipient: it is never escalated."""
_STATE = (PITCHED, SUSPECT, BEST, DECLINED, ASKED)
# Selling evidence short of a tag: the content model's word, or a sales-engagement tool's traces (its
# headers, open pixels, tracked links, booking links) on mail that is not bulk.
SUSPECT_SYMBOLS = ("CONTENT_PITCH", "OUTREACH_TOOL", "TRACKING_PIXEL", "LINK_TRACKING", "BOOKING_LINK")
# The fingerprints a suspect touch records: a campaign's own hosts and its Message-ID, never its words or a name.
_HOST_FEATURES = ("book:", "trk:")


@dataclass(frozen=True)
class State:
    """What the store knows about one sequence of one recipient, read in one call."""

    key: str
    seq: Sequence | None
    pitched: float | None = None
    suspect: float | None = None
    best: float = 0.0
    declined: float | None = None
    asked: bool = False
    linked: str = ""
    """Why this message joined another counterpart's sequence (a campaign fingerprint), or ""."""

    @classmethod
    def of(cls, key: str, seq: Sequence | None, marks: list[str | None], linked: str = "") -> State:
        pitched, suspect, best, declined, asked = marks
        return cls(
            key,
            seq,
            _float(pitched),
            _float(suspect),
            _float(best) or 0.0,
            _float(declined),
            bool(asked),
            linked,
        )

    @property
    def evidence(self) -> bool:
        """Some earlier touch carried selling evidence (judged a pitch, a suspect symbol, content)."""
        return self.pitched is not None or self.suspect is not None or self.best > 0

    def declined_unanswered(self) -> bool:
        """The recipient's last word to this sequence was a "no"."""
        if self.declined is None:
            return False
        answered = self.seq.last_answered if self.seq is not None else None
        return answered is None or self.declined >= answered


def age_text(seconds: float) -> str:
    """ "00:42" for minutes, "3d 04:10" beyond a day."""
    minutes = int(max(seconds, 0) // 60)
    days, minutes = divmod(minutes, 1440)
    clock = f"{minutes // 60:02d}:{minutes % 60:02d}"
    return f"{days}d {clock}" if days else clock


def is_pitch(verdict: Verdict, pitch_score: float | None = None) -> bool:
    """The verdict judged the message a pitch (tag or quarantine, or `pitch_score` if set), not a list entry."""
    if verdict.list_match is not None or verdict.status is not None:
        return False
    if pitch_score is not None:
        return verdict.score >= pitch_score
    # Compared by value: gateway.core.policy imports this package, so it cannot be imported here.
    return str(verdict.would or verdict.action) in ("tag", "quarantine")


def regular_gaps(times: list[float], tolerance: float) -> str:
    """Why the gaps between touches look machine-scheduled, or "" when they do not."""
    gaps = [b - a for a, b in pairwise(times)]
    if len(gaps) < 2 or min(gaps) < HOUR:
        return ""
    if max(gaps) <= min(gaps) * (1 + tolerance):
        return f"{len(gaps)} gaps of ~{age_text(sum(gaps) / len(gaps))}"
    # Sequencing tools send each step at the same time of day; people rarely hit the same half hour.
    offsets = [min(g % DAY, DAY - g % DAY) for g in gaps]
    if min(gaps) >= DAY - 1800 and max(offsets) <= 1800:
        return f"{len(gaps)} gaps of whole days at the same time of day"
    return ""


class Cadence:
    """Emits LINKEDIN_NEW_CONNECTION, STRANGER_FIRST_TOUCH, FOLLOWUP_FIRST_NUDGE, FOLLOWUP_UNANSWERED(_2/_3/_N),
    FOLLOWUP_OF_REQUEST, FOLLOWUP_AFTER_DECLINE, CAMPAIGN_ROTATING_SENDER, SEQUENCE_REGULAR_INTERVAL."""

    name: ClassVar[str] = "cadence"
    symbols: ClassVar[dict[str, float]] = {
        "LINKEDIN_NEW_CONNECTION": 3.0,
        # A stranger's first message: it only tips a message the content already reads as a pitch.
        "STRANGER_FIRST_TOUCH": 1.0,
        "FOLLOWUP_UNANSWERED": 0.5,
        "FOLLOWUP_FIRST_NUDGE": -3.0,
        # Another touch in a sequence that opened with a request of the recipient (a customer's reminder).
        "FOLLOWUP_OF_REQUEST": -2.0,
        # Above the quarantine line by more than any single mitigating symbol (an unsubscribe link is -1),
        # so that a second unanswered pitch is held on its own strength.
        "FOLLOWUP_UNANSWERED_2": 11.0,
        "FOLLOWUP_UNANSWERED_3": 12.0,
        "FOLLOWUP_UNANSWERED_N": 13.0,
        # A touch after the recipient said no: tagged on that alone, held with any selling evidence.
        "FOLLOWUP_AFTER_DECLINE": 6.0,
        "CAMPAIGN_ROTATING_SENDER": 1.0,
        "SEQUENCE_REGULAR_INTERVAL": 1.5,
    }
    reasons: ClassVar[dict[str, str]] = {
        "LINKEDIN_NEW_CONNECTION": "sent soon after you accepted their LinkedIn invitation",
        "FOLLOWUP_UNANSWERED": "another message from this sender; you have not answered",
        "FOLLOWUP_FIRST_NUDGE": "a single reminder after a first message that was no pitch",
        "FOLLOWUP_UNANSWERED_2": "2nd message from this sender with no answer from you",
        "FOLLOWUP_UNANSWERED_3": "3rd message from this sender with no answer from you",
        "FOLLOWUP_UNANSWERED_N": "4th or later message from this sender with no answer from you",
        "SEQUENCE_REGULAR_INTERVAL": "arrives at regular intervals, like an automated sales sequence",
        "STRANGER_FIRST_TOUCH": "a first message from someone you have never written to ({evidence})",
        "FOLLOWUP_AFTER_DECLINE": "a message after you told this sender no ({evidence})",
        "FOLLOWUP_OF_REQUEST": "a reminder of something the sender asked of you, not a sales sequence",
        "CAMPAIGN_ROTATING_SENDER": "the same campaign writing from another address ({evidence})",
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx
        opts = ctx.options
        self._ttl = float(opts.get("sequence_ttl_days", 90)) * DAY
        self._half_life = float(opts.get("connection_half_life_days", 2.0)) * DAY
        self._tolerance = float(opts.get("regular_tolerance", 0.2))
        self._stream_per_day = int(opts.get("stream_per_day", 3))
        self._pitch_window = int(opts.get("pitch_window", 5))
        score = opts.get("pitch_score")
        self._pitch_score = float(score) if score is not None else None
        self._suspect = frozenset(opts.get("suspect_symbols", SUSPECT_SYMBOLS))
        # Content evidence this strong on an earlier touch is not forgiven by a plain second touch.
        self._carry = float(opts.get("carried_evidence", 0.5))
        self._auth = AuthOptions.from_options(opts)

    def _local_recipients(self, msg: Message) -> list[str]:
        domains = self._ctx.local_domains
        return [r for r in msg.recipients if not domains or is_local(r, domains)]

    async def counterpart(self, rcpt: str, msg: Message, now: float) -> tuple[str, Anchor | None] | None:
        """Whose sequence this message extends, and the LinkedIn anchor if there is one."""
        found = msg.linkedin
        if found is not None:
            if found.kind not in MEMBER_KINDS - {Kind.INVITATION} or not found.member_key:
                return None  # LinkedIn's own notifications are nobody's touch
            anchor = await connection_anchor(self._ctx, rcpt, found.member_key, now)
            return f"linkedin:{found.member_key}", anchor
        key = normalize_name(msg.from_name)
        if linkable(key):
            anchor = await connection_anchor(self._ctx, rcpt, key, now)
            if anchor is not None:
                return f"linkedin:{key}", anchor
            # No connection (an InMail sender is not one), but the same name is already writing to the
            # recipient through LinkedIn: moving to email is the next step of that sequence, not a new one.
            member = await self._ctx.store.sequence_get(rcpt, f"linkedin:{key}", now)
            if member is not None and member.touches and member.last_answered is None:
                return f"linkedin:{key}", None
        who = (await identity(msg, self._auth)).address
        return (who, None) if who else None

    @staticmethod
    def _skip(msg: Message) -> bool:
        # Lists, newsletters and retail mail are many recipients behind one sender: bulk is no sales
        # sequence. Sequencing tools send one-to-one mail, and sent_to_many never calls their mail bulk.
        return msg.envelope.direction is not Direction.INBOUND or bool(sent_to_many(msg))

    async def check(self, msg: Message) -> list[Hit]:
        if self._skip(msg):
            return []
        now = self._ctx.clock.now()
        found = [await self._judge(rcpt, msg, now) for rcpt in self._local_recipients(msg)]
        # With several recipients, the strongest evidence from any one of them speaks for the message.
        return max(found, key=self._weight, default=[])

    def _weight(self, hits: list[Hit]) -> float:
        return sum(self.symbols.get(h.symbol, 0.0) * h.factor for h in hits) if hits else float("-inf")

    async def state(self, rcpt: str, cp: str, msg: Message, now: float) -> State:
        """The sequence this message counts under for `rcpt`: its own counterpart's, or the campaign's
        whose fingerprint it carries. Remembered on the message, so that learning counts it there too."""
        memo = msg.memo.get(f"sequence:{rcpt}")
        if isinstance(memo, State) and memo.key in (cp, memo.key):
            return memo
        store = self._ctx.store
        # A message threaded onto an earlier pitch the recipient received continues that pitch's sequence,
        # whoever sends it (a rotating sender answering its own campaign's thread).
        # Only one-to-one mail, as sequencers send: in a thread among many, others reply to a pitch too.
        threads = (
            {f"mid:{mid}": f"a reply in the thread of {mid}" for mid in thread_ids(msg)}
            if _one_to_one(msg)
            else {}
        )
        own = {**features(msg), **quoted_features(msg), **threads}
        keys = list(own)
        items = [(kind, cp) for kind in _STATE] + [(CAMPAIGN, k) for k in keys]
        marks = await store.marks_get_many(rcpt, items, now)
        seq = await store.sequence_get(rcpt, cp, now)
        found = State.of(cp, seq, marks[: len(_STATE)])
        linked = _link(
            msg, [(k, v) for k, v in zip(keys, marks[len(_STATE) :], strict=True) if v and v != cp]
        )
        # A counterpart the recipient answered, or one asking something of them, keeps its own sequence.
        alone = (
            found.asked or bool(asks_of_recipient(msg)) or (seq is not None and seq.last_answered is not None)
        )
        if linked is not None and not alone:
            other = linked[1]
            why = f"{own[linked[0]]} as {other}"
            other_marks = await store.marks_get_many(rcpt, [(kind, other) for kind in _STATE], now)
            found = State.of(other, await store.sequence_get(rcpt, other, now), other_marks, why)
        msg.memo[f"sequence:{rcpt}"] = found
        return found

    async def _judge(self, rcpt: str, msg: Message, now: float) -> list[Hit]:
        found = await self.counterpart(rcpt, msg, now)
        if found is None:
            return []
        cp, anchor = found
        who = await identity(msg, self._auth)
        if await consent(self._ctx.store, rcpt, who, thread_ids(msg), now) is not None:
            return [note("sequence", cp)]  # a conversation the recipient started or joined never escalates
        state = await self.state(rcpt, cp, msg, now)
        hits = [note("sequence", state.key)]
        if state.linked:
            hits.append(Hit("CAMPAIGN_ROTATING_SENDER", 1.0, state.linked))
        seq = state.seq
        if seq is None or seq.touches == 0:
            return hits + await self._first_touch(rcpt, msg, state, anchor, now)
        if seq.unanswered == 0:
            return hits
        hits += await self._unanswered(rcpt, cp, state, msg, now)
        regular = regular_gaps([*seq.times[-seq.unanswered :], now], self._tolerance)
        if regular:
            hits.append(Hit("SEQUENCE_REGULAR_INTERVAL", 1.0, regular))
        return hits

    async def _first_touch(
        self, rcpt: str, msg: Message, state: State, anchor: Anchor | None, now: float
    ) -> list[Hit]:
        if state.seq is not None and state.seq.last_answered is not None:
            return []
        if anchor is not None:
            hit = self._new_connection(msg, anchor, now)
            return [hit] if hit else []
        if msg.linkedin is not None or msg.automatic or asks_of_recipient(msg):
            return []
        ids = thread_ids(msg)
        if ids and not await fake_reply(self._ctx.store, [rcpt], msg, ids, now):
            return []  # joins a thread the recipient is in: an earlier exchange, if not with this sender
        return [Hit("STRANGER_FIRST_TOUCH", 1.0, "no consent, no earlier exchange, not bulk mail")]

    def _new_connection(self, msg: Message, anchor: Anchor, now: float) -> Hit | None:
        age = now - anchor.at
        factor = round(0.5 ** (max(age, 0.0) / self._half_life), 3)
        if factor < 0.05:
            return None
        how = "via LinkedIn" if msg.linkedin is not None else f"on LinkedIn; now emails as {msg.from_addr}"
        return Hit("LINKEDIN_NEW_CONNECTION", factor, f"first touch; connected {age_text(age)} ago {how}")

    async def _unanswered(self, rcpt: str, cp: str, state: State, msg: Message, now: float) -> list[Hit]:
        seq = state.seq
        assert seq is not None
        touch = seq.unanswered + 1
        where = f"touch {touch} from {cp}{_via(msg, cp)}"
        if state.key != cp:
            where += f" in the sequence of {state.key}"
        asks = state.asked or bool(asks_of_recipient(msg))
        declined = state.declined_unanswered() and not asks
        if seq.last_answered is not None and not declined:
            # The recipient has written to this counterpart: whatever follows is a conversation they
            # joined (a vendor they asked, a salesperson they answered), never an escalating sequence.
            return [Hit("FOLLOWUP_UNANSWERED", 1.0, f"{where}; the recipient wrote to them before")]
        if asks:
            # A customer, an applicant, a journalist, a lead: their nudges are no sales sequence.
            return [Hit("FOLLOWUP_OF_REQUEST", 1.0, f"{where}; the sender asks something of the recipient")]
        if declined:
            return self._after_decline(state, where, touch, now)
        pitched_at = state.pitched
        if pitched_at is None:
            pretends = await self._pretends(rcpt, msg, now)
            if touch == 2 and not pretends and state.best < self._carry:
                # One reminder after a first message that did not read as a pitch is what people do; its
                # "just following up" wording is then no evidence of a sales sequence.
                return [
                    Hit(
                        "FOLLOWUP_FIRST_NUDGE",
                        1.0,
                        f"{where}: one reminder after a first touch that was no pitch",
                    )
                ]
            # Past that one plain reminder (a third touch, a second that fakes a thread or comes out of a
            # sales tool, or one after a touch whose content read as selling), earlier selling evidence
            # makes this a sequence, tagged or not: a first touch under the line does not forgive the rest.
            pitched_at = state.suspect
        if pitched_at is None:
            return [Hit("FOLLOWUP_UNANSWERED", 1.0, f"{where}, none answered")]
        # Several touches a day is a notification stream (feeds, alerts), not a sales sequence.
        today = sum(1 for t in seq.times if now - t < DAY)
        if today >= self._stream_per_day:
            return [
                Hit("FOLLOWUP_UNANSWERED", 1.0, f"{where}; {today + 1} in a day: a stream, not a sequence")
            ]
        evidence = f"{where}, unanswered; pitched {age_text(now - pitched_at)} ago"
        return [Hit(_escalation(touch), 1.0, evidence)]

    @staticmethod
    def _after_decline(state: State, where: str, touch: int, now: float) -> list[Hit]:
        """After a "no", a touch is tagged; with any selling evidence in the sequence it is held."""
        declined = state.declined or now
        hits = [Hit("FOLLOWUP_AFTER_DECLINE", 1.0, f"{where}; declined {age_text(now - declined)} ago")]
        if state.evidence:
            hits.append(Hit(_escalation(max(touch, 2)), 1.0, f"{where}, after the recipient declined"))
        return hits

    async def _pretends(self, rcpt: str, msg: Message, now: float) -> bool:
        """A reminder that fakes a thread ("Re:" on nothing) or comes out of a sales tool (its tracking,
        its booking link) is a tactic, not the reminder people send."""
        if fingerprint(msg):
            return True
        return bool(await fake_reply(self._ctx.store, [rcpt], msg, thread_ids(msg), now))

    async def learn(self, msg: Message, verdict: Verdict) -> None:
        direction = msg.envelope.direction
        if direction is Direction.OUTBOUND:
            if not msg.automatic:  # an out-of-office reply answers no sequence
                await self._answer_aliases(msg)
        elif not self._skip(msg):
            await self._touch(msg, verdict)

    async def _touch(self, msg: Message, verdict: Verdict) -> None:
        store, now, ttl = self._ctx.store, self._ctx.clock.now(), self._ttl
        pitch = is_pitch(verdict, self._pitch_score)
        for rcpt in self._local_recipients(msg):
            found = await self.counterpart(rcpt, msg, now)
            if found is None:
                continue
            cp = found[0]
            key = (await self.state(rcpt, cp, msg, now)).key
            seq = await store.sequence_touch(rcpt, key, now, ttl)
            # Only early touches start an escalation: a sender with dozens of unanswered messages is a
            # feed, and one of its items judged a pitch must not condemn every later item.
            if seq.unanswered <= self._pitch_window:
                await self._mark(rcpt, key, msg, verdict, pitch, now)
            for alias in _aliases(msg, cp, key):
                await store.mark_set(rcpt, ALIAS, alias, key, now, ttl)

    async def _mark(
        self, rcpt: str, key: str, msg: Message, verdict: Verdict, pitch: bool, now: float
    ) -> None:
        store, ttl = self._ctx.store, self._ttl
        if asks_of_recipient(msg):
            await store.mark_set(rcpt, ASKED, key, "1", now, ttl)
            return
        judged = verdict.list_match is None and verdict.status is None
        content = verdict.symbols.get("CONTENT_PITCH")
        if content is not None and judged:
            factor = next(s.hit.factor for s in verdict.hits if s.hit.symbol == "CONTENT_PITCH")
            await store.mark_max(rcpt, BEST, key, factor, now, ttl)
        if pitch:
            await store.mark_set(rcpt, PITCHED, key, f"{now:.3f}", now, ttl)
            # Only mail judged a pitch fingerprints a campaign: a shared name or phrase never links two
            # people who were not pitching.
            keys = [*features(msg), *_thread_key(msg)]
            await store.marks_set_many(rcpt, CAMPAIGN, dict.fromkeys(keys, key), now, ttl)
        elif self._suspect & set(verdict.symbols) and judged:
            await store.mark_set(rcpt, SUSPECT, key, f"{now:.3f}", now, ttl)
            hosts = [f for f in features(msg) if f.startswith(_HOST_FEATURES)] + _thread_key(msg)
            await store.marks_set_many(rcpt, CAMPAIGN, dict.fromkeys(hosts, key), now, ttl)

    async def _answer_aliases(self, msg: Message) -> None:
        """Writing to an address that stands for a sequence (a linked member, a Reply-To, a campaign's
        other sender) answers it, unless the reply declines: then the sequence is marked declined.

        The replies signal already answers (or marks declined) the plain address sequence.
        """
        store, now, ttl, me = self._ctx.store, self._ctx.clock.now(), self._ttl, msg.sender
        declines = reply_kind(msg) is ReplyKind.DECLINE
        for addr in msg.recipients:
            cp = await store.mark_get(me, ALIAS, addr, now)
            if cp and declines:
                await store.mark_set(me, DECLINED, cp, f"{now:.3f}", now, ttl)
            elif cp:
                await store.sequence_answer(me, cp, now, ttl)


def _link(msg: Message, hits: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The (feature, sequence) this message joins, or None. A shared name alone is weak (two people are
    called Jesse de Wit, and one person writes from two addresses): it links only beside another shared
    feature, or when the message carries a sales tool's traces."""
    strong = [(k, v) for k, v in hits if not k.startswith("name:")]
    if strong:
        return strong[0]
    if hits and fingerprint(msg):
        return hits[0]
    return None


def _one_to_one(msg: Message) -> bool:
    """Addressed to one person (To and Cc), as a sequencer's step is."""
    return len(email.utils.getaddresses(msg.headers("To") + msg.headers("Cc"))) == 1


def _thread_key(msg: Message) -> list[str]:
    return [f"mid:{msg.message_id}"] if msg.message_id else []


def _escalation(touch: int) -> str:
    return "FOLLOWUP_UNANSWERED_" + (str(touch) if touch <= 3 else "N")


def _aliases(msg: Message, cp: str, key: str) -> list[str]:
    """Addresses the recipient would answer this sequence at, other than its key: the From and Reply-To,
    and the counterpart itself when it writes in a campaign's sequence."""
    found = {msg.from_addr, normalize_address(msg.header("Reply-To")), cp} - {"", key}
    return sorted(a for a in found if "@" in a and msg.linkedin is None)


def _via(msg: Message, cp: str) -> str:
    if cp.startswith("linkedin:") and msg.linkedin is None:
        return f" (email from {msg.from_addr} linked to the LinkedIn connection)"
    return ""


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
