"""DKIM verification of one signature of a message, with dkimpy, telling a DNS outage from a failure.

Used for LinkedIn's signature (the linkedin signal) and for the From alignment that consent rests on
(gateway/core/identity.py). `dnsfunc` replaces the resolver; tests pass one because there is no DNS here.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import dkim
import dkim.dnsplug

if TYPE_CHECKING:
    from gateway.core.message import Message

DnsFunc = Callable[..., bytes | None]
_SIG_DOMAIN = re.compile(r"(?:^|;)\s*d\s*=\s*([^;\s]+)", re.IGNORECASE)
# dkimpy logs every failed signature at ERROR; the verdict's symbols already say so.
_DKIM_LOG = logging.getLogger("pitchgate.dkimpy")
_DKIM_LOG.setLevel(logging.CRITICAL)


def signature_domains(msg: Message) -> list[str]:
    """d= of every DKIM-Signature, in header order (the order dkimpy indexes them)."""
    domains = []
    for value in msg.headers("DKIM-Signature"):
        found = _SIG_DOMAIN.search(value)
        domains.append(found.group(1).lower().rstrip(".") if found else "")
    return domains


async def verify(raw: bytes, idx: int, dnsfunc: DnsFunc | None, timeout: int) -> bool | None:
    """True/False for the idx-th signature; None when DNS failed temporarily (no verdict either way)."""
    return await asyncio.to_thread(_verify_one, raw, idx, dnsfunc, timeout)


def _verify_one(raw: bytes, idx: int, dnsfunc: DnsFunc | None, timeout: int) -> bool | None:
    base: DnsFunc = dnsfunc or dkim.dnsplug.get_txt
    timed_out: list[bytes] = []

    # dkimpy turns a DNS timeout into a plain failure; remember it so an outage is not "forged".
    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        try:
            return base(name, timeout=timeout)
        except dkim.DnsTimeoutError:
            timed_out.append(name)
            raise

    try:
        verifier = dkim.DKIM(raw, logger=_DKIM_LOG, timeout=timeout)
        ok = bool(verifier.verify(idx=idx, dnsfunc=lookup))
    except Exception:  # a malformed signature or key is simply not a pass
        ok = False
    return None if timed_out and not ok else ok
