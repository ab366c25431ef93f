"""What the guideline asks and the intake missed (issue 10 item 4): new questions, the
referral triggers of 001 L1906-1919 and the help rules, each on both sides."""
import pytest

from bot import content
from bot.report import signals as sig

EMPLOYEE = {"work_status": "working", "employment_type": "permanent"}
SELF_EMPLOYED = {"work_status": "working", "employment_type": "self_employed"}


def applies(qid, **facts):
    return content.applies(content.question(qid), facts)


def helps(answers):
    found = sig.compute_signals(answers, {})
    return {h["code"]: h for h in sig.suggested_help(answers, {}, found)}


# --------------------------------------------------------------------------- questions

@pytest.mark.parametrize("qid", ["irregular_hours", "treatment_work_consideration"])
def test_deeper_work_questions_only_with_a_signal(qid):
    assert content.question(qid)["answer_type"] == "yes_no"
    for signal in ({"absence": "partial"}, {"barriers": ["pain"]}, {"support_wish": True}):
        assert applies(qid, **EMPLOYEE, **signal)
    assert not applies(qid, **EMPLOYEE, absence="none", barriers=["none"], support_wish=False)
    assert not applies(qid, work_status="job_seeking", support_wish=True)


def test_irregular_hours_and_treatment_questions_cite_the_guideline():
    assert "L1037 «Heeft u onregelmatige werktijden?»" in content.question("irregular_hours")["source"]
    assert "behandelkeuze, timing" in content.question("treatment_work_consideration")["source"]


def test_treatment_question_sits_next_to_scheduling():
    ids = [q["id"] for q in content.questions()]
    assert ids.index("scheduling_needs") - ids.index("treatment_work_consideration") == 1


@pytest.mark.parametrize("wish,asked", [("yes", True), ("no", False), ("undecided", False), (None, False)])
def test_physician_details_only_when_contact_is_wanted(wish, asked):
    q = content.question("physician_details")
    assert q["answer_type"] == "text" and "bedrijfsarts" in q["text"] and "organisatie" in q["text"]
    facts = {**EMPLOYEE, "occupational_physician": "in_contact", "absence": "full"}
    if wish:
        facts["physician_contact_wish"] = wish
    assert applies("physician_details", **facts) is asked


def test_short_path_is_unchanged_by_the_new_questions():
    short = {**EMPLOYEE, "occupation": "verpleegkundige", "absence": "none", "barriers": ["none"],
             "support_wish": False, "occupational_physician": "in_contact", "scheduling_needs": False,
             "consent_share": True}
    applicable = [q["id"] for q in content.questions() if content.applies(q, short)]
    assert len(applicable) <= 9, applicable


# --------------------------------------------------------------------------- help rules

def test_adjustments_needed_routes_to_bedrijfsarts_and_arbeidsdeskundige():
    with_adj = helps({**EMPLOYEE, "barriers": ["none"], "absence": "none", "rtw_expectation": "yes_with_adjustments"})
    assert "arbeidsdeskundige" in with_adj["occupational_physician"]["reason_nl"]
    without = helps({**EMPLOYEE, "barriers": ["fatigue"], "rtw_expectation": "yes"})
    assert "arbeidsdeskundige" not in without["occupational_physician"]["reason_nl"]
    assert "occupational_physician" not in helps({**SELF_EMPLOYED, "rtw_expectation": "yes_with_adjustments"})


@pytest.mark.parametrize("barrier,expected", [("pain", True), ("physical_limits", True),
                                              ("fatigue", False), ("mental_strain", False)])
def test_bedrijfsfysiotherapeut_for_physical_complaints(barrier, expected):
    reason = helps({**EMPLOYEE, "barriers": [barrier]})["occupational_physician"]["reason_nl"]
    assert ("bedrijfsfysiotherapeut" in reason) is expected


def test_multiple_problems_asks_for_timely_contact_with_the_bedrijfsarts():
    yes = helps({**EMPLOYEE, "barriers": ["pain"], "worries": ["income"]})["occupational_physician"]
    assert "Meerdere problemen" in yes["reason_nl"]
    no = helps({**EMPLOYEE, "barriers": ["pain"], "worries": ["return_to_work"]})["occupational_physician"]
    assert "Meerdere problemen" not in no["reason_nl"]


@pytest.mark.parametrize("answers,negative,fragment", [
    ({"informal_care": True}, {"informal_care": False}, "mantelzorg"),
    ({"workplace_support": "no"}, {"workplace_support": "partly"}, "Weinig begrip"),
    ({"rtw_expectation": "unsure"}, {"rtw_expectation": "yes"}, "Twijfelt"),
    ({"rtw_expectation": "no"}, {"rtw_expectation": "yes_with_adjustments"}, "Twijfelt"),
])
def test_medical_social_work_for_informal_care_low_support_and_doubtful_return(answers, negative, fragment):
    assert fragment in helps({**EMPLOYEE, **answers})["medical_social_work"]["reason_nl"]
    assert "medical_social_work" not in helps({**EMPLOYEE, **negative})


def test_medical_social_work_cites_001_l2024():
    rules = next(h for h in sig.signal_content()["suggested_help"] if h["code"] == "medical_social_work")["rules"]
    assert all("L2024-2025" in r["source"] for r in rules[-2:])


def test_rehabilitation_is_named_in_complex_situations():
    item = helps({**EMPLOYEE, "barriers": ["pain"], "rtw_expectation": "unsure"})["clinical_occupational_physician"]
    assert "(arbeids)revalidatie" in item["reason_nl"]
    assert "clinical_occupational_physician" not in helps({**EMPLOYEE, "barriers": ["pain"], "rtw_expectation": "yes"})


def test_every_help_rule_with_its_own_source_cites_seed_text():
    for helper in sig.signal_content()["suggested_help"]:
        for rule in helper["rules"]:
            if "source" in rule:
                assert "seed 0" in rule["source"], rule
