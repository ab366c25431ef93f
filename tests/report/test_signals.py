"""Signals and suggested help: every rule on both sides of its threshold."""
import copy
from datetime import date, timedelta

import pytest

from bot.content import ContentError
from bot.report import signals as sig

EMPLOYEE = {"work_status": "working", "employment_type": "permanent"}
SELF_EMPLOYED = {"work_status": "working", "employment_type": "self_employed"}
NO_SIGNAL = {"absence": "none", "barriers": ["none"], "support_wish": False}


def codes(answers, context=None):
    return [s["code"] for s in sig.compute_signals(answers, context or {})]


def helps(answers, context=None):
    found = sig.compute_signals(answers, context or {})
    return {h["code"]: h for h in sig.suggested_help(answers, context or {}, found)}


def weeks(n, status="full"):
    return {"absence": status, "absence_since": {"date": None, "weeks": n}}


# --------------------------------------------------------------------------- facts

def test_derived_facts():
    f = sig.facts({**EMPLOYEE, "barriers": ["none", "pain"], "absence_since": {"weeks": 7}},
                  {"returning_patient": True, "ignored": 1})
    assert f["employee"] is True and f["barriers_present"] is True and f["absence_weeks"] == 7
    assert f["returning_patient"] is True and "ignored" not in f
    f = sig.facts({**SELF_EMPLOYED, "barriers": ["none"]})
    assert f["employee"] is False and f["barriers_present"] is False and f["absence_weeks"] is None


def test_employee_needs_working_status():
    assert sig.facts({"work_status": "job_seeking", "employment_type": "permanent"})["employee"] is False
    assert sig.facts({"work_status": "working", "employment_type": "other"})["employee"] is True


def test_absence_weeks_counted_from_date_when_weeks_missing():
    today = date(2026, 11, 22)
    since = {"date": (today - timedelta(days=42)).isoformat()}
    assert sig.facts({"absence_since": since}, {"today": today})["absence_weeks"] == 6
    assert sig.facts({"absence_since": since}, {"today": "2026-11-21"})["absence_weeks"] == 5


def test_skipped_answers_are_not_facts():
    assert "work_ability" not in sig.facts({"work_ability": None})
    assert codes({"work_ability": None}) == []


# --------------------------------------------------------------------------- signals

SIGNAL_CASES = [
    ("current_absence", {"absence": "full"}, {"absence": "recent"}),
    ("current_absence", {"absence": "partial"}, {"absence": "none"}),
    ("long_absence", weeks(6), weeks(5)),
    ("long_absence", weeks(6, "recent"), {"absence": "none", "absence_since": {"weeks": 10}}),
    ("long_absence", weeks(40, "partial"), {"absence": "full"}),
    ("work_barriers", {"barriers": ["pain"]}, {"barriers": ["none"]}),
    ("work_barriers", {"barriers": ["none", "other"]}, {"barriers": []}),
    ("work_aggravates", {"work_aggravates": "yes"}, {"work_aggravates": "unsure"}),
    ("work_aggravates", {"work_aggravates": "yes"}, {"work_aggravates": "no"}),
    ("no_occupational_physician", SELF_EMPLOYED, {**EMPLOYEE, "occupational_physician": "in_contact"}),
    ("no_occupational_physician", {**EMPLOYEE, "occupational_physician": "none"},
     {**EMPLOYEE, "occupational_physician": "available_no_contact"}),
    ("no_occupational_physician", {**EMPLOYEE, "occupational_physician": "unknown"}, EMPLOYEE),
    ("vulnerable_employment", {"employment_type": "self_employed"}, {"employment_type": "permanent"}),
    ("vulnerable_employment", {"employment_type": "temp_agency"}, {"employment_type": "other"}),
    ("vulnerable_employment", {"employment_type": "temporary"}, {"employment_type": "permanent"}),
    ("vulnerable_employment", {"employment_type": "on_call"}, {"employment_type": "permanent"}),
    ("no_income_protection", {**SELF_EMPLOYED, "income_protection": "none"},
     {**SELF_EMPLOYED, "income_protection": "unknown"}),
    ("no_income_protection", {**SELF_EMPLOYED, "income_protection": "none"},
     {**EMPLOYEE, "income_protection": "none"}),
    ("low_work_ability", {"work_ability": 5}, {"work_ability": 6}),
    ("low_work_ability", {"work_ability": 0}, {"work_ability": 10}),
    ("doubtful_return", {"rtw_expectation": "unsure"}, {"rtw_expectation": "yes"}),
    ("doubtful_return", {"rtw_expectation": "no"}, {"rtw_expectation": "yes_with_adjustments"}),
    ("low_workplace_support", {"workplace_support": "no"}, {"workplace_support": "partly"}),
    ("informal_care", {"informal_care": True}, {"informal_care": False}),
    ("support_wish", {"support_wish": True}, {"support_wish": False}),
    ("adjustments_needed", {"rtw_expectation": "yes_with_adjustments"}, {"rtw_expectation": "yes"}),
    ("adjustments_needed", {"rtw_expectation": "yes_with_adjustments"}, {"rtw_expectation": "unsure"}),
    ("multiple_problems", {"barriers": ["pain"], "worries": ["income"]}, {"barriers": ["none"], "worries": ["income"]}),
    ("multiple_problems", {"absence": "recent", "worries": ["job_loss"]},
     {"absence": "full", "worries": ["return_to_work", "employer_contact"]}),
    ("multiple_problems", {"absence": "partial", "informal_care": True},
     {"absence": "partial", "informal_care": False}),
    ("multiple_problems", {"barriers": ["fatigue"], "informal_care": True},
     {"absence": "none", "barriers": ["none"], "informal_care": True, "worries": ["income"]}),
]


