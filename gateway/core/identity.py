"""Who a message is from, as far as anyone can prove: the identity consent and cadence count against.

`From:` costs a forger nothing to type. Like DMARC (relaxed alignment), the From address counts only
when its organisational domain matches the envelope sender's or that of a verified DKIM signature (d=),
verified here with dkimpy or reported by a trusted Authentication-Results header
(gateway/core/authresults.py). Aligned mail is from its From address; unaligned mail is from its envelope
sender, gets no consent, and counts against that sender's own sequence, never someone else's.

A trusted dmarc=fail, or spf=fail for the envelope sender, overrides the envelope match: the MTA that
checked says the envelope is forged too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway.core.authresults import AuthResult, trusted_results
from gateway.core.dkim_verify import DnsFunc, signature_domains, verify
from gateway.core.domains import org_domain
from gateway.core.message import Message, domain_of

_MEMO = "identity"


@dataclass(frozen=True)
class AuthOptions:
    """The options every signal that asks for an identity is built with (the [auth] section)."""

    authserv_ids: frozenset[str] = frozenset()
    received_hops: int = 1
    verify_dkim: bool = True
    timeout: int = 5
    dnsfunc: DnsFunc | None = None

    @classmethod
    def from_options(cls, opts: Mapping[str, Any]) -> AuthOptions:
        return cls(
            frozenset(str(a).lower() for a in opts.get("trusted_authserv_ids", [])),
            int(opts.get("authres_received_hops", 1)),
            bool(opts.get("verify_dkim", True)),
            int(opts.get("dkim_timeout", 5)),
            opts.get("dkim_dnsfunc"),  # tests stub DNS here: there is none on the test machine
        )


@dataclass(frozen=True)
class Identity:
    """The counterpart address, whether it is proven (aligned), and how we know."""

    address: str
    aligned: bool
    how: str


def aligned(a: str, b: str) -> bool:
    """Relaxed alignment: the two domains share an organisational domain."""
    return bool(a and b) and org_domain(a) == org_domain(b)


async def identity(msg: Message, opts: AuthOptions) -> Identity:
    """The message's identity, worked out once per message however many signals ask."""
    task = msg.memo.get(_MEMO)
    if not _usable(task):
        task = asyncio.ensure_future(_resolve(msg, opts))
        msg.memo[_MEMO] = task
    assert isinstance(task, asyncio.Future)
    found = await task
    assert isinstance(found, Identity)
    return found


def _usable(task: object) -> bool:
    """A memo still worth awaiting: a scan that timed out cancelled it, and learning must ask afresh."""
    if not isinstance(task, asyncio.Future):
        return False
    return not task.done() or (not task.cancelled() and task.exception() is None)


async def _resolve(msg: Message, opts: AuthOptions) -> Identity:
    envelope = msg.sender if msg.envelope.mail_from else ""
    author = msg.from_addr
    if not author:
        return Identity(envelope, False, "no From address")
    how = await _alignment(msg, author, envelope, opts)
    if how:
        return Identity(author, True, how)
    return Identity(envelope, False, f"From {author} is not aligned with the envelope or a verified DKIM d=")


async def _alignment(msg: Message, author: str, envelope: str, opts: AuthOptions) -> str:
    """Why From is proven, or "" when it is not."""
    domain = domain_of(author)
    results = trusted_results(msg, opts.authserv_ids, opts.received_hops)
    if _says(results, "dmarc", "fail", "header.from", domain):
        return ""
    if _says(results, "dmarc", "pass", "header.from", domain):
        return f"dmarc=pass per {results[0].authserv}"
    for r in results:
        if (
            r.method == "dkim"
            and r.result == "pass"
            and aligned(r.domain("header.d") or r.domain("header.i"), domain)
        ):
            return f"dkim=pass d={r.domain('header.d') or r.domain('header.i')} per {r.authserv}"
    spf_failed = any(r.method == "spf" and r.result in ("fail", "softfail") for r in results)
    if aligned(domain_of(envelope), domain) and not spf_failed:
        return "From aligned with the envelope sender"
    if opts.verify_dkim:
        return await _verified_signature(msg, domain, opts)
    return ""


def _says(results: list[AuthResult], method: str, result: str, prop: str, domain: str) -> bool:
    return any(r.method == method and r.result == result and aligned(r.domain(prop), domain) for r in results)


async def _verified_signature(msg: Message, domain: str, opts: AuthOptions) -> str:
    for idx, d in enumerate(signature_domains(msg)):
        if aligned(d, domain) and await verify(msg.raw, idx, opts.dnsfunc, opts.timeout):
            return f"DKIM d={d} verified"
    return ""
