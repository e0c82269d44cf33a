"""Reading the modern, multilingual training mail out of fetched public repositories.

The sources are named in `models/labels/modern_sources.json` (repository, commit, path, language, kind) and
the labelled examples in `models/labels/modern.txt` (source, index within the file, label, split). The text
itself is never committed: it is read here, with `git show commit:path`, from the fetched mirrors (by default
`/work/.mirror/<owner>+<name>/repo`), so the lists rebuild the same examples on any machine that fetched them.

Three kinds of file are read:
- `markdown`: published cold-email templates, sequences and agencies' outreach notes. Every fenced block or
  greeting-led run of lines is one message; the nearest "Subject:/Betreff:/Objet:/Asunto:/Onderwerp:" line
  above it is its subject. Placeholders (`{{first_name}}`, `[Company]`, `{nombre}`) are filled with plain
  values, so the model learns the words of the pitch and not the template syntax.
- `tickets_csv`: support-ticket data (subject, the customer's `body`, the agent's `answer`, `language`).
  Each row gives two wanted messages: a customer asking and a vendor answering.
- `sms_tsv`: the SMS Spam Collection; only its `ham` lines are used, as short friendly text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

DEFAULT_MIRROR = Path("/work/.mirror")

_SUBJECT_RE = re.compile(
    r"^\W{0,6}(subject|subject line|betreff|objet|asunto|onderwerp|assunto|oggetto)\W{0,4}[:：][\s*_]*(.*)$",
    re.IGNORECASE,
)
_SUBJECT_HEADING_RE = re.compile(r"^#+\s*\W*(subject|betreff|objet|asunto|onderwerp)\b", re.IGNORECASE)
_GREETING_RE = re.compile(
    r"^\W{0,3}(hi|hello|hey|dear|good (morning|afternoon)|hallo|guten (tag|morgen)|sehr geehrte\w*|liebe\w?|"
    r"moin|servus|bonjour|bonsoir|cher|chère|madame|monsieur|hola|estimad[oa]s?|buen[oa]s|querid[oa]|hoi|"
    r"beste|geachte|goedemorgen|goedemiddag|dag|olá|prezad[oa]|caro|cara|buongiorno|salve|thanks for|"
    r"bedankt voor|vielen dank|merci|gracias)\b",
    re.IGNORECASE,
)
# A body that opens on the placeholder itself: "{nombre},", "[First Name] -".
_PLACEHOLDER_OPENING_RE = re.compile(r"^\W{0,3}(\{\{?[^}]+\}\}?|\[[^\]]+\])\s*[,:!-]")
_FENCE_RE = re.compile(r"^\s*```")
_HEADING_RE = re.compile(r"^#{1,6}\s+(.*)")
_RULE_RE = re.compile(r"^\s*(---+|\*\*\*+|___+)\s*$")
_LINK_RE = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_PLACEHOLDER_RE = re.compile(
    r"\{\{\s*([^{}\n]{1,60}?)\s*\}\}|\{([^{}\n]{1,60})\}|\[([^\[\]\n]{1,80})\]|<([A-Za-z_][^<>\n]{0,40})>"
)
_MARKUP_RE = re.compile(r"\*\*|__|`")
MIN_BODY_CHARS = 60

_FILL: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(r"link|url|calendly|website|web|site|loom|http", re.I),
        ("https://example.com/demo", "https://example.org/info"),
    ),
    (re.compile(r"phone|tel|telefoon|telefon|móvil|movil|mobile", re.I), ("+1 555 0100", "+49 30 1234567")),
    (re.compile(r"mail", re.I), ("alex@example.com", "info@example.org")),
    (
        re.compile(
            r"company|empresa|entreprise|bedrijf|firma|unternehmen|agency|agencia|business|shop", re.I
        ),
        ("Northwind", "Brightline", "Acme Solutions", "Vandelay"),
    ),
    (
        re.compile(r"name|nombre|nom|prénom|prenom|naam|vorname|first|contact|client|anrede", re.I),
        ("Alex", "Maria", "Jan", "Lena", "Sam", "Pieter"),
    ),
    (re.compile(r"date|datum|fecha|day|día|dia|jour|time|uhrzeit", re.I), ("Tuesday", "12 March")),
    (re.compile(r"city|stadt|ciudad|ville|plaats|address|adres", re.I), ("Utrecht", "Lyon", "Valencia")),
)

# Stop words for a rough language guess of mixed files; the manifest's language is used when it is one.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "you",
            "your",
            "for",
            "with",
            "that",
            "this",
            "have",
            "are",
            "will",
            "our",
            "just",
            "would",
        ]
    ),
    "de": frozenset(
        [
            "und",
            "der",
            "die",
            "das",
            "ich",
            "sie",
            "wir",
            "ihr",
            "ihre",
            "nicht",
            "mit",
            "für",
            "ist",
            "gerne",
            "bitte",
        ]
    ),
    "fr": frozenset(
        ["et", "le", "la", "les", "vous", "votre", "nous", "pour", "avec", "est", "une", "des", "je", "pas"]
    ),
    "es": frozenset(
        ["el", "los", "las", "que", "y", "para", "con", "una", "por", "su", "tu", "es", "del", "te", "nos"]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "je",
            "jullie",
            "wij",
            "ik",
            "voor",
            "met",
            "niet",
            "van",
            "dat",
            "is",
            "u",
            "uw",
        ]
    ),
    "pt": frozenset(
        ["o", "os", "que", "e", "para", "com", "uma", "não", "você", "seu", "sua", "obrigado", "do", "da"]
    ),
    "it": frozenset(["il", "che", "e", "per", "con", "una", "non", "sono", "della", "gli", "ti", "vi"]),
}


@dataclass(frozen=True)
class Source:
    """One fetched file: where it lives, what it holds, and how to read it."""

    repo: str
    commit: str
    path: str
    kind: str
    lang: str
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.repo}@{self.commit[:12]}:{self.path}"


@dataclass(frozen=True)
class Item:
    """One message read from a source: its index within the file, heading, subject, body and language."""

    index: int
    heading: str
    subject: str
    body: str
    lang: str
    role: str = ""


def load_sources(manifest: Path) -> list[Source]:
    return [Source(**entry) for entry in json.loads(manifest.read_text(encoding="utf-8"))]


def read_source(source: Source, mirror: Path = DEFAULT_MIRROR) -> str:
    """The file's text at the recorded commit, from the fetched mirror."""
    git_dir = mirror / source.repo.replace("/", "+") / "repo"
    raw = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{source.commit}:{source.path}"],
        check=True,
        capture_output=True,
    ).stdout
    return raw.decode("utf-8", errors="replace")


