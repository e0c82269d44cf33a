"""Tests of the content classifier: safe loading, version refusal, scoring direction, explanations, training.

They use the shipped model (models/pitch.skops) and tiny in-test datasets, never the shared corpus, except one
optional check that skips when ../shared/corpus is absent.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import skops.io

from gateway.core.classifier import (
    CHAR_FEATURES,
    META_MEMBER,
    TRUSTED_TYPES,
    WORD_FEATURES,
    Example,
    ModelError,
    PitchModel,
    choose_threshold,
    cue_flags,
    evaluate,
    feature_rows,
    features_text,
    normalize,
    read_meta,
    train,
)
from gateway.core.training import ListEntry, enron_as_message, read_list

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "pitch.skops"
CORPUS = REPO.parent / "shared" / "corpus"

PITCH_SUBJECT = "Quick call?"
PITCH_TEXT = (
    "Hi Anna, thanks for connecting! We help B2B companies like yours generate qualified leads and book 30 "
    "sales meetings a month. Our SEO and lead generation services increase your sales by 200%. Would you be "
    "open to a quick 15-minute call this week? Grab a time here: https://calendly.com/mark/15min"
)
HAM_SUBJECT = "Re: build failure on the release branch"
HAM_TEXT = (
    "I had a look at the failing test last night. The fixture path changed when I moved the config loader, "
    "so I'll push a fix this morning and re-run the pipeline. Let me know if the nightly is still red after that."
)


@pytest.fixture(scope="module")
def shipped() -> PitchModel:
    return PitchModel.load(SHIPPED)


def _rewrite_meta(source: Path, target: Path, **changes: object) -> None:
    """Copy a model file with some metadata fields changed, as a model from another install would look."""
    meta = read_meta(source) | changes
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != META_MEMBER:
                dst.writestr(item, src.read(item.filename))
        dst.writestr(META_MEMBER, json.dumps(meta))


class Payload:
    """Stands in for an attacker's class: anything not on the reviewed list must never be constructed."""

    def __init__(self) -> None:
        self.command = "rm -rf /"


def _tiny_dataset() -> list[Example]:
    services = [
        "lead generation",
        "SEO",
        "web design",
        "offshore developers",
        "email marketing",
        "app development",
    ]
    topics = [
        "the budget review",
        "the build failure",
        "Friday's offsite",
        "the contract draft",
        "the new hire",
    ]
    pitches = [
        (
            f"Grow your pipeline with {s}",
            f"Hi, we offer {s} for companies like yours. Save 40% today. "
            f"Are you open to a quick call this week? Book here: calendly.com/sales{i}",
            1,
        )
        for i, s in enumerate(services * 2)
    ]
    legit = [
        (
            f"Re: {t}",
            f"Thanks, I read the notes about {t}. I'll update the document tonight and we can "
            f"go through it at our team meeting. Anna",
            0,
        )
        for t in topics * 2 + topics[:2]
    ]
    return pitches + legit


def test_shipped_model_loads_with_explicit_trusted_types(shipped: PitchModel) -> None:
    untrusted = skops.io.get_untrusted_types(file=SHIPPED)
    assert set(untrusted) <= set(TRUSTED_TYPES), "the model holds a type nobody reviewed"
    assert 0.0 < shipped.threshold < 1.0
    assert shipped.meta["feature_version"] >= 1


def test_model_from_another_sklearn_version_is_refused(tmp_path: Path) -> None:
    stale = tmp_path / "stale.skops"
    _rewrite_meta(SHIPPED, stale, sklearn_version="0.24.2")
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2 but .* is installed"):
        PitchModel.load(stale)


def test_model_with_other_feature_version_is_refused(tmp_path: Path) -> None:
    stale = tmp_path / "old-features.skops"
    _rewrite_meta(SHIPPED, stale, feature_version=-1)
    with pytest.raises(ModelError, match="feature version"):
        PitchModel.load(stale)


