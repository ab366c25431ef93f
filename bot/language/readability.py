"""Plain-language checks for everything a patient reads (Dutch, level B1).

* Flesch-Douma reading ease (the Dutch adaptation of Flesch):
  ``206.835 - 0.93 * (words / sentences) - 77 * (syllables / words)``.
  Higher is easier; 60 or more is "plain" (roughly B1).
* Syllables come from the Dutch hyphenation dictionary of ``pyphen`` (nl_NL).
* Sentence splitting knows Dutch abbreviations ("bijv.", "o.a.", "art. 14") and does not
  split inside numbers ("3.5", "1.000", "7:629").
* ``patient_texts()`` walks every YAML file under ``bot/content/`` and yields the texts a
  patient (or, in careteam.yml, a clinician) reads, so the report (``scripts/plain_language_report.py``) and the test
  (``tests/test_plain_language.py``) cover all content, whoever wrote it.

Criteria and the forbidden-word list live in ``bot/content/plain_language.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import pyphen

from bot import content
from bot.content import CONTENT_DIR

PLAIN_LANGUAGE_FILE = content.path("plain_language")

# Dutch abbreviations that end in a full stop but do not end a sentence (lower case,
# without the final full stop).
ABBREVIATIONS = frozenset(
    """
    bijv bv o.a d.w.z enz etc art nr ca m.b.t t.o.v i.p.v z.s.m incl excl max min
    mevr dhr dr drs mr ir prof blz tel e.d a.u.b vs ong jl resp evt i.v.m m.n zgn
    n.a.v p.p t.a.v t.b.v v.d a.s mln mld vgl lid bijl afd
    """.split()
)

# Patient-facing keys (see docs/faq.md): their string values are checked.
TEXT_KEYS = frozenset(
    {"text", "hint", "label", "answer", "after_answer", "title", "readback", "patient_nl", "patient_label_nl"}
)  # signals.yml: the patient's own copy
LABEL_KEYS = frozenset({"label", "title", "readback", "patient_label_nl"})
# In the web pages' files (web.yml, careteam.yml): headings, titles, labels, buttons, links
# and column heads are labels too, and so is everything under a key ending in "_labels".
LABEL_SUFFIXES = ("heading", "_title", "_label", "_button", "_link", "_labels")
LABEL_PREFIXES = ("col_",)
CONTAINER_KEYS = frozenset({"variants", "text_by_answer"})
SKIP_KEYS = frozenset(
    {
        "id",
        "code",
        "source",
        "sources",
        "checked",
        "synonyms",
        "when",
        "conditions",
        "keywords",
        "patterns",
        "examples",
        "forms",
        "explained",
        "intent",
        "payload",
        "topic",
        "plain",
        "reason",
        "term",
        "owner",
        "file",
        "key",
    }
)

_WORD_RE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’\-][0-9A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_PLACEHOLDER_RE = re.compile(r"\{[^{}]*\}")
_URL_RE = re.compile(r"\b(?:https?://\S+|www\.\S+|[\w.-]+\.(?:nl|com|org|eu)(?:/\S*)?)", re.I)
_VOWELS = "aeiouyàáâäèéêëìíîïòóôöùúûü"


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL", left=1, right=1)


@lru_cache(maxsize=4096)
def syllables(word: str) -> int:
    """Number of syllables of one Dutch word.

    Compounds written with a hyphen or apostrophe ("re-integratie", "zzp'er") count per
    part. Numbers count as two syllables (a rough mean for spoken numbers). Acronyms
    without vowels or in capitals up to four letters ("UWV", "AOV") are spelled out, so
    they count one syllable per letter.
    """
    parts = [p for p in re.split(r"['’\-]", word) if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    if not word:
        return 0
    if any(ch.isdigit() for ch in word):
        return 2
    if (word.isupper() and 2 <= len(word) <= 4) or not any(ch in _VOWELS for ch in word.lower()):
        return len(word)
    return len(_dictionary().positions(word.lower())) + 1


def words(text: str) -> List[str]:
    """Word tokens of a text (placeholders and web addresses count as one word)."""
    text = _PLACEHOLDER_RE.sub(" iets ", text)
    text = _URL_RE.sub(" website ", text)
    return _WORD_RE.findall(text)


def split_sentences(text: str) -> List[str]:
    """Split a Dutch text into sentences.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by white space (or the end),
    at a line break, and at a colon that ends a line. A full stop after a known
    abbreviation or a single letter ("J. Jansen") does not end a sentence. Full stops
    inside numbers never do, because no white space follows them.
    """
    text = _PLACEHOLDER_RE.sub("iets", text)
    text = _URL_RE.sub("website", text)
    sentences: List[str] = []
    for line in re.split(r"\n+", text):
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip()
        if not line:
            continue
        start = 0
        for match in re.finditer(r"[.!?…]+(?=\s|$)", line):
            end = match.end()
            if match.group().startswith(".") and match.group() == ".":
                before = line[start : match.start()].split()
                last = before[-1].lower() if before else ""
                if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                    continue
            piece = line[start:end].strip()
            if words(piece):
                sentences.append(piece)
            start = end
        rest = line[start:].strip()
        if words(rest):
            sentences.append(rest)
    return sentences


@dataclass
class Readability:
    words: int
    sentences: int
    syllables: int
    flesch_douma: float
    mean_sentence_length: float
    max_sentence_length: int


def analyse(text: str) -> Readability:
    """Reading-ease figures for one text."""
    sents = split_sentences(text) or [text]
    counts = [len(words(s)) for s in sents]
    n_words = sum(counts)
    if n_words == 0:
        return Readability(0, 0, 0, 100.0, 0.0, 0)
    n_syll = sum(syllables(w) for s in sents for w in words(s))
    n_sent = len([c for c in counts if c]) or 1
    return Readability(
        words=n_words,
        sentences=n_sent,
        syllables=n_syll,
        flesch_douma=flesch_douma(n_words, n_sent, n_syll),
        mean_sentence_length=n_words / n_sent,
        max_sentence_length=max(counts),
    )


def flesch_douma(n_words: int, n_sentences: int, n_syllables: int) -> float:
    """206.835 - 0.93 x words per sentence - 77 x syllables per word."""
    return 206.835 - 0.93 * (n_words / n_sentences) - 77.0 * (n_syllables / n_words)


# ---------------------------------------------------------------------------
# criteria and forbidden words


@dataclass
class Rules:
    min_flesch_douma: float
    max_mean_sentence_length: float
    max_sentence_length: int
    label_max_words: int
    forbidden: List[Dict[str, Any]]
    exceptions: List[Dict[str, Any]]
    text_files: List[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = content.load(PLAIN_LANGUAGE_FILE)
    crit = content.require(data, "criteria", PLAIN_LANGUAGE_FILE)
    forbidden = []
    for entry in data.get("forbidden", []):
        forms = entry.get("forms") or [entry["term"]]
        pattern = re.compile(r"(?<![\w-])(?:%s)" % "|".join(_form_regex(f) for f in forms), re.I)
        forbidden.append({**entry, "regex": pattern, "explained": entry.get("explained", [])})
    return Rules(
        min_flesch_douma=float(crit["min_flesch_douma"]),
        max_mean_sentence_length=float(crit["max_mean_sentence_length"]),
        max_sentence_length=int(crit["max_sentence_length"]),
        label_max_words=int(crit["label_max_words"]),
        forbidden=forbidden,
        exceptions=list(data.get("exceptions") or []),
        text_files=list(data.get("text_files") or []),
    )


def _form_regex(form: str) -> str:
    # "arbo-arts" also matches "arbo arts" and "arboarts"; a form matches as a word start.
    return r"[\s-]?".join(re.escape(p) for p in re.split(r"[\s-]+", form.strip()))


def forbidden_terms(text: str, is_label: bool = False) -> List[str]:
    """Forbidden words in a text that the same text does not explain (an entry with
    ``labels_ok`` allows its term in a button label)."""
    found = []
    low = text.lower()
    for entry in rules().forbidden:
        if is_label and entry.get("labels_ok"):
            continue
        if entry["regex"].search(text):
            if any(exp.lower() in low for exp in entry["explained"]):
                continue
            found.append(entry["term"])
    return found


@dataclass
class Verdict:
    file: str
    key: str
    text: str
    is_label: bool
    stats: Optional[Readability]
    problems: List[str] = field(default_factory=list)
    exception: Optional[str] = None

    @property
    def ok(self) -> bool:
        return not self.problems or self.exception is not None


def check_text(text: str, is_label: bool = False, file: str = "", key: str = "") -> Verdict:
    """Check one text against the criteria. Labels and texts of fewer than
    ``label_max_words + 1`` words are only checked for forbidden words."""
    r = rules()
    problems = [f"forbidden word: {t}" for t in forbidden_terms(text, is_label)]
    n = len(words(text))
    stats = None
    if not is_label and n > r.label_max_words:
        stats = analyse(text)
        if stats.flesch_douma < r.min_flesch_douma:
            problems.append(f"Flesch-Douma {stats.flesch_douma:.1f} < {r.min_flesch_douma:.0f}")
        if stats.mean_sentence_length > r.max_mean_sentence_length:
            problems.append(
                f"mean sentence length {stats.mean_sentence_length:.1f} > {r.max_mean_sentence_length:.0f}"
            )
        if stats.max_sentence_length > r.max_sentence_length:
            problems.append(f"sentence of {stats.max_sentence_length} words > {r.max_sentence_length}")
    verdict = Verdict(file=file, key=key, text=text, is_label=is_label, stats=stats, problems=problems)
    if problems:
        for exc in r.exceptions:
            if exc.get("file") == file and exc.get("key") == key:
                verdict.exception = exc.get("reason", "listed exception")
    return verdict


# ---------------------------------------------------------------------------
# collecting patient-facing texts


def patient_texts(content_dir: Path = CONTENT_DIR) -> Iterator[Tuple[str, str, str, bool]]:
    """Yield (file, key path, text, is_label) for every patient-facing text in every YAML
    file under ``content_dir`` (recursively). ``file`` is relative to ``content_dir``.

    In the ``text_files`` of plain_language.yml (flat message catalogues such as
    messages.yml) every string is patient-facing, apart from the skipped keys."""
    text_files = set(rules().text_files)
    for rel in content.files(content_dir):
        if rel in (PLAIN_LANGUAGE_FILE.name, "reviews.yml"):  # rules and review records, no texts
            continue
        data = content.load(content_dir / rel)
        yield from _walk(data, rel, "", patient=rel in text_files, label=False)


def _walk(node: Any, file: str, path: str, patient: bool, label: bool, all_labels: bool = False):
    """Recurse; ``patient`` is true below a patient-facing key, ``label`` when the
    nearest key is a label key (label, title, readback; see LABEL_SUFFIXES), and
    ``all_labels`` below a key ending in "_labels"."""
    if isinstance(node, dict):
        for key, value in node.items():
            key_s = str(key)
            if key_s in SKIP_KEYS:
                continue
            sub = f"{path}.{key_s}" if path else key_s
            is_patient = patient or _is_patient_key(key_s)
            below = all_labels or key_s.endswith("_labels")
            yield from _walk(value, file, sub, is_patient, below or _is_label_key(key_s), below)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            name = item.get("id") or item.get("code") if isinstance(item, dict) else None
            sub = f"{path}[{name}]" if name is not None else f"{path}[{i}]"
            yield from _walk(item, file, sub, patient, label, all_labels)
    elif isinstance(node, str) and patient:
        yield file, path, node, label


def _is_label_key(key: str) -> bool:
    return key in LABEL_KEYS or key.endswith(LABEL_SUFFIXES) or key.startswith(LABEL_PREFIXES)


def _is_patient_key(key: str) -> bool:
    return key in TEXT_KEYS or key.endswith("_text") or key in CONTAINER_KEYS


def check_all(content_dir: Path = CONTENT_DIR) -> List[Verdict]:
    return [
        check_text(text, is_label=label, file=file, key=key)
        for file, key, text, label in patient_texts(content_dir)
    ]


def stale_exceptions(verdicts: Sequence[Verdict]) -> List[Dict[str, Any]]:
    """Exceptions in plain_language.yml that no longer match a failing text."""
    used = {(v.file, v.key) for v in verdicts if v.exception}
    return [e for e in rules().exceptions if (e.get("file"), e.get("key")) not in used]
