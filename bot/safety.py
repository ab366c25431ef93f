"""Crisis safety net: rule-based detection of crisis language and the fixed answer.

Patterns, normalisation and the answer live in ``bot/content/safety.yml`` (the design
choices, such as which exaggerations do not trigger, are documented there). Nothing here
is learned: the same text always gives the same result, and the NLU ``crisis`` intent is
forced by this detector (``bot.nlp.CrisisOverride``), whatever the model says.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from bot.messages import Message

SAFETY_FILE = Path(__file__).resolve().parent / "content" / "safety.yml"
CATEGORIES = ("suicide", "self_harm", "domestic_violence", "acute_danger")


@dataclass(frozen=True)
class CrisisMatch:
    category: str    # one of CATEGORIES
    pattern_id: str  # the pattern's id in safety.yml
    matched: str     # the matched part of the normalised text


@dataclass(frozen=True)
class _Rules:
    replacements: Tuple[Tuple[re.Pattern, str], ...]
    patterns: Tuple[Tuple[str, str, re.Pattern], ...]
    messages: Dict[str, Tuple[str, ...]]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = yaml.safe_load(SAFETY_FILE.read_text(encoding="utf-8"))
    replacements = tuple(
        (re.compile(r"(?<!\S)%s(?!\S)" % re.escape(src)), dst)
        for src, dst in (data.get("replacements") or {}).items()
    )
    macros = data.get("macros") or {}
    patterns = []
    seen = set()
    for cat in data["categories"]:
        if cat["id"] not in CATEGORIES:
            raise ValueError(f"unknown crisis category {cat['id']!r}")
        for pat in cat["patterns"]:
            if pat["id"] in seen:
                raise ValueError(f"duplicate crisis pattern id {pat['id']!r}")
            seen.add(pat["id"])
            regex = pat["regex"]
            for name, value in macros.items():
                regex = regex.replace("{%s}" % name, value)
            patterns.append((cat["id"], pat["id"], re.compile(regex)))
    messages = {k: tuple(m["text"] for m in v) for k, v in data["messages"].items()}
    return _Rules(replacements, tuple(patterns), messages)


def normalise(text: str) -> str:
    """Lower case, no accents, only letters, digits and single spaces, letters repeated
    three or more times cut to two, and the word replacements of safety.yml applied."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1\1", text)
    text = " ".join(text.split())
    for pattern, dst in _rules().replacements:
        text = pattern.sub(dst, text)
    return text


def detect_crisis(text: Optional[str]) -> Optional[CrisisMatch]:
    """The first crisis pattern that matches the text, or None."""
    if not text:
        return None
    norm = normalise(text)
    for category, pattern_id, regex in _rules().patterns:
        m = regex.search(norm)
        if m:
            return CrisisMatch(category=category, pattern_id=pattern_id, matched=m.group(0))
    return None


def crisis_messages(category: Optional[str] = None) -> List[Message]:
    """The fixed crisis answer: always 113 (0800-0113), 112 and the huisarts; Veilig
    Thuis (0800-2000) too for violence at home or when the category is not known."""
    msgs = _rules().messages
    texts = list(msgs["always"])
    if category in (None, "domestic_violence"):
        texts += list(msgs.get("domestic_violence", ()))
    return [Message(text=t) for t in texts]


def pattern_ids() -> List[Tuple[str, str]]:
    """(category, pattern id) of every pattern, in matching order."""
    return [(c, p) for c, p, _ in _rules().patterns]
