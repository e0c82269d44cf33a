"""The quarantine review page: a list of held mail, a text-only view of each message, and its actions.

Served by `pitchgate serve` (and `pitchgate imap`) on its own listener (`web.listen`). A held message's HTML is never rendered:
the page shows the text that gateway/core/message.py extracts, autoescaped, under a Content-Security-Policy
that allows no script, image, frame or foreign form target at all. A GET never changes anything (mail
scanners prefetch every link in a digest); releases, deletions and "this is a pitch" are POSTs, each
logged on one line (who, action, message id, result; never a token or a body).

Signing in with `?token=` or `?link=` (login CSRF): a link never replaces an admin's session, and an
address carrying either that arrives from another site (Sec-Fetch-Site: cross-site or same-site) sets no
cookie; it shows a button that signs in by a same-origin POST, so another site cannot swap the visitor's
session for one of its own choosing.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage

from gateway.actions.links import LinkAction, LinkSigner
from gateway.actions.quarantine import Quarantine, QuarantineBusy, ReleaseResult
from gateway.actions.relay import Relay
from gateway.actions.sequences import Sort, group, plural, search, sequence_key, sort
from gateway.app import App
from gateway.core.reasons import record_reasons, top_reason
from gateway.display import clip_address, clip_recipients, clip_subject
from gateway.settings import WebSettings
from gateway.store.base import QuarantineRecord, StoreError
from gateway.web.access import Access, Denied, Gate, begin_session, csrf_token
from gateway.web.lists import ListsPage
from gateway.web.views import MessageView, age, day, touches

log = logging.getLogger("pitchgate.web")

SESSION_SECONDS = 8 * 3600
MAX_BULK = 500
"""Messages one bulk action may touch: bounded work per request."""
MAX_GROUPS = 200
"""Sequences one list page shows; a search narrows the rest."""
ACTIONS = {
    "release": "Released",
    "trust": "Released; this sender is trusted from now on",
    "delete": "Deleted",
    "confirm": "Marked as a pitch; sender blocked",
}
RELEASES = ("release", "trust")
ONE_CLICK = {LinkAction.RELEASE_ONCE: "release", LinkAction.RELEASE: "trust", LinkAction.BLOCK: "confirm"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'none'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
_TEMPLATES = Path(__file__).parent / "templates"


class SecurityHeaders:
    """Adds the security headers to every response, error pages included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: AsgiMessage) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)


class HeldActions(Protocol):
    """What the page's buttons do to a held message: SMTP delivery under `serve`, folder moves under
    `pitchgate imap` (gateway/fronts/imap/review.py). Each answers as Quarantine's own methods do."""

    async def release(
        self, qid: str, recipient: str | None, *, trust: bool, by: str, now: float
    ) -> ReleaseResult: ...

    async def confirm(self, qid: str, recipient: str | None) -> QuarantineRecord | None: ...

    async def delete(self, qid: str, recipient: str | None) -> bool: ...


@dataclass(frozen=True)
class Delivering:
    """The held actions of `serve`: a release is delivered upstream through the relay."""

    quarantine: Quarantine
    relay: Relay

    async def release(
        self, qid: str, recipient: str | None, *, trust: bool, by: str, now: float
    ) -> ReleaseResult:
        return await self.quarantine.release(qid, self.relay, recipient, trust=trust, by=by, now=now)

    async def confirm(self, qid: str, recipient: str | None) -> QuarantineRecord | None:
        return await self.quarantine.confirm(qid, recipient)

    async def delete(self, qid: str, recipient: str | None) -> bool:
        return await self.quarantine.delete(qid, recipient)