@pytest.mark.parametrize("code,positive,negative", SIGNAL_CASES)
def test_signal_rule_both_sides(code, positive, negative):
    assert code in codes(positive)
    assert code not in codes(negative)


def test_every_contract_signal_is_tested_and_reachable():
    signal_codes, _ = sig.contract_codes()
    assert {c for c, _, _ in SIGNAL_CASES} == set(signal_codes)
    everything = {**SELF_EMPLOYED, **weeks(8), "barriers": ["pain"], "work_aggravates": "yes",
                  "income_protection": "none", "work_ability": 2, "rtw_expectation": "no",
                  "workplace_support": "no", "informal_care": True, "support_wish": True}
    assert codes(everything) == [c for c in signal_codes if c != "adjustments_needed"]  # YAML order == contract order
    assert "adjustments_needed" in codes({**everything, "rtw_expectation": "yes_with_adjustments"})


def test_signal_items_have_dutch_label_and_source():
    for item in sig.compute_signals({**EMPLOYEE, **weeks(8), "support_wish": True}):
        assert set(item) == {"code", "label_nl", "source", "kind"}
        assert item["label_nl"] and sig.cited_sources(item["source"], sig.signal_content()["sources_nl"])


# --------------------------------------------------------------------------- suggested help

def test_occupational_physician_in_contact_with_signal():
    found = helps({**EMPLOYEE, "barriers": ["pain"], "occupational_physician": "in_contact"})
    assert "machtiging" in found["occupational_physician"]["reason_nl"]
    assert "occupational_physician" not in helps({**EMPLOYEE, **NO_SIGNAL, "occupational_physician": "in_contact"})


@pytest.mark.parametrize("physician", ["available_no_contact", "unknown", None])
def test_occupational_physician_open_consultation_without_contact(physician):
    answers = {**EMPLOYEE, "absence": "full", "occupational_physician": physician}
    item = helps(answers)["occupational_physician"]
    assert "open spreekuur" in item["reason_nl"] and "machtiging" not in item["reason_nl"]
    assert "open spreekuur" in item["patient_nl"]


def test_employee_without_bedrijfsarts_is_told_every_employer_has_one():
    # issue 10: an employee who says there is no bedrijfsarts is told to ask the employer or HR
    item = helps({**EMPLOYEE, "absence": "full", "occupational_physician": "none"})["occupational_physician"]
    assert "Elke werkgever moet een bedrijfsarts hebben" in item["reason_nl"]
    assert "personeelszaken" in item["patient_nl"] and "open spreekuur" not in item["reason_nl"]
    assert "occupational_physician" not in helps({**EMPLOYEE, **NO_SIGNAL, "occupational_physician": "none"})


def test_occupational_physician_not_when_not_employee():
    assert "occupational_physician" not in helps({**SELF_EMPLOYED, "absence": "full"})
    assert "occupational_physician" not in helps({"work_status": "job_seeking", "support_wish": True})


def test_occupational_physician_mentions_unknown_open_consultation():
    base = {**EMPLOYEE, "support_wish": True, "occupational_physician": "available_no_contact"}
    assert "Kende het open spreekuur nog niet" in helps({**base, "knows_open_consultation": False})[
        "occupational_physician"]["reason_nl"]
    assert "Kende" not in helps({**base, "knows_open_consultation": True})["occupational_physician"]["reason_nl"]


