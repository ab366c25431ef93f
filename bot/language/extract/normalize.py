"""Text normalisation and typo-tolerant word matching for Dutch answers.

`normalize` gives a lower-case, accent-free, single-spaced string in which colloquial
contractions are written out ("m'n" -> "mijn", "'k" -> "ik"). Punctuation that carries
meaning inside numbers and dates is kept ("32,5", "1-10", "6/10", "80+", "50%");
other punctuation becomes a space. `tokenize` also reports where a sentence or clause
break (",", ".", "?", "!", ";", ":") was, so that negation never crosses it.

`FuzzyVocab` corrects typos against a fixed vocabulary: Damerau-Levenshtein (optimal
string alignment) distance <= 1 for words of 5-8 letters, <= 2 for 9 letters or more,
never for shorter words nor for common Dutch words (see `NEVER_CORRECT`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Set, Tuple

BREAK = "|"

# Sounds of hesitation that carry no meaning of their own ("eh, nee", "hmm, ja").
HESITATIONS = frozenset(
    {
        "eh",
        "ehm",
        "euh",
        "uh",
        "uhm",
        "hmm",
        "hm",
        "nou",
        "tja",
        "tsja",
        "oh",
        "o",
        "ah",
        "pff",
        "huh",
        "he",
        "mwah",
        "mwa",
    }
)

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u00b1": " ongeveer ",
    }
)

# (pattern, replacement) applied to the lower-cased text, before accents are removed.
_CONTRACTIONS = [
    (re.compile(r"(?<![a-z])m'n(?![a-z])"), "mijn"),
    (re.compile(r"(?<![a-z])z'n(?![a-z])"), "zijn"),
    (re.compile(r"(?<![a-z])d'r(?![a-z])"), "haar"),
    (re.compile(r"(?<![a-z])zo'n(?![a-z])"), "zo een"),
    (re.compile(r"(?<![a-z])da's(?![a-z])"), "dat is"),
    (re.compile(r"(?<![a-z])'k(?![a-z])"), "ik"),
    (re.compile(r"(?<![a-z])'t(?![a-z])"), "het"),
    (re.compile(r"(?<![a-z])'n(?![a-z])"), "een"),
    (re.compile(r"(?<![a-z])'s\s+(?=[a-z])"), "s"),  # 's ochtends -> sochtends
    (re.compile(r"\+\s*/?\s*-"), " ongeveer "),  # +/- 20, +- 20
]
_ONE_ACCENTED = re.compile(r"(?<![a-z])(?:één|eén|éen)(?![a-z])")

# Single-word colloquial forms and chat spelling.
_WORD_MAP = {
    "k": "ik",
    "t": "het",
    "n": "een",
    "mn": "mijn",
    "zn": "zijn",
    "nie": "niet",
    "ff": "even",
    "idd": "inderdaad",
    "oke": "ok",
    "okay": "ok",
    "okee": "ok",
    "oki": "ok",
    "jup": "ja",
    "jep": "ja",
    "jah": "ja",
    "jaa": "ja",
    "yes": "ja",
    "neej": "nee",
    "nop": "nee",
    "nope": "nee",
    "neen": "nee",
    "nah": "nee",
    "nea": "nee",
    "uurtjes": "uur",
    "uren": "uur",
    "urr": "uur",
    "wk": "week",
    "wkn": "weken",
    "mnd": "maand",
    "mnden": "maanden",
    "zzper": "zzp",
    "zzpr": "zzp",
    "plm": "ongeveer",
    "ca": "ongeveer",
    "circa": "ongeveer",
    "pakweg": "ongeveer",
    "ongeveer": "ongeveer",
    "ongv": "ongeveer",
    "ong": "ongeveer",
    # regional and chat spellings (Limburgs, Brabants, Gronings, Twents, Fries, Vlaams)
    "nei": "nee",
    "nae": "nee",
    "gin": "geen",
    "gien": "geen",
    "gene": "geen",
    "gein": "geen",
    "gei": "geen",
    "nit": "niet",
    "nait": "niet",
    "neet": "niet",
    "jaja": "ja",
    "jawis": "ja",
    "joa": "ja",
    "jao": "ja",
    "jaowel": "jawel",
    "jowel": "jawel",
    "ich": "ik",
    "mien": "mijn",
    "wark": "werk",
    "stoa": "sta",
    "stao": "sta",
    "mit": "met",
    "gewoan": "gewoon",
    "kontrakt": "contract",
    "fest": "vast",
    "hoeveul": "hoeveel",
    "wa": "wat",
    "jo": "ja",
    "goud": "goed",
    "hur": "hoor",
    "bin": "ben",
    "joar": "jaar",
    "vief": "vijf",
}

_EMOJI_WORDS = {"\U0001f44d": " ja ", "\U0001f44e": " nee ", "\u2705": " ja ", "\u274c": " nee "}

_TAG = re.compile(r"<[^<>]{0,300}>")
_SCRIPT = re.compile(r"<(script|style)\b.{0,5000}?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"([a-z])\1{2,}")


def clean_text(text: Optional[str], limit: int = 500) -> str:
    """The patient's own text, safe to store: HTML tags and control characters removed,
    whitespace collapsed, at most `limit` characters (cut at a word where possible)."""
    if not text:
        return ""
    out = _TAG.sub(" ", _SCRIPT.sub(" ", str(text)))
    out = "".join(ch if ch.isprintable() else " " for ch in out)
    out = _SPACES.sub(" ", out).strip()
    if len(out) > limit:
        cut = out[:limit]
        space = cut.rfind(" ")
        out = (cut[:space] if space > limit * 0.8 else cut).rstrip(" ,;:")
    return out


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_HALF_AFTER_DIGIT = re.compile(r"(\d)\s*\u00bd")
_NUM_PUNCT = re.compile(r"(?<=\d)[.,:/](?=\d)")
_NUM_PUNCT_MAP = {".": "\x01", ",": "\x02", ":": "\x03", "/": "\x04"}
_INNER_HYPHEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")
_MINUS = re.compile(r"(?:(?<=\s)|^)-(?=\d)")
_PLUS = re.compile(r"(?<=\d)\s*\+")
_PERCENT = re.compile(r"(?<=\d)\s*(?:%|procent\b|pct\b)")
_INNER_APOSTROPHE = re.compile(r"(?<=[a-z])'(?=[a-z])")
_CLAUSE = re.compile(r"[,.;:!?()\[\]{}\n\r\"]+")
_OTHER = re.compile(r"[^a-z0-9\x01-\x08| ]+")
_RESTORE = str.maketrans(
    {"\x01": ".", "\x02": ",", "\x03": ":", "\x04": "/", "\x05": "-", "\x06": "-", "\x07": "+", "\x08": "%"}
)
_DOTTED = re.compile(r"(?<![a-z])[a-z](?:\.[a-z])+\.?(?![a-z])")  # n.v.t. -> nvt
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")


@lru_cache(maxsize=4096)
def _prepare(text: str) -> str:
    """Normalised text with BREAK markers where clause punctuation was."""
    out = _TAG.sub(" ", _SCRIPT.sub(" ", text)) if "<" in text else text
    out = out.translate(_QUOTES)
    if not out.isascii():
        for emoji, word in _EMOJI_WORDS.items():
            out = out.replace(emoji, word)
    out = out.lower()
    if "'" in out:
        for pattern, repl in _CONTRACTIONS:
            out = pattern.sub(repl, out)
    elif "+" in out:
        out = _CONTRACTIONS[-1][0].sub(_CONTRACTIONS[-1][1], out)
    if not out.isascii():
        out = _ONE_ACCENTED.sub("1", out)
        out = _HALF_AFTER_DIGIT.sub(r"\1,5", out).replace("\u00bd", " 0,5 ")
    out = _REPEATS.sub(r"\1\1", out)  # neeeee -> nee
    if "." in out:
        out = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), out)
    out = strip_accents(out)
    out = out.replace("&", " en ")
    # Keep punctuation that belongs to numbers and dates; everything else goes.
    out = _NUM_PUNCT.sub(lambda m: _NUM_PUNCT_MAP[m.group(0)], out)
    out = _INNER_HYPHEN.sub("\x05", out)
    out = _MINUS.sub("\x06", out)
    out = _PLUS.sub("\x07", out)
    out = _PERCENT.sub("\x08", out)
    out = _INNER_APOSTROPHE.sub("", out)
    out = _CLAUSE.sub(f" {BREAK} ", out)
    out = _OTHER.sub(" ", out).translate(_RESTORE)
    out = _DIGIT_LETTER.sub(" ", out)  # 20u -> 20 u
    return " ".join(_WORD_MAP.get(w, w) for w in out.split())


def normalize(text: Optional[str]) -> str:
    """Lower case, no accents, contractions written out, single spaces, no clause
    punctuation. "Nee, m'n rug doet pijn!" -> "nee mijn rug doet pijn"."""
    return " ".join(w for w in _prepare(text or "").split() if w != BREAK)


def tokenize(text: Optional[str]) -> Tuple[List[str], Set[int]]:
    """Tokens of the normalised text and the set of token indexes that follow a clause
    break (",", ".", "!", "?", ";", ":")."""
    tokens: List[str] = []
    breaks: Set[int] = set()
    for word in _prepare(text or "").split():
        if word == BREAK:
            breaks.add(len(tokens))
        else:
            tokens.append(word)
    return tokens, breaks


def letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


_KEYBOARD_RUNS = (
    "qwer",
    "asdf",
    "sdfg",
    "dfgh",
    "fghj",
    "ghjk",
    "hjkl",
    "zxcv",
    "xcvb",
    "cvbn",
    "vbnm",
    "rtyu",
    "tyui",
    "yuio",
    "uiop",
    "jkl;",
    "qazw",
    "wsxe",
)


def looks_like_gibberish(text: str) -> bool:
    """Keyboard mashing ("asdfgh", "jjjjj", "qwerty") or no word at all."""
    low = normalize(text).replace(" ", "")
    if not low:
        return True
    if any(run in low for run in _KEYBOARD_RUNS):
        return True
    if re.search(r"([a-z])\1{3,}", strip_accents((text or "").lower())):
        return True
    alpha = "".join(ch for ch in low if ch.isalpha())
    return len(alpha) > 5 and not re.search(r"[aeiouy]", alpha)


# --- typo tolerance ------------------------------------------------------------------

# Common Dutch words that are never "corrected" into a vocabulary word
# (e.g. "tegen" is not a typo for "negen", "hopen" not for "lopen").
NEVER_CORRECT = frozenset(
    """
