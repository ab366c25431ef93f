"""A score on a scale (default 0-10) from Dutch text.

"6", "een zesje", "6/10", "6 van de 10", "zes", "ik geef het een 7", "tien", "0".
Decimals are rounded half up ("7,5" -> 8) and then confirmed; a range ("6 à 7") gives
its midpoint, rounded half up, and is confirmed. Grade signs are ignored ("6+", "6-").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional

from bot import content
from bot.language.extract.normalize import tokenize
from bot.language.extract.numbers import find_numbers, find_range, split_ranges

_FRACTION = re.compile(r"^(\d+(?:[.,]\d+)?)/(\d+)$")
# The two anchors of the work ability question ("0 = ik kan nu niet werken, 10 = zo goed
# als ooit"): patients may answer with the words instead of the number.
_ANCHORS = [
    (re.compile(r"\b(kan|kun|lukt)\b.*\bniet\b.*\bwerken\b|\bhelemaal niet werken\b"), 0),
    (re.compile(r"\bzo goed als ooit\b|\bbeter dan ooit\b"), 10),
    # Dutch school grades in words (always confirmed): 5 onvoldoende ... 9 zeer goed.
    (re.compile(r"\bruim (?:een )?voldoende\b|\bruime voldoende\b"), 7),
    (re.compile(r"\bkrap (?:een )?voldoende\b|\bnet (?:een )?voldoende\b|\bzesje\b"), 6),
    (re.compile(r"\b(?:zwaar|dikke) onvoldoende\b"), 3),
    (re.compile(r"\bonvoldoende\b|\b(?:op )?de helft\b|\bhalf zo goed\b"), 5),
    (re.compile(r"\bvoldoende\b"), 6),
    (re.compile(r"\bzeer goed\b|\bheel goed\b|\buitstekend\b"), 9),
    (re.compile(r"^(?:matig|zo zo|zozo|gaat wel)$"), 5),
]


@dataclass(frozen=True)
class ScoreResult:
    value: Optional[int]
    needs_confirm: bool = False
    confirm_text: Optional[str] = None
    hint: Optional[str] = None
    reason: str = ""


def round_half_up(value: float) -> int:
    return int(math.floor(value + 0.5))


def _confirm(value: int, reason: str) -> ScoreResult:
    return ScoreResult(value, True, content.text("score_confirm", value=value), None, reason)


def parse_score(text: str, lo: int = 0, hi: int = 10) -> ScoreResult:
    """An integer score in [lo, hi] (see the module docstring for the forms)."""
    range_hint = content.text("score_between", low=lo, high=hi)
    tokens = []
    converted = None
    for tok in tokenize(text)[0]:
        m = _FRACTION.match(tok)
        if m:
            num, den = float(m.group(1).replace(",", ".")), int(m.group(2))
            if den == hi:
                tokens.append(m.group(1))
                continue
            if den > 0:
                converted = num / den * hi
                tokens.append(str(converted))
                continue
        tokens.append(tok)
    joined = " ".join(split_ranges(tokens))
    joined = re.sub(rf"\b(?:op een schaal )?(?:van )?(?:{lo}|nul) (?:tot|en|-) (?:{hi}|tien)\b", " ", joined)
    joined = re.sub(rf"\b(?:van|uit|op) (?:de |een )?(?:{hi}|tien)\b", " ", joined)
    tokens = joined.split()
    spans = find_numbers(tokens)
    if not spans:
        for pattern, anchor in _ANCHORS:
            if pattern.search(joined):
                return _confirm(anchor, "anchor words")
        return ScoreResult(None, reason="no number")
    rng = find_range(tokens, spans)
    if rng:
        value = round_half_up((rng[0] + rng[1]) / 2)
        raw: float = value
        reason = "range midpoint"
    else:
        values = {s.value for s in spans}
        apart = len(spans) > 1 and (
            spans[1].start - spans[0].end >= 2
            or tokens[spans[1].start] in ("een", "één", "eén")
            or (
                spans[1].value == 1
                and tokens[spans[1].start - 1] in ("met", "op", "in", "aan", "voor", "van", "per")
            )
        )  # "een 4, op een goede dag een 5", "een 2, met één hand"; not a list "6 en 8 en 3"
        if len(values) > 1 and apart and spans[0].start <= 1 and lo <= spans[0].value <= hi:
            return _confirm(
                round_half_up(spans[0].value), "the first of several numbers"
            )  # "een 4, soms een 5"
        if len(values) > 1:
            return ScoreResult(
                None, hint=content.text("score_just_one", low=lo, high=hi), reason="several numbers"
            )
        raw = spans[0].value
        if spans[0].percent:
            raw = raw / 100 * hi
        value = round_half_up(raw)
        reason = "number"
    if raw > hi or value > hi:
        return ScoreResult(None, hint=content.text("score_too_high", between=range_hint), reason="too high")
    if raw < lo:
        return ScoreResult(None, hint=content.text("score_too_low", between=range_hint), reason="too low")
    if rng or raw != value or converted is not None or spans[0].percent:
        return _confirm(value, reason if raw == value else "rounded half up")
    return ScoreResult(value, reason=reason)
