"""Caps on the work one message may cost: bytes parsed, MIME parts walked, HTML converted, text, URLs.

Every parse and regex in the scan is linear or worse in its input, and the input is the sender's to
choose: 5 MB of table rows cost seconds in the HTML to text step. A message over a cap is judged on the
part that fits and says which cap it hit (the SCAN_TRUNCATED symbol, weight 0), so padding a pitch buys it
neither a pass nor a stalled gateway.
"""

from __future__ import annotations

from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class ScanLimits:
    """The caps, from [scan] in the configuration."""

    parse_bytes: int = 2 * MIB
    """Raw bytes handed to the MIME parser; text and HTML sit at the top, attachments and padding below."""
    mime_parts: int = 200
    """MIME parts the parser builds and the body walk visits."""
    html_bytes: int = 32 * KIB
    """HTML characters converted to text and searched for links (the costliest step per byte)."""
    text_chars: int = 32 * KIB
    """Characters of body text the regexes and the classifier see."""
    urls: int = 200
    """Links and images examined."""


def cut(value: str, cap: int, name: str, notes: list[str]) -> str:
    """`value` cut to `cap` characters, noting the cap in `notes` when it bites."""
    if len(value) <= cap:
        return value
    notes.append(f"{name} {len(value)} > {cap}")
    return value[:cap]
