"""Dutch numbers in free text, and hours per week.

Number words 0-999 ("een"/"één", "tweeëntwintig", "honderdvijftig"), halves ("half",
"anderhalf", "tweeënhalf", "twee en een half"), grade diminutives ("een zesje",
"achtje"), digits with a decimal comma or point ("32,5"), typos in the longer number
words ("twintg"). "een" counts as 1 only when it is the whole text or stands before a
unit ("een dag", "een week"); "een dag of vier" and "een uur of 20" mean 4 and 20.

Ranges ("30 à 32", "30-32", "tussen 20 en 24", "20 of 24") give their midpoint; see
`parse_weekly_hours` for when a range needs a confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from bot import content
from bot.language.dutch import format_number, tidy
from bot.language.extract.normalize import FuzzyVocab, tokenize

UNITS = {
    "nul": 0,
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
}
TEENS = {
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
TENS = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
_BASE = {**UNITS, **TEENS, **TENS, "honderd": 100}
_HALVES = {"half": 0.5, "halve": 0.5, "anderhalf": 1.5, "anderhalve": 1.5}
_FUZZY = FuzzyVocab([w for w in list(_BASE) + list(_HALVES) if len(w) >= 6])

# Nouns after which "een" is the number 1 ("een dag", not "een zesje").
UNIT_NOUNS = {
    "uur",
    "u",
    "dag",
    "week",
    "maand",
    "jaar",
    "ochtend",
    "middag",
    "avond",
    "nacht",
    "dienst",
    "dagdeel",
    "keer",
    "werkdag",
    "weekje",
    "maandje",
    "jaartje",
    "dagje",
    "stuk",
}
_DIGITS = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_RANGE_TOKEN = re.compile(r"^(\d+(?:[.,]\d+)?)-(\d+(?:[.,]\d+)?)$")
_RANGE_WORDS = {"a", "tot", "-", "of", "en", "tot en met", "a la"}


@dataclass(frozen=True)
class Span:
    """A number found in a token list: tokens[start:end] mean `value`."""

    value: float
    start: int
    end: int
    plus: bool = False  # "80+"
    percent: bool = False  # "50%"


def _compose(word: str) -> Optional[int]:
    if word in _BASE:
        return _BASE[word]
    if "honderd" in word:
        pre, _, post = word.partition("honderd")
        mult = 1 if not pre else UNITS.get(pre)
        rest = 0 if not post else _compose(post[2:] if post.startswith("en") else post)
        if mult and rest is not None and rest < 100:
            return mult * 100 + rest
        return None
    for tens_word, tens_value in TENS.items():
        if word.endswith(tens_word):
            pre = word[: -len(tens_word)]
            if pre.endswith("en") and pre[:-2] in UNITS and UNITS[pre[:-2]] > 0:
                return UNITS[pre[:-2]] + tens_value
            if pre == "tween":  # "tweeentwintig" after "eee" -> "ee"
                return 2 + tens_value
    return None


def parse_number_word(word: str) -> Optional[float]:
    """One token to a number: "32" -> 32, "32,5" -> 32.5, "tweeentwintig" -> 22,
    "zesje" -> 6, "anderhalf" -> 1.5, "drieenhalf" -> 3.5; anything else None."""
    w = word.strip().lower()
    if not w:
        return None
    if _DIGITS.match(w):
        return float(w.replace(",", "."))
    if w in _HALVES:
        return _HALVES[w]
    value = _compose(w)
    if value is not None:
        return float(value)
    for suffix in ("enhalf", "enhalve"):
        if w.endswith(suffix):
            stem = w[: -len(suffix)]
            base = _compose(stem) if _compose(stem) is not None else _compose(stem + "e")
            if base is not None:
                return base + 0.5
    if w == "nulletje":
        return 0.0
    for suffix in ("tje", "je"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            base = _compose(w[: -len(suffix)])
            if base is not None and base <= 10:
                return float(base)
    if len(w) >= 6:
        fixed = _FUZZY.lookup(w)
        if fixed and fixed != w:
            return parse_number_word(fixed)
    return None


def split_ranges(tokens: Sequence[str]) -> List[str]:
    """ "24-28" -> "24", "-", "28" (so that `find_range` sees both ends)."""
    out: List[str] = []
    for tok in tokens:
        m = _RANGE_TOKEN.match(tok)
        out.extend([m.group(1), "-", m.group(2)] if m else [tok])
    return out


def find_numbers(tokens: Sequence[str]) -> List[Span]:
    """All numbers in a normalised token list, in order."""
    spans: List[Span] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        plus = percent = False
        core = tok
        if core.endswith("+") and len(core) > 1:
            core, plus = core[:-1], True
        elif core.endswith("%") and len(core) > 1:
            core, percent = core[:-1], True
        if core == "een":
            nxt = tokens[i + 1] if i + 1 < n else None
            if not (n == 1 or (nxt in UNIT_NOUNS and not _is_approx_tail(tokens, i + 2))):
                i += 1
                continue
        value = parse_number_word(core)
        if value is None:
            i += 1
            continue
        end = i + 1
        # "twee en een half", "twee en half"
        if end < n and tokens[end] == "en" and value == int(value) and tok not in _HALVES:
            j = end + 1
            if j < n and tokens[j] == "een":
                j += 1
            if j < n and tokens[j] in ("half", "halve"):
                value += 0.5
                end = j + 1
        # "een half", "een halve": the article belongs to the half
        spans.append(Span(value, i, end, plus, percent))
        i = end
    return spans


def _is_approx_tail(tokens: Sequence[str], j: int) -> bool:
    """True for "... of vier" / "... of 20" at tokens[j:]."""
    return j + 1 < len(tokens) and tokens[j] == "of" and parse_number_word(tokens[j + 1]) is not None


def find_range(tokens: Sequence[str], spans: Sequence[Span]) -> Optional[Tuple[float, float, int, int]]:
    """(low, high, start, end) for "30 a 32", "30-32", "van 20 tot 24", "tussen 20 en 24",
    "20 of 24"; None when there is no range."""
    for i, tok in enumerate(tokens):
        m = _RANGE_TOKEN.match(tok)
        if m:
            lo, hi = float(m.group(1).replace(",", ".")), float(m.group(2).replace(",", "."))
            if lo < hi:
                return lo, hi, i, i + 1
    for a, b in zip(spans, spans[1:], strict=False):
        between = " ".join(tokens[a.end : b.start])
        if between not in _RANGE_WORDS:
            continue
        if between == "en" and "tussen" not in tokens[max(0, a.start - 2) : a.start]:
            continue
        if a.value < b.value:
            return a.value, b.value, a.start, b.end
    return None


@dataclass(frozen=True)
class NumberResult:
    value: Optional[float]
    approximate: bool = False  # "ongeveer 20", a range, "40+"
    is_range: bool = False
    more_than: bool = False


_APPROX = {
    "ongeveer",
    "rond",
    "rondom",
    "zon",
    "bijna",
    "ruim",
    "circa",
    "zowat",
    "pakweg",
    "gemiddeld",
    "plusminus",
    "globaal",
    "schatting",
    "denk",
    "zo",
}
_MORE_THAN = ("meer dan", "ruim", "minstens", "boven de", "over de", "meer als", "minimaal")


def parse_number(text: str) -> NumberResult:
    """The number a short answer means (first number; a range gives its midpoint)."""
    tokens = split_ranges(tokenize(text)[0])
    spans = find_numbers(tokens)
    if not spans:
        return NumberResult(None)
    rng = find_range(tokens, spans)
    if rng:
        return NumberResult((rng[0] + rng[1]) / 2, approximate=True, is_range=True)
    first = spans[0]
    before = " ".join(tokens[max(0, first.start - 2) : first.start])
    more = first.plus or any(before.endswith(m) for m in _MORE_THAN)
    approx = more or any(t in _APPROX for t in tokens[: first.start])
    return NumberResult(first.value, approximate=approx, more_than=more)


format_nl = format_number  # Dutch spelling of a number (bot/language/dutch.py)


# --- hours per week ----------------------------------------------------------------


@dataclass(frozen=True)
class HoursResult:
    value: Optional[float]  # hours per week (int when whole)
    needs_confirm: bool = False
    confirm_text: Optional[str] = None
    hint: Optional[str] = None  # specific Dutch hint when value is None
    reason: str = ""  # how the value was found (for tests and logs)

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.needs_confirm


DAY_UNITS = {
    "dag": 8,
    "dagen": 8,
    "werkdag": 8,
    "werkdagen": 8,
    "dienst": 8,
    "diensten": 8,
    "shift": 8,
    "shifts": 8,
    "nacht": 8,
    "nachten": 8,
    "nachtdienst": 8,
    "nachtdiensten": 8,
    "ochtend": 4,
    "ochtenden": 4,
    "middag": 4,
    "middagen": 4,
    "avond": 4,
    "avonden": 4,
    "dagdeel": 4,
    "dagdelen": 4,
    "morgens": 4,
    "ochtendje": 4,
    "ochtendjes": 4,
    "middagje": 4,
    "middagjes": 4,
    "dagje": 8,
    "dagjes": 8,
}
HOUR_UNITS = {"uur", "u", "h", "uurtje", "hr", "hrs", "uurs", "urig", "urige"}
_TIMES = {"x", "keer", "maal", "van", "a", "per"}
_FULLTIME = {"fulltime", "voltijd", "voltijds", "fulltimer", "fte"}
_PARTTIME = {"parttime", "deeltijd", "parttimer", "deeltijds"}
_HOURS_VOCAB = FuzzyVocab(
    list(DAY_UNITS) + list(_FULLTIME) + list(_PARTTIME) + ["maand", "maandelijks", "halve"]
)
WEEKS_PER_MONTH = 4.33


def _confirm(value: float, reason: str) -> HoursResult:
    v = tidy(value)
    return HoursResult(v, True, content.text("hours_confirm", value=format_nl(v)), None, reason)


def parse_weekly_hours(text: str, max_hours: float = 80, min_hours: float = 0) -> HoursResult:
    """Hours worked per week, from "32", "32 uur", "4 dagen van 8 uur", "vier dagen per
    week 6 uur", "3 ochtenden van 4 uur", "fulltime", "per maand 100 uur", "80+", ...
    See docs/understanding.md for the decisions on vague answers."""
    raw = split_ranges(tokenize(text)[0])
    tokens = [_HOURS_VOCAB.lookup(t) or t if t.isalpha() else t for t in raw]
    joined = " ".join(tokens)
    if "full time" in joined or "hele week" in joined:
        tokens.append("fulltime")
    spans = [
        s
        for s in find_numbers(tokens)
        if tokens[s.start] not in ("half", "halve")
        and not (s.start and tokens[s.start - 1] in ("geen", "niet"))
    ]  # "het is geen 40-urige week, zeg maar 55": not the 40
    words = set(tokens)
    half_days = any(
        t == "halve" and i + 1 < len(tokens) and tokens[i + 1] in DAY_UNITS for i, t in enumerate(tokens)
    )
    too_many = content.text("hours_too_many", high=format_nl(max_hours))
    if not spans:
        if half_days:
            return _confirm(5 * 4, "half days, 5 assumed")
        if words & _FULLTIME:
            return _confirm(40, "fulltime")
        if words & _PARTTIME:
            return HoursResult(None, hint=content.text("hours_parttime"), reason="parttime without number")
        return HoursResult(None, reason="no number")

    per_month = bool(words & {"maand", "maandelijks"})
    result = _structured(tokens, spans, half_days, per_month)
    value, confirm, reason = result
    first = spans[0]
    before = " ".join(tokens[max(0, first.start - 2) : first.start])
    more_than = first.plus or any(before.endswith(m) for m in _MORE_THAN)
    if value > max_hours or (more_than and value >= max_hours):
        return HoursResult(None, hint=too_many, reason="too many")
    if value < min_hours:
        hint = content.text("hours_between", low=format_nl(min_hours), high=format_nl(max_hours))
        return HoursResult(None, hint=hint, reason="too few")
    if confirm or more_than:
        return _confirm(value, reason)
    return HoursResult(tidy(value), reason=reason)


_USUAL = {
    "gemiddeld",
    "gemiddelde",
    "meestal",
    "normaal",
    "normaliter",
    "doorgaans",
    "gewoonlijk",
    "gemiddel",
}


def _structured(
    tokens: List[str], spans: List[Span], half_days: bool, per_month: bool
) -> Tuple[float, bool, str]:
    """(hours per week, needs confirmation, reason)."""
    n = len(tokens)
    count: Optional[Span] = None
    unit_hours = 8
    for s in spans:
        nxt = tokens[s.end] if s.end < n else ""
        if nxt in DAY_UNITS:
            count, unit_hours = s, DAY_UNITS[nxt]
            break
        if nxt == "halve" and s.end + 1 < n and tokens[s.end + 1] in DAY_UNITS:
            count, unit_hours = s, 4
            break
        if nxt in ("x", "keer", "maal") and any(o.start == s.end + 1 for o in spans):
            count = s
            break
        if s.start >= 2 and tokens[s.start - 1] == "of" and tokens[s.start - 2] in DAY_UNITS:
            count, unit_hours = s, DAY_UNITS[tokens[s.start - 2]]  # "een dag of vier"
            break
    others = [s for s in spans if s is not count]
    with_unit = [s for s in others if s.end < n and tokens[s.end] in HOUR_UNITS]
    if count is not None:
        per = next(iter(with_unit or others), None)
        if per is None:
            return count.value * unit_hours, True, f"{count.value} day parts of {unit_hours} h assumed"
        if per.value > 12:
            return per.value, False, "weekly total next to a day count"
        return count.value * per.value, False, "days times hours"
    usual = next((s for s in others if set(tokens[max(0, s.start - 3) : s.start]) & _USUAL), None)
    if usual is not None and not per_month and len(others) > 1:
        return usual.value, False, "the usual number of several"  # "soms 60, gemiddeld 50"
    rng = find_range(tokens, spans)
    if rng and not per_month:
        low, high = rng[0], rng[1]
        return (low + high) / 2, high - low > 4, "range midpoint"
    main = (with_unit or spans)[0]
    conflicting = len({s.value for s in (with_unit or spans)}) > 1
    if per_month:
        return round(main.value / WEEKS_PER_MONTH), True, "per month / 4.33"
    per_day = any(
        tokens[i] == "dag" and i > 0 and tokens[i - 1] in ("per", "elke", "iedere", "een") for i in range(n)
    )
    if per_day and main.value <= 12:
        return main.value * 5, True, "per day x 5"
    if half_days:
        return main.value * 4 if main.value <= 7 else main.value, True, "half days"
    return main.value, conflicting, "single number" if not conflicting else "several numbers"
