"""Token patterns that mark numbers, durations and dates in Dutch text.

Used twice in the spaCy pipeline: the entity ruler marks spans (NUMBER, DURATION,
DATE) and the attribute ruler gives their tokens a placeholder lemma, so that the
intent classifier sees "sinds 3 weken" and "sinds twee maanden" as the same shape.
"""

from __future__ import annotations

from typing import Dict, List

from bot.language import dutch

_UNITS = [
    "eenentwintig",
    "tweeëntwintig",
    "drieëntwintig",
    "vierentwintig",
    "vijfentwintig",
    "zesentwintig",
    "zevenentwintig",
    "achtentwintig",
    "negenentwintig",
    "eenendertig",
    "tweeëndertig",
    "drieëndertig",
    "vierendertig",
    "vijfendertig",
    "zesendertig",
    "zevenendertig",
    "achtendertig",
    "negenendertig",
]
NUMBER_WORDS = [
    "een",
    "één",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
    "twintig",
    "dertig",
    "veertig",
    "vijftig",
    "zestig",
    "zeventig",
    "tachtig",
    "half",
    "halve",
    "anderhalf",
    "anderhalve",
    "paar",
    "zesje",
    "zevende",
    "zevenje",
    "vijfje",
    "vijf",
    "achtje",
    "negentje",
    "tientje",
    "viertje",
    "drietje",
] + _UNITS
NUMBER_REGEX = r"^(\d+([.,]\d+)?(/10)?|" + "|".join(NUMBER_WORDS) + r")$"
DURATION_UNITS = [
    "dag",
    "dagen",
    "week",
    "weken",
    "weekje",
    "weekjes",
    "maand",
    "maanden",
    "maandje",
    "jaar",
    "jaren",
    "uur",
    "uren",
    "u",
]
MONTHS = list(dutch.MONTHS) + list(dutch.MONTH_ABBREVIATIONS)
DAYS = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "gisteren",
    "eergisteren",
    "vandaag",
]
DATE_REGEX = r"^(\d{1,2}[-/]\d{1,2}([-/]\d{2,4})?|\d{4}-\d{2}-\d{2})$"

NUMBER = {"LOWER": {"REGEX": NUMBER_REGEX}}
UNIT = {"LOWER": {"IN": DURATION_UNITS}}
MONTH = {"LOWER": {"IN": MONTHS}}

PLACEHOLDER_LEMMAS = {"NUMBER": "__getal__", "DURATION": "__duur__", "DATE": "__datum__"}


def entity_patterns() -> List[Dict]:
    return [
        {"label": "DURATION", "pattern": [NUMBER, UNIT]},
        {"label": "DURATION", "pattern": [NUMBER, NUMBER, UNIT]},
        {
            "label": "DATE",
            "pattern": [
                {"LOWER": {"REGEX": r"^\d{1,2}$"}},
                MONTH,
                {"LOWER": {"REGEX": r"^\d{4}$"}, "OP": "?"},
            ],
        },
        {
            "label": "DATE",
            "pattern": [{"LOWER": {"IN": ["begin", "half", "midden", "eind", "einde"]}}, MONTH],
        },
        {"label": "DATE", "pattern": [MONTH]},
        {"label": "DATE", "pattern": [{"LOWER": {"REGEX": DATE_REGEX}}]},
        {
            "label": "DATE",
            "pattern": [
                {"LOWER": {"IN": ["vorige", "afgelopen"]}},
                {"LOWER": {"IN": ["week", "maand", "jaar"] + DAYS}},
            ],
        },
        {"label": "DATE", "pattern": [{"LOWER": {"IN": DAYS}}]},
        {"label": "NUMBER", "pattern": [NUMBER]},
    ]


def _without_optional(pattern: List[Dict]) -> List[List[Dict]]:
    """Expand optional tokens (OP "?"): the attribute ruler needs fixed-length spans."""
    variants: List[List[Dict]] = [[]]
    for token in pattern:
        if token.get("OP") == "?":
            plain = {k: v for k, v in token.items() if k != "OP"}
            variants = [v + [plain] for v in variants] + variants
        else:
            variants = [v + [token] for v in variants]
    return variants


def placeholder_patterns() -> List[Dict]:
    """Attribute-ruler patterns: same spans, tokens get a placeholder lemma."""
    out = []
    for item in entity_patterns():
        lemma = PLACEHOLDER_LEMMAS[item["label"]]
        for pattern in _without_optional(item["pattern"]):
            for index in range(len(pattern)):
                out.append({"patterns": [pattern], "attrs": {"LEMMA": lemma}, "index": index})
    return out


# Colloquial contractions: (surface form, normal form).
CONTRACTIONS = [
    ("m'n", "mijn"),
    ("z'n", "zijn"),
    ("d'r", "haar"),
    ("'k", "ik"),
    ("'t", "het"),
    ("'s", "des"),
    ("zo'n", "zo een"),
]
