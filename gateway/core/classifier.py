"""The content classifier: how likely a message's own words are an unsolicited B2B sales pitch.

The model reads the subject and the visible text (quotes and signature stripped by `gateway.core.message`)
and answers with a calibrated probability. It is one linear model over hashed word 1-2-grams, hashed
character 3-5-grams (which carry it across languages and spellings) and a handful of named cue flags
(booking-page links, asking for a call, price claims, a "you"-heavy voice), so every score is a sparse dot
product that can be explained by the features that pushed it up. The features are computed by
`pitch_features` with numpy, the same way for training and for scoring.

Models are stored with skops, never pickle, and hold nothing but numbers, strings and numpy arrays: the
weights, the calibration and the feature layout. A file written for another feature version is refused
before anything is built, because a linear model silently mis-scoring is worse than a gateway that says it
needs a retrain.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import itertools
import json
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse
import sklearn
import skops.io
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from gateway.core.message import Message
from gateway.core.pitch_features import FeatureSpec, encode, word_column

# Bump whenever features_text, the flags or pitch_features change: a model built on other features is stale.
FEATURE_VERSION = 2
MODEL_FORMAT = "pitchgate-linear-1"
DEFAULT_C = 16.0
"""Inverse regularisation, chosen by out-of-fold recall at 0.5% FPR on the training split."""

# Pitches show their hand in the first lines; reading 20 KB of every message would buy nothing.
MAX_TEXT_CHARS = 2500
# Out-of-fold FPR the operating threshold is chosen for; below the 1% goal to leave room for drift.
TARGET_FPR = 0.005

META_MEMBER = "pitchgate-meta.json"
MODEL_FILE = "pitch.skops"

# The file holds only skops's default-trusted types (dict, list, str, float, numpy arrays), so nothing
# needs trusting on top. Extend only after reviewing what skops.io.get_untrusted_types reports.
TRUSTED_TYPES: list[str] = []

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


def example_from_bytes(raw: bytes) -> tuple[str, str]:
    """(subject, the author's words) of a raw message, parsed the same way the gateway parses live mail."""
    msg = Message.from_bytes(raw)
    return msg.subject, msg.author_text or msg.text


# --- the model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearWeights:
    """A fitted linear model over `pitch_features` columns, with its Platt calibration: all plain numbers."""

    spec: FeatureSpec
    coef: np.ndarray[Any, Any]
    intercept: float
    sigmoid_a: float
    sigmoid_b: float

    def logit(self, prepared: str) -> float:
        columns, values = encode(self.spec, prepared, cue_flags(prepared) if self.spec.flags else [])
        return self.intercept + float(self.coef[columns] @ values)

    def probability(self, logit: float) -> float:
        return float(1.0 / (1.0 + math.exp(min(700.0, self.sigmoid_a * logit + self.sigmoid_b))))


@dataclass
class PitchModel:
    """Trained weights, the operating threshold, and the metadata that decides whether it may be loaded."""

    weights: LinearWeights
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, msg_subject: str, msg_text: str) -> float:
        """Calibrated probability that the message is an unsolicited sales pitch."""
        return self.weights.probability(self.weights.logit(features_text(msg_subject, msg_text)))

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray[Any, Any]:
        """`probability` for many (subject, text) pairs."""
        return np.array([self.probability(subject, text) for subject, text in pairs], dtype=float)

    def is_pitch(self, msg_subject: str, msg_text: str) -> bool:
        return self.probability(msg_subject, msg_text) >= self.threshold

    def explain(self, subject: str, text: str, k: int = 8) -> list[tuple[str, float]]:
        """The k word n-grams and cue flags that pushed this message's score up most, with their logit share.

        Character n-grams are left out: they are not readable, though they carry much of the score.
        """
        prepared = features_text(subject, text)
        spec, coef = self.weights.spec, self.weights.coef
        contributions: dict[str, float] = {}
        if spec.use_words:
            columns, values = encode(replace(spec, use_chars=False, flags=()), prepared, [])
            value_of: dict[int, float] = {}
            for column, value in zip(columns.tolist(), values.tolist(), strict=True):
                value_of[column] = value_of.get(column, 0.0) + value
            words = prepared.split()
            for gram in words + [f"{a} {b}" for a, b in itertools.pairwise(words)]:
                column = word_column(spec, gram)
                contributions[gram] = value_of.get(column, 0.0) * float(coef[column])
        flag_at = spec.word_width + spec.char_width
        for flag in cue_flags(prepared) if spec.flags else []:
            if flag in spec.flags:
                contributions[flag] = float(coef[flag_at + spec.flags.index(flag)])
        positive = [(name, value) for name, value in contributions.items() if value > 0]
        return sorted(positive, key=lambda item: item[1], reverse=True)[:k]

    def save(self, path: Path) -> None:
        """Write the weights with skops and append the metadata as its own zip member, readable without loading."""
        w = self.weights
        payload = {
            "format": MODEL_FORMAT,
            "spec": w.spec.as_dict(),
            "coef": np.asarray(w.coef, dtype=np.float32),
            "intercept": w.intercept,
            "sigmoid_a": w.sigmoid_a,
            "sigmoid_b": w.sigmoid_b,
            "threshold": self.threshold,
        }
        buffer = io.BytesIO(skops.io.dumps(payload, compression=zipfile.ZIP_DEFLATED))
        with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(META_MEMBER, json.dumps(self.meta, indent=2, sort_keys=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: Path) -> PitchModel:
        """Load a model, refusing stale feature versions and any type beyond numbers, strings and arrays."""
        meta = read_meta(path)
        _check_compatible(meta, path)
        try:
            obj = skops.io.load(path, trusted=TRUSTED_TYPES)
        except Exception as exc:  # skops raises UntrustedTypesFoundException, zip and schema errors alike
            raise ModelError(f"refusing model {path}: {type(exc).__name__}: {exc}") from exc
        if not isinstance(obj, dict) or obj.get("format") != MODEL_FORMAT:
            raise ModelError(f"refusing model {path}: it does not contain pitchgate weights ({MODEL_FORMAT})")
        spec = FeatureSpec.from_dict(obj["spec"])
        coef = np.asarray(obj["coef"], dtype=np.float64)
        if coef.shape != (spec.width,):
            raise ModelError(f"refusing model {path}: {coef.shape[0]} weights for {spec.width} features")
        weights = LinearWeights(
            spec, coef, float(obj["intercept"]), float(obj["sigmoid_a"]), float(obj["sigmoid_b"])
        )
        return cls(weights, float(obj["threshold"]), meta)


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
    # The weights are plain arrays, so a scikit-learn upgrade cannot change their meaning; the features can.
    if meta.get("feature_version") != FEATURE_VERSION:
        raise ModelError(
            f"refusing model {path}: feature version {meta.get('feature_version')} does not match this "
            f"code's {FEATURE_VERSION}; retrain it with `pitchgate train`"
        )


# --- training and evaluation -------------------------------------------------------------------------------


DEFAULT_SPEC = FeatureSpec(flags=FLAG_NAMES)


def matrix(spec: FeatureSpec, pairs: Sequence[tuple[str, str]]) -> scipy.sparse.csr_matrix:
    """The feature rows of many (subject, text) pairs, as the scorer computes them one at a time."""
    indptr, columns, values = [0], [], []
    for subject, text in pairs:
        prepared = features_text(subject, text)
        c, v = encode(spec, prepared, cue_flags(prepared) if spec.flags else [])
        columns.append(c)
        values.append(v)
        indptr.append(indptr[-1] + c.size)
    data = np.concatenate(values) if values else np.zeros(0)
    index = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    x = scipy.sparse.csr_matrix((data, index, np.asarray(indptr)), shape=(len(pairs), spec.width))
    x.sum_duplicates()  # repeated n-grams become one column with their summed value, sorted, for liblinear
    return x


def train(
    examples: list[Example],
    c: float = DEFAULT_C,
    target_fpr: float = TARGET_FPR,
    seed: int = 0,
    n_jobs: int | None = None,
    spec: FeatureSpec = DEFAULT_SPEC,
) -> PitchModel:
    """Fit a model and pick its threshold from out-of-fold scores on the training data only.

    n_jobs parallelises the five out-of-fold fits; worth it on a real corpus, not on a handful of messages.
    """
    pairs, labels = _split_examples(examples)
    x = matrix(spec, pairs)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    # Platt scaling fitted on out-of-fold logits, as CalibratedClassifierCV(ensemble=False) does, with the
    # same five fits also giving the out-of-fold scores the threshold is chosen on (a monotone map, so the
    # threshold is the same whether chosen on logits or probabilities).
    oof_logits = cross_val_predict(_linear(c), x, labels, cv=folds, method="decision_function", n_jobs=n_jobs)
    platt = LogisticRegression(C=1e6, solver="lbfgs").fit(oof_logits.reshape(-1, 1), labels)
    sigmoid_a, sigmoid_b = -float(platt.coef_[0, 0]), -float(platt.intercept_[0])
    oof = 1.0 / (1.0 + np.exp(sigmoid_a * oof_logits + sigmoid_b))
    threshold = choose_threshold(oof, labels, target_fpr)
    fitted = _linear(c).fit(x, labels)
    weights = LinearWeights(
        spec,
        np.asarray(fitted.coef_, dtype=np.float64).ravel(),
        float(np.ravel(fitted.intercept_)[0]),
        sigmoid_a,
        sigmoid_b,
    )
    meta = {
        "sklearn_version": sklearn.__version__,
        "feature_version": FEATURE_VERSION,
        "features": spec.as_dict(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "threshold": threshold,
        "target_fpr": target_fpr,
        "c": c,
        "train_counts": {"pitch": int(labels.sum()), "legit": int(len(labels) - labels.sum())},
        "oof": _metrics(oof, labels, threshold),
    }
    return PitchModel(weights, threshold, meta)


def _linear(c: float) -> LogisticRegression:
    """Class-balanced logistic regression: pitches are rare, and each must count."""
    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear", random_state=0)


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
