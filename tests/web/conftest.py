"""The review page on a real listener in front of a real gateway, store and sink, plus a headless Chromium.

`site` runs the gateway (SMTP front, SQLite store, aiosmtpd sink upstream) and the review page through
serve.py's own `_web_listener`, all in the test's event loop. Mail is held the way it is in production: it
is sent over SMTP from a blocked domain. The clock is a ManualClock so that links can be made to expire.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest

from gateway.actions.links import LinkAction, LinkSigner
from gateway.clock import ManualClock
from gateway.commands.serve import _web_listener
from gateway.store.base import GLOBAL_SCOPE, ListKind
from tests.mail import make_message
from tests.smtp_helpers import Gateway, Sink, make_settings, start_gateway

ADMIN_TOKEN = "admin-token-for-the-tests-7f3a9c"
LINK_SECRET = "link-secret-for-the-tests-51be0d"
BLOCKED = "pitcher.test"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Site:
    gateway: Gateway
    sink: Sink
    signer: LinkSigner
    clock: ManualClock
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def link(self, recipient: str, action: LinkAction = LinkAction.VIEW, qid: str = "") -> str:
        return self.signer.sign(recipient, action, self.clock.now(), qid)

    async def hold(self, to: str, subject: str, raw: bytes | None = None, sender: str = "") -> str:
        """Send a message from the blocked domain through the gateway; returns its quarantine id."""
        sender = sender or f"sam@{BLOCKED}"
        raw = raw or make_message(sender=sender, to=to, subject=subject, body=f"Hi,\n\n{subject}.\n\nSam\n")
        _, reply = await aiosmtplib.send(
            raw, sender=sender, recipients=[to], hostname="127.0.0.1", port=self.gateway.port
        )
        found = re.search(r"queued as (\S+)", reply)
        assert found, f"not held: {reply}"
        return found.group(1)

    async def held_ids(self) -> set[str]:
        return {r.id for r in await self.gateway.app.store.quarantine_list()}


@pytest.fixture
async def site(sink: Sink, tmp_path: Path) -> AsyncIterator[Site]:
    web = {"listen": "127.0.0.1:0", "admin_token": ADMIN_TOKEN, "link_secret": LINK_SECRET}
    settings = make_settings(tmp_path / "state", sink.port, web=web)
    clock = ManualClock(time.time())
    gateway = await start_gateway(settings, clock)
    await gateway.app.store.list_add(ListKind.BLOCK, GLOBAL_SCOPE, BLOCKED)
    listener = _web_listener(settings, gateway.app)
    assert listener is not None
    listener.start()
    while not listener.started:
        await asyncio.sleep(0.01)
    yield Site(gateway, sink, LinkSigner.from_settings(settings.web), clock, listener.port)
    await listener.stop()
    await gateway.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Debian's Chromium driven by Playwright. Missing: a skip locally, a failure under CI."""
    reason = ""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[test]')"
    if not reason and not Path(CHROMIUM).exists():
        reason = f"no {CHROMIUM} (apt-get install -y chromium)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()
