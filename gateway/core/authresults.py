"""Authentication-Results headers worth believing: from a trusted authserv-id, added by our own MTA.

Anyone can type an Authentication-Results header, so `trusted_authserv_ids` alone proves nothing: a
client can put "mx.example.com; dkim=pass" into the message it sends. Our MTA adds its verdict above
the Received header it writes for that hop, so (RFC 8601 §5, §7.2) only headers above the first
`received_hops` Received headers (by default our MX's one) are ours; everything below came with the
message. A message with fewer Received headers than that never passed our MTA, and nothing in it is
trusted. Parsing is authres's (the parser the DKIM/DMARC Python tools use), not regexes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import authres

from gateway.core.message import Message


@dataclass(frozen=True)
class AuthResult:
    """One method's result from a trusted header: ("dkim", "pass", {"header.d": "vendor.example"})."""

    authserv: str
    method: str
    result: str
    props: dict[str, str] = field(default_factory=dict)

    def domain(self, prop: str) -> str:
        """A property as a bare lower-case domain ("header.i" = "@x.example" gives "x.example")."""
        return self.props.get(prop, "").rpartition("@")[2].strip().rstrip(".").lower()


def trusted_results(msg: Message, authserv_ids: frozenset[str], received_hops: int = 1) -> list[AuthResult]:
    """Every result in the Authentication-Results headers our own MTA added, topmost first (once per message)."""
    if not authserv_ids:
        return []
    key = f"authres:{received_hops}:{','.join(sorted(authserv_ids))}"
    found = msg.memo.get(key)
    if not isinstance(found, list):
        found = _trusted(msg, authserv_ids, received_hops)
        msg.memo[key] = found
    return list(found)


def _trusted(msg: Message, authserv_ids: frozenset[str], received_hops: int) -> list[AuthResult]:
    ours: list[str] = []
    received = 0
    for name, value in _items(msg):
        if name.lower() == "received":
            received += 1
            if received >= received_hops:
                return [r for v in ours for r in _parse(v, authserv_ids)]
        elif name.lower() == "authentication-results" and _first_token(value) in authserv_ids:
            ours.append(value)
    return []  # it never passed our MTA (too few Received headers): none of its claims are ours


def _items(msg: Message) -> list[tuple[str, str]]:
    try:
        return [(str(k), str(v)) for k, v in msg.parsed.items()]
    except Exception:  # a header the email package cannot render is no verdict of ours
        return []


def _first_token(value: str) -> str:
    # authres costs about a millisecond a header; most headers name another server, so look first.
    return (value.split(";", 1)[0].split() or [""])[0].lower()


def _parse(value: str, authserv_ids: frozenset[str]) -> list[AuthResult]:
    try:
        header = authres.AuthenticationResultsHeader.parse_value(" ".join(value.split()))
    except Exception:  # authres raises its own syntax errors; a header we cannot read is not a pass
        return []
    authserv = str(header.authserv_id or "").lower()
    if authserv not in authserv_ids:
        return []
    return [
        AuthResult(
            authserv,
            str(r.method).lower(),
            str(r.result).lower(),
            {f"{p.type}.{p.name}".lower(): str(p.value) for p in r.properties},
        )
        for r in header.results
    ]
