"""The `pitchgate` command: thin wrappers that parse arguments, build parts, and call into the modules.

Every command that touches state finds the store the same way (--config, --state-dir, --redis-url), so
`pitchgate quarantine list --state-dir DIR` sees what `pitchgate serve --state-dir DIR` held.
"""

from __future__ import annotations

import asyncio
import getpass
import json
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import click

from gateway import logs
from gateway.actions.quarantine import QuarantineBusy
from gateway.app import App, build_app
from gateway.clock import ManualClock, SystemClock
from gateway.commands import housekeeping as cli_housekeeping
from gateway.commands import imap as cli_imap
from gateway.commands import model as cli_model
from gateway.core.message import Message
from gateway.core.policy import Verdict, normalize_entry
from gateway.errors import ConfigError
from gateway.settings import Settings, load_settings, parse_hostport
from gateway.store.base import GLOBAL_SCOPE, ListKind

F = TypeVar("F", bound=Callable[..., Any])


def _overrides(**flags: Any) -> dict[str, Any]:
    """Map flags that were given to nested settings keys; absent flags override nothing."""
    mapping = {
        "listen": ("server", "listen"),
        "upstream": ("server", "upstream"),
        "local_domain": ("server", "local_domains"),
        "workers": ("server", "workers"),
        "state_dir": ("store", "state_dir"),
        "redis_url": ("store", "redis_url"),
        "metrics_listen": ("metrics", "listen"),
        "web_listen": ("web", "listen"),
        "log_level": ("logging", "level"),
        "log_format": ("logging", "format"),
        "shadow": ("policy", "shadow"),
    }
    out: dict[str, Any] = {}
    for flag, value in flags.items():
        if value is None or value == () or flag not in mapping:
            continue
        section, key = mapping[flag]
        out.setdefault(section, {})[key] = list(value) if isinstance(value, tuple) else value
    return out


def settings_from(config: Path | None, **flags: Any) -> Settings:
    try:
        return load_settings(config, _overrides(**flags))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def store_options(func: F) -> F:
    """--config, --state-dir and --redis-url, shared by every command that touches state."""
    func = click.option(
        "--redis-url", help="Redis URL (overrides the file); shared state for many gateways."
    )(func)
    func = click.option(
        "--state-dir", type=click.Path(path_type=Path), help="Directory of the embedded store."
    )(func)
    func = click.option(
        "--config", type=click.Path(path_type=Path, dir_okay=False), help="TOML configuration."
    )(func)
    return func


