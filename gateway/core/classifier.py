"""The content classifier: how likely a message's own words are an unsolicited B2B sales pitch.

The model reads the subject and the visible text (quotes and signature stripped by `gateway.core.message`) and
answers with a calibrated probability. It is a linear model over hashed word and character n-grams plus a
handful of named cue flags (booking-page links, asking for a call, price and percentage claims, a "you"-heavy
voice), so every score can be explained by the features that pushed it up.

Models are stored with skops, never pickle: loading constructs only skops's default-trusted types (plain
scikit-learn estimators, numpy, builtins) and the reviewed extras in `TRUSTED_TYPES`,
and a file written by another scikit-learn version is refused before any object is built, because a linear
model silently mis-scoring after an upgrade is worse than a gateway that says it needs a retrain.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import skops.io
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.utils import murmurhash3_32

from gateway.core.message import Message

# Bump whenever features_text, the flags or the vectorizers change: a model built on other features is stale.
FEATURE_VERSION = 1
DEFAULT_C = 64.0
"""Inverse regularisation, chosen by out-of-fold recall at 0.5% FPR on the training split over 1..64."""

# Pitches show their hand in the first lines; hashing 20 KB of char n-grams would cost ~10 ms per message.
MAX_TEXT_CHARS = 2500
# Char n-grams (robust to odd spellings and tokenisation) cost more per character, so they read less text.
CHAR_TEXT_CHARS = 1500
WORD_FEATURES = 2**18
CHAR_FEATURES = 2**18
# Out-of-fold FPR the operating threshold is chosen for; below the 1% goal to leave room for drift.
TARGET_FPR = 0.005

META_MEMBER = "pitchgate-meta.json"
MODEL_FILE = "pitch.skops"

# Exactly what skops.io.get_untrusted_types reports for a freshly built model, reviewed by hand: the private
# calibration classes. Everything else in the file (Pipeline, ColumnTransformer, the vectorizers,
# LogisticRegression, numpy arrays, builtins) is in skops's own default-trusted set. Extend only the same way.
TRUSTED_TYPES: list[str] = [
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
]

Example = tuple[str, str, int]
"""(subject, visible text, label) with label 1 = pitch, 0 = legitimate."""


class ModelError(Exception):
    """A model file that cannot or must not be used: missing, foreign, stale or carrying untrusted types."""


# --- input preparation -------------------------------------------------------------------------------------

_NON_WORD_RE = re.compile(r"[^\w$%?€£]+")
_SPACED_SYMBOL_RE = re.compile(r"([$%?€£])")
_DIGITS_RE = re.compile(r"\d")
_BOOKING_RE = re.compile(
    r"calendly|meetings hubspot|hubspot com meetings|savvycal|chilipiper|tidycal|youcanbook me|"
    r"zcal co|cal com \w|doodle com|acuityscheduling|book a (time|slot|meeting)|grab (a )?time"
)
_CALL_RE = re.compile(
    r"(quick|short|brief|(0|00|000) minute) (call|chat|meeting|demo)|(hop|jump) on a (quick )?call|"
    r"(schedule|set up|book|have|arrange) a (quick |short |brief )?(call|chat|meeting|demo)|"
    r"open to a (quick |short )?(call|chat|conversation)|worth a (quick |short )?(call|chat|conversation)|"
    r"(free|available) (for a|this|next|tomorrow)|best time to (call|reach)"
)
_PRICE_RE = re.compile(r"[$€£] ?0|0 ?%|0 percent|\b(usd|eur|gbp) ?0")
_YOU_RE = re.compile(r"\b(you|your|yours|you re|you ll)\b")
_SELF_RE = re.compile(r"\b(i|we|our|me|us|my|i m|we re|i ve)\b")

FLAG_NAMES: tuple[str, ...] = (
    "flag_booking_link",
    "flag_call_ask",
    "flag_price_many",
    "flag_you_heavy",
    "flag_self_heavy",
    "flag_no_text",
)


def normalize(text: str) -> str:
    """Lower-case word stream with punctuation dropped, so raw mail and Enron's pre-tokenised text look alike."""
    text = _SPACED_SYMBOL_RE.sub(r" \1 ", text[:MAX_TEXT_CHARS].lower())
    return " ".join(_NON_WORD_RE.sub(" ", text).split())


def cue_flags(normalized: str) -> list[str]:
    """The named cues present in normalized text; each is a feature the model can weigh and explain."""
    digits = _DIGITS_RE.sub("0", normalized)
    flags: list[str] = []
    if _BOOKING_RE.search(digits):
        flags.append("flag_booking_link")
    if _CALL_RE.search(digits):
        flags.append("flag_call_ask")
    # A single "$" or "?" is already a word token; the flag is for the price-list pattern that tokens miss.
    if len(_PRICE_RE.findall(digits)) >= 3:
        flags.append("flag_price_many")
    flags.extend(_voice_flags(normalized))
    if len(normalized) < 20:
        flags.append("flag_no_text")
    return flags


