"""Where a message's CPU goes, in process: parsing, the body view, each signal, the policy, learning.

Steadier than bench_gateway.py on a shared machine, because it measures CPU time (`time.process_time`,
every thread of the process, so the store's threads count) of one stage at a time, one message at a
time, with no sockets. Each stage of `Pipeline.scan` and `Pipeline.commit` is run in order as serve runs
it; the totals are the median of `--runs` passes over the corpus.

    python bench/bench_stages.py [--corpus easy_ham|scenarios|DIR] [--messages 1000] [--store sqlite|redis]
        [--runs 3] [--redis-url redis://127.0.0.1:6379/13]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_gateway import load_messages  # noqa: E402
from gateway.app import build_app  # noqa: E402
from gateway.clock import SystemClock  # noqa: E402
from gateway.core import body as body_module  # noqa: E402
from gateway.core import message as message_module  # noqa: E402
from gateway.core.message import Envelope, Message  # noqa: E402
from gateway.settings import load_settings  # noqa: E402

Totals = defaultdict[str, float]
# The body's stages, timed where message.py and body.py call them (part of "parse + body").
PATCHED = (
    (message_module, "bounded_parse"),
    (message_module, "texts"),
    (body_module, "split_reply"),
    (body_module, "parse_html"),
)
ORIGINAL = {name: getattr(module, name) for module, name in PATCHED}


def _timed(totals: Totals, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] += time.process_time() - started

    return wrapper


async def one_pass(app: Any, messages: list[bytes], totals: Totals) -> None:
    env = Envelope("sender@partner.test", ("bob@example.com",))
    pipeline = app.pipeline
    view = getattr(pipeline, "_view", None)
    for raw in messages:
        started = time.process_time()
        msg = Message.from_bytes(raw, env, pipeline.limits)
        _ = msg.body
        totals["parse + body"] += time.process_time() - started
        hits = []
        with _reading(view):
            for signal in pipeline.signals:
                started = time.process_time()
                hits += await signal.check(msg)
                totals[f"signal {signal.name}"] += time.process_time() - started
            started = time.process_time()
            verdict = await pipeline._policy.decide(msg, hits, app.clock.now())
            totals["policy"] += time.process_time() - started
        learning = _learning(view)
        await learning.__aenter__()
        for signal in pipeline.signals:
            started = time.process_time()
            await signal.learn(msg, verdict)
            totals[f"learn {signal.name}"] += time.process_time() - started
        started = time.process_time()
        await learning.__aexit__(None, None, None)
        totals["learn: writes applied"] += time.process_time() - started


def _reading(view: Any) -> Any:
    """The per-message store view's scopes when this build has one (the baseline has not)."""
    return view.reading() if view is not None else contextlib.nullcontext()


def _learning(view: Any) -> Any:
    return view.learning() if view is not None else contextlib.nullcontext()


async def run(args: argparse.Namespace, messages: list[bytes]) -> list[Totals]:
    with tempfile.TemporaryDirectory() as state:
        where: dict[str, Any] = (
            {"redis_url": args.redis_url} if args.store == "redis" else {"state_dir": state}
        )
        if args.store == "redis":
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
        settings = load_settings(None, {"server": {"local_domains": ["example.com"]}, "store": where})
        app = build_app(settings, SystemClock())
        passes = []
        try:
            await one_pass(app, messages[:100], defaultdict(float))  # warm-up
            for _ in range(args.runs):
                totals: Totals = defaultdict(float)
                for module, name in PATCHED:
                    setattr(module, name, _timed(totals, f"  {name}", ORIGINAL[name]))
                await one_pass(app, messages, totals)
                passes.append(totals)
                for module, name in PATCHED:
                    setattr(module, name, ORIGINAL[name])
        finally:
            await app.close()
        return passes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default="easy_ham")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--store", default="sqlite", choices=["sqlite", "redis"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    messages = load_messages(args.corpus, args.messages)
    passes = asyncio.run(run(args, messages))
    per = 1000 / len(messages)
    print(f"{len(messages)} messages ({args.corpus}), store {args.store}, load {os.getloadavg()}")
    names = list(passes[0])
    whole = statistics.median(sum(v for k, v in p.items() if not k.startswith("  ")) for p in passes)
    for name in names:
        print(f"{name:<28}{statistics.median(p[name] for p in passes) * per:>8.3f} ms/msg")
    print(f"{'total':<28}{whole * per:>8.3f} ms/msg")


if __name__ == "__main__":
    main()
