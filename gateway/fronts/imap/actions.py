"""Doing what a verdict says, on the mailbox: pass leaves the message alone, tag adds the keyword, quarantine
moves it to the hold folder. A refusal by the server (NO, BAD) leaves the message where it is; a lost
connection propagates, so the message is handled again after reconnecting (its cursor was not advanced).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from gateway.core.policy import Action, Verdict
from gateway.fronts.imap.mailbox import Mailbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Done:
    """What happened on the server: `ok` False when it refused and the message stayed in the INBOX."""

    ok: bool
    text: str


async def act(mailbox: Mailbox, uid: int, verdict: Verdict, keyword: str, hold_folder: str) -> Done:
    try:
        if verdict.action is Action.TAG:
            await asyncio.to_thread(mailbox.add_keyword, uid, keyword)
            return Done(True, f"tagged {keyword}")
        if verdict.action is Action.QUARANTINE:
            how = await asyncio.to_thread(mailbox.hold, uid, hold_folder)
            return Done(True, f"moved to {hold_folder} ({how})")
    except IMAPClientAbortError:
        raise  # the connection is gone: reconnect, then this message again
    except IMAPClientError as exc:
        log.error("the server refused to %s message UID %d: %s", verdict.action, uid, exc)
        return Done(False, f"{verdict.action} refused by the server, kept in the INBOX")
    return Done(True, "kept")
