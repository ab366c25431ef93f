"""parse_answer across every question in questions.yml (bot.language.answers)."""
from datetime import date

import pytest

from bot import content
from bot.language.answers import ParseResult, parse_answer
from bot.language.extract.choices import matcher_for
from bot.language.extract.control import DONT_KNOW

TODAY = date(2026, 11, 22)
QUESTIONS = content.questions()
IDS = [q["id"] for q in QUESTIONS]
LONG_TEXT = ("Ik werk als verpleegkundige en ik ben vaak erg moe na een dienst. " * 20)[:1000]


def q(question_id):
    return content.question(question_id)


def parse(question_id, text, code=None):
    return parse_answer(q(question_id), text, code, TODAY)


def _value_fits(question, value):
    kind = question["answer_type"]
    codes = [str(o["code"]) for o in question.get("options", [])]
    if kind == "choice":
        return value in codes
    if kind == "multi_choice":
        return isinstance(value, list) and value and all(v in codes for v in value)
    if kind == "yes_no":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and question.get("min", 0) <= value <= question.get("max", 1e9)
    if kind == "scale":
        return isinstance(value, int) and question["min"] <= value <= question["max"]
    if kind == "date_or_duration":
        return set(value) == {"date", "weeks"} and isinstance(value["weeks"], int)
    return isinstance(value, str) and 2 <= len(value) <= 500


# --- bad input, for every question ------------------------------------------------------

@pytest.mark.parametrize("question_id", IDS)
@pytest.mark.parametrize("text", [
    "", "   ", None, "asdfgh", "\U0001F600", "\U0001F642\U0001F642", "...", "?!",
    "<script>alert('x')</script>", "<b></b>", "qwertyuiop",
])
def test_unusable_input_is_invalid(question_id, text):
    res = parse(question_id, text)
    assert res.status == "invalid"
    assert res.value is None
    assert res.hint            # always something to say


@pytest.mark.parametrize("question_id", IDS)
def test_long_text_never_breaks(question_id):
    res = parse(question_id, LONG_TEXT)
    assert res.status in {"ok", "confirm", "invalid", "skip"}
    if res.status in ("ok", "confirm"):
        assert _value_fits(q(question_id), res.value)
    if res.extra_text:
        assert len(res.extra_text) <= 500


@pytest.mark.parametrize("question_id", [i for i in IDS if q(i)["answer_type"] == "text"])
def test_text_is_trimmed_to_500(question_id):
    res = parse(question_id, LONG_TEXT)
    assert res.status == "ok" and len(res.value) <= 500
    assert res.value.startswith("Ik werk als verpleegkundige")


# --- skip and control, for every question ------------------------------------------------

@pytest.mark.parametrize("question_id", IDS)
@pytest.mark.parametrize("text", ["sla over", "zeg ik liever niet", "Overslaan", "volgende"])
def test_declining_skips(question_id, text):
    assert parse(question_id, text).status == "skip"


@pytest.mark.parametrize("question_id", IDS)
@pytest.mark.parametrize("text", ["weet ik niet", "geen idee", "ik weet het niet"])
def test_dont_know_is_an_option_when_there_is_one(question_id, text):
    res = parse(question_id, text)
    question = q(question_id)
    dont_know = matcher_for(question).dont_know_code if question.get("options") else None
    if dont_know and question["answer_type"] == "choice":
        assert (res.status, res.value) == ("ok", dont_know)
    else:
        assert res.status == "skip"


def test_dont_know_options_are_the_expected_ones():
    found = {i: matcher_for(q(i)).dont_know_code for i in IDS if q(i).get("options")}
    assert {k: v for k, v in found.items() if v} == {
        "work_aggravates": "unsure", "occupational_physician": "unknown",
        "income_protection": "unknown", "rtw_expectation": "unsure",
        "physician_contact_wish": "undecided"}
    assert "weet ik niet" in DONT_KNOW


@pytest.mark.parametrize("question_id", IDS)
@pytest.mark.parametrize("text, control", [("terug", "back"), ("vorige vraag", "back"),
                                           ("opnieuw beginnen", "restart")])
def test_control_words_are_not_answers(question_id, text, control):
    res = parse(question_id, text)
    assert res.status == "invalid" and res.control == control


# --- button codes ------------------------------------------------------------------------

OPTION_CODES = [(q_["id"], str(o["code"])) for q_ in QUESTIONS for o in q_.get("options", [])]


@pytest.mark.parametrize("question_id, code", OPTION_CODES, ids=[f"{a}:{b}" for a, b in OPTION_CODES])
def test_every_option_code_from_a_button(question_id, code):
    res = parse(question_id, "", code)
    expected = [code] if q(question_id)["answer_type"] == "multi_choice" else code
    assert (res.status, res.value) == ("ok", expected)


