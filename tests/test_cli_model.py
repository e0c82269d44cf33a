"""`pitchgate train` and `pitchgate evaluate` on real files, including feedback recorded in the store."""

from __future__ import annotations

from pathlib import Path

from gateway.core.classifier import PitchModel
from gateway.store.base import FeedbackExample
from gateway.store.sqlite import SQLiteStore
from tests.mail import make_message
from tests.procs import run

HANDWRITTEN = Path(__file__).resolve().parent.parent / "models" / "handwritten"


async def test_train_then_evaluate(tmp_path: Path) -> None:
    out = tmp_path / "model.skops"
    trained = await run(
        "train",
        "--pitch",
        str(HANDWRITTEN / "pitch"),
        "--legit",
        str(HANDWRITTEN / "legit"),
        "--out",
        str(out),
        "--state-dir",
        str(tmp_path / "state"),
        timeout=300,
    )
    assert trained.code == 0, trained.err
    assert "out-of-fold" in trained.out and "precision" in trained.out and "recall" in trained.out
    model = PitchModel.load(out)
    assert model.meta["command"].startswith("pitchgate train --pitch")
    evaluated = await run(
        "evaluate",
        "--pitch",
        str(HANDWRITTEN / "pitch"),
        "--legit",
        str(HANDWRITTEN / "legit"),
        "--model",
        str(out),
    )
    assert evaluated.code == 0, evaluated.err
    for word in ("precision", "recall", "ROC AUC", "called pitch", "called legit"):
        assert word in evaluated.out


async def test_train_with_feedback_adds_people_s_decisions(tmp_path: Path) -> None:
    state = tmp_path / "state"
    store = SQLiteStore(state)
    for i in range(6):
        pitch = make_message(subject="Quick call?", body="We help SaaS teams book more demos. 15 minutes?\n")
        await store.feedback_add(FeedbackExample(f"p{i}", "pitch", 0.0, {}), pitch)
        wanted = make_message(subject="Board minutes", body="Attached are the minutes from Tuesday.\n")
        await store.feedback_add(FeedbackExample(f"w{i}", "wanted", 0.0, {}), wanted)
    await store.close()
    out = tmp_path / "model.skops"
    trained = await run(
        "train",
        "--pitch",
        str(HANDWRITTEN / "pitch"),
        "--legit",
        str(HANDWRITTEN / "legit"),
        "--feedback",
        "--state-dir",
        str(state),
        "--out",
        str(out),
        timeout=300,
    )
    assert trained.code == 0, trained.err
    assert "feedback: 6 pitch, 6 wanted" in trained.err
    assert "--feedback" in PitchModel.load(out).meta["command"]


async def test_evaluate_refuses_a_broken_model(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.skops"
    bogus.write_bytes(b"not a model")
    result = await run(
        "evaluate",
        "--pitch",
        str(HANDWRITTEN / "pitch"),
        "--legit",
        str(HANDWRITTEN / "legit"),
        "--model",
        str(bogus),
    )
    assert result.code == 1
    assert "bogus.skops" in result.err