tegen geven zeven negen even leven lopen hopen kopen open staan slaan gaan komen nemen
maken zeker weten willen kunnen moeten zullen mogen werken werkt werkte werkte denken
zeggen vragen helpen houden liggen zitten vinden laten horen heeft hebben hadden zijn
waren wordt worden geweest gewoon alleen echter eigen ander andere anders altijd steeds
graag liever beter slecht goede goed weer meer minder nooit niets niemand iedereen
samen tussen zonder onder boven achter sinds vanaf tijdens bijna helemaal ongeveer
ochtend middag avond nacht vandaag morgen gisteren maand maanden weken jaren dagen
uren keer kind kinderen partner vrouw man thuis kantoor klant klanten collega collegas
baas werk baan uitkering zorgen zorg angst vrees maar maal maat mand mag mijn meest moet ritten rit
""".split()
)


def max_typos(length: int) -> int:
    return 2 if length >= 9 else 1 if length >= 5 else 0


def osa_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, capped at limit + 1."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: List[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            val = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                val = min(val, prev2[j - 2] + 1)
            cur[j] = val
            best = min(best, val)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def _deletes(word: str, depth: int) -> Set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


class FuzzyVocab:
    """Typo-tolerant look-up of single words in a fixed vocabulary (symmetric-delete
    index, verified with `osa_distance`)."""

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(w for w in words if w)
        self._index: Dict[str, Set[str]] = {}
        for word in self.words:
            k = max_typos(len(word))
            if not k or not word.isalpha():
                continue
            for variant in _deletes(word, k):
                self._index.setdefault(variant, set()).add(word)
        self._memo: Dict[str, Optional[str]] = {}

    def lookup(self, word: str) -> Optional[str]:
        """The vocabulary word meant by `word` (itself if known), or None."""
        if word in self.words:
            return word
        if word in self._memo:
            return self._memo[word]
        found = None
        if len(word) >= 4 and word.isalpha() and word not in NEVER_CORRECT:
            best = 99
            candidates: Set[str] = set()
            for variant in _deletes(word, 2 if len(word) >= 7 else 1):
                candidates |= self._index.get(variant, set())
            for cand in sorted(candidates):
                limit = max_typos(len(cand))
                dist = osa_distance(word, cand, limit)
                if dist <= limit and dist < best:
                    best, found = dist, cand
        if len(self._memo) < 5000:
            self._memo[word] = found
        return found


def fuzzy_equal(word: str, target: str) -> bool:
    """True when `word` is `target` or a typo of it (see module docstring)."""
    if word == target:
        return True
    if word in NEVER_CORRECT:
        return False
    limit = max_typos(len(target))
    return bool(limit) and osa_distance(word, target, limit) <= limit
