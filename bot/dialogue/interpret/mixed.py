"""Messages that hold an answer and a question: split them, and find the question's
FAQ topic when the NLU did not name one.

"schoonmaker, wat krijg ik eigenlijk als ik ziek word?" -> statement "schoonmaker",
question "wat krijg ik eigenlijk als ik ziek word?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

FAQ_DATA = Path(__file__).resolve().parents[3] / "data" / "nlu" / "faq"
WH_WORDS = r"wat|hoe|wie|waar|wanneer|waarom|welke|welk|hoeveel|hoelang|waarvoor|waarover|wat als"
VERBS = (
    r"moet|moeten|mag|mogen|kan|kun|kunt|kunnen|is|zijn|heb|hebt|heeft|ben|krijg|krijgt|word|wordt|"
    r"vertelt|weet|weten|klopt|betaalt|geldt|hoort|zou|zouden|gaat|gaan|valt|telt|hoef|hoeft|"
    r"bestaat|speelt|verandert|stopt|loopt|blijf|blijft"
)
SUBJECTS = r"ik|u|je|jij|we|wij|mijn|mn|m'n|de|het|die|dat|dit|er|ze|zij|hij|mensen|iemand|werkgevers?"
_LEAD = r"^\s*(?:en\s+|maar\s+|dus\s+|trouwens\s+|eh\s+|oh\s+|o\s+|nog\s+een\s+vraag:?\s+)*"
_QUESTION_START = re.compile(rf"{_LEAD}(?:(?:{WH_WORDS})\b|(?:{VERBS})\s+(?:{SUBJECTS})\b)", re.IGNORECASE)
# Inverted word order that is a statement: "weet ik niet", "denk het wel", "heb ik geen last van".
# A wh-word followed by its subject is a subordinate clause ("wat ik wil weten", "hoe ik
# het contact houd"); a direct question puts the verb first ("hoe houd ik ...").
_EMBEDDED = re.compile(
    rf"{_LEAD}(?:{WH_WORDS}) (?:ik|je|u|we|wij|ze|zij|hij|het|mijn|mn|m'n|de|dat|er)\b", re.IGNORECASE
)
_STATEMENT = re.compile(
    r"^\s*(?:weet|denk|geloof|vind|hoop|verwacht|zou|heb|ben|doe|kan|is|klopt|mag)\s+"
    r"(?:ik\s+|het\s+|dat\s+|me\s+|mij\s+|er\s+)*(?:het\s+)?(?:wel|niet|geen|nog|ook|eigenlijk|zeker|prima|goed|"
    r"nooit|best|echt)\b",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"\s*(?:ik\s+(?:wil|zou)\s+(?:graag\s+)?(?:weten|vragen)|ik\s+vraag\s+me\s+af|"
    r"mijn\s+vraag\s+is|vraagje|ik\s+heb\s+een\s+vraag)\b",
    re.IGNORECASE,
)
# "kan ik me niet concentreren", "heb ik geen energie": about oneself, not asking
_SAYS_ABOUT_SELF = re.compile(
    rf"(?:{VERBS})\s+ik\s+(?:me|mij|mezelf|niet|geen|slecht|weinig|nauwelijks|moeilijk|minder|nog)\b",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"[^.?!\n]+[.?!]*|[.?!]+")
_CLAUSE_BREAK = re.compile(r"\s*(?:,|;|:|\s-\s|\ben\b|\bmaar\b|\btrouwens\b)\s*", re.IGNORECASE)
MIN_TOPIC_SIMILARITY = 0.30


@dataclass(frozen=True)
class Split:
    statement: str  # what is left when the question is taken out ("" if nothing)
    question: str  # the question part ("" if none)


def split_question(text: str) -> Split:
    """Split a message in its statement and its question part."""
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return Split(text, "")
    statements: List[str] = []
    questions: List[str] = []
    for sentence in _SENTENCES.findall(text):
        sentence = sentence.strip()
        if not sentence or not re.search(r"\w", sentence):
            continue
        head, question = _question_tail(sentence)
        if head:
            statements.append(head)
        if question:
            questions.append(question)
    return Split(" ".join(statements).strip(" ,.;"), " ".join(questions).strip())


def _question_tail(sentence: str) -> Tuple[str, str]:
    """(statement, question) of one sentence. In "schoonmaker, wat krijg ik als ik ziek
    word?" the question starts at the first clause that opens like a question; what comes
    before it is a statement."""
    if _opens_question(sentence):
        return "", sentence
    for m in _CLAUSE_BREAK.finditer(sentence):
        rest = sentence[m.end() :]
        # mid-sentence, verb first without "?" is Dutch inversion ("..., en kan ik me
        # niet concentreren"), not a question; a wh-word or "ik wil weten" still is
        joined_by_and = m.group(0).strip().lower() in ("en", "maar")
        inverted_only = (
            not rest.rstrip().endswith("?")
            and not re.match(rf"(?:{WH_WORDS})\b", rest, re.IGNORECASE)
            and (joined_by_and or _SAYS_ABOUT_SELF.match(rest) is not None)
        )
        if (
            m.start() > 0
            and rest
            and _opens_question(rest)
            and not (inverted_only and not _ASKING.match(rest))
        ):
            return sentence[: m.start()].strip(" ,;:-"), rest.strip()
    if sentence.endswith("?"):
        return "", sentence
    return sentence, ""


def _opens_question(text: str) -> bool:
    if _STATEMENT.match(text):
        return False
    if _EMBEDDED.match(text) and not text.rstrip().endswith("?"):
        return False  # "hoe ik het contact houd": a clause, not a question
    return bool(_QUESTION_START.match(text)) or bool(_ASKING.match(text))


@lru_cache(maxsize=1)
def _topic_index():
    """TF-IDF (words and character n-grams) over the FAQ training phrasings."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    texts: List[str] = []
    labels: List[str] = []
    for path in sorted(FAQ_DATA.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            intent = block.get("intent", "")
            if not intent.startswith("faq_"):
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(line[2:].strip())
                    labels.append(intent)
    vectorizer = FeatureUnion(
        [
            ("words", TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
            ),
        ]
    )
    matrix = vectorizer.fit_transform(texts) if texts else None
    return vectorizer, matrix, labels


def guess_topic_intent(question: str) -> Optional[str]:
    """The FAQ intent whose training phrasing is most like the question, or None."""
    vectorizer, matrix, labels = _topic_index()
    if matrix is None or not question.strip():
        return None
    sims = (matrix @ vectorizer.transform([question]).T).toarray().ravel() / 2.0
    best = int(sims.argmax())
    return labels[best] if sims[best] >= MIN_TOPIC_SIMILARITY else None