@pytest.mark.parametrize("worry", ["income", "job_loss"])
def test_medical_social_work_for_money_worries(worry):
    assert "medical_social_work" in helps({**EMPLOYEE, "worries": [worry]})
    assert "medical_social_work" not in helps({**EMPLOYEE, "worries": ["return_to_work", "other"]})


def test_medical_social_work_without_income_protection():
    assert "medical_social_work" in helps({**SELF_EMPLOYED, **NO_SIGNAL, "income_protection": "none"})
    assert "medical_social_work" not in helps({**SELF_EMPLOYED, **NO_SIGNAL, "income_protection": "aov"})


def test_medical_social_work_for_long_absence():
    assert "6 weken" in helps({**EMPLOYEE, **weeks(6)})["medical_social_work"]["reason_nl"]
    assert "medical_social_work" not in helps({**EMPLOYEE, **weeks(5)})


def test_clinical_occupational_physician_long_absence_and_low_ability():
    assert "clinical_occupational_physician" in helps({**EMPLOYEE, **weeks(6), "work_ability": 5})
    assert "clinical_occupational_physician" not in helps({**EMPLOYEE, **weeks(6), "work_ability": 6})
    assert "clinical_occupational_physician" not in helps({**EMPLOYEE, **weeks(5), "work_ability": 5})


def test_clinical_occupational_physician_doubtful_return_with_barriers():
    assert "clinical_occupational_physician" in helps({**EMPLOYEE, "rtw_expectation": "unsure", "barriers": ["pain"]})
    assert "clinical_occupational_physician" not in helps({**EMPLOYEE, "rtw_expectation": "unsure", "barriers": ["none"]})
    assert "clinical_occupational_physician" not in helps({**EMPLOYEE, "rtw_expectation": "yes", "barriers": ["pain"]})


@pytest.mark.parametrize("barrier", ["fatigue", "pain", "physical_limits", "concentration"])
def test_occupational_therapy_for_functional_barriers(barrier):
    item = helps({**EMPLOYEE, "barriers": [barrier]})["occupational_therapy"]
    assert "10 uur" in item["reason_nl"] and "verwijzing" in item["patient_nl"]


def test_no_occupational_therapy_for_other_barriers():
    assert "occupational_therapy" not in helps({**EMPLOYEE, "barriers": ["mental_strain", "appointments"]})


def test_uwv_for_job_seeker_with_support_wish():
    assert "uwv" in helps({"work_status": "job_seeking", "support_wish": True})
    assert "uwv" not in helps({"work_status": "job_seeking", "support_wish": False})
    assert "uwv" not in helps({**EMPLOYEE, "support_wish": True})


@pytest.mark.parametrize("contract", ["temporary", "on_call", "temp_agency"])
def test_uwv_for_flexible_contract_with_current_absence(contract):
    answers = {"work_status": "working", "employment_type": contract}
    assert "Ziektewet" in helps({**answers, "absence": "partial"})["uwv"]["reason_nl"]
    assert "uwv" not in helps({**answers, "absence": "recent"})
    assert "uwv" not in helps({**EMPLOYEE, **weeks(3)})


def test_uwv_when_wia_approaches():
    assert "WIA" in helps({**EMPLOYEE, **weeks(52)})["uwv"]["reason_nl"]
    assert "uwv" not in helps({**EMPLOYEE, **weeks(51)})
    assert "uwv" not in helps({**EMPLOYEE, **weeks(60, "recent")})
    assert "uwv" not in helps({**SELF_EMPLOYED, **weeks(60)})


@pytest.mark.parametrize("protection", ["aov", "broodfonds", "both"])
def test_income_protection_insurer_for_insured_self_employed_with_absence(protection):
    answers = {**SELF_EMPLOYED, "income_protection": protection}
    assert "income_protection_insurer" in helps({**answers, "absence": "full"})
    assert "income_protection_insurer" in helps({**answers, "absence": "recent"})
    assert "income_protection_insurer" not in helps({**answers, "absence": "none"})


@pytest.mark.parametrize("protection", ["none", "unknown"])
def test_no_insurer_without_insurance(protection):
    assert "income_protection_insurer" not in helps({**SELF_EMPLOYED, "income_protection": protection, "absence": "full"})


def test_general_practitioner_without_occupational_physician():
    assert "general_practitioner" in helps({**SELF_EMPLOYED, "barriers": ["pain"]})
    assert "general_practitioner" not in helps({**SELF_EMPLOYED, **NO_SIGNAL})
    assert "general_practitioner" in helps({**EMPLOYEE, "absence": "full", "occupational_physician": "none"})
    assert "general_practitioner" not in helps({**EMPLOYEE, "absence": "full", "occupational_physician": "unknown"})