def _voice_flags(normalized: str) -> list[str]:
    # A pitch talks about the reader ("your team", "your pipeline"); a colleague talks about "I" and "we".
    you = len(_YOU_RE.findall(normalized))
    self_refs = len(_SELF_RE.findall(normalized))
    if you >= 3 and you > 2 * self_refs:
        return ["flag_you_heavy"]
    if self_refs >= 3 and self_refs > 2 * you:
        return ["flag_self_heavy"]
    return []


def features_text(subject: str, text: str) -> str:
    """The single string the n-gram vectorizers read: normalized subject, then normalized body."""
    return normalize(f"{subject}\n{text}")


def feature_rows(pairs: Sequence[tuple[str, str]]) -> np.ndarray[Any, Any]:
    """The pipeline's input: one row per message: the text, the space-separated cue flags, the text's head."""
    rows = np.empty((len(pairs), 3), dtype=object)
    for i, (subject, text) in enumerate(pairs):
        prepared = features_text(subject, text)
        rows[i, 0] = prepared
        rows[i, 1] = " ".join(cue_flags(prepared))
        rows[i, 2] = prepared[:CHAR_TEXT_CHARS]
    return rows


def example_from_bytes(raw: bytes) -> tuple[str, str]:
    """(subject, the author's words) of a raw message, parsed the same way the gateway parses live mail."""
    msg = Message.from_bytes(raw)
    return msg.subject, msg.author_text or msg.text


# --- the pipeline ------------------------------------------------------------------------------------------


def build_pipeline(c: float = DEFAULT_C) -> Pipeline:
    """Hashed word 1-2-grams + char 4-grams + cue flags into a class-balanced, Platt-calibrated logistic model."""
    features = ColumnTransformer(
        [
            ("word", _word_vectorizer(), 0),
            ("char", _char_vectorizer(), 2),
            (
                "flags",
                CountVectorizer(
                    vocabulary=list(FLAG_NAMES), binary=True, token_pattern=r"\S+", lowercase=False
                ),
                1,
            ),
        ]
    )
    linear = LogisticRegression(
        C=c, class_weight="balanced", max_iter=2000, solver="liblinear", random_state=0
    )
    # ensemble=False keeps one linear model (small file, one dot product) and fits the sigmoid on CV scores.
    calibrated = CalibratedClassifierCV(linear, method="sigmoid", cv=5, ensemble=False)
    return Pipeline([("features", features), ("clf", calibrated)])


def _word_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=WORD_FEATURES,
        ngram_range=(1, 2),
        alternate_sign=False,
        token_pattern=r"\S+",
        lowercase=False,
        norm="l2",
    )


def _char_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=CHAR_FEATURES,
        analyzer="char_wb",
        ngram_range=(4, 4),
        alternate_sign=False,
        lowercase=False,
        norm="l2",
    )


# --- the model ---------------------------------------------------------------------------------------------


@dataclass
class PitchModel:
    """A trained pipeline, its operating threshold, and the metadata that decides whether it may be loaded."""

    pipeline: Pipeline
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    _scorer: _FastScorer | None = field(default=None, init=False, repr=False, compare=False)

    def probability(self, msg_subject: str, msg_text: str) -> float:
        """Calibrated probability that the message is an unsolicited sales pitch (same value as the pipeline's)."""
        return self._fast().probability(features_text(msg_subject, msg_text))

    def _fast(self) -> _FastScorer:
        if self._scorer is None:
            self._scorer = _FastScorer.of(self.pipeline)
        return self._scorer

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray[Any, Any]:
        """Vectorized `probability` for many (subject, text) pairs."""
        if not pairs:
            return np.zeros(0)
        return np.asarray(self.pipeline.predict_proba(feature_rows(pairs))[:, 1], dtype=float)

    def is_pitch(self, msg_subject: str, msg_text: str) -> bool:
        return self.probability(msg_subject, msg_text) >= self.threshold

    def explain(self, subject: str, text: str, k: int = 8) -> list[tuple[str, float]]:
        """The k word n-grams and cue flags that pushed this message's score up most, with their logit share."""
        prepared = features_text(subject, text)
        # The content signal explains every hit on the SMTP path: use the unrolled model's parts, not the
        # pipeline's ColumnTransformer, which costs five times the score itself.
        contributions = self._fast().contributions(prepared)
        positive = [(name, value) for name, value in contributions.items() if value > 0]
        return sorted(positive, key=lambda item: item[1], reverse=True)[:k]

    def save(self, path: Path) -> None:
        """Write the model with skops and append the metadata as its own zip member, readable without loading."""
        data = skops.io.dumps(
            {"pipeline": self.pipeline, "threshold": self.threshold}, compression=zipfile.ZIP_DEFLATED
        )
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(META_MEMBER, json.dumps(self.meta, indent=2, sort_keys=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: Path) -> PitchModel:
        """Load a model, refusing foreign scikit-learn versions, stale feature versions and untrusted types."""
        meta = read_meta(path)
        _check_compatible(meta, path)
        try:
            obj = skops.io.load(path, trusted=TRUSTED_TYPES)
        except Exception as exc:  # skops raises UntrustedTypesFoundException, zip and schema errors alike
            raise ModelError(f"refusing model {path}: {type(exc).__name__}: {exc}") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("pipeline"), Pipeline):
            raise ModelError(f"refusing model {path}: it does not contain a pitchgate pipeline")
        return cls(obj["pipeline"], float(obj["threshold"]), meta)


