"""`pitchgate train` and `pitchgate evaluate`: the content classifier from the command line.

Training reads mbox files, Maildirs or directories of messages, optionally adds the decisions people
made on held messages (`--feedback`: releases are "wanted", confirmations are "pitch"), and prints the
out-of-fold metrics of the new model; `evaluate` prints a model's figures on labelled mail it never saw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from gateway.core.classifier import (
    Example,
    ModelError,
    PitchModel,
    evaluate,
    example_from_bytes,
    shipped_model_path,
    train,
)
from gateway.core.training import load_examples
from gateway.settings import Settings

_PATHS = click.Path(exists=True, path_type=Path)


def format_metrics(title: str, metrics: dict[str, Any]) -> str:
    """Precision, recall, ROC AUC, false-positive rate and a confusion table, as text."""
    return "\n".join(
        [
            f"{title} (threshold {metrics['threshold']:.4f}, {metrics['n']} messages)",
            f"  precision {metrics['precision']:.3f}   recall {metrics['recall']:.3f}   "
            f"ROC AUC {metrics['roc_auc']:.3f}   false positives {metrics['fpr']:.2%}",
            f"  {'':14}{'called pitch':>14}{'called legit':>14}",
            f"  {'pitch':<14}{metrics['tp']:>14}{metrics['fn']:>14}",
            f"  {'legit':<14}{metrics['fp']:>14}{metrics['tn']:>14}",
        ]
    )


async def feedback_examples(settings: Settings) -> list[Example]:
    """Examples from quarantine decisions: released ("wanted") is legit, confirmed ("pitch") is a pitch."""
    from gateway.app import make_store

    store = make_store(settings)
    try:
        recorded = await store.feedback_list()
    finally:
        await store.close()
    return [(*example_from_bytes(raw), 1 if example.label == "pitch" else 0) for example, raw in recorded]


def _examples(pitch: tuple[Path, ...], legit: tuple[Path, ...]) -> list[Example]:
    return load_examples(list(pitch), 1, "pitch") + load_examples(list(legit), 0, "legit")


def register(
    main: click.Group,
    store_options: Callable[[Callable[..., None]], Callable[..., None]],
    settings_from: Callable[..., Settings],
) -> None:
    """Add the model commands to the main group (the CLI module owns the shared options)."""

    @main.command("train")
    @store_options
    @click.option("--pitch", multiple=True, type=_PATHS, help="Pitch mail: mbox, Maildir or directory.")
    @click.option("--legit", multiple=True, type=_PATHS, help="Legitimate mail: mbox, Maildir or directory.")
    @click.option(
        "--feedback", is_flag=True, help="Add releases (wanted) and confirmations (pitch) from the store."
    )
    @click.option(
        "--out",
        type=click.Path(path_type=Path, dir_okay=False),
        default=Path("models/pitch.skops"),
        show_default=True,
    )
    def train_command(
        config: Path | None,
        pitch: tuple[Path, ...],
        legit: tuple[Path, ...],
        feedback: bool,
        out: Path,
        **flags: Any,
    ) -> None:
        """Train the pitch classifier and print its out-of-fold metrics."""
        examples = _examples(pitch, legit)
        if feedback:
            recorded = asyncio.run(feedback_examples(settings_from(config, **flags)))
            click.echo(
                f"feedback: {sum(y for *_, y in recorded)} pitch, {sum(1 - y for *_, y in recorded)} wanted",
                err=True,
            )
            examples += recorded
        labels = {y for *_, y in examples}
        if labels != {0, 1}:
            raise click.UsageError("training needs both pitch and legitimate examples")
        model = train(examples)
        model.meta["command"] = "pitchgate train " + " ".join(
            [
                *(f"--pitch {p}" for p in pitch),
                *(f"--legit {p}" for p in legit),
                *(["--feedback"] if feedback else []),
            ]
        )
        model.save(out)
        click.echo(format_metrics(f"out-of-fold on the training data, saved {out}", model.meta["oof"]))

    @main.command("evaluate")
    @click.option(
        "--pitch", multiple=True, required=True, type=_PATHS, help="Pitch mail the model never saw."
    )
    @click.option("--legit", multiple=True, required=True, type=_PATHS, help="Legitimate mail it never saw.")
    @click.option(
        "--model",
        "model_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Model file [the shipped models/pitch.skops].",
    )
    def evaluate_command(pitch: tuple[Path, ...], legit: tuple[Path, ...], model_path: Path | None) -> None:
        """Print precision, recall, ROC AUC and a confusion table for labelled mail."""
        try:
            model = PitchModel.load(model_path or shipped_model_path())
        except ModelError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(format_metrics("evaluation", evaluate(model, _examples(pitch, legit))))