@pytest.mark.parametrize("status,expected", [("job_seeking", True), ("studying", True),
                                             ("not_working", True), ("retired", False)])
def test_general_practitioner_for_people_without_employer(status, expected):
    assert ("general_practitioner" in helps({"work_status": status, "support_wish": True})) is expected
    assert "general_practitioner" not in helps({"work_status": status, "support_wish": False})


def test_patient_organisation_when_support_wish():
    assert "patient_organisation" in helps({"work_status": "retired", "support_wish": True})
    assert "patient_organisation" not in helps({"work_status": "retired", "support_wish": False})


def test_help_items_shape_order_and_rendered_reasons():
    answers = {**EMPLOYEE, **weeks(8), "barriers": ["fatigue", "pain"], "worries": ["income", "none"],
               "work_ability": 3, "support_wish": True}
    items = list(helps(answers).values())
    order = [h["code"] for h in sig.signal_content()["suggested_help"]]
    assert [i["code"] for i in items] == [c for c in order if c in {i["code"] for i in items}]
    for item in items:
        assert {"code", "label_nl", "reason_nl", "patient_label_nl", "patient_nl", "source"} <= set(item)
        assert "{" not in item["reason_nl"] and "_" not in item["reason_nl"]
    by_code = {i["code"]: i for i in items}
    assert "moe of weinig energie en pijn" in by_code["occupational_therapy"]["reason_nl"]
    assert "geld of inkomen" in by_code["medical_social_work"]["reason_nl"]
    assert "8 weken" in by_code["medical_social_work"]["reason_nl"]  # two rules joined
    assert "3 van de 10" in by_code["clinical_occupational_physician"]["reason_nl"]


def test_suggested_help_accepts_signal_codes():
    answers = {**SELF_EMPLOYED, "absence": "none", "barriers": ["none"], "income_protection": "none"}
    assert "medical_social_work" in {h["code"] for h in sig.suggested_help(answers, {}, ["no_income_protection"])}
    assert "medical_social_work" not in {h["code"] for h in sig.suggested_help(answers, {}, [])}


def test_join_nl():
    assert sig.join_nl([]) == "" and sig.join_nl(["a"]) == "a"
    assert sig.join_nl(["a", "b", "c"]) == "a, b en c"


# --------------------------------------------------------------------------- content validation

def content_copy():
    return copy.deepcopy(sig.signal_content())


def test_yaml_boolean_pitfall_is_caught():
    data = content_copy()
    data["signals"][3]["when"] = {"work_aggravates": [True]}  # an unquoted yes
    with pytest.raises(ContentError, match="quote"):
        sig.validate_signal_content(data)


@pytest.mark.parametrize("when,message", [
    ({"no_such_fact": [True]}, "unknown fact"),
    ({"absence": ["sometimes"]}, "not a value"),
    ({"signals": ["support_wish"]}, "only help rules"),
    ("no_such_name", "unknown condition"),
])
def test_bad_signal_conditions_are_caught(when, message):
    data = content_copy()
    data["signals"][0]["when"] = when
    with pytest.raises(ContentError, match=message):
        sig.validate_signal_content(data)


def test_signal_codes_must_match_the_contract():
    data = content_copy()
    data["signals"].pop()
    with pytest.raises(ContentError, match="contract codes"):
        sig.validate_signal_content(data)
    data = content_copy()
    data["suggested_help"][0]["code"] = "physiotherapy"
    with pytest.raises(ContentError, match="help code"):
        sig.validate_signal_content(data)


def test_reason_templates_and_wording_are_checked():
    data = content_copy()
    data["suggested_help"][0]["rules"][0]["reason_nl"] = "Zie {nonsense}."
    with pytest.raises(ContentError, match="template"):
        sig.validate_signal_content(data)
    data = content_copy()
    data["suggested_help"][0]["patient_nl"] = "Ga naar de arbo-arts."
    with pytest.raises(ContentError, match="bedrijfsarts"):
        sig.validate_signal_content(data)
    data = content_copy()
    data["signals"][0]["source"] = "ergens"
    with pytest.raises(ContentError, match="cites no document"):
        sig.validate_signal_content(data)


def test_no_bulk_checked_date():
    # issue 10: reviews are recorded per text in bot/content/reviews.yml
    assert "checked" not in sig.signal_content()
