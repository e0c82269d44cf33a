"""Campaign fingerprints: what ties one campaign's messages together when it writes from rotating senders.

A campaign that sends from several addresses and domains keeps its template, its signature name, its
tracking host and its booking link. Each becomes a short feature key: the template's MinHash
(datasketch) cut into LSH bands, so that two texts about 75% alike share a band; the
sender's full name; a tracking host that is not a shared tool's; the booking link's host and path. The
cadence signal looks the keys up in the recipient's marks: a hit names the sequence that key was last
counted under, and the new message joins it. Quoted or forwarded text is looked up too (never recorded),
so a follow-up that re-sends an earlier pitch under a new name lands in that pitch's sequence.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from datasketch import MinHash

from gateway.core.linkedin_mail import linkable, normalize_name
from gateway.core.message import Message
from gateway.core.signals.outreach import booking_urls, tool_for_host, tracking_hosts

CAMPAIGN = "campaign"
_PERM = 36
# 6 bands of 6 rows: P(share a band) is 9% at Jaccard 0.5, 50% at ~0.74, 84% at 0.8, 98% at 0.9: a
# template with its names swapped links, two people's similar phrasing rarely does.
_ROWS = 6
_SHINGLE = 3
# A template is a paragraph or more; shorter texts ("any update?") are alike by accident.
_MIN_SHINGLES = 12
_MAX_WORDS = 400
_URL = re.compile(r"\S+://\S+|\S+@\S+|www\.\S+")
_WORD = re.compile(r"[^\W\d_]+")
# One set of permutations for every message: generating them is most of a MinHash's cost.
_SEED = MinHash(num_perm=_PERM, seed=20261202)


def _shingles(text: str) -> set[bytes]:
    words = _WORD.findall(_URL.sub(" ", text.lower()))[:_MAX_WORDS]
    return {" ".join(words[i : i + _SHINGLE]).encode() for i in range(len(words) - _SHINGLE + 1)}


def template_bands(text: str) -> list[str]:
    """The LSH band keys of a text's word shingles, or [] when it is too short to be a template."""
    shingles = _shingles(text)
    if len(shingles) < _MIN_SHINGLES:
        return []
    sketch = MinHash(num_perm=_PERM, permutations=_SEED.permutations, scheme=_SEED.scheme)
    sketch.update_batch(list(shingles))
    values = sketch.hashvalues
    keys = []
    for band in range(_PERM // _ROWS):
        part = values[band * _ROWS : (band + 1) * _ROWS].tobytes()
        keys.append(f"t{band}:{hashlib.blake2b(part, digest_size=6).hexdigest()}")
    return keys


def features(msg: Message) -> dict[str, str]:
    """The message's own campaign keys, each with what it stands for (for the evidence line)."""
    found: dict[str, str] = {}
    name = normalize_name(msg.from_name)
    if linkable(name):
        found[f"name:{name}"] = f"signature name {name!r}"
    for url in booking_urls(msg):
        parts = urlsplit(url)
        where = f"{(parts.hostname or '').lower()}{parts.path.rstrip('/').lower()}"
        found[f"book:{where}"] = f"booking link {where}"
    for host in tracking_hosts(msg):
        if not tool_for_host(host):  # a tool's shared host says which tool, not which campaign
            found[f"trk:{host}"] = f"tracking host {host}"
    # Not the subject: steps of one sequence change it, and a quote (below) carries none.
    for key in template_bands(msg.author_text):
        found[key] = "the same template"
    return found


def quoted_features(msg: Message) -> dict[str, str]:
    """Keys of the quoted or forwarded text: looked up, never recorded (it is someone's earlier mail)."""
    return {key: "a quote of the earlier message" for key in template_bands(msg.visible.quoted)}
