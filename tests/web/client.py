"""A plain HTTP client for the review page over a real socket: explicit headers, one session cookie, no magic.

http.client runs in a thread so the test's event loop (which also runs the server) stays free.
"""

from __future__ import annotations

import asyncio
import http.client
import re
import urllib.parse
from dataclasses import dataclass, field

COOKIE = "pitchgate_session"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    body: bytes = b""

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.text)
        assert found, "no CSRF field on the page"
        return found.group(1)


@dataclass
class Client:
    port: int
    cookie: str = ""
    default_headers: dict[str, str] = field(default_factory=dict)

    async def get(self, path: str, **headers: str) -> Response:
        return await self.request("GET", path, None, headers)

    async def post(self, path: str, form: dict[str, str] | None = None, **headers: str) -> Response:
        return await self.request("POST", path, form or {}, headers)

    async def post_pairs(self, path: str, form: list[tuple[str, str]], **headers: str) -> Response:
        """A POST whose form repeats fields (several `qid`s)."""
        return await self.request("POST", path, form, headers)

    async def get_bytes(self, path: str, **headers: str) -> Response:
        """A GET whose body is kept as bytes (`body`), for downloads."""
        return await self.request("GET", path, None, headers)

    async def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | list[tuple[str, str]] | None,
        headers: dict[str, str],
    ) -> Response:
        sent = {**self.default_headers, **{k.replace("_", "-"): v for k, v in headers.items()}}
        if self.cookie:
            sent["Cookie"] = f"{COOKIE}={self.cookie}"
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        response = await asyncio.to_thread(self._call, method, path, body, sent)
        found = re.match(rf"{COOKIE}=([^;]*)", response.headers.get("set-cookie", ""))
        if found:
            self.cookie = found.group(1)
        return response

    def _call(self, method: str, path: str, body: str | None, headers: dict[str, str]) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            body = raw.read()
            headers = {k.lower(): v for k, v in raw.getheaders()}
            return Response(raw.status, headers, body.decode(errors="replace"), body)
        finally:
            conn.close()
