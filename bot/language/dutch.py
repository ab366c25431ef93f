"""Dutch dates and numbers in text: the one list of month names, and how a date, a
number of weeks or a number is written ("3 oktober 2026", "1 week", "32,5").

Used by the answer parsers (bot/language/extract/), the read-back and summaries
(bot/report/) and the NLU patterns (bot/language/nlp/patterns.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Union

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
# short forms people type ("3 okt"), as the NLU patterns and the choice matcher know them
MONTH_ABBREVIATIONS = ("jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec")
WEEK, WEEKS = "week", "weken"
# duration units of bot/language/extract/dates.py in the plural ("ongeveer 3 maanden")
UNIT_PLURALS = {"d": "dagen", "w": WEEKS, "m": "maanden", "y": "jaar"}


def format_date(value: Union[date, datetime, str]) -> str:
    """3 oktober 2026, from a date, a datetime or an ISO date string."""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def tidy(value: float):
    """Int when whole, else rounded to one decimal."""
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


def format_number(value: float) -> str:
    """Dutch spelling of a number: 32 -> "32", 32.5 -> "32,5"."""
    return str(tidy(value)).replace(".", ",")


def weeks(n: int) -> str:
    """ "1 week", "3 weken"."""
    return f"{n} {WEEK if n == 1 else WEEKS}"
