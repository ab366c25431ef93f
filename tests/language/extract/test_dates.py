"""Since when: dates and durations (bot.language.extract.dates.parse_since)."""
from datetime import date

import pytest

from bot.language.extract.dates import add_months, parse_since, weeks_between

TODAY = date(2026, 11, 22)   # a Sunday

OK, CONFIRM, INVALID = "ok", "confirm", "invalid"


def _status(res):
    if res.date is None:
        return INVALID
    return CONFIRM if res.needs_confirm else OK


@pytest.mark.parametrize("text, iso, weeks, status", [
    # durations
    ("sinds 3 weken", "2026-11-01", 3, OK),
    ("3 weken", "2026-11-01", 3, OK),
    ("3 weken geleden", "2026-11-01", 3, OK),
    ("drie weken terug", "2026-11-01", 3, OK),
    ("al twee maanden", "2026-09-22", 8, OK),
    ("een maand of twee", "2026-09-22", 8, OK),
    ("een week of drie", "2026-11-01", 3, OK),
    ("anderhalve week", "2026-11-11", 1, OK),
    ("een half jaar", "2026-05-22", 26, OK),
    ("anderhalf jaar", "2025-05-22", 78, OK),
    ("een paar dagen", "2026-11-19", 0, OK),
    ("een week", "2026-11-15", 1, OK),
    ("twee weekjes", "2026-11-08", 2, OK),
    ("2 maanden en 1 week", "2026-09-15", 9, OK),
    ("5 dagen", "2026-11-17", 0, OK),
    ("sinds 3 wkn", "2026-11-01", 3, OK),
    ("een paar weken", "2026-11-01", 3, CONFIRM),
    ("een paar maanden", "2026-08-22", 13, CONFIRM),
    # dates with a month name
    ("sinds 1 oktober", "2026-10-01", 7, OK),
    ("1 okt", "2026-10-01", 7, OK),
    ("1e oktober", "2026-10-01", 7, OK),
    ("sinds 1 oktober 2025", "2025-10-01", 59, OK),
    ("sinds half oktober", "2026-10-15", 5, OK),
    ("midden oktober", "2026-10-15", 5, OK),
    ("sinds half oktober thuis", "2026-10-15", 5, OK),
    ("sinds begin september", "2026-09-01", 11, OK),
    ("eind augustus", "2026-08-31", 11, OK),
    ("sinds oktober", "2026-10-01", 7, OK),
    ("sinds oktobr", "2026-10-01", 7, OK),           # typo
    ("septmber", "2026-09-01", 11, OK),              # typo
    ("maart vorig jaar", "2025-03-01", 90, OK),
    ("begin deze maand", "2026-11-01", 3, OK),
    ("eind november", "2026-11-22", 0, OK),          # current month: never in the future
    ("sinds 30 november", "2025-11-30", 51, CONFIRM),  # no year: most recent past, long ago
    ("sinds 1 december", "2025-12-01", 50, CONFIRM),
    # numeric dates
    ("1-10", "2026-10-01", 7, OK),
    ("1/10", "2026-10-01", 7, OK),
    ("01-10-2026", "2026-10-01", 7, OK),
    ("1-10-26", "2026-10-01", 7, OK),
    ("2026-10-01", "2026-10-01", 7, OK),
    ("1.10.2026", "2026-10-01", 7, OK),
    ("week 40", "2026-09-28", 7, OK),
    # relative
    ("sinds gisteren", "2026-11-21", 0, OK),
    ("eergisteren", "2026-11-20", 0, OK),
    ("vandaag", "2026-11-22", 0, OK),
    ("vanaf maandag", "2026-11-16", 0, OK),
    ("sinds zondag", "2026-11-15", 1, OK),           # today is Sunday: last week's
    ("vorige week maandag", "2026-11-09", 1, OK),
    ("vorige week", "2026-11-15", 1, OK),
    ("vorige maand", "2026-10-15", 5, CONFIRM),
    ("sinds vorig jaar", "2025-07-01", 72, CONFIRM),
    ("sinds 2025", "2025-07-01", 72, CONFIRM),
    ("begin dit jaar", "2026-01-01", 46, OK),
    ("3", "2026-11-01", 3, CONFIRM),                 # a bare number is read as weeks
])
def test_parse_since(text, iso, weeks, status):
    res = parse_since(text, TODAY)
    assert _status(res) == status, res
    assert res.date.isoformat() == iso
    assert res.weeks == weeks
    assert res.value == {"date": iso, "weeks": weeks}


@pytest.mark.parametrize("text", [
    "2026-12-01", "01-12-2026", "1 december 2026", "over 2 weken", "volgende week", "morgen",
])
def test_future_is_invalid_with_hint(text):
    res = parse_since(text, TODAY)
    assert res.date is None
    assert "toekomst" in res.hint


@pytest.mark.parametrize("text", ["sinds kort", "al lang", "een tijdje"])
def test_vague_gets_specific_hint(text):
    res = parse_since(text, TODAY)
    assert res.date is None and "preciezer" in res.hint


@pytest.mark.parametrize("text", ["31-02", "32 oktober", "asdf", "", "ik weet het niet"])
def test_unusable(text):
    assert parse_since(text, TODAY).date is None


def test_confirm_texts():
    assert parse_since("sinds vorig jaar", TODAY).confirm_text == "Bedoelt u ongeveer 1 juli 2025?"
    assert parse_since("3", TODAY).confirm_text == "Bedoelt u 3 weken?"
    assert parse_since("een paar weken", TODAY).confirm_text == "Bedoelt u ongeveer 3 weken?"


def test_helpers():
    assert weeks_between(date(2026, 11, 1), TODAY) == 3
    assert weeks_between(date(2026, 11, 16), TODAY) == 0
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -2) == date(2025, 11, 15)


@pytest.mark.parametrize("text,start,weeks_ago,length", [
    ("van 7 tot 21 september", "2026-09-07", 10, 2),
    ("7-21 september", "2026-09-07", 10, 2),
    ("van 2 tot en met 30 oktober", "2026-10-02", 6, 4),
    ("van juni tot half oktober", "2026-06-01", 24, 19),
])
def test_a_period_gives_its_start_and_its_length(text, start, weeks_ago, length):
    res = parse_since(text, date(2026, 11, 16))
    assert res.value == {"date": start, "weeks": weeks_ago, "duration_weeks": length}


@pytest.mark.parametrize("text", ["01-12-2025", "2026-10-01", "sinds 3 weken", "1 oktober"])
def test_dates_and_durations_are_no_period(text):
    assert "duration_weeks" not in (parse_since(text, date(2026, 11, 16)).value or {})


def test_a_date_with_a_length_gives_the_length():
    """A recent absence is asked as a length; "1 oktober, ongeveer een week" began on 1
    October and lasted one week (long_absence counts the length, spec §3)."""
    from datetime import date

    from bot.language.extract.dates import parse_since

    today = date(2026, 11, 16)
    assert parse_since("1 oktober, ongeveer een week", today).value["duration_weeks"] == 1
    assert parse_since("begin oktober, twee weken", today).value["duration_weeks"] == 2
    for text in ("3 weken geleden", "sinds 12 oktober", "20 oktober, al 3 weken ziek", "sinds 2 weken"):
        assert "duration_weeks" not in parse_since(text, today).value, text
