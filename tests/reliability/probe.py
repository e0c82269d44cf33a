"""A second client in a process of its own: how long the gateway's banner and /healthz take while it works.

A separate process, so that what it measures is the gateway's loop and not the test's own (the test's
sink is busy receiving the very messages being scanned).

    python -m tests.reliability.probe SMTP_PORT HTTP_PORT

Samples every 50 ms until its stdin closes, then prints {"banner": [...], "healthz": [...]} in seconds.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
import threading
import time


def banner_seconds(port: int) -> float:
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(1024)
            if not chunk:
                break
            data += chunk
        elapsed = time.perf_counter() - started
        if not data.startswith(b"220"):
            raise RuntimeError(f"banner: {data!r}")
        sock.sendall(b"QUIT\r\n")
    return elapsed


def healthz_seconds(port: int) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/healthz")
    status = conn.getresponse().status
    conn.close()
    if status != 200:
        raise RuntimeError(f"/healthz: {status}")
    return time.perf_counter() - started


def main() -> None:
    smtp_port, http_port = int(sys.argv[1]), int(sys.argv[2])
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    samples: dict[str, list[float]] = {"banner": [], "healthz": []}
    while not done.is_set():
        samples["banner"].append(banner_seconds(smtp_port))
        samples["healthz"].append(healthz_seconds(http_port))
        done.wait(0.05)
    print(json.dumps(samples))


if __name__ == "__main__":
    main()
