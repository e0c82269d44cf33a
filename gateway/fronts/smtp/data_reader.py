"""Reading one DATA transfer off the wire in a single pass, into a single buffer.

aiosmtpd keeps one bytearray per line and joins them at the end, which costs several times the message
in memory. Here the bytes are taken as the transport hands them over: complete lines are dot-unstuffed
(RFC 5321 4.5.2) and written to one growing buffer, and only the last, unfinished line is kept apart so
that neither the terminator nor a line's leading dot is ever split between two reads. Every byte is
charged to the in-flight budget as it arrives, so a transfer over the budget stops taking memory at once.
"""

from __future__ import annotations

import enum
import io

from gateway.fronts.smtp.inflight import InFlight

TERMINATOR = b"\r\n.\r\n"
_CRLF = b"\r\n"


def _longest_line(segment: bytearray) -> int:
    """The longest line in a run of complete lines (split at CRLF only, as SMTP does)."""
    return max(map(len, segment.split(_CRLF)))


class Outcome(enum.Enum):
    """How a transfer ended; anything but OK means the content was dropped while the rest was drained."""

    OK = "ok"
    TOO_LONG = "too_long"
    TOO_MUCH = "too_much"
    NO_ROOM = "no_room"


class DataReader:
    """Collects one message: feed it what arrives until it returns the bytes after the terminator."""

    def __init__(self, *, size_limit: int, line_limit: int, budget: InFlight, reserved: int = 0) -> None:
        self._size_limit = size_limit
        self._line_limit = line_limit
        self._budget = budget
        self.charged = reserved  # bytes taken from the budget so far, a reservation made at DATA included
        self.outcome = Outcome.OK
        self._received = 0
        self._out: io.BytesIO | None = io.BytesIO()
        # The stream as if the DATA command's own CRLF began it: a terminator is then always CRLF . CRLF,
        # also for an empty message, and every kept segment starts at a line ending.
        self._tail = bytearray(_CRLF)
        self._first = True

    def feed(self, chunk: bytes) -> bytes | None:
        """Take bytes from the wire; once the terminator is in, return what follows it (perhaps b"")."""
        self._charge(len(chunk))
        tail = self._tail
        tail += chunk
        end = tail.find(TERMINATOR)
        if end >= 0:
            leftover = bytes(tail[end + len(TERMINATOR) :])
            if self._out is not None:
                self._keep(end + len(_CRLF), final=True)  # the terminator's CRLF ends the last line
            self._tail = bytearray()
            return leftover
        if self._out is not None:
            self._keep(tail.rfind(_CRLF), final=False)  # all but the unfinished line
        if self._out is not None and len(tail) - len(_CRLF) > self._line_limit:
            self._drop(Outcome.TOO_LONG)
        if self._out is None:
            del tail[: -(len(TERMINATOR) - 1)]  # draining: only a terminator split across reads matters
        return None

    def content(self) -> bytes:
        """The unstuffed message; the buffer itself, not a copy of it (BytesIO hands over its bytes)."""
        assert self._out is not None and self.outcome is Outcome.OK
        out, self._out = self._out, None
        return out.getvalue()

    def release(self) -> None:
        """Give the charged bytes back: call once the message has left memory (relayed, held or refused)."""
        self._budget.release(self.charged)
        self.charged = 0

    def _charge(self, size: int) -> None:
        self._received += size
        need = self._received - self.charged
        if self._out is None or need <= 0:
            return
        if self._budget.charge(need):
            self.charged += need
        else:
            self._drop(Outcome.NO_ROOM)

    def _keep(self, upto: int, *, final: bool) -> None:
        """Unstuff and store the complete lines in tail[:upto]; a segment always starts at a CRLF, so a
        leading dot is CRLF-dot within it and never straddles two segments."""
        assert self._out is not None
        pending = upto if final else len(self._tail)  # an unfinished line counts towards the size too
        if self._out.tell() + pending - len(_CRLF) > self._size_limit:
            self._drop(Outcome.TOO_MUCH)
            return
        if upto <= 0:
            return
        if upto > self._line_limit and _longest_line(self._tail[:upto]) > self._line_limit:
            self._drop(Outcome.TOO_LONG)
            return
        segment = self._tail[:upto].replace(b"\r\n.", _CRLF)
        self._out.write(memoryview(segment)[len(_CRLF) if self._first else 0 :])
        self._first = False
        del self._tail[:upto]

    def _drop(self, outcome: Outcome) -> None:
        """Stop keeping content (the client still gets its reply after the terminator) and free it."""
        self.outcome, self._out = outcome, None
        self.release()
