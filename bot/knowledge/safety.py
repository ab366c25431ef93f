"""Crisis safety net: rule-based detection of crisis language and the fixed answer.

Patterns, normalisation and the answer live in ``bot/content/safety.yml`` (the design
choices, such as which exaggerations do not trigger, are documented there). Nothing here
is learned: the same text always gives the same result, and the NLU ``crisis`` intent is
forced by this detector (``bot.language.nlp.CrisisOverride``), whatever the model says.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from bot import content
from bot.content import ContentError
from bot.dialogue.messages import Message

SAFETY_FILE = content.path("safety")
CATEGORIES = (
    "suicide",
    "passive_wish",
    "hopelessness",
    "burden",
    "plan_method_intent",
    "preparation",
    "self_harm",
    "domestic_violence",
    "acute_danger",
    "threat_to_others",
)


@dataclass(frozen=True)
class CrisisMatch:
    category: str  # one of CATEGORIES
    pattern_id: str  # the pattern's id in safety.yml
    matched: str  # the matched part of the normalised text
    denied: bool = False  # the same sentence denies it ("ik denk er niet aan om ..."): ask, do not assume


@dataclass(frozen=True)
class _Rules:
    replacements: Tuple[Tuple[re.Pattern, str], ...]
    patterns: Tuple[Tuple[str, str, re.Pattern, Optional[re.Pattern]], ...]
    messages: Dict[str, Tuple[str, ...]]
    masks: Tuple[re.Pattern, ...]
    vocabulary: Tuple[str, ...]
    denials: Tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = content.load(SAFETY_FILE)
    replacements = tuple(
        (re.compile(r"(?<!\S)%s(?!\S)" % re.escape(src)), dst)
        for src, dst in (data.get("replacements") or {}).items()
    )
    macros = data.get("macros") or {}
    patterns = []
    seen = set()
    for cat in content.require(data, "categories", SAFETY_FILE):
        if cat.get("id") not in CATEGORIES:
            raise ContentError(SAFETY_FILE, f"unknown crisis category {cat.get('id')!r}")
        for pat in content.require(cat, "patterns", SAFETY_FILE, f"category {cat['id']}"):
            if pat.get("id") in seen:
                raise ContentError(SAFETY_FILE, f"duplicate crisis pattern id {pat['id']!r}")
            seen.add(pat.get("id"))
            regex = content.require(pat, "regex", SAFETY_FILE, f"pattern {pat.get('id')}")
            try:
                unless = re.compile(_expand(pat["unless"], macros)) if pat.get("unless") else None
                patterns.append((cat["id"], pat["id"], re.compile(_expand(regex, macros)), unless))
            except re.error as exc:
                raise ContentError(SAFETY_FILE, f"pattern {pat.get('id')}: invalid regex ({exc})") from None
    messages = {
        k: tuple(m["text"] for m in v) for k, v in content.require(data, "messages", SAFETY_FILE).items()
    }
    for key in ("always", "check"):
        content.require(messages, key, SAFETY_FILE, "messages")
    masks = tuple(re.compile(_expand(m, macros)) for m in data.get("masks") or [])
    denials = tuple(re.compile(_expand(d, macros)) for d in data.get("denials") or [])
    return _Rules(
        replacements, tuple(patterns), messages, masks, tuple(data.get("vocabulary") or ()), denials
    )


def _expand(regex: str, macros: Dict[str, str]) -> str:
    for name, value in macros.items():
        regex = regex.replace("{%s}" % name, value)
    return regex


@lru_cache(maxsize=1024)  # the rules and the learned layer normalise the same message
def normalise(text: str) -> str:
    """Lower case, no accents, sentence ends kept as " . ", every other character that is
    not a letter or digit a space, letters repeated three or more times cut to two, typos
    of crisis words corrected (rapidfuzz), and the word replacements of safety.yml."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[.!?;\n]+", " . ", text)
    text = re.sub(r"[^a-z0-9.]+|(?<=[a-z0-9])\.(?=[a-z0-9])", " ", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1\1", text)
    text = " ".join(_correct_typo(w) for w in text.split())
    for pattern, dst in _rules().replacements:
        text = pattern.sub(dst, text)
    return text


@lru_cache(maxsize=4096)
def _correct_typo(word: str) -> str:
    """A misspelt crisis word ("zelfmoort", "suicde", "slaappilen") becomes the word
    (rapidfuzz Levenshtein distance 1, 2 for long words, same first letter); Dutch
    words are left alone, however close they are."""
    vocabulary = _rules().vocabulary
    if len(word) < 5 or word in vocabulary or not word.isalpha():
        return word
    from rapidfuzz.distance import Levenshtein

    if _common_word(word):
        return word
    allowed = 1 if len(word) < 9 else 2
    best, best_distance = word, allowed + 1
    for candidate in vocabulary:
        if candidate[0] != word[0] or abs(len(candidate) - len(word)) > allowed:
            continue
        distance = Levenshtein.distance(word, candidate, score_cutoff=allowed)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def _common_word(word: str) -> bool:
    from bot.dialogue.interpret.language import dutch_words

    return word in dutch_words()


def detect_crisis(text: Optional[str]) -> Optional[CrisisMatch]:
    """The first crisis pattern that matches the text, or None. Benign contexts of
    safety.yml's `masks` ("training zelfmoordpreventie") are taken out first."""
    if not text:
        return None
    unmasked = normalise(text)
    norm = unmasked
    for mask in _rules().masks:
        norm = mask.sub(" . ", norm)
    for category, pattern_id, regex, unless in _rules().patterns:
        m = regex.search(norm)
        if m and not (unless and unless.search(unmasked)):  # `unless`: a benign reading of this pattern
            return CrisisMatch(category, pattern_id, m.group(0), denied=_denied(norm, m.start(), m.end()))
    return None


def _denied(norm: str, start: int, end: int) -> bool:
    """True when the sentence of the match says it is not so: a `denials` pattern of
    safety.yml occurs in the eight words before the match, the match itself or the rest of
    its sentence ("levensmoe ben ik zeker niet", "mijn ex sloeg me, maar ik ben jaren
    geleden weggegaan"). The assistant then asks (113 and 112 in the question) instead
    of assuming."""
    sentence_start = norm.rfind(" . ", 0, start) + 1
    before = " ".join(norm[sentence_start:start].split()[-8:] + norm[start:end].split())
    after = norm[end:].split(" . ")[0]
    around = f"{before}{after}"  # also "ik heb nooit aan zelfmoord gedacht": the denial spans the match
    return any(p.search(around) or p.search(after) for p in _rules().denials)  # `after`: patterns with "^"


def crisis_messages(category: Optional[str] = None) -> List[Message]:
    """The fixed crisis answer: always 113 (0800-0113), 112 and the huisarts; Veilig
    Thuis (0800-2000) too for violence at home or when the category is not known."""
    msgs = _rules().messages
    texts = list(msgs["always"])
    if category in (None, "unknown", "domestic_violence"):
        texts += list(msgs.get("domestic_violence", ()))
    return [Message(text=t) for t in texts]


def check_messages() -> List[Message]:
    """The question asked when a message may be crisis language but the rules are not
    sure: one short question, 113 and 112 in it, and two buttons."""
    from bot.dialogue.messages import Button, inform_payload

    check = _rules().messages["check"]
    buttons = [Button(check[1], inform_payload("crisis_yes")), Button(check[2], inform_payload("crisis_no"))]
    return [Message(text=check[0], buttons=buttons)]


def pattern_ids() -> List[Tuple[str, str]]:
    """(category, pattern id) of every pattern, in matching order."""
    return [(c, p) for c, p, _, _ in _rules().patterns]
