"""The content model's features: hashed word and character n-grams, computed with numpy in one pass.

scikit-learn's HashingVectorizer builds every n-gram as a Python string before hashing it, which costs about
0.5 ms for the 1,500 characters a message is judged on; the content-scoring budget is 0.5 ms in all. Here a
message's code points (and its words' CRC-32s) are combined into 64-bit n-gram keys with array arithmetic,
and each key is spread over its block of columns by Fibonacci hashing, so one message takes tens of
microseconds and training and scoring share exactly the same columns. Each occurrence of an n-gram adds
1/sqrt(n) to its column, n the block's n-gram count: HashingVectorizer's L2 norm when nothing repeats.

Blocks (see `FeatureSpec`): word 1-2-grams of the normalized text; character n-grams of the normalized
text padded with spaces (each word's edges are visible, as with analyzer="char_wb"); a few named cue flags.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

_FNV_PRIME = np.uint64(0x100000001B3)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
# Distinct seeds keep a word unigram, a bigram and each char n-gram order from sharing keys.
_SEED_UNIGRAM = np.uint64(0x51)
_SEED_BIGRAM = np.uint64(0xB16)
_SEED_CHAR = np.uint64(0xC0DE)

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class FeatureSpec:
    """Which blocks a model reads and how wide they are; stored with the model so scoring matches training."""

    word_bits: int = 18
    char_bits: int = 18
    char_orders: tuple[int, ...] = (3, 4, 5)
    use_words: bool = True
    use_chars: bool = True
    char_chars: int = 1500
    flags: tuple[str, ...] = ()

    @property
    def word_width(self) -> int:
        return 1 << self.word_bits if self.use_words else 0

    @property
    def char_width(self) -> int:
        return 1 << self.char_bits if self.use_chars else 0

    @property
    def width(self) -> int:
        return self.word_width + self.char_width + len(self.flags)

    def as_dict(self) -> dict[str, Any]:
        return {
            "word_bits": self.word_bits,
            "char_bits": self.char_bits,
            "char_orders": list(self.char_orders),
            "use_words": self.use_words,
            "use_chars": self.use_chars,
            "char_chars": self.char_chars,
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSpec:
        return cls(
            word_bits=int(data["word_bits"]),
            char_bits=int(data["char_bits"]),
            char_orders=tuple(int(n) for n in data["char_orders"]),
            use_words=bool(data["use_words"]),
            use_chars=bool(data["use_chars"]),
            char_chars=int(data["char_chars"]),
            flags=tuple(str(f) for f in data["flags"]),
        )


def _spread(keys: Array, bits: int) -> Array:
    """Fibonacci hashing: the top `bits` bits of key x golden ratio, a well-mixed column in [0, 2**bits)."""
    with np.errstate(over="ignore"):
        return ((keys * _GOLDEN) >> np.uint64(64 - bits)).astype(np.int64)


def word_keys(prepared: str) -> Array:
    """64-bit keys of the word unigrams and bigrams of normalized text (words separated by single spaces)."""
    tokens = prepared.encode("utf-8").split()
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    crcs = np.fromiter(map(zlib.crc32, tokens), dtype=np.uint64, count=len(tokens))
    with np.errstate(over="ignore"):
        unigrams = crcs ^ (_SEED_UNIGRAM << np.uint64(40))
        bigrams = (crcs[:-1] * _FNV_PRIME) ^ (crcs[1:] << np.uint64(20)) ^ _SEED_BIGRAM
    return np.concatenate([unigrams, bigrams])


def char_keys(text: str, orders: tuple[int, ...]) -> Array:
    """64-bit keys of every character n-gram of the orders given, over the text padded with a space."""
    codes = np.frombuffer(f" {text} ".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts: list[Array] = []
    with np.errstate(over="ignore"):
        for n in orders:
            if codes.size < n:
                continue
            key = np.full(codes.size - n + 1, _SEED_CHAR + np.uint64(n), dtype=np.uint64)
            for j in range(n):
                key = (key * _FNV_PRIME) ^ codes[j : codes.size - n + 1 + j]
            parts.append(key)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)


def _block(keys: Array, bits: int, offset: int) -> tuple[Array, Array]:
    # One entry per occurrence (a CSR row may repeat a column; repeats add up), each 1/sqrt(n): the L2 norm
    # of the row when no n-gram repeats. Skipping the sort that exact counts need halves the cost.
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return _spread(keys, bits) + offset, np.full(keys.size, 1.0 / math.sqrt(keys.size))


def encode(spec: FeatureSpec, prepared: str, flags: list[str]) -> tuple[Array, Array]:
    """(columns, values) of one message's sparse feature row; a column repeats once per occurrence."""
    columns: list[Array] = []
    values: list[Array] = []
    if spec.use_words:
        c, v = _block(word_keys(prepared), spec.word_bits, 0)
        columns.append(c)
        values.append(v)
    if spec.use_chars:
        c, v = _block(
            char_keys(prepared[: spec.char_chars], spec.char_orders), spec.char_bits, spec.word_width
        )
        columns.append(c)
        values.append(v)
    flag_at = spec.word_width + spec.char_width
    present = [flag_at + spec.flags.index(f) for f in flags if f in spec.flags]
    columns.append(np.asarray(present, dtype=np.int64))
    values.append(np.ones(len(present)))
    return np.concatenate(columns), np.concatenate(values)


def word_column(spec: FeatureSpec, gram: str) -> int:
    """The column of one word unigram or bigram ("quick call"), for explanations."""
    keys = word_keys(gram)
    key = keys[-1:] if len(gram.split()) == 2 else keys[:1]
    return int(_spread(key, spec.word_bits)[0])