def run_async(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


async def with_app(settings: Settings, body: Callable[[App], Coroutine[Any, Any, Any]]) -> Any:
    try:
        app = build_app(settings, SystemClock())
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        return await body(app)
    except QuarantineBusy as exc:
        raise click.ClickException(f"{exc}; nothing was done, try again") from exc
    finally:
        await app.close()


@click.group()
@click.version_option(package_name="pitchgate")
def main() -> None:
    """pitchgate: an SMTP gateway that stops the post-connection hard sell."""


# -- serve ------------------------------------------------------------------------------------------------
def serve_options(func: F) -> F:
    """The flags of `serve`, which `check-config` takes too, so that it checks exactly what serve would run."""
    options = [
        click.option("--shadow/--no-shadow", default=None, help="Add headers but never hold mail."),
        click.option("--log-format", type=click.Choice(["text", "json"]), help="Log line format [text]."),
        click.option("--log-level", help="DEBUG, INFO, WARNING or ERROR [INFO]."),
        click.option("--workers", help="Worker processes on one port: a number or 'auto' [1]."),
        click.option(
            "--web-listen",
            is_flag=False,
            flag_value="127.0.0.1:8025",
            help="Serve the quarantine review page; alone it means 127.0.0.1:8025 [off].",
        ),
        click.option("--metrics-listen", help="Address of /metrics, /healthz, /readyz [127.0.0.1:9425]."),
        click.option("--local-domain", multiple=True, help="A domain we receive mail for (repeatable)."),
        click.option("--upstream", help="The real mail server, HOST:PORT [127.0.0.1:10026]."),
        click.option("--listen", help="SMTP address to listen on [127.0.0.1:10025]."),
    ]
    for option in options:
        func = option(func)
    return store_options(func)


@main.command()
@serve_options
def serve(config: Path | None, **flags: Any) -> None:
    """Run the gateway in front of the upstream mail server."""
    from gateway.commands import serve as serving

    settings = settings_from(config, **flags)
    workers = settings.server.worker_count()
    try:
        logs.configure_from(settings.logging)
        if workers > 1:
            serving.run_workers(settings, workers)
        else:
            run_async(serving.run(settings))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot listen: {exc}") from exc


@main.command("check-config")
@serve_options
def check_config(config: Path | None, **flags: Any) -> None:
    """Run every check `serve` makes at start-up; print the effective settings and weights, secrets masked."""
    from gateway.commands.startup import checked_app

    settings = settings_from(config, **flags)
    try:
        app = checked_app(settings, SystemClock())
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    run_async(app.close())
    effective = settings.model_dump(mode="json")
    effective["scores"] = app.pipeline.weights
    click.echo(json.dumps(effective, indent=2, sort_keys=True))


# -- scan and replay --------------------------------------------------------------------------------------
def _verdict_text(outcome: dict[str, Any], explain: list[tuple[str, float, str]] | None) -> str:
    lines = [f"action: {outcome['action']}", f"score: {outcome['score']}"]
    if outcome.get("would"):
        lines.append(f"would: {outcome['would']}")
    if outcome.get("status"):
        lines.append(f"status: {outcome['status']}")
    for symbol, weight, evidence in explain or [(s, w, "") for s, w in outcome["symbols"].items()]:
        lines.append(f"  {symbol}({weight:g})" + (f"  {evidence}" if evidence else ""))
    return "\n".join(lines)


@main.command()
@store_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--local-domain", multiple=True, help="A local domain (decides the direction).")
@click.option("--recipient", "recipients", multiple=True, help="Judge for this recipient (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--explain", is_flag=True, help="Show each symbol's evidence.")
def scan(
    config: Path | None, file: Path, recipients: tuple[str, ...], fmt: str, explain: bool, **flags: Any
) -> None:
    """Print the verdict for one message, one per recipient, without changing any state."""
    from gateway.core.recipients import actions, strongest
    from gateway.fronts.replay.runner import load

    settings = settings_from(config, **flags)
    domains = frozenset(settings.server.local_domains)

    async def body(app: App) -> None:
        msg = load(file.read_bytes(), domains, recipients)
        judged = await app.pipeline.judge_each(msg)
        if fmt == "json":
            result = {**_scan_result(msg, strongest(judged).verdict), "recipients": actions(judged)}
            click.echo(json.dumps(result, ensure_ascii=False))
            return
        blocks = []
        for one in judged:
            verdict = one.verdict
            details = (
                [(s.hit.symbol, s.contribution, s.hit.evidence) for s in verdict.hits] if explain else None
            )
            text = _verdict_text(_scan_result(msg, verdict), details)
            blocks.append(f"recipient: {one.recipient}\n{text}" if len(judged) > 1 else text)
        click.echo("\n\n".join(blocks))

    run_async(with_app(settings, body))


def _scan_result(msg: Message, verdict: Verdict) -> dict[str, Any]:
    return {
        "message_id": msg.message_id,
        "direction": str(msg.envelope.direction),
        "action": str(verdict.action),
        "score": verdict.score,
        "symbols": verdict.symbols,
        "would": str(verdict.would) if verdict.would else None,
        "status": verdict.status,
        "evidence": {s.hit.symbol: s.hit.evidence for s in verdict.hits},
    }


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), help="TOML configuration.")
@click.option("--local-domain", multiple=True, help="A local domain (repeatable); none means all inbound.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--state-dir", type=click.Path(path_type=Path), help="Use (and keep) this embedded store.")
@click.option("--redis-url", help="Use this Redis store.")
def replay(config: Path | None, paths: tuple[Path, ...], fmt: str, **flags: Any) -> None:
    """Replay mbox files, Maildirs or directories of messages through the pipeline, in Date order."""
    from gateway.fronts.replay import runner as replaying
    from gateway.fronts.replay.report import print_outcome, print_summary

    temp = None
    if not flags.get("state_dir") and not flags.get("redis_url"):
        temp = tempfile.TemporaryDirectory(prefix="pitchgate-replay-")
        flags["state_dir"] = Path(temp.name)
    settings = settings_from(config, **flags)
    domains = frozenset(settings.server.local_domains)
    clock = ManualClock()
    messages = replaying.ordered(paths, domains)

    async def body() -> None:
        app = build_app(settings, clock)
        summary = replaying.Summary()
        try:
            async for outcome in replaying.replay_with_progress(messages, app.pipeline, clock):
                summary.add(outcome)
                print_outcome(outcome, fmt)
        finally:
            await app.close()
        print_summary(summary, fmt)

    try:
        run_async(body())
    finally:
        if temp is not None:
            temp.cleanup()


# -- quarantine -------------------------------------------------------------------------------------------
@main.group()
def quarantine() -> None:
    """List, show, release and delete held messages."""


