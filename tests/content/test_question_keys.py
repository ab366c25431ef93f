"""The per-question keys of questions.yml (docs/content.md) are validated on load."""
from __future__ import annotations

import copy

import pytest

from bot import content
from bot.content import question_keys
from bot.language import dutch
from bot.report.answer_text import describe_answer


def _data():
    return copy.deepcopy(content.load_yaml("questions.yml"))


def _question(data, **match):
    return next(q for q in data["questions"] if all(q.get(k) == v for k, v in match.items()))


def test_the_content_passes_and_gets_its_defaults():
    data = _data()
    question_keys.validate(data)
    for q in data["questions"]:
        assert q["parser"] and q["answer_text"] and q["summary"]


@pytest.mark.parametrize("breaking", [
    lambda d: _question(d, answer_type="number").update(parser="scale"),
    lambda d: _question(d, answer_type="yes_no").update(answer_text="with_unit"),
    lambda d: _question(d, answer_type="text").pop("summary"),
    lambda d: _question(d, answer_type="text").update(summary={"field": "x", "shape": "weird"}),
    lambda d: _question(d, role="consent").pop("role"),
    lambda d: _question(d, answer_type="text").update(role="consent"),
    lambda d: _question(d, answer_type="text").update(details_of="no_such_question"),
    lambda d: next(q for q in d["questions"] if q.get("harvest"))["harvest"].update(cue="weather"),
    lambda d: next(q for q in d["questions"] if q.get("fhir", {}).get("components"))["fhir"]["components"][0]
    .update(value="text"),
    lambda d: d["questions"][1]["summary"].update(field=d["questions"][2]["summary"].get("field", "x")),
])
def test_a_broken_key_is_a_content_error(breaking):
    data = _data()
    breaking(data)
    with pytest.raises(content.ContentError, match=r"^questions\.yml: ") as info:  # the one error type
        question_keys.validate(data)
    assert isinstance(info.value, question_keys.QuestionKeyError) and info.value.file == "questions.yml"


def test_code_finds_questions_by_key_not_by_id():
    consent = question_keys.with_role("consent")
    assert consent["id"] == content.consent_id() and consent.get("final") is True
    groups = question_keys.faq_group_answers({q["id"]: q["id"] for q in content.questions()})
    assert set(groups) == {"status", "contract"}
    [period] = question_keys.with_shape("absence_period")
    assert content.question(period["summary"]["since"])["answer_type"] == "date_or_duration"


def test_answer_text_follows_the_rule_and_unit():
    with_unit = next(q for q in content.questions() if q["answer_text"] == "with_unit")
    assert describe_answer(with_unit["id"], 32.0) == f"32 {with_unit['unit']}"
    scale = next(q for q in content.questions() if q["answer_text"] == "scale")
    assert describe_answer(scale["id"], 6) == f"6 van de {scale['max']}"
    dated = next(q for q in content.questions() if q["answer_text"] == "date_and_weeks")
    assert describe_answer(dated["id"], {"date": "2026-10-03", "weeks": 1}) == "3 oktober 2026 (1 week)"


def test_dutch_dates_and_numbers():
    assert dutch.format_date("2026-03-01") == "1 maart 2026"
    assert dutch.weeks(1) == "1 week" and dutch.weeks(3) == "3 weken"
    assert dutch.format_number(32.5) == "32,5" and dutch.format_number(32.0) == "32"
    assert len(dutch.MONTHS) == 12 and len(set(dutch.MONTHS) & set(dutch.MONTH_ABBREVIATIONS)) == 0