class Review:
    """The route handlers, bound to the gateway's parts."""

    def __init__(self, app: App, gate: Gate, actions: HeldActions | None = None) -> None:
        self._app = app
        self._gate = gate
        self._actions = actions or Delivering(app.quarantine, app.relay)
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
        )
        self._env.filters["age"] = age
        # Records held before the caps existed may carry a Subject of megabytes: cap them when shown too.
        self._env.filters["subject"] = clip_subject
        self._env.filters["address"] = clip_address
        self._env.filters["recipients"] = clip_recipients
        self._env.filters["plural"] = plural
        self._env.filters["day"] = day
        self._css = (_TEMPLATES / "style.css").read_bytes()
        self.lists = ListsPage(app.store, gate, self._page)

    # -- pages ---------------------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        for kind in ("token", "link"):
            if kind in request.query_params:
                secret = request.query_params[kind]
                if self._gate.cross_site(request):
                    return self._page(request, "sign_in.html", kind=kind, secret=secret)
                return self._sign_in(request, kind, secret)
        access = self._gate.access(request)
        params = request.query_params
        wanted = access.recipient or params.get("recipient", "").strip().lower() or None
        query = params.get("q", "").strip()[:200]
        order = Sort.SCORE if params.get("sort") == "score" else Sort.AGE
        records = search(await self._app.store.quarantine_list(wanted), query)
        groups = sort(group(records, access.recipient), order)
        return self._page(
            request,
            "list.html",
            access=access,
            groups=groups[:MAX_GROUPS],
            hidden=len(groups) - len(groups[:MAX_GROUPS]),
            held=len(records),
            recipient=wanted or "",
            query=query,
            sort=str(order),
            now=self._now(),
        )

    async def sign_in_post(self, request: Request) -> Response:
        """The button of sign_in.html: the secret in a same-origin POST body, never from another site."""
        self._gate.check_post(request, None, None)
        form = await request.form()
        for kind in ("token", "link"):
            secret = form.get(kind)
            if isinstance(secret, str):
                return self._sign_in(request, kind, secret)
        raise Denied(400, "Nothing to sign in with", "Open the link from your digest again.")

    def _sign_in(self, request: Request, kind: str, secret: str) -> Response:
        if kind == "token":
            if not self._gate.admin_ok(secret):
                raise Denied(403, "Wrong token", "That is not the admin token.")
            begin_session(request, admin=True)
            return self._continue(request)
        self._gate.grant(secret, LinkAction.VIEW)
        # An admin who opens a recipient's link stays admin (and sees that mail anyway): a link, which
        # anyone may have, must never end the session of someone who signed in with the token.
        if request.session.get("admin") is not True:
            begin_session(request, link=secret)
        return self._continue(request)

    async def show(self, request: Request) -> Response:
        access = self._gate.access(request)
        record, raw = await self._held(request.path_params["qid"], access)
        return self._page(
            request,
            "message.html",
            access=access,
            record=record,
            view=MessageView.of(raw),
            reasons=record_reasons(record),
            touches=await touches(self._app.store, record, access.recipient, self._now()),
        )

    async def original(self, request: Request) -> Response:
        """The held message's bytes as a download, never rendered: a GET that changes nothing."""
        access = self._gate.access(request)
        record, raw = await self._held(request.path_params["qid"], access)
        disposition = f'attachment; filename="pitchgate-{record.id}.eml"'
        return Response(
            raw, media_type="application/octet-stream", headers={"Content-Disposition": disposition}
        )

    async def bulk(self, request: Request) -> Response:
        """One action on the selected messages and whole sequences; each message acted on and logged alone."""
        access = self._gate.access(request)
        form = await request.form()
        self._gate.check_post(request, access, form.get("csrf"))
        action = form.get("action")
        if not isinstance(action, str) or action not in ACTIONS:
            raise Denied(
                400, "Nothing to do", "Choose release, release and trust, delete or this is a pitch."
            )
        qids = [v for v in form.getlist("qid") if isinstance(v, str)]
        keys = {v for v in form.getlist("sequence") if isinstance(v, str)}
        if keys:
            held = await self._app.store.quarantine_list(access.recipient)
            chosen = [r for r in held if sequence_key(r, access.recipient) in keys]
            qids += [r.id for r in sorted(chosen, key=lambda r: r.received_at)]
        results = [await self._bulk_one(access, action, qid) for qid in list(dict.fromkeys(qids))[:MAX_BULK]]
        counts = Counter("failed" if r.startswith("refused") else r for r in results)
        return self._page(
            request, "bulk.html", access=access, done=ACTIONS[action], results=results, counts=counts
        )

    async def sign_out(self, request: Request) -> Response:
        access = self._gate.access(request)
        form = await request.form()
        self._gate.check_post(request, access, form.get("csrf"))
        request.session.clear()
        log.info("web sign-out", extra={"fields": {"event": "web_sign_out", "who": access.who}})
        return self._page(request, "signed_out.html")

    async def act(self, request: Request) -> Response:
        access = self._gate.access(request)
        form = await request.form()
        self._gate.check_post(request, access, form.get("csrf"))
        action = request.path_params["action"]
        if action not in ACTIONS:
            raise Denied(404, "Not found", f"There is no action {action!r}.")
        record, _ = await self._held(request.path_params["qid"], access)
        return await self._perform(request, access, action, record)

    async def one_click(self, request: Request) -> Response:
        """A digest link: GET shows one button and changes nothing; POST to the same URL acts."""
        token = request.path_params["token"]
        grant = self._gate.grant(token, *ONE_CLICK)
        access = Access(grant.recipient, grant.recipient, "link")
        record, _ = await self._held(grant.qid, access)
        action = ONE_CLICK[grant.action]
        if request.method == "GET":
            reason = top_reason(record)
            return self._page(
                request, "action.html", action=action, record=record, token=token, reason=reason
            )
        self._gate.check_post(request, None, None)
        return await self._perform(request, access, action, record)

    async def style(self, request: Request) -> Response:
        return Response(self._css, media_type="text/css")

    # -- errors --------------------------------------------------------------------------------------
    async def denied(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Denied)
        return self._page(request, "error.html", status=exc.status, title=exc.title, detail=exc.detail)

    async def store_down(self, request: Request, exc: Exception) -> Response:
        log.warning("review page: store unavailable: %s", exc)
        detail = "The quarantine store cannot be reached right now; nothing was changed. Try again later."
        return self._page(request, "error.html", status=503, title="Unavailable", detail=detail)

    # -- helpers -------------------------------------------------------------------------------------
    async def _held(self, qid: str, access: Access) -> tuple[QuarantineRecord, bytes]:
        """The message, if this visitor may see it. Someone else's message looks exactly like a missing one."""
        found = await self._app.store.quarantine_get(qid) if qid else None
        if found is None or not access.may_see(found[0]):
            raise Denied(404, "Not found", "No such held message: it was released, deleted or has expired.")
        return found

    async def _bulk_one(self, access: Access, action: str, qid: str) -> str:
        found = await self._app.store.quarantine_get(qid) if qid else None
        if found is None or not access.may_see(found[0]):
            result = "gone"  # someone else's message looks exactly like one already handled
        else:
            result = await self._attempt(access, action, found[0])
        fields = {"event": "web_action", "who": access.who, "via": access.via, "action": action}
        log.info("web action", extra={"fields": {**fields, "qid": qid, "result": result, "bulk": True}})
        return result

    async def _attempt(self, access: Access, action: str, record: QuarantineRecord) -> str:
        try:
            return (await self._do(access, action, record))[1]
        except QuarantineBusy:
            return "busy"

    async def _perform(
        self, request: Request, access: Access, action: str, record: QuarantineRecord
    ) -> Response:
        try:
            status, result = await self._do(access, action, record)
        except QuarantineBusy:
            status, result = 409, "busy"
        fields = {"event": "web_action", "who": access.who, "via": access.via, "action": action}
        log.info("web action", extra={"fields": {**fields, "qid": record.id, "result": result}})
        return self._page(
            request,
            "done.html",
            status=status,
            action=action,
            done=ACTIONS[action],
            record=record,
            result=result,
        )

    async def _do(self, access: Access, action: str, record: QuarantineRecord) -> tuple[int, str]:
        """The status and result of one action. A repeated one (a double click, a second admin) finds
        the message gone and answers "gone", having done nothing."""
        actions = self._actions
        if action in RELEASES:
            released = await actions.release(
                record.id,
                access.recipient,
                trust=action == "trust",
                by=access.who,
                now=self._now(),
            )
            if released.record is None:
                return 404, "gone"
            return (200, "ok") if released.reply.ok else (502, f"refused: {released.reply.code}")
        if action == "confirm":
            done = await actions.confirm(record.id, access.recipient) is not None
        else:
            done = await actions.delete(record.id, access.recipient)
        return (200, "ok") if done else (404, "gone")

    def _continue(self, request: Request) -> Response:
        """Leave the URL that carried a secret. A page that moves on by itself, rather than a redirect,
        because a SameSite=Strict cookie set on a cross-site navigation is not sent on its redirect."""
        return self._page(request, "continue.html")

    def _page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = self._env.get_template(name).render(csrf=csrf_token(request), **context)
        return HTMLResponse(body, status_code=status)

    def _now(self) -> float:
        return self._app.clock.now()


