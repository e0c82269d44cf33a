"""`pitchgate digest send` and `pitchgate quarantine purge`: the background jobs of serve, on demand."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import click

from gateway.actions.digest import Digester, DigestError
from gateway.app import App
from gateway.settings import Settings

_UNITS = {"h": 3600.0, "d": 86400.0, "w": 7 * 86400.0}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([hdw])")

WithApp = Callable[[Settings, Callable[[App], Coroutine[Any, Any, Any]]], Coroutine[Any, Any, Any]]


def parse_duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """A duration such as 12h, 30d or 2w, in seconds (a click callback)."""
    if value is None:
        return None
    match = _DURATION.fullmatch(value.strip().lower())
    if match is None:
        raise click.BadParameter(f"expected a number and h, d or w (12h, 30d, 2w), got {value!r}")
    return float(match[1]) * _UNITS[match[2]]


def register(
    main: click.Group,
    store_options: Callable[[Callable[..., None]], Callable[..., None]],
    settings_from: Callable[..., Settings],
    with_app: WithApp,
) -> None:
    """Add `digest send` and `quarantine purge` (the CLI module owns the shared options)."""

    @main.group()
    def digest() -> None:
        """The digest of held messages, one mail per recipient."""

    @digest.command("send")
    @store_options
    @click.option("--recipient", help="Only this recipient's digest.")
    @click.option("--upstream", help="Deliver to this HOST:PORT instead of the configured upstream.")
    def digest_send(config: Path | None, recipient: str | None, **flags: Any) -> None:
        """Send the digest now, straight to the upstream (it is never judged or held)."""

        async def body(app: App) -> tuple[int, int, int]:
            try:
                digester = Digester.from_settings(app.settings, app.store, app.relay, app.metrics)
            except DigestError as exc:
                raise click.ClickException(str(exc)) from exc
            report = await digester.send(app.clock.now(), recipient)
            for rcpt, reply in report.failures:
                click.echo(f"not delivered to {rcpt}: {reply}", err=True)
            return report.sent, report.failed, report.listed

        sent, failed, listed = asyncio.run(with_app(settings_from(config, **flags), body))
        click.echo(f"{sent} digest(s) sent listing {listed} held message(s), {failed} failed")
        if failed:
            raise click.ClickException(f"{failed} digest(s) not delivered")

    quarantine = main.commands["quarantine"]
    assert isinstance(quarantine, click.Group)

    @quarantine.command("purge")
    @store_options
    @click.option(
        "--older-than",
        callback=parse_duration,
        help="Delete messages held longer than this (12h, 30d, 2w) [quarantine.retention_days].",
    )
    def quarantine_purge(config: Path | None, older_than: float | None, **flags: Any) -> None:
        """Delete held messages older than the retention period (or --older-than)."""

        async def body(app: App) -> int:
            age = app.quarantine.retention if older_than is None else older_than
            return await app.quarantine.purge(app.clock.now() - age)

        purged = asyncio.run(with_app(settings_from(config, **flags), body))
        click.echo(f"purged {purged} held message(s)")