def items_of(source: Source, mirror: Path = DEFAULT_MIRROR) -> list[Item]:
    text = read_source(source, mirror)
    if source.kind == "markdown":
        return list(markdown_items(text, source.lang))
    if source.kind == "tickets_csv":
        return list(ticket_items(text))
    if source.kind == "sms_tsv":
        return list(sms_items(text))
    raise ValueError(f"unknown source kind {source.kind!r}")


# --- markdown templates ------------------------------------------------------------------------------------


def markdown_items(text: str, lang: str) -> Iterator[Item]:
    """Every message-like block of a markdown file, in order, each with its heading and subject."""
    heading, subject, index = "", "", 0
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE_RE.match(line):
            end = _fence_end(lines, i + 1)
            block = lines[i + 1 : end]
            if _SUBJECT_HEADING_RE.match(heading) and block and not _is_body(block):
                subject = block[0]
            elif _is_body(block):
                found_subject, body = _split_subject(block)
                yield from _emit(index, heading, found_subject or subject, body, lang)
                index += 1
            i = end + 1
            continue
        if match := _HEADING_RE.match(line):
            heading = match.group(1).strip()
            if not _SUBJECT_HEADING_RE.match(line):
                subject = ""
        elif match := _SUBJECT_RE.match(line):
            subject = match.group(2)
        elif _starts_body(line):
            end = _run_end(lines, i + 1)
            yield from _emit(index, heading, subject, lines[i:end], lang)
            index += 1
            i = end
            continue
        i += 1


def _fence_end(lines: list[str], start: int) -> int:
    for j in range(start, len(lines)):
        if _FENCE_RE.match(lines[j]):
            return j
    return len(lines)


def _run_end(lines: list[str], start: int) -> int:
    for j in range(start, len(lines)):
        if _FENCE_RE.match(lines[j]) or _HEADING_RE.match(lines[j]) or _RULE_RE.match(lines[j]):
            return j
        if _SUBJECT_RE.match(lines[j]):
            return j
    return len(lines)


def _starts_body(line: str) -> bool:
    if _PLACEHOLDER_OPENING_RE.match(line):
        return True
    match = _GREETING_RE.match(line)
    if match is None:
        return False
    # A salutation is short or carries its comma early ("Hi Jan, enjoyed our chat"); "Dag 1-3: ..." is a table.
    return len(line.strip()) <= 50 or bool(re.search(r"[,!]", line[: match.end() + 40]))


