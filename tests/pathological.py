"""Generated pathological messages: each one is cheap to send and, unbounded, costly to scan.

Shared by tests/reliability/test_pathological.py and bench/bench_pathological.py. The held pitch is a
sales-tool message (tool header, booking link, tracking pixel, pitch wording) that the default policy
quarantines; `padded_pitch` adds megabytes of HTML after it, which must not turn the hold into a pass.
"""

from __future__ import annotations

MIB = 1024 * 1024
_HEAD = (
    "From: Dana Seller <dana@vendor.test>\r\n"
    "To: bob@example.com\r\n"
    "Subject: {subject}\r\n"
    "Message-ID: <{mid}@vendor.test>\r\n"
    "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
    "MIME-Version: 1.0\r\n"
)
PITCH_TEXT = (
    "Hi Bob,\r\n\r\n"
    "Just following up on my last email. Our platform helps teams like yours boost revenue by 40%\r\n"
    "and cut costs, and I'd love to show you a quick demo. Are you the right person to talk to about\r\n"
    "your sales pipeline? Book a 15-minute call here: https://calendly.com/dana-seller/demo\r\n\r\n"
    "Best,\r\nDana\r\n"
)


def _head(subject: str, mid: str, extra: str = "") -> bytes:
    return (_HEAD.format(subject=subject, mid=mid) + extra).encode()


def html_rows(size: int, mid: str = "rows", per_line: int = 1) -> bytes:
    """`size` bytes of `<tr><td>x</td></tr>` lines: the HTML to text step's worst case (table layout).

    `per_line` rows share a line: fewer lines make the SMTP transfer itself cheap, the scan stays as dear."""
    line = b"<tr><td>x</td></tr>" * per_line + b"\r\n"
    rows = line * (size // len(line))
    return (
        _head("rows", mid, "Content-Type: text/html; charset=utf-8\r\n")
        + b"\r\n<html><body><table>\r\n"
        + rows
        + b"</table></body></html>\r\n"
    )


def tiny_parts(count: int, mid: str = "parts") -> bytes:
    """`count` one-line MIME parts in one multipart/mixed."""
    part = b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n"
    return (
        _head("parts", mid, 'Content-Type: multipart/mixed; boundary="b"\r\n')
        + b"\r\n"
        + part * count
        + b"--b--\r\n"
    )


def on_lines(size: int, mid: str = "on") -> bytes:
    """`size` bytes of "On a ..." lines: every one starts a quote attribution the regex must try."""
    line = b"On a day like this one, somebody almost wrote something\r\n"
    return _head("on", mid, "Content-Type: text/plain\r\n") + b"\r\n" + line * (size // len(line))


def many_urls(count: int, mid: str = "urls") -> bytes:
    """`count` distinct URLs in the plain text."""
    urls = b"".join(b"https://host%d.example.net/path/%d\r\n" % (i % 997, i) for i in range(count))
    return _head("urls", mid, "Content-Type: text/plain\r\n") + b"\r\n" + urls


def padded_pitch(padding: int, mid: str = "padded") -> bytes:
    """The held pitch, with `padding` bytes of table HTML after its HTML version."""
    html = (
        "<html><body><p>"
        + PITCH_TEXT.replace("\r\n", "<br>\r\n")
        + '</p><img src="https://t.vendor.test/o/123" width="1" height="1">\r\n<table>\r\n'
    ).encode()
    line = b"<tr><td>x</td></tr>\r\n"
    return (
        _head(
            "Quick question about your pipeline",
            mid,
            'Content-Type: multipart/alternative; boundary="alt"\r\n' + "X-Mailer: lemlist\r\n",
        )
        + b"\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + PITCH_TEXT.encode()
        + b"\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        + html
        + line * (padding // len(line))
        + b"</table></body></html>\r\n--alt--\r\n"
    )


def corpus(scale: float = 1.0) -> dict[str, bytes]:
    """The bench's set, at the sizes the issue measured (scale 1.0); tests use smaller scales."""
    return {
        "html-rows-5MB": html_rows(int(5 * MIB * scale)),
        "html-rows-20MB": html_rows(int(20 * MIB * scale)),
        "tiny-parts-200k": tiny_parts(int(200_000 * scale)),
        "on-lines-5MB": on_lines(int(5 * MIB * scale)),
        "urls-100k": many_urls(int(100_000 * scale)),
        "padded-pitch-8MB": padded_pitch(int(8 * MIB * scale)),
    }
