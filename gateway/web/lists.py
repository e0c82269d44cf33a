"""The allow and block lists on the review page: a recipient sees and edits their own, an admin all of them.

Changes are same-origin POSTs with the session's CSRF token, like every other action, and each is logged
on one line (who, add or remove, which list, scope, entry). A recipient's scope is their own address
whatever the form says: a signed link never edits another recipient's lists or the global ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from gateway.core.policy import normalize_entry
from gateway.store.base import GLOBAL_SCOPE, ListKind, Store
from gateway.web.access import Access, Denied, Gate

log = logging.getLogger("pitchgate.web")

Render = Callable[..., HTMLResponse]
"""The review page's renderer: (request, template name, status=..., **context)."""


class ListsPage:
    """GET /lists shows the entries; POST /lists adds or removes one."""

    def __init__(self, store: Store, gate: Gate, render: Render) -> None:
        self._store = store
        self._gate = gate
        self._render = render

    async def show(self, request: Request) -> Response:
        return await self._show(request, self._gate.access(request))

    async def change(self, request: Request) -> Response:
        access = self._gate.access(request)
        form = await request.form()
        self._gate.check_post(request, access, form.get("csrf"))
        op, kind, scope, entry = self._parse(access, *(form.get(k) for k in ("op", "kind", "scope", "entry")))
        if op == "add":
            await self._store.list_add(kind, scope, entry)
            message = f"{entry} is on the {kind} list."
        elif await self._store.list_remove(kind, scope, entry):
            message = f"{entry} is off the {kind} list."
        else:
            message = f"{entry} was not on the {kind} list; nothing changed."
        fields = {"event": "web_list", "who": access.who, "op": op, "kind": str(kind), "scope": scope}
        log.info("web list change", extra={"fields": {**fields, "entry": entry}})
        return await self._show(request, access, message)

    async def _show(self, request: Request, access: Access, message: str = "") -> Response:
        entries = {
            str(kind): sorted(await self._store.list_entries(kind, access.recipient)) for kind in ListKind
        }
        return self._render(request, "lists.html", access=access, entries=entries, message=message)

    @staticmethod
    def _parse(access: Access, op: Any, kind: Any, scope: Any, entry: Any) -> tuple[str, ListKind, str, str]:
        if op not in ("add", "remove") or kind not in ("allow", "block") or not isinstance(entry, str):
            raise Denied(
                400, "Not understood", "Choose add or remove, the allow or block list, and an entry."
            )
        try:
            value = normalize_entry(entry[:254])
        except ValueError as exc:
            raise Denied(400, "Not an address or domain", str(exc)) from exc
        if access.recipient is not None:
            return op, ListKind(kind), access.recipient, value
        where = scope.strip().lower()[:254] if isinstance(scope, str) and scope.strip() else GLOBAL_SCOPE
        return op, ListKind(kind), where, value
