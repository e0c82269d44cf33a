"""Tests of the content classifier: safe loading, version refusal, scoring direction, explanations, training.

They use the shipped model (models/pitch.skops) and tiny in-test datasets, plus two optional checks on real
mail that skip when it is absent: SpamAssassin ham from ../shared/corpus, and the held-out split of the modern
multilingual corpus, read from the fetched repositories (/work/.mirror) as scripts/train_model.py reads it.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
import skops.io

from gateway.core.classifier import (
    META_MEMBER,
    TRUSTED_TYPES,
    Example,
    ModelError,
    PitchModel,
    choose_threshold,
    cue_flags,
    evaluate,
    features_text,
    matrix,
    normalize,
    read_meta,
    train,
)
from gateway.core.training import ListEntry, enron_as_message, read_list
from tests.mail import make_message

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "pitch.skops"
CORPUS = REPO.parent / "shared" / "corpus"
LABELS = REPO / "models" / "labels"
MIRROR = Path("/work/.mirror")
# Floors a little under the measured held-out recall (models/README.md: en 81/85, de 1/6, fr 15/16, es 22/22,
# nl 8/8), so that a retrain that loses a language fails here; they are not goals. German has two training
# pitches, and its floor says so: one of the six held-out German pitches is caught.
HELD_OUT_RECALL_FLOOR = {"en": 0.9, "de": 1 / 6, "fr": 0.9, "es": 0.9, "nl": 0.9}

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


def test_a_scikit_learn_upgrade_does_not_invalidate_the_weights(tmp_path: Path) -> None:
    """The file holds plain arrays computed by our own features: only the feature version can make it stale."""
    other = tmp_path / "other-sklearn.skops"
    _rewrite_meta(SHIPPED, other, sklearn_version="0.24.2")
    assert PitchModel.load(other).probability(PITCH_SUBJECT, PITCH_TEXT) == pytest.approx(
        PitchModel.load(SHIPPED).probability(PITCH_SUBJECT, PITCH_TEXT)
    )


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


def test_one_message_scores_as_its_training_row(shipped: PitchModel) -> None:
    """The scorer and the training matrix share one feature function: the same row, the same logit."""
    pairs = [(PITCH_SUBJECT, PITCH_TEXT), (HAM_SUBJECT, HAM_TEXT), ("", ""), ("x" * 3000, "y " * 5000)]
    w = shipped.weights
    logits = matrix(w.spec, pairs) @ w.coef + w.intercept
    expected = 1.0 / (1.0 + np.exp(w.sigmoid_a * logits + w.sigmoid_b))
    np.testing.assert_allclose(shipped.probabilities(pairs), expected, rtol=1e-9, atol=1e-12)


def test_explain_lists_ngrams_that_raised_the_score(shipped: PitchModel) -> None:
    reasons = shipped.explain(PITCH_SUBJECT, PITCH_TEXT, k=5)
    assert 0 < len(reasons) <= 5
    assert all(isinstance(name, str) and weight > 0 for name, weight in reasons)
    assert [w for _, w in reasons] == sorted((w for _, w in reasons), reverse=True)
    vocabulary = set(features_text(PITCH_SUBJECT, PITCH_TEXT).split()) | set(cue_flags(normalize(PITCH_TEXT)))
    assert any(word in vocabulary for name, _ in reasons for word in name.split())


def test_explain_terms_are_feature_value_times_coefficient(shipped: PitchModel) -> None:
    """Each explained word n-gram's (or flag's) share is its column's value in the training row times its
    weight; character n-grams are left out because they are not readable."""
    w = shipped.weights
    row = matrix(w.spec, [(PITCH_SUBJECT, PITCH_TEXT)])
    chars = range(w.spec.word_width, w.spec.word_width + w.spec.char_width)
    reference = [float(row[0, i]) * float(w.coef[i]) for i in row.indices if i not in chars]
    explained = shipped.explain(PITCH_SUBJECT, PITCH_TEXT, k=50)
    assert explained
    for _, value in explained:
        assert any(abs(value - r) < 1e-9 for r in reference)
    assert explained[0][1] == pytest.approx(max(reference))


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


# Short, friendly, non-commercial text in the five languages, written for this test (never trained on):
# the "Hi Bob, lunch?" and the genuine new connection's thank-you with the slides.
FRIENDLY = [
    ("", "Hi Bob, lunch?"),
    ("Lunch", "Hi Bob, lunch today? The usual place at 12:30."),
    ("Slides", "Great to meet you at the summit! Here are the slides I mentioned, as promised. Anna"),
    ("", "Hallo Bob, Mittagessen heute? Gleiche Stelle wie immer."),
    ("Folien", "Schön, Sie auf dem Gipfel kennengelernt zu haben. Anbei die Folien, wie versprochen."),
    ("", "Salut Bob, on déjeune ensemble demain ?"),
    ("Les slides", "Ravi de vous avoir rencontré au salon. Voici les slides dont je vous ai parlé."),
    ("", "Hola Bob, ¿comemos juntos mañana?"),
    ("Diapositivas", "Encantada de conocerte en la cumbre. Aquí tienes las diapositivas que te prometí."),
    ("", "Hoi Bob, zin om morgen samen te lunchen?"),
    ("Slides", "Leuk je te ontmoeten op de conferentie! Hierbij de slides zoals beloofd."),
]


def test_short_friendly_text_is_not_a_pitch(shipped: PitchModel) -> None:
    from gateway.core.classifier import example_from_bytes

    for subject, body in FRIENDLY:
        pair = example_from_bytes(make_message("anna@friend.test", "bob@example.com", subject, body))
        assert shipped.probability(*pair) < shipped.threshold, (subject, body)


def test_scoring_time_is_within_a_generous_bound(shipped: PitchModel) -> None:
    """The budget is 0.5 ms median and 3 ms p99 on the target machine; this bound only catches regressions
    of an order of magnitude on a loaded CI runner."""
    texts = [(PITCH_SUBJECT, PITCH_TEXT * k) for k in range(1, 8)]
    texts += [(HAM_SUBJECT, HAM_TEXT * k) for k in range(1, 8)]
    seconds = []
    for _ in range(20):
        for subject, text in texts:
            start = time.perf_counter()
            shipped.probability(subject, text)
            seconds.append(time.perf_counter() - start)
    assert statistics.median(seconds) < 0.005
    assert sorted(seconds)[int(0.99 * len(seconds))] < 0.05


@pytest.mark.skipif(
    not (MIRROR / "bold700+nova" / "repo").is_dir(), reason="fetched repositories not present"
)
def test_held_out_real_pitches_score_over_the_line_in_every_language(shipped: PitchModel) -> None:
    """Real pitches of the held-out sources (never trained on), parsed from bytes, by language."""
    from gateway.core.classifier import example_from_bytes

    sys.path.insert(0, str(REPO / "scripts"))
    from modern_corpus import labelled_messages

    held_out = labelled_messages(LABELS / "modern.txt", LABELS / "modern_sources.json", MIRROR, split="test")
    flagged: dict[str, list[bool]] = {}
    for entry, raw in held_out:
        if entry.label and entry.lang in {"en", "de", "fr", "es", "nl"}:
            flagged.setdefault(entry.lang, []).append(shipped.is_pitch(*example_from_bytes(raw)))
    assert set(flagged) == {"en", "de", "fr", "es", "nl"}
    for lang, hits in flagged.items():
        assert sum(hits) / len(hits) >= HELD_OUT_RECALL_FLOOR[lang], (lang, sum(hits), len(hits))