@pytest.mark.parametrize("question_id, code, value", [
    ("support_wish", "yes", True), ("support_wish", "no", False), ("consent_share", "yes", True),
    ("consent_share", "no", False), ("informal_care", "YES", True),
    ("hours_per_week", "32", 32), ("hours_per_week", "0", 0), ("hours_per_week", "80", 80),
    ("hours_per_week", "32,5", 32.5),
    ("work_ability", "0", 0), ("work_ability", "6", 6), ("work_ability", "10", 10),
    ("absence_since", "2026-10-01", {"date": "2026-10-01", "weeks": 7}),
    ("absence_since", "2026-11-22", {"date": "2026-11-22", "weeks": 0}),
    ("barriers", "fatigue,pain", ["fatigue", "pain"]),
    ("barriers", "fatigue, pain, fatigue", ["fatigue", "pain"]),
    ("worries", "income,other", ["income", "other"]),
])
def test_valid_codes(question_id, code, value):
    res = parse(question_id, "", code)
    assert (res.status, res.value) == ("ok", value)


@pytest.mark.parametrize("question_id, code", [
    ("work_status", "bogus"), ("work_status", "Working"), ("barriers", "fatigue,bogus"),
    ("barriers", "none,pain"), ("barriers", ","), ("support_wish", "maybe"),
    ("hours_per_week", "81"), ("hours_per_week", "-1"), ("hours_per_week", "veel"),
    ("work_ability", "11"), ("work_ability", "6.5"), ("work_ability", "zes"),
    ("absence_since", "2027-01-01"), ("absence_since", "1-10-2026"), ("absence_since", "2026-02-30"),
])
def test_invalid_codes(question_id, code):
    res = parse(question_id, "", code)
    assert res.status == "invalid" and res.hint


def test_none_with_other_codes_has_specific_hint():
    assert "kan niet samen" in parse("barriers", "", "none,pain").hint


def test_skip_code():
    assert parse("barriers", "", "skip").status == "skip"


# --- typed answers, per question ----------------------------------------------------------

