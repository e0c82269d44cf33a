"""MAIL and RCPT parameters the front takes on the upstream's behalf: DSN (RFC 3461), in their own spelling.

aiosmtpd knows no DSN parameter (it answers 555 to RET, ENVID, NOTIFY and ORCPT) and upper-cases every
parameter it hands on, while ENVID and ORCPT carry the client's text, case included. The front offers DSN
only when its upstream does; these checks keep a malformed value from reaching the upstream, and
`as_sent` recovers each parameter as the client wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_XTEXT = r"(?:[!-*,-<>-~]|\+[0-9A-Fa-f]{2})+"
_DSN = {
    "MAIL": {
        "RET": re.compile(r"FULL|HDRS", re.I),
        "ENVID": re.compile(rf"{_XTEXT}"),
    },
    "RCPT": {
        "NOTIFY": re.compile(r"NEVER|(?:SUCCESS|FAILURE|DELAY)(?:,(?:SUCCESS|FAILURE|DELAY))*", re.I),
        "ORCPT": re.compile(rf"[A-Za-z0-9-]+;{_XTEXT}"),
    },
}
_ENVID_MAX = 100  # RFC 3461 4.4; ORCPT is bounded by the command line itself


def dsn_params(verb: str, params: Sequence[str]) -> tuple[list[str], bool]:
    """The parameters without the DSN ones of this verb, and whether those DSN ones were well formed."""
    allowed = _DSN.get(verb, {})
    rest: list[str] = []
    valid = True
    for param in params:
        name, _, value = param.partition("=")
        pattern = allowed.get(name.upper())
        if pattern is None:
            rest.append(param)
            continue
        too_long = name.upper() == "ENVID" and len(value) > _ENVID_MAX
        valid = valid and pattern.fullmatch(value) is not None and not too_long
    return rest, valid


def params_after_address(rest: str | None) -> list[str]:
    """The parameters that follow the address in a MAIL or RCPT argument, spelt as sent."""
    return (rest or "").split()


def as_sent(options: Sequence[str], sent: Sequence[str]) -> list[str]:
    """aiosmtpd's upper-cased `options`, in the client's spelling when `sent` is that same list."""
    if [s.upper() for s in sent] == [o.upper() for o in options]:
        return list(sent)
    return list(options)
