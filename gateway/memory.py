"""Handing freed memory back to the operating system, which glibc's malloc does not do by itself.

After a 20 MB buffer is freed, glibc raises its mmap threshold to that size, so the next big buffers come
from the heap, and a heap that has grown is rarely given back: RSS stays at its peak long after the load
has gone. Pinning the thresholds keeps big buffers in their own mappings (freed at once), and a trim after
a big message returns what the heap holds free. Nothing happens where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

log = logging.getLogger(__name__)

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 256 * 1024
"""Buffers this big or bigger get their own mapping; far above Python's small objects (512 bytes)."""
BIG = 1024 * 1024
"""A message this big or bigger is followed by a trim."""


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def tune() -> bool:
    """Pin malloc's thresholds and cap its arenas (threads otherwise get 64 MB heaps of their own);
    True when glibc took them. Call once, early, before threads start."""
    libc = _glibc()
    if libc is None:
        return False
    ok = all(
        libc.mallopt(option, value) == 1
        for option, value in (
            (_M_MMAP_THRESHOLD, MMAP_THRESHOLD),
            (_M_TRIM_THRESHOLD, 4 * MMAP_THRESHOLD),
            (_M_ARENA_MAX, 2),
        )
    )
    if not ok:
        log.warning("glibc refused a malloc setting; memory may not be returned after big messages")
    return ok


def trim_after(size: int) -> None:
    """Return the heap's free memory to the system once a message of `size` bytes has been let go."""
    libc = _glibc()
    if libc is not None and size >= BIG:
        libc.malloc_trim(0)
