"""The summary JSON: realistic states validate against the contract schema."""
import copy
import json
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from bot import content
from bot.report import summary as summary_mod
from bot.report.summary import SummaryError, SummaryValidationError, build_summary, validate_summary

STATES = Path(__file__).parents[1] / "fixtures" / "states"
SHARED_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "spec" / "summary.schema.json"
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
FIXTURES = sorted(p.stem for p in STATES.glob("*.json"))


def load_state(name):
    return json.loads((STATES / f"{name}.json").read_text(encoding="utf-8"))


def build(name, **changes):
    state = load_state(name)
    state["answers"].update(changes)
    return build_summary(state, f"conv-{name}", NOW, summary_id=f"sum-{name}")


def signal_codes(summary):
    return [s["code"] for s in summary["signals"]]


def help_codes(summary):
    return [h["code"] for h in summary["suggested_help"]]


# --------------------------------------------------------------------------- all fixtures

def test_fixture_set_covers_the_brief():
    assert {"employee_short", "employee_long_absence", "temp_agency", "self_employed_aov",
            "self_employed_no_aov", "job_seeker", "student", "employee_skipped"} <= set(FIXTURES)


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_is_a_realistic_intake(name):
    """Exactly the questions that apply (questions.yml `when`) were answered or skipped."""
    state = load_state(name)
    facts = {**state["context"], **{k: v for k, v in state["answers"].items() if v is not None}}
    asked = {q for q in list(state["answers"]) + state["skipped"] if q in content.questions_by_id()}
    applicable = {q["id"] for q in content.questions() if content.applies(q, facts)}
    assert asked == applicable
    assert state["answers"]["consent_share"] is True


@pytest.mark.parametrize("name", FIXTURES)
def test_summary_validates_against_the_contract(name):
    summary = build(name)
    validate_summary(summary)
    schema = json.loads((content.CONTENT_DIR / "summary.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(summary)
    assert summary["schema_version"] == "1.0"
    assert summary["conversation_id"] == f"conv-{name}" and summary["summary_id"] == f"sum-{name}"
    assert summary["created_at"] == "2026-11-22T09:30:00+01:00"
    assert summary["consent"]["share_with_care_team"] is True
    assert summary["consent"]["given_at"] == summary["created_at"]
    # Stepped attention (issue 10): only a signal of kind "attention" makes an attention case.
    assert summary["attention"] is any(sig["kind"] == "attention" for sig in summary["signals"])
    json.dumps(summary)  # JSON-serialisable as is


def test_schema_copy_is_the_published_contract():
    if not SHARED_SCHEMA.is_file():
        pytest.skip("shared spec not available")
    ours = json.loads((content.CONTENT_DIR / "summary.schema.json").read_text(encoding="utf-8"))
    published = json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))
    status = ours["properties"]["work"]["properties"]["status"]
    # Our only extension: the added code "unknown" for a skipped work_status (documented).
    assert status.pop("description").startswith("Extension")
    status["enum"].remove("unknown")
    assert ours == published


@pytest.mark.parametrize("name", FIXTURES)
def test_summaries_with_a_known_status_validate_against_the_published_schema(name):
    if not SHARED_SCHEMA.is_file():
        pytest.skip("shared spec not available")
    published = json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(published, format_checker=jsonschema.FormatChecker()).validate(build(name))


# --------------------------------------------------------------------------- per situation

def test_employee_short_path():
    s = build("employee_short")
    assert s["signals"] == [] and s["suggested_help"] == [] and s["attention"] is False
    work = s["work"]
    assert work["status"] == "working" and work["employment_type"] == "permanent"
    assert work["occupation"] == "Leraar basisonderwijs"
    assert work["absence"] == {"status": "none", "since": None, "weeks": None}
    assert work["barriers"] == [] and work["barriers_text"] is None
    assert work["support_wish"] is False and work["patient_questions"] == []
    assert work["has_scheduling_needs"] is False and work["scheduling_needs"] is None
    for not_asked in ("how_is_work", "work_ability", "worries", "knows_open_consultation", "hours_per_week"):
        assert not_asked not in work
    assert "physician_contact_wish" not in s["consent"]  # only asked with a signal
    assert s["context"] == {"channel": "tablet", "appointment_code": "K7Q2M", "returning_patient": False}
    assert s["skipped_questions"] == []


