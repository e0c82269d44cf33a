"""Load and soak: 10,000 messages through `pitchgate serve` over 32 connections, with nothing lost.

Starts a recording sink (bench/servers.py record) and the gateway as real processes, blocks one sender
domain so that part of the mix is quarantined, and sends scenario mail (tests/scenarios/generate.py:
pitches, follow-ups, LinkedIn notifications, wanted mail) with unique Message-IDs. Then it checks that the
Message-IDs delivered plus quarantined equal those sent, with no duplicates and no 5xx, and prints
messages per second, p50/p99/p999 latency, and the gateway's peak RSS and RSS growth (sampled from
/proc/PID/status; steady growth would be a leak). `--store redis` starts a private redis-server.

    python bench/soak_gateway.py [--messages 10000] [--concurrency 32] [--store sqlite|redis|both]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import mailbox
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiosmtplib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_gateway import free_port, start  # noqa: E402
from tests.scenarios.generate import generate  # noqa: E402

PITCHGATE = [sys.executable, "-m", "gateway"]
BLOCKED = "pitcher.test"


def load_mix(count: int, workdir: Path) -> list[tuple[str, str, bytes]]:
    """(sender, recipient, raw) for `count` messages: scenario inbound mail, every 20th from a blocked domain."""
    generate(workdir / "scenario", seed=7)
    base: list[tuple[str, str, bytes]] = []
    for path in sorted((workdir / "scenario").glob("*-inbox.mbox")):
        for msg in mailbox.mbox(str(path)):
            raw = msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            sender = re.sub(r".*<|>.*", "", str(msg["From"]))
            base.append((sender, str(msg["Delivered-To"]), raw))
    out = []
    for i in range(count):
        sender, rcpt, raw = base[i % len(base)]
        if i % 20 == 0:
            sender = f"sdr{i}@{BLOCKED}"
            raw = re.sub(rb"(?m)^From: .*$", f"From: {sender}".encode(), raw, count=1)
        new_id = f"Message-ID: <soak{i}@bench.test>".encode()
        raw = re.sub(rb"(?mi)^Message-ID:[^\r\n]*(?:\r\n[ \t][^\r\n]*)*", new_id, raw, count=1)
        out.append((sender, rcpt, raw))
    return out


@dataclass
class RssSampler:
    """Samples VmRSS of a process every `every` seconds in a thread; VmHWM gives the peak."""

    pid: int
    every: float = 0.25
    samples: list[tuple[float, int]] = field(default_factory=list)
    peak_kb: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _read(self) -> dict[str, int]:
        found = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
        return found

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                status = self._read()
            except OSError:
                return
            self.samples.append((time.monotonic(), status["VmRSS"]))
            self.peak_kb = max(self.peak_kb, status["VmHWM"])

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()


async def push(
    port: int, mix: list[tuple[str, str, bytes]], concurrency: int
) -> tuple[float, list[float], dict[int, int], set[str]]:
    """Send everything; returns seconds, latencies, a count per final reply code and the ids answered 250."""
    queue = list(reversed(range(len(mix))))
    latencies: list[float] = []
    codes: dict[int, int] = {}
    accepted: set[str] = set()

    async def worker() -> None:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=120)
        await client.connect()
        while queue:
            i = queue.pop()
            sender, rcpt, raw = mix[i]
            started = time.perf_counter()
            try:
                await client.sendmail(sender, [rcpt], raw)
                code = 250
                accepted.add(f"<soak{i}@bench.test>")
            except aiosmtplib.SMTPResponseException as exc:
                code = exc.code
                await client.rset()
            latencies.append(time.perf_counter() - started)
            codes[code] = codes.get(code, 0) + 1
        await client.quit()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, codes, accepted


def quarantined(store: list[str]) -> list[str]:
    out = subprocess.run(
        [*PITCHGATE, "quarantine", "list", "--format", "jsonl", *store],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [json.loads(line)["message_id"] for line in out.splitlines() if line.strip()]


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))] * 1000


def rss_growth(samples: list[tuple[float, int]]) -> tuple[int, int, float]:
    """RSS after the first tenth of the run, at the end, and the least-squares slope over the rest (KB/s)."""
    rest = samples[len(samples) // 10 :] or samples
    t0 = rest[0][0]
    xs, ys = [t - t0 for t, _ in rest], [float(kb) for _, kb in rest]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs) or 1.0
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var
    return rest[0][1], rest[-1][1], slope


def start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    binary = shutil.which("redis-server") or "redis-server"
    cmd = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(workdir), "--save", ""]
    cmd += ["--appendonly", "yes", "--appendfsync", "everysec"]
    return start(cmd, port), f"redis://127.0.0.1:{port}/0"


def run_one(kind: str, messages: int, concurrency: int) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        mix = load_mix(messages, work)
        procs: list[subprocess.Popen[bytes]] = []
        store = ["--state-dir", str(work / "state")]
        if kind == "redis":
            redis, url = start_redis(work)
            procs.append(redis)
            store = ["--redis-url", url]
        sink_port, gw_port = free_port(), free_port()
        ids_file = work / "delivered.txt"
        procs.append(
            start(
                [sys.executable, str(ROOT / "bench" / "servers.py"), "record", str(sink_port), str(ids_file)],
                sink_port,
            )
        )
        subprocess.run([*PITCHGATE, "block", "add", BLOCKED, *store], check=True, capture_output=True)
        gateway = [*PITCHGATE, "serve", "--local-domain", "example.com", "--listen", f"127.0.0.1:{gw_port}"]
        gateway += ["--upstream", f"127.0.0.1:{sink_port}", "--metrics-listen", f"127.0.0.1:{free_port()}"]
        # As the scenario suite runs it: the MX in front stamps Authentication-Results (no DNS here).
        config = work / "pitchgate.toml"
        config.write_text('[signals.linkedin]\ntrusted_authserv_ids = ["mx.example.com"]\n')
        gateway += ["--log-level", "WARNING", "--config", str(config), *store]
        gw = start(gateway, gw_port)
        procs.append(gw)
        sampler = RssSampler(gw.pid)
        sampler.start()
        try:
            seconds, latencies, codes, accepted = asyncio.run(push(gw_port, mix, concurrency))
        finally:
            sampler.stop()
            gw.terminate()
            gw.wait(60)
        held = quarantined(store)
        for proc in procs:
            proc.terminate()
            proc.wait(10)
        delivered = [line for line in ids_file.read_text().splitlines() if line]
        return report(kind, mix, seconds, latencies, codes, accepted, delivered, held, sampler)


def report(
    kind: str,
    mix: list[tuple[str, str, bytes]],
    seconds: float,
    latencies: list[float],
    codes: dict[int, int],
    accepted: set[str],
    delivered: list[str],
    held: list[str],
    sampler: RssSampler,
) -> bool:
    latencies.sort()
    sent = {f"<soak{i}@bench.test>" for i in range(len(mix))}
    both = set(delivered) | set(held)
    dupes = len(delivered) + len(held) - len(both)
    ok = both == sent and dupes == 0 and not any(code >= 500 for code in codes) and accepted == sent
    after_warmup, end, slope = rss_growth(sampler.samples)
    print(f"store: {kind}   messages: {len(mix)}   replies: {codes}")
    print(
        f"  delivered {len(delivered)} + quarantined {len(held)} = {len(delivered) + len(held)}; "
        f"missing {len(sent - both)}, duplicates {dupes}, 5xx {sum(v for c, v in codes.items() if c >= 500)}"
    )
    print(
        f"  {len(mix) / seconds:.0f} msg/s   p50 {percentile(latencies, 0.5):.1f} ms   "
        f"p99 {percentile(latencies, 0.99):.1f} ms   p999 {percentile(latencies, 0.999):.1f} ms"
    )
    print(
        f"  gateway RSS: peak {sampler.peak_kb / 1024:.1f} MiB; {after_warmup / 1024:.1f} MiB after the first tenth, "
        f"{end / 1024:.1f} MiB at the end ({(end - after_warmup) / 1024:+.1f} MiB, slope {slope:+.1f} KB/s "
        f"over {len(sampler.samples)} samples)"
    )
    if both - sent:
        print(f"  unexpected Message-IDs, e.g. {sorted(both - sent)[:3]}")
    print(f"  {'OK: every message accounted for' if ok else 'FAILED'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--store", choices=["sqlite", "redis", "both"], default="both")
    args = parser.parse_args()
    kinds = ["sqlite", "redis"] if args.store == "both" else [args.store]
    results = [run_one(kind, args.messages, args.concurrency) for kind in kinds]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
