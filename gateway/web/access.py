"""Who is asking on the review page, and whether a state-changing request really comes from our own page.

Two kinds of visitor: the admin (the configured token, as `Authorization: Bearer` or once as `?token=`,
after which a session cookie carries it) and one recipient (a signed VIEW link, kept in the session and
checked again on every request, so that it stops working the moment it expires). Session cookies are
HttpOnly and SameSite=Strict, and forms carry a per-session CSRF token; bearer requests need none,
because a browser never adds that header on its own.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request

from gateway.actions.links import Grant, LinkAction, LinkError, LinkSigner
from gateway.clock import Clock
from gateway.store.base import QuarantineRecord

ADMIN = "admin"


@dataclass(frozen=True)
class Access:
    """The visitor: `who` is "admin" or the recipient's address; `recipient` None means every recipient."""

    who: str
    recipient: str | None
    via: str

    def may_see(self, record: QuarantineRecord) -> bool:
        return self.recipient is None or self.recipient in record.recipients


class Denied(Exception):
    """The request is refused; the page shows the title and the detail with this status."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class Gate:
    """Checks tokens, links, sessions and the provenance of POSTs."""

    def __init__(self, admin_token: str, signer: LinkSigner, clock: Clock, base_url: str = "") -> None:
        self._admin = admin_token.encode()
        self._signer = signer
        self._clock = clock
        self._base_origin = _origin(base_url)

    def admin_ok(self, candidate: str) -> bool:
        return bool(self._admin) and hmac.compare_digest(candidate.encode(), self._admin)

    def grant(self, token: str, *actions: LinkAction) -> Grant:
        """A verified grant for one of `actions`, or Denied (403) with the reason a person can read."""
        try:
            grant = self._signer.verify(token, self._clock.now())
        except LinkError as exc:
            raise Denied(403, "This link does not work", f"{exc}. Ask for a new one.") from exc
        if grant.action not in actions:
            raise Denied(403, "This link does not work", "It was made for something else.")
        return grant

    def access(self, request: Request) -> Access:
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            if self.admin_ok(credential.strip()):
                return Access(ADMIN, None, "bearer")
            raise Denied(403, "Wrong token", "The bearer token is not the admin token.")
        if request.session.get("admin") is True:
            return Access(ADMIN, None, "session")
        link = request.session.get("link")
        if isinstance(link, str):
            grant = self.grant(link, LinkAction.VIEW)
            return Access(grant.recipient, grant.recipient, "link")
        raise Denied(401, "Not signed in", "Open the link from your digest, or the admin address.")

    def check_post(self, request: Request, access: Access | None, csrf: object) -> None:
        """Refuse a POST made from another site, or (for sessions) without this session's CSRF token."""
        if access is not None and access.via == "bearer":
            return
        if self.cross_site(request):
            raise Denied(403, "Refused", "This request came from another site.")
        if access is None:
            return
        expected = request.session.get("csrf")
        if not (isinstance(csrf, str) and isinstance(expected, str)) or not hmac.compare_digest(
            csrf.encode(), expected.encode()
        ):
            raise Denied(403, "Refused", "The form was stale or not ours; reload the page and try again.")

    def cross_site(self, request: Request) -> bool:
        # Referrer-Policy: no-referrer makes browsers send "Origin: null" on form posts, so a null origin
        # is not evidence either way; Sec-Fetch-Site, when present, is.
        if request.headers.get("sec-fetch-site", "same-origin") in ("cross-site", "same-site"):
            return True
        origin = request.headers.get("origin", "null")
        own = {_origin(str(request.base_url)), self._base_origin} - {""}
        return origin != "null" and origin not in own


def begin_session(request: Request, *, admin: bool = False, link: str = "") -> None:
    """Start a fresh session (never reuse one across identities) with its own CSRF token."""
    request.session.clear()
    if admin:
        request.session["admin"] = True
    if link:
        request.session["link"] = link
    request.session["csrf"] = secrets.token_urlsafe(32)


def csrf_token(request: Request) -> str:
    value = request.session.get("csrf")
    return value if isinstance(value, str) else ""