@dataclass(frozen=True)
class _FastScorer:
    """The fitted pipeline unrolled for one message at a time.

    Pipeline.predict_proba spends more time validating its input and routing it through the ColumnTransformer
    than computing the score; on the SMTP path one message costs ~2 ms that way and ~0.5 ms this way.
    """

    word: HashingVectorizer
    char: HashingVectorizer
    coef_word: np.ndarray[Any, Any]
    coef_char: np.ndarray[Any, Any]
    coef_flags: dict[str, float]
    intercept: float
    sigmoid_a: float
    sigmoid_b: float

    @classmethod
    def of(cls, pipeline: Pipeline) -> _FastScorer:
        features = pipeline.named_steps["features"]
        calibrated = pipeline.named_steps["clf"].calibrated_classifiers_[0]
        coef = np.asarray(calibrated.estimator.coef_, dtype=float).ravel()
        flags_at = WORD_FEATURES + CHAR_FEATURES
        return cls(
            word=features.named_transformers_["word"],
            char=features.named_transformers_["char"],
            coef_word=coef[:WORD_FEATURES],
            coef_char=coef[WORD_FEATURES:flags_at],
            coef_flags={name: float(coef[flags_at + i]) for i, name in enumerate(FLAG_NAMES)},
            intercept=float(np.ravel(calibrated.estimator.intercept_)[0]),
            sigmoid_a=float(calibrated.calibrators[0].a_),
            sigmoid_b=float(calibrated.calibrators[0].b_),
        )

    def contributions(self, prepared: str) -> dict[str, float]:
        """Each word n-gram's and cue flag's term in the logit (feature value x coefficient)."""
        with sklearn.config_context(skip_parameter_validation=True, assume_finite=True):
            row = self.word.transform([prepared])
        values = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        out = {
            gram: values.get(index, 0.0) * float(self.coef_word[index])
            for gram, index in _ngram_indices(prepared, self.word).items()
        }
        out.update({flag: self.coef_flags[flag] for flag in cue_flags(prepared)})  # binary flags: value 1
        return out

    def probability(self, prepared: str) -> float:
        score = self.intercept + sum(self.coef_flags[f] for f in cue_flags(prepared))
        heads = (
            (self.word, self.coef_word, prepared),
            (self.char, self.coef_char, prepared[:CHAR_TEXT_CHARS]),
        )
        # The inputs are our own strings: scikit-learn's per-call parameter validation is pure overhead here.
        with sklearn.config_context(skip_parameter_validation=True, assume_finite=True):
            for vectorizer, coef, text in heads:
                row = vectorizer.transform([text])
                score += float(row.data @ coef[row.indices])
        return float(1.0 / (1.0 + np.exp(self.sigmoid_a * score + self.sigmoid_b)))


def shipped_model_path() -> Path:
    """The model shipped with the code: package data of an installed wheel, else a checkout's models/.

    The wheel carries top-level models/ as `gateway/models/` (pyproject's force-include); an editable
    install imports gateway/ straight from the checkout, where the model sits beside it instead.
    """
    packaged = importlib.resources.files("gateway").joinpath("models", MODEL_FILE)
    # Wheels install unzipped, so the resource is a real file that skops and zipfile can open by path.
    if isinstance(packaged, Path) and packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "models" / MODEL_FILE