def test_employee_long_absence_with_barriers():
    s = build("employee_long_absence")
    work = s["work"]
    assert work["absence"] == {"status": "full", "since": "2026-09-13", "weeks": 10}
    assert work["barriers"] == ["fatigue", "concentration", "other"]
    assert work["barriers_text"] == "Ik slaap slecht door de medicijnen"
    assert work["worries"] == ["income", "return_to_work"] and work["worries_text"] is None
    assert work["patient_questions"][0] == "Hoe bouw ik mijn uren weer op zonder terug te vallen?"
    assert work["scheduling_needs"] == "Liever op woensdag, dan werk ik niet"
    assert work["changed_since_last_visit"] == "Sinds september ben ik helemaal ziek gemeld"
    assert work["informal_care"] is True and work["knows_open_consultation"] is False
    assert work["work_ability"] == 3 and work["hours_per_week"] == 32
    assert signal_codes(s) == ["current_absence", "long_absence", "work_barriers", "low_work_ability",
                               "doubtful_return", "low_workplace_support", "informal_care", "support_wish",
                               "multiple_problems"]
    assert help_codes(s) == ["occupational_physician", "medical_social_work",
                             "clinical_occupational_physician", "occupational_therapy", "patient_organisation"]
    assert s["consent"]["physician_contact_wish"] == "yes"
    assert s["human_contact_requested"] is True
    assert s["faq_topics"] == ["tell_employer", "income_employee"]
    assert s["context"]["returning_patient"] is True


def test_temp_agency_worker():
    s = build("temp_agency")
    assert signal_codes(s) == ["current_absence", "work_barriers", "work_aggravates",
                               "no_occupational_physician", "vulnerable_employment",
                               "adjustments_needed", "multiple_problems"]
    assert help_codes(s) == ["occupational_physician", "medical_social_work", "occupational_therapy", "uwv"]
    assert "Ziektewet" in s["suggested_help"][-1]["reason_nl"]


def test_self_employed_with_aov():
    s = build("self_employed_aov")
    assert s["work"]["income_protection"] == "aov"
    assert "occupational_physician" not in s["work"] and "employer_informed" not in s["work"]
    assert "no_income_protection" not in signal_codes(s)
    assert help_codes(s) == ["medical_social_work", "clinical_occupational_physician",
                             "income_protection_insurer", "general_practitioner"]


def test_self_employed_without_aov_via_public_link():
    s = build("self_employed_no_aov")
    assert s["work"]["income_protection"] == "none"
    assert "no_income_protection" in signal_codes(s)
    assert "income_protection_insurer" not in help_codes(s)
    assert {"medical_social_work", "general_practitioner", "patient_organisation"} == set(help_codes(s))
    assert s["context"] == {"channel": "home", "appointment_code": None, "returning_patient": None}


def test_job_seeker():
    s = build("job_seeker")
    assert s["work"]["status"] == "job_seeking"
    assert "occupation" not in s["work"] and "absence" not in s["work"]
    assert s["work"]["worries"] == ["income", "other"]
    assert s["work"]["worries_text"] == "Of een werkgever mij wil aannemen met mijn ziekte"
    assert signal_codes(s) == ["low_work_ability", "support_wish"]
    assert help_codes(s) == ["medical_social_work", "uwv", "general_practitioner", "patient_organisation"]


def test_student(monkeypatch):
    monkeypatch.setattr(summary_mod, "faq_title", lambda topic: None)
    s = build("student")
    assert s["work"] == {"status": "studying", "support_wish": False, "patient_questions": []}
    assert s["signals"] == [] and s["suggested_help"] == []
    assert s["faq_topics"] == ["what_is_this"]


def test_skipped_questions_become_null_and_unasked_ones_are_absent():
    s = build("employee_skipped")
    work = s["work"]
    for skipped in ("occupation", "hours_per_week", "work_aggravates", "work_ability"):
        assert skipped in work and work[skipped] is None
    assert work["absence"] == {"status": "recent", "since": None, "weeks": None}
    assert "barriers" not in work and "worries" not in work  # arrays cannot be null
    assert work["has_scheduling_needs"] is None and work["scheduling_needs"] is None
    assert "what_goes_well" not in work and "knows_open_consultation" not in work
    assert s["skipped_questions"] == ["occupation", "absence_since", "barriers", "hours_per_week",
                                      "work_aggravates", "work_ability", "worries",
                                      "irregular_hours",  # issue 10: a new question, skipped here
                                      "scheduling_needs"]
    assert work["irregular_hours"] is None and work["treatment_work_consideration"] is False
    assert "long_absence" not in signal_codes(s)