def _is_body(block: list[str]) -> bool:
    head = [line for line in block if line.strip()][:3]
    return any(_starts_body(line) or _SUBJECT_RE.match(line) for line in head)


def _split_subject(block: list[str]) -> tuple[str, list[str]]:
    for j, line in enumerate(block[:3]):
        if match := _SUBJECT_RE.match(line):
            return match.group(2), block[j + 1 :]
    return "", block


def _emit(index: int, heading: str, subject: str, body_lines: list[str], lang: str) -> Iterator[Item]:
    body = clean("\n".join(body_lines), index)
    if len(body) >= MIN_BODY_CHARS:
        subj = clean(subject, index)
        yield Item(index, heading, subj, body, lang if lang != "mixed" else guess_language(body))


def clean(text: str, seed: int) -> str:
    """Markdown markup removed and placeholders filled with plain, deterministic values."""
    text = _LINK_RE.sub(r"\1 \2", text)
    text = _PLACEHOLDER_RE.sub(lambda m: _fill(next(g for g in m.groups() if g), seed), text)
    text = _MARKUP_RE.sub("", text)
    lines = [re.sub(r"^\s*>\s?", "", line).rstrip() for line in text.splitlines()]
    return "\n".join(lines).strip()


def _fill(placeholder: str, seed: int) -> str:
    for pattern, values in _FILL:
        if pattern.search(placeholder):
            digest = hashlib.sha256(f"{placeholder}|{seed}".encode()).digest()
            return values[digest[0] % len(values)]
    return placeholder.replace("_", " ").strip().lower()


def guess_language(text: str) -> str:
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    return max(scores, key=lambda lang: scores[lang])


# --- tickets and SMS ---------------------------------------------------------------------------------------


def ticket_items(text: str) -> Iterator[Item]:
    """Two wanted messages per ticket row: the customer's request (even index) and the answer (odd index)."""
    for row_no, row in enumerate(csv.DictReader(io.StringIO(text))):
        lang = (row.get("language") or "").strip()
        for offset, column in ((0, "body"), (1, "answer")):
            body = clean(row.get(column) or "", row_no)
            if lang and len(body) >= 20:
                subject = clean(row.get("subject") or "", row_no)
                if offset:
                    subject = f"Re: {subject}" if subject else ""
                yield Item(2 * row_no + offset, row.get("queue") or "", subject, body, lang, column)


def sms_items(text: str) -> Iterator[Item]:
    for line_no, line in enumerate(text.splitlines()):
        label, _, body = line.partition("\t")
        if label == "ham" and body.strip():
            yield Item(line_no, "ham", "", body.strip(), "en", "sms")


def as_message(item: Item) -> bytes:
    """The item as RFC 5322 bytes, so it is parsed exactly the way the gateway parses live mail."""
    msg = EmailMessage()
    msg["From"] = "sender@example.com"
    msg["To"] = "recipient@example.org"
    msg["Subject"] = " ".join(item.subject.split())[:200]
    msg.set_content(item.body)
    return bytes(msg)


@dataclass(frozen=True)
class Labelled:
    """One line of models/labels/modern.txt."""

    source: str
    index: int
    label: int
    lang: str
    split: str
    note: str

    @property
    def repo(self) -> str:
        return self.source.split("@", 1)[0]


def read_labels(list_file: Path) -> list[Labelled]:
    entries: list[Labelled] = []
    for line in list_file.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            source, index, label, lang, split, note = line.split("\t")
            entries.append(Labelled(source, int(index), int(label == "pitch"), lang, split, note))
    return entries


def labelled_messages(
    list_file: Path, manifest: Path, mirror: Path = DEFAULT_MIRROR, split: str | None = None
) -> list[tuple[Labelled, bytes]]:
    """Every labelled message (of one split, or all) as RFC 5322 bytes, read from the mirrors, in list order."""
    sources = {source.key: source for source in load_sources(manifest)}
    cache: dict[str, dict[int, Item]] = {}
    out: list[tuple[Labelled, bytes]] = []
    for entry in read_labels(list_file):
        if split is not None and entry.split != split:
            continue
        if entry.source not in cache:
            cache[entry.source] = {item.index: item for item in items_of(sources[entry.source], mirror)}
        out.append((entry, as_message(cache[entry.source][entry.index])))
    return out
