"""Signed links: what lets a recipient see and act on their own held mail without logging in.

A link carries a grant (whose quarantine, which action, on which message, until when), signed with HMAC
by itsdangerous under the configured secret. The expiry is inside the signed payload and checked against
the caller's clock, so a test (or replay) can move time without re-signing. Verifying changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from itsdangerous import BadSignature, URLSafeSerializer

from gateway.settings import WebSettings

SALT = "pitchgate.quarantine-link.v1"
DAY = 86400.0


class LinkAction(StrEnum):
    VIEW = "view"
    """See this recipient's quarantine (the list and each message), and act on it from the page."""
    RELEASE = "release"
    """One click: deliver this message and trust its sender (digest link; the value that digests sent
    before "release once" existed carry, so that their links still do what those digests said)."""
    RELEASE_ONCE = "release-once"
    """One click: deliver this message only (digest link)."""
    BLOCK = "block"
    """One click: "stop this sender" for this recipient, and drop this message (digest link)."""


class LinkError(Exception):
    """The link is forged, tampered with, made for something else, or expired."""


@dataclass(frozen=True)
class Grant:
    recipient: str
    action: LinkAction
    qid: str
    expires_at: float


class LinkSigner:
    """Makes and checks signed link tokens. An empty secret refuses both, so links are off by default."""

    def __init__(self, secret: str, ttl_seconds: float) -> None:
        self._serializer = URLSafeSerializer(secret, salt=SALT) if secret else None
        self._ttl = ttl_seconds

    @classmethod
    def from_settings(cls, web: WebSettings) -> LinkSigner:
        """The signer the review page and the digest share, so that one verifies what the other signs."""
        return cls(web.link_secret.get_secret_value(), web.link_ttl_days * DAY)

    @property
    def enabled(self) -> bool:
        return self._serializer is not None

    def sign(self, recipient: str, action: LinkAction, now: float, qid: str = "") -> str:
        if self._serializer is None:
            raise LinkError("signed links are off: web.link_secret is not set")
        payload = {"r": recipient.lower(), "a": str(action), "q": qid, "e": int(now + self._ttl)}
        token = self._serializer.dumps(payload)
        return token if isinstance(token, str) else token.decode()

    def verify(self, token: str, now: float) -> Grant:
        if self._serializer is None:
            raise LinkError("signed links are off")
        try:
            payload = self._serializer.loads(token)
            grant = Grant(str(payload["r"]), LinkAction(payload["a"]), str(payload["q"]), float(payload["e"]))
        except (BadSignature, KeyError, TypeError, ValueError) as exc:
            raise LinkError("invalid link") from exc
        if now >= grant.expires_at:
            raise LinkError("this link has expired")
        return grant


def review_url(base_url: str, token: str) -> str:
    """A recipient's own quarantine list on the review page (a VIEW grant)."""
    return f"{base_url.rstrip('/')}/?link={token}"


def action_url(base_url: str, token: str) -> str:
    """A one-click RELEASE, RELEASE_ONCE or BLOCK link: GET shows one button, POST to the same URL does it.

    A GET never changes anything, because mail security scanners (Safe Links and the like) fetch every
    link in a message before the recipient sees it.
    """
    return f"{base_url.rstrip('/')}/a/{token}"