def test_skip_recorded_as_none_answer_counts_as_skipped():
    state = load_state("employee_short")
    state["answers"]["occupation"] = None
    s = build_summary(state, "c", NOW)
    assert s["work"]["occupation"] is None and "occupation" in s["skipped_questions"]


def test_absence_weeks_counted_from_date_when_missing():
    s = build("employee_long_absence", absence_since={"date": "2026-10-11"})
    assert s["work"]["absence"] == {"status": "full", "since": "2026-10-11", "weeks": 6}
    assert "long_absence" in signal_codes(s)
    s = build("employee_long_absence", absence_since={"date": "2026-10-12"})
    assert s["work"]["absence"]["weeks"] == 5 and "long_absence" not in signal_codes(s)


def test_faq_titles_join_the_patient_questions(monkeypatch):
    titles = {"tell_employer": "Ziekte vertellen aan werkgever?"}
    monkeypatch.setattr(summary_mod, "faq_title", titles.get)
    s = build("employee_long_absence")
    assert s["work"]["patient_questions"] == ["Hoe bouw ik mijn uren weer op zonder terug te vallen?",
                                              "Ziekte vertellen aan werkgever?"]


def test_faq_titles_come_from_the_faq_content():
    """Integration with bot/knowledge/faq.py: a known topic has a Dutch title, an unknown one none."""
    title = summary_mod.faq_title("what_is_this")
    if title is None:
        pytest.skip("FAQ content not available")
    assert build("student")["work"]["patient_questions"] == [title]
    assert summary_mod.faq_title("no_such_topic") is None


def test_summary_id_and_time_defaults():
    state = load_state("student")
    state["summary_id"] = "from-state"
    assert build_summary(state, "c", NOW)["summary_id"] == "from-state"
    state["summary_id"] = None
    s = build_summary(state, "c", datetime(2026, 11, 22, 8, 30))
    uuid.UUID(s["summary_id"])
    assert s["created_at"] == "2026-11-22T08:30:00+00:00"  # naive = UTC


def test_unknown_channel_becomes_other():
    state = load_state("student")
    state["context"]["channel"] = "kiosk"
    assert build_summary(state, "c", NOW)["context"]["channel"] == "other"


def test_answers_round_trip_for_rendering():
    state = load_state("employee_long_absence")
    answers, skipped = summary_mod.answers_from_summary(build("employee_long_absence"))
    expected = {k: v for k, v in state["answers"].items() if k not in ("support_wish_question", "consent_share")}
    assert answers == expected and skipped == []


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("consent", [False, None])
def test_no_summary_without_consent(consent):
    state = load_state("employee_short")
    state["answers"]["consent_share"] = consent
    with pytest.raises(SummaryError, match="consent"):
        build_summary(state, "c", NOW)


def test_skipped_work_status_is_the_unknown_extension_code():
    state = load_state("student")
    del state["answers"]["work_status"]
    state["skipped"] = ["work_status"]
    summary = build_summary(state, "c", NOW)
    assert summary["work"]["status"] == "unknown"
    validate_summary(summary)


@pytest.mark.parametrize("change,path", [
    ({"work_ability": 11}, "work/work_ability"),
    ({"employment_type": "freelance"}, "work/employment_type"),
    ({"hours_per_week": -4}, "work/hours_per_week"),
    ({"rtw_expectation": "maybe"}, "work/rtw_expectation"),
])
def test_invalid_answers_raise(change, path):
    with pytest.raises(SummaryValidationError) as info:
        build("employee_long_absence", **change)
    assert any(e.startswith(path) for e in info.value.errors)


def test_empty_conversation_id_is_invalid():
    with pytest.raises(SummaryValidationError, match="conversation_id"):
        build_summary(load_state("student"), "", NOW)


@pytest.mark.parametrize("mutate,fragment", [
    (lambda s: s.pop("work"), "'work' is a required property"),
    (lambda s: s["consent"].update(share_with_care_team=False), "consent/share_with_care_team"),
    (lambda s: s.update(created_at="gisteren"), "created_at"),
    (lambda s: s.update(created_at="2026-11-22T09:30:00"), "created_at"),  # no time zone
    (lambda s: s["signals"].append({"code": "burnout", "label_nl": "x"}), "signals/"),
    (lambda s: s.update(attention="ja"), "[extension field]"),
])
def test_validate_summary_reports_problems(mutate, fragment):
    summary = copy.deepcopy(build("employee_long_absence"))
    mutate(summary)
    with pytest.raises(SummaryValidationError) as info:
        validate_summary(summary)
    assert fragment in str(info.value)