def create_web_app(
    app: App, signer: LinkSigner, web: WebSettings, actions: HeldActions | None = None
) -> Starlette:
    """The review page over the gateway's store and quarantine; its buttons deliver through the relay
    unless other `actions` are given."""
    gate = Gate(web.admin_token.get_secret_value(), signer, app.clock, web.base_url)
    review = Review(app, gate, actions)
    routes = [
        Route("/", review.index),
        Route("/", review.sign_in_post, methods=["POST"]),
        Route("/m/{qid}", review.show),
        Route("/m/{qid}/eml", review.original),
        Route("/m/{qid}/{action}", review.act, methods=["POST"]),
        Route("/bulk", review.bulk, methods=["POST"]),
        Route("/lists", review.lists.show),
        Route("/lists", review.lists.change, methods=["POST"]),
        Route("/sign-out", review.sign_out, methods=["POST"]),
        Route("/a/{token}", review.one_click, methods=["GET", "POST"]),
        Route("/style.css", review.style),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            # Per process: a restart signs everyone out, and there is no session secret to configure or leak.
            secret_key=secrets.token_urlsafe(32),
            session_cookie="pitchgate_session",
            max_age=SESSION_SECONDS,
            same_site="strict",
            https_only=web.base_url.startswith("https://"),
        ),
    ]
    handlers = {Denied: review.denied, StoreError: review.store_down}
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