def test_model_with_untrusted_type_is_refused(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.skops"
    hostile.write_bytes(skops.io.dumps({"pipeline": Payload(), "threshold": 0.5}))
    with zipfile.ZipFile(hostile, "a") as archive:
        archive.writestr(META_MEMBER, json.dumps(read_meta(SHIPPED)))
    with pytest.raises(ModelError, match="UntrustedTypesFound") as caught:
        PitchModel.load(hostile)
    assert "Payload" in str(caught.value)


def test_missing_or_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model file"):
        PitchModel.load(tmp_path / "absent.skops")
    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a pitchgate model"):
        PitchModel.load(junk)


def test_pitch_scores_above_ham(shipped: PitchModel) -> None:
    pitch = shipped.probability(PITCH_SUBJECT, PITCH_TEXT)
    ham = shipped.probability(HAM_SUBJECT, HAM_TEXT)
    assert pitch > ham
    assert pitch >= shipped.threshold > ham


def test_fast_path_matches_pipeline(shipped: PitchModel) -> None:
    pairs = [(PITCH_SUBJECT, PITCH_TEXT), (HAM_SUBJECT, HAM_TEXT), ("", ""), ("x" * 3000, "y " * 5000)]
    batch = shipped.probabilities(pairs)
    single = np.array([shipped.probability(s, t) for s, t in pairs])
    np.testing.assert_allclose(single, batch, rtol=1e-9, atol=1e-12)


def test_explain_lists_ngrams_that_raised_the_score(shipped: PitchModel) -> None:
    reasons = shipped.explain(PITCH_SUBJECT, PITCH_TEXT, k=5)
    assert 0 < len(reasons) <= 5
    assert all(isinstance(name, str) and weight > 0 for name, weight in reasons)
    assert [w for _, w in reasons] == sorted((w for _, w in reasons), reverse=True)
    vocabulary = set(features_text(PITCH_SUBJECT, PITCH_TEXT).split()) | set(cue_flags(normalize(PITCH_TEXT)))
    assert any(word in vocabulary for name, _ in reasons for word in name.split())


def test_explain_matches_the_pipelines_own_terms(shipped: PitchModel) -> None:
    """Explanations come from the unrolled model; each term must equal feature value x coefficient as the
    fitted pipeline computes it."""
    row = feature_rows([(PITCH_SUBJECT, PITCH_TEXT)])
    x = shipped.pipeline.named_steps["features"].transform(row).tocsr()
    coef = np.asarray(shipped.pipeline.named_steps["clf"].calibrated_classifiers_[0].estimator.coef_).ravel()
    # Char n-grams are not readable, so explanations leave them out; compare against words and flags only.
    readable = [i for i in x.indices if not WORD_FEATURES <= i < WORD_FEATURES + CHAR_FEATURES]
    terms = {i: float(x[0, i]) * float(coef[i]) for i in readable}
    explained = shipped.explain(PITCH_SUBJECT, PITCH_TEXT, k=50)
    assert explained
    reference = sorted((v for v in terms.values() if v > 0), reverse=True)
    for _, value in explained:
        assert any(abs(value - r) < 1e-9 for r in reference)
    assert explained[0][1] == pytest.approx(reference[0])


def test_train_evaluate_save_load_round_trip(tmp_path: Path) -> None:
    data = _tiny_dataset()
    model = train(data, target_fpr=0.0)
    metrics = evaluate(model, data)
    assert {"precision", "recall", "roc_auc", "fpr", "tp", "fp", "tn", "fn", "threshold"} <= metrics.keys()
    assert metrics["tp"] + metrics["fn"] == 12 and metrics["tn"] + metrics["fp"] == 12
    assert metrics["roc_auc"] > 0.9
    path = tmp_path / "tiny.skops"
    model.save(path)
    loaded = PitchModel.load(path)
    assert loaded.threshold == model.threshold
    assert loaded.probability(*data[0][:2]) == pytest.approx(model.probability(*data[0][:2]))


def test_threshold_respects_target_fpr() -> None:
    legit = np.linspace(0.0, 0.5, 200)
    scores = np.concatenate([legit, [0.9, 0.95]])
    labels = np.array([0] * 200 + [1, 1])
    threshold = choose_threshold(scores, labels, 0.01)
    assert (legit >= threshold).sum() <= 2
    assert (scores[200:] >= threshold).all()


def test_cues_and_normalization() -> None:
    # Enron-Spam text is pre-tokenised with spaces around punctuation; both spellings must look the same.
    assert normalize("Save 40% on web-design!") == normalize("save 40 % on web - design !")
    flags = cue_flags(normalize(PITCH_TEXT))
    assert {"flag_booking_link", "flag_call_ask"} <= set(flags)
    assert "flag_price_many" in cue_flags(normalize("Only $99! Save 40% now, then $49 a month"))
    assert "flag_booking_link" not in cue_flags(normalize(HAM_TEXT))


def test_enron_text_becomes_a_message_and_lists_parse(tmp_path: Path) -> None:
    assert enron_as_message(b"Subject: hello\nfrom : me\nbody") == b"Subject: hello\n\nfrom : me\nbody"
    listing = tmp_path / "pitch.txt"
    listing.write_text(
        "# label: pitch\nenron_spam/enron3.tar.gz:enron3/spam/1.txt\ttrain\tseo\n"
        "spamassassin/spam_2/00001.abc\ttest\tleads\n"
    )
    label, entries = read_list(listing)
    assert label == 1
    assert [e.source for e in entries] == ["enron_spam/enron3", "spamassassin/spam_2"]
    assert entries[1] == ListEntry("spamassassin/spam_2/00001.abc", "test", "leads")


@pytest.mark.skipif(
    not (CORPUS / "spamassassin" / "easy_ham_2").is_dir(),
    reason="shared corpus not present beside the repository (../shared/corpus)",
)
def test_shipped_model_rarely_flags_spamassassin_ham(shipped: PitchModel) -> None:
    from gateway.core.classifier import example_from_bytes

    files = sorted((CORPUS / "spamassassin" / "easy_ham_2").iterdir())[:200]
    pairs = [example_from_bytes(f.read_bytes()) for f in files]
    flagged = (shipped.probabilities(pairs) >= shipped.threshold).mean()
    assert flagged < 0.02
