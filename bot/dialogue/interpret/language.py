"""Which language a message is in, for patients who do not write Dutch.

Uses lingua (offline, statistical) over the languages we answer in, and a Dutch word
list (spaCy's Dutch lemma table) as a guard: short Dutch answers full of loanwords
("ok", "parttime", "burn-out", "manager") must stay Dutch. Arabic script is Arabic.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Optional

ANSWERED = ("en", "tr", "ar", "pl")
MIN_WORDS = 3  # shorter messages are too short to tell; we assume Dutch
MIN_CONFIDENCE = 0.55  # lingua's confidence for the foreign language
MAX_DUTCH_SHARE = 0.5  # at most this share of the words may be Dutch words
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(
            Language.DUTCH, Language.ENGLISH, Language.TURKISH, Language.ARABIC, Language.POLISH
        )
        .with_preloaded_language_models()
        .build()
    )


@lru_cache(maxsize=1)
def dutch_words() -> FrozenSet[str]:
    """Dutch word forms: spaCy's lookup lemma table (keys and lemmas)."""
    try:
        import spacy_lookups_data
        from srsly import read_gzip_json

        path = Path(spacy_lookups_data.__file__).parent / "data" / "nl_lemma_lookup.json.gz"
        table = read_gzip_json(path)
        words = set(table) | set(table.values())
    except (ImportError, OSError, ValueError):  # the guard then relies on lingua alone
        words = set()
    words |= {
        "ik",
        "u",
        "je",
        "jij",
        "mijn",
        "mn",
        "m'n",
        "ben",
        "heb",
        "werk",
        "niet",
        "geen",
        "ja",
        "nee",
        "wel",
        "zzp",
        "zzper",
        "zzp'er",
        "uur",
        "dagen",
        "ziek",
        "gemeld",
    }
    return frozenset(w.lower() for w in words)


def foreign_language(text: Optional[str]) -> Optional[str]:
    """The ISO code of one of ANSWERED when the message is clearly in that language."""
    if not text or text.startswith("/"):
        return None
    letters = _ARABIC.findall(text)
    if letters and len(letters) >= max(3, len(re.sub(r"\s", "", text)) // 3):
        return "ar"
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    dutch = dutch_words()
    content_words = [w for w in words if len(w) >= 3] or words
    share = sum(1 for w in content_words if w in dutch) / len(content_words)
    if share > MAX_DUTCH_SHARE:
        return None
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None
    top = values[0]
    code = top.language.iso_code_639_1.name.lower()
    if code in ANSWERED and top.value >= MIN_CONFIDENCE:
        return code
    return None
