"""Reproducible labelling of the shared corpora into "pitch" and "legit" lists for the content classifier.

The corpora are labelled spam/ham, not pitch/legit. This script proposes pitch candidates among the spam with
keyword rules (B2B sales cues, minus consumer-spam cues), then applies the exclusions decided by reading the
candidates (REVIEWED_EXCLUDE). All ham is legitimate. It assigns every message to a split by source, drops
exact and near duplicates that would leak across the split, and writes:

    models/labels/pitch.txt, models/labels/legit.txt   path<TAB>split<TAB>note, one message per line
    models/labels/stats.json                           counts per class, source and split

Usage (from anywhere; the corpus is found beside the repository unless --corpus says otherwise):

    python scripts/label_corpus.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gateway.core.classifier import example_from_bytes, normalize  # noqa: E402
from gateway.core.training import iter_enron  # noqa: E402

SA_SPAM = ("spam", "spam_2")
SA_HAM = ("easy_ham", "easy_ham_2", "hard_ham")
ENRON = tuple(f"enron{i}" for i in range(1, 7))

# Cues of a B2B pitch: someone selling a service or a tool to a business. Each name is recorded in the note.
PITCH_RULES: dict[str, str] = {
    "leads": r"lead generation|\b(fresh|qualified|targeted|sales|business|phone.screened|annuity|insurance) leads\b"
    r"|\bleads (for|to) your\b|appointment setting",
    "seo": r"search engine (placement|position|ranking|optimi[sz]|registration|submission|listing)|\bseo\b"
    r"|top (10|ten|20) (placement|position|ranking|listing)s?|website positioning"
    r"|(higher|better|top) (search )?rankings?|submit your (web)?site",
    "webdev": r"web ?site (design|development|redesign)|web design|web development"
    r"|(custom|fully customizable) websites?|expert web ?site analysis",
    "logo": r"logo design|custom logos?|unique.logos?|corporate identity|business identit(y|ies)|letterheads?",
    "email_marketing": r"e-?mail marketing|bulk e-?mail|e-?mail (broadcast|blast)|opt.?in (e-?mail|list)"
    r"|targeted (e-?mail|list)|e-?mail addresses|million (business )?e-?mail|email extractor"
    r"|fax (broadcast|blast|marketing)|e-?mail list",
    "merchant": r"merchant account|accept(ing)? credit cards",
    "devshop": r"(custom )?software development (services|company|team)|outsourc"
    r"|offshore (development|team|programm)|dedicated (developers|programmers)|our (developers|programmers)",
    "marketing": r"marketing (services?|campaign|solutions?|plan|agency|firm)"
    r"|promote your (business|company|web ?site|product|site)|promotion (for|of) your (business|company|site)"
    r"|increase (your )?(sales|traffic|revenue)|(more|new) (customers|clients|prospects)\b"
    r"|internet promotion|professional advertising|advertise (to|your)|reach (millions|prospects|hundreds)",
    "lists": r"(business|healthcare|medical|doctors?) (directory|database|list)s?|database of|\bdirectory on cd",
    "links": r"press release (distribution|service)|link exchange|exchanging links|linking partner",
    "office": r"company phone bill",
    "agents": r"\b(agents?|producers?) only\b|for (insurance )?agents|commission(s)? on|annuity sales|your clients",
    "call": r"quick call|(schedule|set up|book) a (quick )?(call|meeting|demo)|15.minute call|calendly",
}

# Cues of consumer spam: pharma, adult, consumer finance, stock pumps, 419, goods, degrees, dating, get-rich.
NOT_PITCH_RULES: dict[str, str] = {
    "pharma": r"viagra|cialis|pharma|prescription|vicodin|xanax|valium|\bmeds\b|medication|\bpills?\b|\bhgh\b"
    r"|weight loss|diet\b|penis|enlarge|erection|sexual|herbal",
    "adult": r"porn|xxx|\badult\b|\bteen|nude|\bsex\b|horny|lesbian|webcam",
    "consumer_finance": r"mortgage|refinanc|\bloans?\b|debt consolidat|credit report|repair your credit|bad credit"
    r"|interest rate",
    "stock": r"stock (alert|pick|profile)|investor alert|\bsymbol\b|\botc\b|pink sheets|shares? (of|price)"
    r"|target price|strong buy",
    "gambling": r"casino|lottery|sweepstake|you (have )?won\b",
    "419": r"nigeria|next of kin|barrister|beneficiary|fund(s)? transfer|million (us )?dollars|foreign partner"
    r"|bank (draft|manager)|late husband|dictator",
    "goods": r"rolex|replica|watches|\boem\b|adobe|microsoft office|software (for|at) (low|cheap)"
    r"|cable (tv|descrambler)|satellite|dvd player",
    "degree": r"\bdegree|diploma",
    "dating": r"dating|singles\b|lonely",
    "bizopp": r"work (from|at) home|home.based|make money|earn \$|\$\d[\d,]* (a|per) (day|week|month)"
    r"|income opportunit|\bmlm\b|multi.level|network marketing|residual income|financial freedom"
    r"|be your own boss|gifting|chain letter",
    "phish": r"verify your (account|identity)|account (has been )?(suspended|expire)|paypal|ebay account"
    r"|bank account information",
}

# Candidates read by hand and rejected: consumer software, MLM, prepaid legal plans, stock pumps, money mules,
# phishing, consumer goods, event invitations, 419, personal-sounding pharma lures. Keys: folder/file-number.
_REVIEWED_EXCLUDE_KEYS = """
enron1/0328 enron1/2840 enron1/4446 enron1/4924 enron3/0089 enron3/2341 enron3/3841 enron3/3847
enron3/5287 enron4/0869 enron4/0887 enron4/1023 enron4/1152 enron4/1695 enron4/1977 enron4/2112
enron4/3020 enron4/3431 enron4/3451 enron4/3530 enron4/4654 enron4/4801 enron4/5095 enron4/5722
enron6/0123 enron6/0126 enron6/0619 enron6/2709 enron6/2841 enron6/2848 enron6/2962 enron6/3972
enron6/4042 enron6/4228 enron6/4244 enron6/4245 enron6/4345 enron6/4681 enron6/4683 spam/00046
spam/00067 spam/00071 spam/00121 spam/00152 spam/00153 spam/00156 spam/00162 spam/00172 spam/00341
spam/00378 spam/00400 spam/00412 spam/00413 spam/00429 spam/00478 spam/00487 spam_2/00034
spam_2/00075 spam_2/00140 spam_2/00208 spam_2/00272 spam_2/00278 spam_2/00293 spam_2/00377
spam_2/00392 spam_2/00440 spam_2/00442 spam_2/00490 spam_2/00494 spam_2/00524 spam_2/00535
spam_2/00553 spam_2/00582 spam_2/00630 spam_2/00650 spam_2/00651 spam_2/00774 spam_2/00830
spam_2/00839 spam_2/00844 spam_2/01003 spam_2/01050 spam_2/01130 spam_2/01196 spam_2/01201
spam_2/01254 spam_2/01320 spam_2/01328 spam_2/01380
"""
REVIEWED_EXCLUDE = frozenset(_REVIEWED_EXCLUDE_KEYS.split())

# Near copies: two messages whose word 5-gram shingles overlap this much are one campaign.
NEAR_DUP_JACCARD = 0.5


def split_of(path: str) -> str:
    """Split by source: Enron, SpamAssassin spam and easy_ham train; spam_2 and easy_ham_2 test; hard_ham halves."""
    if path.startswith("enron_spam/") or "/spam/" in path or "/easy_ham/" in path:
        return "train"
    if "/hard_ham/" in path:
        # hard_ham is the only hard-negative folder; half of it must teach the model, half must test it.
        return "train" if hashlib.sha1(path.encode()).digest()[0] % 2 == 0 else "test"
    return "test"


def review_key(path: str) -> str:
    """The folder/number key REVIEWED_EXCLUDE uses: "spam_2/00123" or "enron4/0549"."""
    if ":" in path:
        member = path.split(":", 1)[1]
        return f"{member.split('/')[0]}/{member.rsplit('/', 1)[1].split('.')[0]}"
    folder, name = path.split("/")[1:3]
    return f"{folder}/{name.split('.')[0]}"


def iter_corpus(root: Path, spam: bool) -> Iterator[tuple[str, bytes]]:
    """(corpus-relative path, raw bytes) of the spam or the ham; Enron spam tagged SA_and_HP is left out."""
    for folder in SA_SPAM if spam else SA_HAM:
        for file in sorted((root / "spamassassin" / folder).iterdir()):
            raw = file.read_bytes()
            yield (
                f"spamassassin/{folder}/{file.name}",
                raw.split(b"\n", 1)[1] if raw.startswith(b"From ") else raw,
            )
    kind = "/spam/" if spam else "/ham/"
    for name in ENRON:
        archive = f"enron_spam/{name}.tar.gz"
        for member, raw in iter_enron(root / archive):
            # SA_and_HP spam is SpamAssassin's own spam again: a leak into the SpamAssassin test folders.
            if kind in member and "SA_and_HP" not in member:
                yield f"{archive}:{member}", raw


def rule_hits(rules: dict[str, str], text: str) -> list[str]:
    return [name for name, pattern in rules.items() if re.search(pattern, text)]


def pitch_note(subject: str, text: str) -> str | None:
    """The rule names that make a spam message a pitch candidate, or None when it is not one."""
    lowered = f"{subject}\n{text}".lower()
    pitch, other = rule_hits(PITCH_RULES, lowered), rule_hits(NOT_PITCH_RULES, lowered)
    # Footers trip the consumer cues easily; a message with two more B2B cues than consumer cues still counts.
    if pitch and (not other or len(pitch) >= len(other) + 2):
        return ",".join(pitch)
    return None


def fingerprint(subject: str, text: str) -> str:
    """Exact-duplicate key: normalized words with digits removed (spam tags and dates vary between copies)."""
    return hashlib.sha1(re.sub(r"\d+", "", normalize(f"{subject} {text}")).encode()).hexdigest()


def shingles(subject: str, text: str) -> frozenset[int]:
    words = re.sub(r"\d+", "", normalize(f"{subject} {text}")).split()
    return frozenset(zlib.crc32(" ".join(words[i : i + 5]).encode()) for i in range(max(1, len(words) - 4)))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class Labeller:
    """Collects entries, refusing duplicates within a split and anything in test that train already holds."""

    def __init__(self) -> None:
        self.entries: dict[str, list[tuple[str, str, str]]] = {"pitch": [], "legit": []}
        self.seen: dict[str, set[str]] = {"train": set(), "test": set()}
        self.pitch_shingles: dict[str, list[frozenset[int]]] = {"train": [], "test": []}
        self.dropped: Counter[str] = Counter()

    def add(self, cls: str, path: str, subject: str, text: str, note: str) -> None:
        split, key = split_of(path), fingerprint(subject, text)
        if key in self.seen[split] or (split == "test" and key in self.seen["train"]):
            self.dropped[f"{cls}/{split}/exact-duplicate"] += 1
            return
        # Near copies only matter for testing: in training, a campaign seen twice is just weighted twice.
        if cls == "pitch" and split == "test" and self._near_copy(shingles(subject, text)):
            self.dropped[f"{cls}/{split}/near-duplicate"] += 1
            return
        self.seen[split].add(key)
        if cls == "pitch" and split == "train":
            self.pitch_shingles["train"].append(shingles(subject, text))
        self.entries[cls].append((path, split, note))

    def _near_copy(self, sh: frozenset[int]) -> bool:
        if any(
            jaccard(sh, other) >= NEAR_DUP_JACCARD
            for other in self.pitch_shingles["train"] + self.pitch_shingles["test"]
        ):
            return True
        self.pitch_shingles["test"].append(sh)
        return False


def label(root: Path) -> Labeller:
    """Run the rules over the corpora; training sources first so test copies of them are the ones dropped."""
    labeller = Labeller()
    spam = sorted(iter_corpus(root, spam=True), key=lambda item: split_of(item[0]) != "train")
    for path, raw in spam:
        subject, text = example_from_bytes(raw)
        note = pitch_note(subject, text)
        if note is None or review_key(path) in REVIEWED_EXCLUDE:
            continue
        labeller.add("pitch", path, subject, text, note)
    ham = sorted(iter_corpus(root, spam=False), key=lambda item: split_of(item[0]) != "train")
    for path, raw in ham:
        subject, text = example_from_bytes(raw)
        labeller.add("legit", path, subject, text, "ham")
    return labeller


def source_of(path: str) -> str:
    if ":" in path:
        return f"enron_spam/{path.split(':', 1)[1].split('/')[0]}"
    return "/".join(path.split("/")[:2])


def write_lists(labeller: Labeller, out_dir: Path) -> dict[str, object]:
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    for cls, entries in labeller.entries.items():
        lines = [
            f"# label: {cls}",
            "# path<TAB>split<TAB>note; written by scripts/label_corpus.py, do not edit",
        ]
        for path, split, note in sorted(entries):
            lines.append(f"{path}\t{split}\t{note}")
            counts[f"{cls}\t{source_of(path)}\t{split}"] += 1
        (out_dir / f"{cls}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats: dict[str, object] = {
        "counts": dict(sorted(counts.items())),
        "dropped": dict(sorted(labeller.dropped.items())),
    }
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=REPO / "models" / "labels")
    args = parser.parse_args()
    stats = write_lists(label(args.corpus), args.out)
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
