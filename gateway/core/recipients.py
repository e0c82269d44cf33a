"""Per-recipient verdicts: each recipient's own view of a message, and the strongest verdict over them.

One message to Carol and Bob is two decisions: Carol's consent must not let a pitch through to Bob, and a
reply Carol asked for must not be held for Bob's sake. The relationship signals therefore see a view of
the message whose envelope names one recipient; everything else (the parse, the body, the text work) is
the same object underneath, computed once.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, replace

from gateway.core.message import Message, normalize_address
from gateway.core.verdict import Action, Verdict

RANK = {Action.PASS: 0, Action.TAG: 1, Action.QUARANTINE: 2}
"""How strong an action is, for "the strongest over the recipients": quarantine > tag > pass."""


@dataclass(frozen=True)
class Judged:
    """One recipient's verdict and the view it was judged on (learning and logging use the same)."""

    recipient: str
    """As the client wrote it at RCPT ("" for a message without recipients, e.g. a `scan` of a file)."""
    message: Message
    verdict: Verdict


def view_for(msg: Message, rcpt: str) -> Message:
    """`msg` as seen by one recipient: the same parse, body and memo (the sender's alignment, checked once),
    and every value already derived, with an envelope that names `rcpt` alone."""
    view = copy.copy(msg)  # shallow: derived values and the memo are shared, not recomputed
    view.envelope = replace(msg.envelope, rcpt_tos=(rcpt,), cohort=msg.envelope.rcpt_tos)
    view.__dict__.pop("recipients", None)  # the one derived value that depends on the recipients
    return view


def alike(msg: Message, verdict: Verdict) -> tuple[Judged, ...]:
    """One verdict for every recipient (outbound mail, a failed scan, a single recipient)."""
    return tuple(Judged(r, msg, verdict) for r in msg.envelope.rcpt_tos) or (Judged("", msg, verdict),)


def strength(verdict: Verdict) -> tuple[int, int, float]:
    return RANK[verdict.action], RANK[verdict.would or verdict.action], verdict.score


def strongest(judged: Iterable[Judged]) -> Judged:
    """The recipient whose verdict is strongest (quarantine > tag > pass, then shadow's would, then score)."""
    return max(judged, key=lambda j: strength(j.verdict))


def actions(judged: Iterable[Judged]) -> dict[str, str]:
    """Each recipient's action, keyed by the normalised address (as the store and the records key it)."""
    return {normalize_address(j.recipient): str(j.verdict.action) for j in judged if j.recipient}