@pytest.mark.parametrize("question_id, text, status, value, extra", [
    ("work_status", "ik ben zzp'er", "ok", "working", None),
    ("work_status", "nee hoor", "ok", "not_working", None),
    ("occupation", "Verpleegkundige in het ziekenhuis", "ok", "Verpleegkundige in het ziekenhuis", None),
    ("occupation", "  ik werk in een   winkel ", "ok", "ik werk in een winkel", None),
    ("occupation", "<b>kok</b>", "ok", "kok", None),
    ("employment_type", "via het uitzendbureau", "ok", "temp_agency", None),
    ("employment_type", "ik ben zzp'er", "ok", "self_employed", None),
    ("absence", "ja, voor een deel", "ok", "partial", None),
    ("absence", "nee", "ok", "none", None),
    ("absence_since", "sinds half oktober", "ok", {"date": "2026-10-15", "weeks": 5}, None),
    ("absence_since", "3 weken", "ok", {"date": "2026-11-01", "weeks": 3}, None),
    ("absence_since", "sinds vorig jaar", "confirm", {"date": "2025-07-01", "weeks": 72}, None),
    ("barriers", "ik ben moe en heb pijn in m'n rug", "ok", ["fatigue", "pain"], None),
    ("barriers", "ik ben moe en ik heb last van mijn knie", "ok", ["fatigue", "other"],
     "ik heb last van mijn knie"),
    ("barriers", "nee", "ok", ["none"], None),
    ("barriers", "geen pijn", "confirm", ["none"], None),
    ("support_wish", "ja, ik wil weten of ik het mijn baas moet vertellen", "ok", True,
     "ik wil weten of ik het mijn baas moet vertellen"),
    ("support_wish", "hoe vertel ik het mijn baas?", "ok", True, "hoe vertel ik het mijn baas?"),
    ("support_wish", "nee hoor", "ok", False, None),
    ("support_wish", "ik heb geen vragen", "ok", False, None),
    ("changed_since_last_visit", "er is niks veranderd", "ok", False, None),
    ("scheduling_needs", "maakt niet uit", "ok", False, None),
    ("support_wish", "ja graag", "ok", True, None),
    ("support_wish_question", "Hoe vertel ik het mijn baas?", "ok", "Hoe vertel ik het mijn baas?", None),
    ("hours_per_week", "4 dagen van 8 uur", "ok", 32, None),
    ("hours_per_week", "nee, ik bedoel 24 uur", "ok", 24, None),
    ("hours_per_week", "fulltime", "confirm", 40, None),
    ("hours_per_week", "ongeveer 20", "ok", 20, None),
    ("how_is_work", "Goed, maar zwaar", "ok", "Goed, maar zwaar", None),
    ("how_is_work", "sorry, het is zwaar", "ok", "sorry, het is zwaar", None),
    ("what_goes_well", "niets", "ok", "niets", None),
    ("work_aggravates", "ik denk het wel", "ok", "yes", None),
    ("work_aggravates", "nee hoor", "ok", "no", None),
    ("occupational_physician", "ja ik heb contact", "ok", "in_contact", None),
    ("knows_open_consultation", "nee, dat wist ik niet", "ok", False, None),
    ("knows_open_consultation", "jazeker", "ok", True, None),
    ("employer_informed", "ja die weet het", "ok", "yes", None),
    ("workplace_support", "jazeker", "ok", "yes", None),
    ("workplace_support", "niet goed", "confirm", "no", None),
    ("job_control", "een beetje", "ok", "partly", None),
    ("income_protection", "ik heb een aov", "ok", "aov", None),
    ("work_ability", "een zesje", "ok", 6, None),
    ("work_ability", "ik geef het een 7", "ok", 7, None),
    ("work_ability", "7,5", "confirm", 8, None),
    ("rtw_expectation", "met aanpassingen", "ok", "yes_with_adjustments", None),
    ("worries", "geldzorgen en mijn baan", "ok", ["income", "job_loss"], None),
    ("worries", "nee", "ok", ["none"], None),
    ("informal_care", "ja, voor mijn moeder", "ok", True, "voor mijn moeder"),
    ("informal_care", "nee", "ok", False, None),
    ("scheduling_needs", "ja, liever na 16 uur", "ok", True, "liever na 16 uur"),
    ("scheduling_needs", "liever na 16 uur", "ok", True, "liever na 16 uur"),
    ("scheduling_needs_details", "niet op maandag", "ok", "niet op maandag", None),
    ("changed_since_last_visit", "ik heb een nieuwe baan", "ok", True, "ik heb een nieuwe baan"),
    ("changed_since_last_visit", "nee", "ok", False, None),
    ("changed_since_last_visit_details", "ik werk nu minder", "ok", "ik werk nu minder", None),
    ("physician_contact_wish", "liever niet", "ok", "no", None),
    ("consent_share", "ja", "ok", True, None),
    ("consent_share", "Nee.", "ok", False, None),
    ("consent_share", "\U0001F44D", "ok", True, None),
    ("consent_share", "<b>ja</b>", "ok", True, None),
    ("consent_share", "ja, maar niet alles", "confirm", True, "maar niet alles"),
])
def test_typed_answers(question_id, text, status, value, extra):
    res = parse(question_id, text)
    assert (res.status, res.value, res.extra_text) == (status, value, extra), res
    if status == "confirm":
        assert res.confirm_text.startswith("Bedoelt u") and res.confirm_text.endswith("?")


@pytest.mark.parametrize("question_id, text, hint_part", [
    ("hours_per_week", "80+", "meer dan 80 uur per week"),
    ("hours_per_week", "100", "Typ een aantal uren tot 80"),
    ("hours_per_week", "parttime", "Hoeveel uur werkt u parttime"),
    ("absence_since", "01-12-2026", "Die datum ligt in de toekomst"),
    ("absence_since", "sinds kort", "preciezer"),
    ("work_ability", "11", "te hoog"),
    ("work_status", "ik werk en ik studeer", "Kies één antwoord"),
    ("consent_share", "ja nee", "Kies 'Ja' of 'Nee'"),
    ("barriers", "ja", "Wat bedoelt u precies?"),
    ("informal_care", "ik zorg voor mijn moeder", "Kies 'Ja' of 'Nee'."),
])
def test_specific_hints(question_id, text, hint_part):
    res = parse(question_id, text)
    assert res.status == "invalid" and hint_part in res.hint


def test_fallback_hint_is_the_questions_hint():
    assert parse("employment_type", "blablabla").hint == q("employment_type")["hint"]


def test_correction_flag():
    res = parse("hours_per_week", "nee, ik bedoel 24 uur")
    assert res.correction and res.value == 24
    assert parse("hours_per_week", "ik bedoel").status == "invalid"


def test_yes_no_confirmation_reuses_consent_question():
    # the dialogue asks "Bedoelt u 40 uur per week?" and reads the reply with consent_share
    assert parse("consent_share", "ja, dat klopt").value is True
    assert parse("consent_share", "", "yes").value is True


def test_today_defaults_to_the_real_date():
    res = parse_answer(q("absence_since"), "3 weken")
    assert res.status == "ok" and res.value["weeks"] == 3


def test_result_shape():
    res = ParseResult("ok", 1)
    assert (res.extra_text, res.confirm_text, res.hint, res.correction, res.control) == (
        None, None, None, False, None)
