"""The `--workers` parent is light (issue 15): it becomes gateway/commands/supervisor.py under the same PID,
holds at most 40 MB, has none of the application loaded, still serves health and stops its workers."""

from __future__ import annotations

import asyncio
import signal
import urllib.request
from pathlib import Path

from tests.procs import start_serve
from tests.smtp_helpers import Sink

PARENT_LIMIT_KB = 40 * 1024


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _status(pid: int, field: str) -> int:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith(field))
    return int(line.split()[1])


async def test_workers_parent_is_light_and_keeps_its_pid(sink: Sink, tmp_path: Path) -> None:
    proc, _, metrics_port = await start_serve(tmp_path / "state", sink.port, "--workers", "2")
    try:
        await asyncio.sleep(1.0)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"gateway.commands.supervisor" in cmdline  # the same PID, now the supervisor
        assert _status(proc.pid, "VmHWM:") <= PARENT_LIMIT_KB  # peak since the exec
        maps = Path(f"/proc/{proc.pid}/maps").read_text()
        assert "sklearn" not in maps and "scipy" not in maps  # the model's libraries never loaded
        # The children: the two workers, and multiprocessing's small resource tracker.
        workers = [w for w in _children(proc.pid) if _status(w, "VmRSS:") > PARENT_LIMIT_KB]
        assert len(workers) == 2
        url = f"http://127.0.0.1:{metrics_port}/healthz"
        body = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
        assert body == b"ok\n"
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0
    assert all(not Path(f"/proc/{w}").exists() for w in workers)  # joined (so reaped) before it exited