def read_meta(path: Path) -> dict[str, Any]:
    """The metadata stored beside the pipeline inside a model file."""
    try:
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(archive.read(META_MEMBER))
    except FileNotFoundError as exc:
        raise ModelError(f"no model file at {path}; build one with `pitchgate train`") from exc
    except (KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ModelError(f"{path} is not a pitchgate model file (no readable {META_MEMBER})") from exc
    if not isinstance(meta, dict):
        raise ModelError(f"{path}: metadata is not a JSON object")
    return meta


def _check_compatible(meta: dict[str, Any], path: Path) -> None:
    stored = meta.get("sklearn_version")
    if stored != sklearn.__version__:
        raise ModelError(
            f"refusing model {path}: it was built with scikit-learn {stored} but {sklearn.__version__} is "
            "installed; retrain it with `pitchgate train` (or install the matching scikit-learn)"
        )
    if meta.get("feature_version") != FEATURE_VERSION:
        raise ModelError(
            f"refusing model {path}: feature version {meta.get('feature_version')} does not match this "
            f"code's {FEATURE_VERSION}; retrain it with `pitchgate train`"
        )


def _hash_index(token: str, n_features: int) -> int:
    h = int(murmurhash3_32(token, seed=0))
    # Mirrors sklearn's _hashing_fast so explanations point at the same columns the vectorizer fills.
    return (2147483647 - (n_features - 1)) % n_features if h == -2147483648 else abs(h) % n_features


def _ngram_indices(prepared: str, word: HashingVectorizer) -> dict[str, int]:
    """The hashed column of every word n-gram of one message, as the word vectorizer fills it."""
    return {gram: _hash_index(gram, WORD_FEATURES) for gram in word.build_analyzer()(prepared)}


# --- training and evaluation -------------------------------------------------------------------------------


def train(
    examples: list[Example],
    c: float = DEFAULT_C,
    target_fpr: float = TARGET_FPR,
    seed: int = 0,
    n_jobs: int | None = None,
) -> PitchModel:
    """Fit a model and pick its threshold from out-of-fold scores on the training data only.

    n_jobs parallelises the five out-of-fold fits; worth it on a real corpus, not on a handful of messages.
    """
    pairs, labels = _split_examples(examples)
    pipeline = build_pipeline(c)
    # The feature step is stateless (hashing, fixed vocabulary): vectorize once instead of once per fold.
    rows = feature_rows(pairs)
    x = pipeline.named_steps["features"].fit(rows).transform(rows)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    model = clone(pipeline.named_steps["clf"])
    oof = cross_val_predict(model, x, labels, cv=folds, method="predict_proba", n_jobs=n_jobs)[:, 1]
    threshold = choose_threshold(oof, labels, target_fpr)
    pipeline.named_steps["clf"].fit(x, labels)
    meta = {
        "sklearn_version": sklearn.__version__,
        "feature_version": FEATURE_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "threshold": threshold,
        "target_fpr": target_fpr,
        "c": c,
        "train_counts": {"pitch": int(labels.sum()), "legit": int(len(labels) - labels.sum())},
        "oof": _metrics(oof, labels, threshold),
    }
    return PitchModel(pipeline, threshold, meta)


def choose_threshold(scores: np.ndarray[Any, Any], labels: np.ndarray[Any, Any], target_fpr: float) -> float:
    """The lowest threshold whose false-positive rate on the legitimate scores stays within target_fpr."""
    legit = np.sort(scores[labels == 0])
    if legit.size == 0:
        return 0.5
    allowed = int(np.floor(target_fpr * legit.size))
    # Flag only scores strictly above the (allowed+1)-th highest legitimate score.
    cutoff = legit[legit.size - allowed - 1]
    return float(min(np.nextafter(cutoff, 1.0), 1.0))


def evaluate(model: PitchModel, examples: list[Example], threshold: float | None = None) -> dict[str, Any]:
    """Precision, recall, ROC AUC, FPR and confusion counts of a model on labelled examples."""
    pairs, labels = _split_examples(examples)
    scores = model.probabilities(pairs)
    return _metrics(scores, labels, model.threshold if threshold is None else threshold)


def _metrics(scores: np.ndarray[Any, Any], labels: np.ndarray[Any, Any], threshold: float) -> dict[str, Any]:
    predicted = (scores >= threshold).astype(int)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(labels, predicted, labels=[0, 1]).ravel())
    both_classes = 0 < labels.sum() < len(labels)
    return {
        "threshold": float(threshold),
        "n": len(labels),
        "tp": tp,
        "fp": fp,
        "tn": tn,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
        "fpr": fp / (fp + tn) if fp + tn else float("nan"),
        "roc_auc": float(roc_auc_score(labels, scores)) if both_classes else float("nan"),
    }


def _split_examples(examples: list[Example]) -> tuple[list[tuple[str, str]], np.ndarray[Any, Any]]:
    pairs = [(subject, text) for subject, text, _ in examples]
    labels = np.array([label for _, _, label in examples], dtype=int)
    return pairs, labels