@quarantine.command("list")
@store_options
@click.option("--recipient", help="Only messages for this recipient.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def quarantine_list(config: Path | None, recipient: str | None, fmt: str, **flags: Any) -> None:
    """List held messages, newest first."""
    from gateway.fronts.replay.report import record_json, record_row

    async def body(app: App) -> None:
        records = await app.store.quarantine_list(recipient.lower() if recipient else None)
        for record in records:
            click.echo(
                json.dumps(record_json(record), ensure_ascii=False) if fmt == "jsonl" else record_row(record)
            )
        if fmt == "table":
            click.echo(f"{len(records)} held", err=True)

    run_async(with_app(settings_from(config, **flags), body))


@quarantine.command("show")
@store_options
@click.argument("qid")
def quarantine_show(config: Path | None, qid: str, **flags: Any) -> None:
    """Print a held message's record and its raw bytes."""
    from gateway.fronts.replay.report import record_json

    async def body(app: App) -> None:
        found = await app.store.quarantine_get(qid)
        if found is None:
            raise click.ClickException(f"no held message {qid}")
        record, raw = found
        click.echo(json.dumps(record_json(record), ensure_ascii=False, indent=2))
        click.echo("")
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()

    run_async(with_app(settings_from(config, **flags), body))


@quarantine.command("release")
@store_options
@click.argument("qid")
@click.option("--upstream", help="Deliver to this HOST:PORT instead of the configured upstream.")
@click.option(
    "--trust/--once",
    default=False,
    help="Also let this sender through to these recipients from now on [--once: this message only].",
)
def quarantine_release(
    config: Path | None, qid: str, upstream: str | None, trust: bool, **flags: Any
) -> None:
    """Deliver a held message, marked as released by you; --trust also trusts its sender."""
    if upstream:
        flags["upstream"] = upstream
        try:
            parse_hostport(upstream)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--upstream") from exc

    async def body(app: App) -> None:
        who = _cli_user()
        result = await app.quarantine.release(qid, app.relay, trust=trust, by=who, now=app.clock.now())
        if result.record is None:
            raise click.ClickException(f"no held message {qid}")
        if not result.reply.ok:
            raise click.ClickException(
                f"upstream refused the release: {result.reply}; the message stays held"
            )
        trusted = f"; {result.record.sender} trusted" if trust and result.record.sender else ""
        click.echo(f"released {qid}{trusted}: {result.reply}")

    run_async(with_app(settings_from(config, **flags), body))


def _cli_user() -> str:
    """Who released from the command line, for X-Pitchgate-Released; a container may have no user name."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


@quarantine.command("confirm")
@store_options
@click.argument("qid")
def quarantine_confirm(config: Path | None, qid: str, **flags: Any) -> None:
    """Confirm a held message is a pitch: a training example and a block for that sender (which also
    takes back a trust an earlier release gave it)."""

    async def body(app: App) -> None:
        if await app.quarantine.confirm(qid) is None:
            raise click.ClickException(f"no held message {qid}")
        click.echo(f"confirmed {qid} as a pitch")

    run_async(with_app(settings_from(config, **flags), body))


@quarantine.command("delete")
@store_options
@click.argument("qid")
def quarantine_delete(config: Path | None, qid: str, **flags: Any) -> None:
    """Delete a held message without delivering it."""

    async def body(app: App) -> None:
        if not await app.quarantine.delete(qid):
            raise click.ClickException(f"no held message {qid}")
        click.echo(f"deleted {qid}")

    run_async(with_app(settings_from(config, **flags), body))


# -- allow and block lists --------------------------------------------------------------------------------
def _list_group(kind: ListKind) -> click.Group:
    @click.group(name=str(kind), help=f"Manage the {kind} list (addresses or domains).")
    def group() -> None:
        pass

    def scoped(func: F) -> F:
        func = click.option("--recipient", help="Only for this recipient (default: every recipient).")(func)
        return store_options(func)

    @group.command("add")
    @scoped
    @click.argument("entry")
    def add(config: Path | None, entry: str, recipient: str | None, **flags: Any) -> None:
        value = _entry(entry)
        run_async(
            with_app(
                settings_from(config, **flags), lambda app: app.store.list_add(kind, _scope(recipient), value)
            )
        )
        click.echo(f"{kind} {value} for {_scope(recipient)}")

    @group.command("remove")
    @scoped
    @click.argument("entry")
    def remove(config: Path | None, entry: str, recipient: str | None, **flags: Any) -> None:
        value = _entry(entry)

        async def body(app: App) -> bool:
            return await app.store.list_remove(kind, _scope(recipient), value)

        if not run_async(with_app(settings_from(config, **flags), body)):
            raise click.ClickException(f"{value} is not on the {kind} list for {_scope(recipient)}")
        click.echo(f"removed {value} from the {kind} list for {_scope(recipient)}")

    @group.command("list")
    @scoped
    def list_(config: Path | None, recipient: str | None, **flags: Any) -> None:
        async def body(app: App) -> list[tuple[str, str]]:
            return await app.store.list_entries(kind, _scope(recipient) if recipient else None)

        for scope, value in run_async(with_app(settings_from(config, **flags), body)):
            click.echo(f"{scope}\t{value}")

    return group


def _scope(recipient: str | None) -> str:
    return recipient.strip().lower() if recipient else GLOBAL_SCOPE


def _entry(entry: str) -> str:
    try:
        return normalize_entry(entry)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ENTRY") from exc


main.add_command(_list_group(ListKind.ALLOW))
main.add_command(_list_group(ListKind.BLOCK))
cli_model.register(main, store_options, settings_from)
cli_housekeeping.register(main, store_options, settings_from, with_app)
main.add_command(cli_imap.imap)
