"""Hours per week from Dutch free text (bot.language.extract.numbers.parse_weekly_hours)."""
import pytest

from bot.language.extract.numbers import parse_weekly_hours

OK, CONFIRM, INVALID = "ok", "confirm", "invalid"


def _status(res):
    if res.value is None:
        return INVALID
    return CONFIRM if res.needs_confirm else OK


@pytest.mark.parametrize("text, value, status", [
    # plain numbers
    ("32", 32, OK),
    ("32 uur", 32, OK),
    ("24 uur per week", 24, OK),
    ("20u", 20, OK),
    ("20 u", 20, OK),
    ("36 uren", 36, OK),
    ("32,5", 32.5, OK),
    ("32.5 uur", 32.5, OK),
    ("ongeveer 20", 20, OK),
    ("zo'n 20 uur", 20, OK),
    ("een uur of 20", 20, OK),
    ("tweeëndertig uur", 32, OK),
    ("zestien", 16, OK),
    ("0", 0, OK),
    ("ik werk 38 uur in de week", 38, OK),
    ("Gemiddeld 24 uurtjes", 24, OK),
    # days times hours
    ("4 dagen van 8 uur", 32, OK),
    ("vier dagen per week 6 uur", 24, OK),
    ("3 ochtenden van 4 uur", 12, OK),
    ("4x8", 32, OK),
    ("4 x 9 uur", 36, OK),
    ("3 diensten van 12 uur", 36, OK),
    ("2 dagen van 7,5 uur", 15, OK),
    ("36 uur verdeeld over 4 dagen", 36, OK),
    ("5 dagen, 8 uur per dag", 40, OK),
    # assumptions that need a check
    ("fulltime", 40, CONFIRM),
    ("voltijd", 40, CONFIRM),
    ("ik werk full time", 40, CONFIRM),
    ("fultime", 40, CONFIRM),
    ("halve dagen", 20, CONFIRM),
    ("5 halve dagen", 20, CONFIRM),
    ("4 dagen", 32, CONFIRM),
    ("een dag of vier", 32, CONFIRM),
    ("anderhalve dag", 12, CONFIRM),
    ("3 ochtenden", 12, CONFIRM),
    ("8 uur per dag", 40, CONFIRM),
    ("per maand 100 uur", 23, CONFIRM),
    ("100 uur per maand", 23, CONFIRM),
    ("meer dan 40", 40, CONFIRM),
    ("40+", 40, CONFIRM),
    ("32 uur, maar nu 16 uur", 32, CONFIRM),
    # ranges: midpoint; wide ranges are checked
    ("30 à 32", 31, OK),
    ("tussen 20 en 24", 22, OK),
    ("24-28", 26, OK),
    ("20 of 24 uur", 22, OK),
    ("20 tot 40 uur", 30, CONFIRM),
    # unusable
    ("parttime", None, INVALID),
    ("deeltijd", None, INVALID),
    ("80+", None, INVALID),
    ("90", None, INVALID),
    ("meer dan 80", None, INVALID),
    ("-5", None, INVALID),
    ("heel veel", None, INVALID),
    ("", None, INVALID),
])
def test_hours(text, value, status):
    res = parse_weekly_hours(text)
    assert _status(res) == status, res
    assert res.value == value


def test_confirm_text_is_dutch_question():
    res = parse_weekly_hours("fulltime")
    assert res.confirm_text == "Bedoelt u 40 uur per week?"


def test_hint_for_too_many_hours():
    res = parse_weekly_hours("80+")
    assert res.hint == "Dat zijn meer dan 80 uur per week. Typ een aantal uren tot 80."


def test_hint_for_parttime_asks_for_the_number():
    assert "Hoeveel uur" in parse_weekly_hours("parttime").hint


def test_max_is_configurable():
    assert parse_weekly_hours("50", max_hours=48).value is None
    assert parse_weekly_hours("48", max_hours=48).value == 48
