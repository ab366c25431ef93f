"""Since when: Dutch dates and durations to a date and a number of whole weeks.

`parse_since(text, today)` understands dates ("1 oktober", "1-10", "01-10-2026",
"2026-10-01", "half oktober", "begin september", "eind augustus", "oktober", "week 40",
"maandag", "gisteren") and durations ("3 weken", "al twee maanden", "een maand of twee",
"anderhalve week", "een half jaar", "een paar dagen", "3 weken geleden").
A date without a year is its most recent past occurrence. Weeks are
floor((today - date).days / 7). Decisions on vague answers: docs/understanding.md.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Dict, List, Optional, Tuple

from dateutil.easter import easter  # type: ignore[import-untyped]  # no stubs pinned

from bot import content
from bot.language import dutch
from bot.language.extract.normalize import FuzzyVocab, tokenize
from bot.language.extract.numbers import find_numbers

MONTHS = {name: i + 1 for i, name in enumerate(dutch.MONTHS)}
MONTHS.update(
    {
        "jan": 1,
        "feb": 2,
        "febr": 2,
        "mrt": 3,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "oct": 10,
        "nov": 11,
        "dec": 12,
        "februarie": 2,
        "januarie": 1,
    }
)
WEEKDAYS = {
    "maandag": 0,
    "dinsdag": 1,
    "woensdag": 2,
    "donderdag": 3,
    "vrijdag": 4,
    "zaterdag": 5,
    "zondag": 6,
}
UNITS = {
    "dag": "d",
    "dagen": "d",
    "dagje": "d",
    "dagjes": "d",
    "week": "w",
    "weken": "w",
    "weekje": "w",
    "weekjes": "w",
    "maand": "m",
    "maanden": "m",
    "maandje": "m",
    "maandjes": "m",
    "jaar": "y",
    "jaren": "y",
    "jaartje": "y",
    "jr": "y",
}
PART_DAY = {
    "begin": 1,
    "start": 1,
    "half": 15,
    "halverwege": 15,
    "midden": 15,
    "medio": 15,
    "eind": 31,
    "einde": 31,
    "eindje": 31,
    "laatste": 31,
}
RELATIVE = {
    "vandaag": 0,
    "vanochtend": 0,
    "vanmorgen": 0,
    "vanmiddag": 0,
    "gisteren": 1,
    "gister": 1,
    "eergisteren": 2,
}
VAGUE = {"kort", "lang", "tijdje", "tijd", "poos", "poosje", "eeuwigheid", "altijd"}
FEW = {"paar", "aantal", "enkele", "paartje"}
_VOCAB = FuzzyVocab(
    list(MONTHS)
    + list(WEEKDAYS)
    + list(UNITS)
    + list(PART_DAY)
    + list(RELATIVE)
    + ["vorige", "vorig", "afgelopen", "geleden", "sinds"]
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?$")

# Hints and confirmations: bot/content/texts.yml (date_*, confirm_*).


@dataclass(frozen=True)
class SinceResult:
    date: Optional[date]
    weeks: Optional[int]
    needs_confirm: bool = False
    confirm_text: Optional[str] = None
    hint: Optional[str] = None
    reason: str = ""
    duration_weeks: Optional[int] = None  # a period ("van 7 tot 21 september"): its length

    @property
    def value(self) -> Optional[Dict[str, Any]]:
        if self.date is None:
            return None
        value: Dict[str, Any] = {"date": self.date.isoformat(), "weeks": self.weeks}
        if self.duration_weeks is not None:
            value["duration_weeks"] = self.duration_weeks
        return value


def weeks_between(start: date, today: date) -> int:
    return (today - start).days // 7


def add_months(d: date, months: int) -> date:
    """`d` moved by a whole number of months (day clamped to the month's length)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _safe_date(year: Optional[int], month: int, day: int) -> Optional[date]:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _recent_past(month: int, day: int, today: date, clamp: bool = False) -> Optional[date]:
    """Most recent past (or today's) occurrence of day-month. With `clamp`, a month that
    has started counts as this month's and a day later than today becomes today."""
    year = today.year
    if clamp:
        if month > today.month:
            year -= 1
        last = calendar.monthrange(year, month)[1]
        d = date(year, month, min(day, last))
        return min(d, today)
    for y in (year, year - 1, year - 2, year - 3, year - 4):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if d <= today:
            return d
    return None


def _year(token: str, today: date) -> Optional[int]:
    if re.fullmatch(r"\d{4}", token):
        return int(token)
    if re.fullmatch(r"'?\d{2}", token):
        return 2000 + int(token[-2:])
    return None


def _result(
    d: Optional[date], today: date, reason: str, confirm: bool = False, approx: bool = False
) -> SinceResult:
    if d is None:
        return SinceResult(None, None, hint=content.text("date_impossible"), reason=reason)
    if d > today:
        return SinceResult(None, None, hint=content.text("date_in_future"), reason="future")
    if d.year < today.year - 60:
        return SinceResult(None, None, hint=content.text("date_too_old"), reason="too old")
    text = None
    if confirm:
        text = content.text("confirm_about" if approx else "confirm_value", value=dutch.format_date(d))
    return SinceResult(d, weeks_between(d, today), confirm, text, None, reason)


_RANGE = re.compile(
    r"^\s*(?:van(?:af)?\s+)?(?P<start>.+?)(?:\s+(?:tot\s+en\s+met|tot|t/m)\s+|\s*[-–]\s*)"
    r"(?P<end>[^-–]+?)\s*$",
    re.IGNORECASE,
)


def parse_since(text: str, today: Optional[date] = None) -> SinceResult:
    """Since when (a date) and how many whole weeks ago, from a Dutch answer. A period
    ("van 7 tot 21 september", "van juni tot half oktober") gives its start and, as
    `duration_weeks`, its length."""
    today = today or date.today()
    period = _period(text, today)
    if period is not None:
        return period
    since = _since(text, today)
    lasted = _stated_duration(text) if since.date is not None and _CALENDAR.search(text or "") else None
    if lasted is not None:  # "1 oktober, ongeveer een week": began then, lasted this long
        return SinceResult(
            since.date,
            since.weeks,
            since.needs_confirm,
            since.confirm_text,
            since.hint,
            since.reason,
            duration_weeks=lasted,
        )
    return since


_CALENDAR = re.compile(
    r"\b(?:\d{1,2}[-/.]\d{1,2}|" + "|".join(dutch.MONTHS + dutch.MONTH_ABBREVIATIONS) + r")\b", re.IGNORECASE
)
_DURATION_UNITS = {"week": 1, "weken": 1, "weekje": 1, "weekjes": 1, "maand": 4, "maanden": 4, "maandje": 4}


def _stated_duration(text: str) -> Optional[int]:
    """Whole weeks of a length said beside a date ("een week", "twee weken", "een maand"),
    not a time ago ("3 weken geleden") and not a start ("sinds 2 weken")."""
    raw, _ = tokenize(text)
    tokens = [t for t in raw if t != "|"]
    for span in find_numbers(tokens):
        unit = tokens[span.end] if span.end < len(tokens) else ""
        after = tokens[span.end + 1] if span.end + 1 < len(tokens) else ""
        before = tokens[span.start - 1] if span.start else ""
        if unit in _DURATION_UNITS and after != "geleden" and before not in ("sinds", "vanaf", "al"):
            return max(0, int(span.value * _DURATION_UNITS[unit]))
    return None


def _period(text: str, today: date) -> Optional[SinceResult]:
    m = None if _ISO.match((text or "").strip()) else _RANGE.match(text or "")
    if not m or not re.search(r"[^\W\d_]", m.group("end")):  # "01-12-2026" is a date, not a period
        return None
    end = _since(m.group("end"), today)
    start_text = m.group("start")
    if end.date is None:
        return None
    if re.fullmatch(r"\d{1,2}", start_text.strip()):  # "7 tot 21 september": month of the end
        start_text = f"{start_text.strip()} {m.group('end').split(maxsplit=1)[-1]}"
    start = _since(start_text, today)
    if start.date is None or start.date > end.date:
        return None
    duration = max(0, (end.date - start.date).days // 7)
    return SinceResult(
        start.date,
        start.weeks,
        start.needs_confirm,
        start.confirm_text,
        None,
        "period",
        duration_weeks=duration,
    )


def _since(text: str, today: date) -> SinceResult:
    raw, _ = tokenize(text)
    tokens = [(_VOCAB.lookup(t) or t) if t.isalpha() else t for t in raw]
    if not tokens:
        return SinceResult(None, None, reason="empty")
    for parser in (_explicit_date, _named_date, _holiday, _relative, _duration):
        found = parser(tokens, today)
        if found is not None:
            return found
    spans = find_numbers(tokens)
    if len(spans) == 1 and 1 <= spans[0].value <= 52 and spans[0].value == int(spans[0].value):
        n = int(spans[0].value)
        res = _result(today - timedelta(weeks=n), today, "bare number as weeks", confirm=True)
        return SinceResult(
            res.date, res.weeks, True, content.text("confirm_value", value=dutch.weeks(n)), None, res.reason
        )
    if set(tokens) & VAGUE:
        return SinceResult(None, None, hint=content.text("date_vague"), reason="vague")
    return SinceResult(None, None, reason="not understood")


def _explicit_date(tokens: List[str], today: date) -> Optional[SinceResult]:
    for tok in tokens:
        m = _ISO.match(tok)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return _result(_safe_date(y, mo, d), today, "iso date")
        m = _NUMERIC.match(tok)
        if m:
            d, mo = int(m.group(1)), int(m.group(2))
            if m.group(3):
                return _result(_safe_date(_year(m.group(3), today), mo, d), today, "numeric date")
            if not (1 <= mo <= 12 and 1 <= d <= 31):
                return _result(None, today, "numeric date")
            found = _recent_past(mo, d, today)
            return _yearless(found, today, "numeric date without year")
    return None


def _yearless(found: Optional[date], today: date, reason: str) -> SinceResult:
    """A date given without a year; long ago (about a year) asks for confirmation."""
    if found is None:
        return _result(None, today, reason)
    return _result(found, today, reason, confirm=(today - found).days > 300)


def _named_date(tokens: List[str], today: date) -> Optional[SinceResult]:
    """Dates with a month name: "1 oktober", "half oktober", "oktober 2025", "week 40"."""
    for i, tok in enumerate(tokens):
        if tok in ("week", "wk") and i + 1 < len(tokens) and re.fullmatch(r"\d{1,2}", tokens[i + 1]):
            return _week_number(int(tokens[i + 1]), today)
        if tok not in MONTHS:
            continue
        month = MONTHS[tok]
        year = _year(tokens[i + 1], today) if i + 1 < len(tokens) else None
        prev = tokens[i - 1] if i > 0 else ""
        if prev in ("e", "ste", "de") and i > 1:  # "1e oktober", "1ste oktober"
            prev = tokens[i - 2]
        if " ".join(tokens[max(0, i - 2) : i]) in ("vorig jaar", "vorige jaar") or " ".join(
            tokens[i + 1 : i + 3]
        ) in ("vorig jaar", "vorige jaar"):
            year = today.year - 1
        day: Optional[int] = None
        part = None
        if re.fullmatch(r"\d{1,2}", prev):
            day = int(prev)
        else:
            for back in (1, 2, 3):  # "begin september", "eind van augustus", "half okt"
                if i - back >= 0 and tokens[i - back] in PART_DAY:
                    part = tokens[i - back]
                    break
        if day is not None:
            if year:
                return _result(_safe_date(year, month, day), today, "day and month name")
            if not 1 <= day <= 31:
                return _result(None, today, "day and month name")
            return _yearless(_recent_past(month, day, today), today, "day and month name")
        wanted = PART_DAY.get(part, 1) if part else 1
        if year:
            last = calendar.monthrange(year, month)[1]
            return _result(date(year, month, min(wanted, last)), today, "part of month")
        return _result(
            _recent_past(month, wanted, today, clamp=True), today, "part of month" if part else "month only"
        )
    return None


def _holiday_day(entry: Dict[str, Any], year: int) -> date:
    if "easter" in entry:
        return easter(year) + timedelta(days=int(entry["easter"]))
    return date(year, int(entry["month"]), int(entry["day"]))


def _holiday(tokens: List[str], today: date) -> Optional[SinceResult]:
    """Named days and periods (bot/content/calendar.yml): "sinds de kerst", "vlak na
    carnaval", "na de zomervakantie", "sinds pasen 2025"; the most recent past one."""
    joined = f" {' '.join(tokens)} "
    for entry in content.load("calendar")["days"]:
        names = sorted((str(n) for n in entry["names"]), key=len, reverse=True)
        found = next((n for n in names if f" {n} " in joined), None)
        if found is None:
            continue
        before = joined[: joined.index(f" {found} ")].split()
        before = [w for w in before if w not in ("de", "het", "met")]
        after_it = bool(before) and before[-1] == "na"
        around = bool(before) and before[-1] in ("rond", "rondom", "voor", "omstreeks", "tijdens")
        year_num = next((int(t) for t in tokens if re.fullmatch(r"(19|20)\d{2}", t)), None)
        shift = timedelta(days=int(entry.get("length_days", 1)) if after_it else 0)
        candidates = [year_num] if year_num else [today.year, today.year - 1, today.year - 2]
        day = next((d for y in candidates if (d := _holiday_day(entry, y) + shift) <= today), None)
        if day is not None and not year_num and re.search(r"\b(vorig|vorige) jaar\b", joined):
            if day.year == today.year:
                day = _holiday_day(entry, today.year - 1) + shift
        approx = bool(entry.get("approx")) or around
        return _result(day, today, "named day", confirm=approx, approx=approx)
    return None


def _week_number(week: int, today: date) -> SinceResult:
    for year in (today.year, today.year - 1):
        try:
            d = date.fromisocalendar(year, week, 1)
        except ValueError:
            continue
        if d <= today:
            return _result(d, today, "week number")
    return _result(None, today, "week number")


def _relative(tokens: List[str], today: date) -> Optional[SinceResult]:
    """gisteren, maandag, vorige week, vorige maand, vorig jaar, begin dit jaar, 2025."""
    joined = " ".join(tokens)
    words = set(tokens)
    for word, days in RELATIVE.items():
        if word in words:
            return _result(today - timedelta(days=days), today, "relative day")
    if words & {"morgen", "overmorgen", "volgende", "komende", "straks"} or "over " in f" {joined} ":
        if not words & set(UNITS) or "over" in words or words & {"volgende", "komende"}:
            return SinceResult(None, None, hint=content.text("date_in_future"), reason="future")
    last = bool(re.search(r"\b(vorige|vorig|afgelopen)\b", joined))
    for word, weekday in WEEKDAYS.items():
        if word in words:
            back = (today.weekday() - weekday) % 7 or 7
            d = today - timedelta(days=back)
            if re.search(r"\b(vorige|vorig) week\b", joined) and back <= today.weekday():
                d -= timedelta(days=7)
            return _result(d, today, "weekday")
    part = next((PART_DAY[t] for t in tokens if t in PART_DAY), None)
    year_word = re.search(r"\b(vorig|vorige|afgelopen|dit|deze) jaar\b", joined)
    year_num = next((int(t) for t in tokens if re.fullmatch(r"(19|20)\d{2}", t)), None)
    if year_word or year_num:
        year = year_num or (
            today.year - 1
            if year_word and year_word.group(1) in ("vorig", "vorige", "afgelopen")
            else today.year
        )
        if part is not None:
            month = {1: 1, 15: 7, 31: 12}[part]
            return _result(date(year, month, 1 if part != 31 else 15), today, "part of year")
        d = date(year, 7, 1)
        if d > today:
            d = date(year, 1, 1)
        return _result(d, today, "year only", confirm=True, approx=True)
    if re.search(r"\b(vorige|afgelopen) maand\b", joined) or "deze maand" in joined or "dit maand" in joined:
        this = "deze maand" in joined or "dit maand" in joined
        start = today.replace(day=1) if this else add_months(today.replace(day=1), -1)
        if part is not None:
            last_day = calendar.monthrange(start.year, start.month)[1]
            return _result(min(start.replace(day=min(part, last_day)), today), today, "part of month")
        if this:
            return _result(start, today, "this month")
        return _result(start.replace(day=15), today, "last month", confirm=True, approx=True)
    if last and "week" in words and not find_numbers(tokens):
        return _result(today - timedelta(days=7), today, "last week")
    if "deze week" in joined:
        return _result(today - timedelta(days=today.weekday()), today, "this week")
    return None


def _duration(tokens: List[str], today: date) -> Optional[SinceResult]:
    """Sum of "N unit" parts: "3 weken", "2 maanden en 1 week", "een maand of twee"."""
    parts: List[Tuple[float, str]] = []
    vague = False
    n = len(tokens)
    spans = find_numbers(tokens)
    used = set()
    for s in spans:
        nxt = tokens[s.end] if s.end < n else ""
        if nxt in ("hele", "volle", "ruime", "lange", "goede"):
            nxt = tokens[s.end + 1] if s.end + 1 < n else ""
        if nxt in UNITS:
            parts.append((s.value, UNITS[nxt]))
            used.add(s.end)
        elif s.start >= 2 and tokens[s.start - 1] == "of" and tokens[s.start - 2] in UNITS:
            parts.append((s.value, UNITS[tokens[s.start - 2]]))  # "een maand of twee"
    for i, tok in enumerate(tokens):
        if tok in FEW and i + 1 < n and tokens[i + 1] in UNITS:
            parts.append((3, UNITS[tokens[i + 1]]))
            vague = UNITS[tokens[i + 1]] != "d"
        elif (
            tok in UNITS
            and tok in ("weekje", "maandje", "dagje")
            and i not in used
            and not (i > 0 and tokens[i - 1] in FEW)
        ):
            parts.append((1, UNITS[tok]))
    if not parts:
        return None
    if re.search(r"\bover\b", " ".join(tokens)):
        return SinceResult(None, None, hint=content.text("date_in_future"), reason="future")
    d = today
    for value, unit in parts:
        if unit == "d":
            d -= timedelta(days=int(value + 0.5))
        elif unit == "w":
            d -= timedelta(days=int(value * 7 + 0.5))
        elif unit in ("m", "y"):
            months = value * 12 if unit == "y" else value
            whole = int(months)
            d = add_months(d, -whole) - timedelta(days=int((months - whole) * 30 + 0.5))
    res = _result(d, today, "duration", confirm=vague, approx=vague)
    if vague and res.date is not None:
        value, unit = parts[0]
        amount = f"{int(value)} {dutch.UNIT_PLURALS[unit]}"
        return SinceResult(
            res.date, res.weeks, True, content.text("confirm_about", value=amount), None, "a few (3 assumed)"
        )
    return res
