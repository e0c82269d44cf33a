"""LinkedIn notifications: trust them only when LinkedIn signed them, and remember new connections.

A notification is LinkedIn's only if a DKIM signature with d=linkedin.com verifies, or a trusted
Authentication-Results header (`[auth] trusted_authserv_ids`, gateway/core/authresults.py) reports dkim=pass
for linkedin.com.
X-LinkedIn-* headers and "via LinkedIn" names cost a forger nothing, so mail that claims LinkedIn
without that proof gets LINKEDIN_FORGED and none of the benefit. Genuine invitations, acceptances and
job alerts pass; a member's message or InMail is judged on the member's own words (`Message.author_text`).

`learn` records the connection anchor (recipient, normalized member name -> time, kind, url) that the
cadence signal uses to measure how soon after connecting the pitch came.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, ClassVar

from gateway.core.authresults import trusted_results
from gateway.core.dkim_verify import signature_domains, verify
from gateway.core.identity import AuthOptions
from gateway.core.linkedin_mail import Kind, LinkedInMail, is_linkedin_domain, linkable
from gateway.core.message import Direction, Message, is_local
from gateway.core.signals.base import Hit, SignalContext

if TYPE_CHECKING:
    from gateway.core.policy import Verdict

DAY = 86400.0
CONN_KIND = "conn"


class Trust(Enum):
    GENUINE = "genuine"
    FORGED = "forged"
    UNKNOWN = "unknown"
    """DNS failed temporarily: no benefit, no penalty."""


@dataclass(frozen=True)
class Anchor:
    """When and how the recipient got connected to a member."""

    at: float
    kind: str
    url: str = ""

    def encode(self) -> str:
        return f"{self.at:.3f}|{self.kind}|{self.url}"

    @classmethod
    def decode(cls, value: str) -> Anchor | None:
        at, _, rest = value.partition("|")
        kind, _, url = rest.partition("|")
        try:
            return cls(float(at), kind or "connection", url)
        except ValueError:
            return None


def _symbol_for(kind: Kind) -> str:
    return "LINKEDIN_MESSAGE" if kind is Kind.MESSAGE else "LINKEDIN_INMAIL" if kind is Kind.INMAIL else ""


class LinkedIn:
    """Emits LINKEDIN_NOTIFICATION, _MESSAGE, _INMAIL, _KNOWN_CONTACT, _FORGED and _UNVERIFIED."""

    name: ClassVar[str] = "linkedin"
    symbols: ClassVar[dict[str, float]] = {
        "LINKEDIN_NOTIFICATION": -3.0,
        "LINKEDIN_MESSAGE": 1.0,
        "LINKEDIN_INMAIL": 1.0,
        "LINKEDIN_FORGED": 3.0,
        "LINKEDIN_UNVERIFIED": 0.0,
        "LINKEDIN_KNOWN_CONTACT": -6.0,
    }
    reasons: ClassVar[dict[str, str]] = {
        "LINKEDIN_NOTIFICATION": "an ordinary LinkedIn notification",
        "LINKEDIN_MESSAGE": "a message from a LinkedIn member",
        "LINKEDIN_INMAIL": "a paid LinkedIn InMail from someone you are not connected with",
        "LINKEDIN_FORGED": "claims to come from LinkedIn, but does not",
        "LINKEDIN_UNVERIFIED": "looks like LinkedIn mail, but that could not be verified",
        "LINKEDIN_KNOWN_CONTACT": "from someone you have emailed before",
    }

    def __init__(self, ctx: SignalContext) -> None:
        self._ctx = ctx
        opts = ctx.options
        self._auth = AuthOptions.from_options(opts)
        self._ttl = float(opts.get("connection_ttl_days", 30)) * DAY

    async def check(self, msg: Message) -> list[Hit]:
        found = msg.linkedin
        if found is None or msg.envelope.direction is not Direction.INBOUND:
            return []
        trust, how = await self.trust(msg)
        what = _describe(found)
        if trust is Trust.FORGED:
            return [Hit("LINKEDIN_FORGED", 1.0, f"claims LinkedIn ({what}) but {how}")]
        if trust is Trust.UNKNOWN:
            return [Hit("LINKEDIN_UNVERIFIED", 1.0, f"{what}; {how}")]
        symbol = _symbol_for(found.kind) or "LINKEDIN_NOTIFICATION"
        hits = [Hit(symbol, 1.0, f"{what}; {how}")]
        if symbol != "LINKEDIN_NOTIFICATION" and await self._known(msg, found):
            hits.append(
                Hit("LINKEDIN_KNOWN_CONTACT", 1.0, f"the recipient has emailed {found.member} before")
            )
        return hits

    async def _known(self, msg: Message, found: LinkedInMail) -> bool:
        """The recipient wrote to this member by email (the replies signal records names it wrote to)."""
        if not linkable(found.member_key):
            return False
        now = self._ctx.clock.now()
        for rcpt in self._local_recipients(msg):
            if await self._ctx.store.mark_get(rcpt, "wrote_name", found.member_key, now) is not None:
                return True
        return False

    async def trust(self, msg: Message) -> tuple[Trust, str]:
        """Whether LinkedIn provably sent this message, and how we know."""
        authserv = self._authres_pass(msg)
        if authserv:
            return Trust.GENUINE, f"dkim=pass for linkedin.com per {authserv}"
        if not self._auth.verify_dkim:
            return Trust.FORGED, "no trusted Authentication-Results dkim=pass for linkedin.com"
        return await self._dkim(msg)

    def _authres_pass(self, msg: Message) -> str:
        auth = self._auth
        for r in trusted_results(msg, auth.authserv_ids, auth.received_hops):
            ids = (r.domain("header.d"), r.domain("header.i"))
            if r.method == "dkim" and r.result == "pass" and any(is_linkedin_domain(d) for d in ids):
                return r.authserv
        return ""

    async def _dkim(self, msg: Message) -> tuple[Trust, str]:
        indexes = [i for i, d in enumerate(signature_domains(msg)) if is_linkedin_domain(d)]
        if not indexes:
            return Trust.FORGED, "carries no linkedin.com DKIM signature"
        temporary = False
        for idx in indexes:
            result = await verify(msg.raw, idx, self._auth.dnsfunc, self._auth.timeout)
            if result is True:
                return Trust.GENUINE, "DKIM d=linkedin.com verified"
            temporary = temporary or result is None
        if temporary:
            return Trust.UNKNOWN, "DKIM key lookup failed temporarily"
        return Trust.FORGED, "its linkedin.com DKIM signature does not verify"

    async def learn(self, msg: Message, verdict: Verdict) -> None:
        found = msg.linkedin
        if found is None or not found.member_key or msg.envelope.direction is not Direction.INBOUND:
            return
        genuine = {"LINKEDIN_NOTIFICATION", "LINKEDIN_MESSAGE", "LINKEDIN_INMAIL"}
        if not any(s.hit.symbol in genuine for s in verdict.hits):
            return  # forged or unverified mail must not plant anchors
        if found.kind in (Kind.ACCEPTED, Kind.INVITATION):
            await self._anchor(msg, found, refresh=True)
        elif found.kind is Kind.MESSAGE:
            # A message proves a connection even when we missed the acceptance; keep an older anchor.
            await self._anchor(msg, found, refresh=False)

    async def _anchor(self, msg: Message, found: LinkedInMail, *, refresh: bool) -> None:
        store, now = self._ctx.store, self._ctx.clock.now()
        value = Anchor(now, str(found.kind), found.url).encode()
        for rcpt in self._local_recipients(msg):
            if refresh or await store.mark_get(rcpt, CONN_KIND, found.member_key, now) is None:
                await store.mark_set(rcpt, CONN_KIND, found.member_key, value, now, self._ttl)

    def _local_recipients(self, msg: Message) -> list[str]:
        domains = self._ctx.local_domains
        return [r for r in msg.recipients if not domains or is_local(r, domains)]


def _describe(found: LinkedInMail) -> str:
    who = found.member or "LinkedIn"
    extra = f" ({found.headline})" if found.headline else ""
    return f"{found.kind} from {who}{extra}" + (f" {found.url[:80]}" if found.url else "")


async def connection_anchor(ctx: SignalContext, rcpt: str, key: str, now: float) -> Anchor | None:
    """The recipient's connection anchor for a normalized member name, if recorded and not expired."""
    value = await ctx.store.mark_get(rcpt, CONN_KIND, key, now)
    return Anchor.decode(value) if value else None
