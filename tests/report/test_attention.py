"""Stepped attention (spec intake.md §3, issue 10): only signals of kind "attention" (or a
wish for help) make a patient an attention case; context signals are shown, nothing more.
And long_absence measures how long the absence lasted, not how long ago it began."""
from datetime import datetime, timedelta, timezone

import pytest

from bot import content
from bot.report import signals as sig
from bot.report.summary import build_summary

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=timezone.utc)
TODAY = NOW.date()

# spec intake.md §3, column "kind"
SPEC_KINDS = {
    "current_absence": "attention", "long_absence": "attention", "work_barriers": "attention",
    "work_aggravates": "attention", "low_work_ability": "attention", "doubtful_return": "attention",
    "adjustments_needed": "attention", "low_workplace_support": "attention",
    "informal_care": "attention", "multiple_problems": "attention", "support_wish": "attention",
    "no_occupational_physician": "context", "vulnerable_employment": "context",
    "no_income_protection": "context",
}

HEALTHY = {"work_status": "working", "absence": "none", "barriers": ["none"], "support_wish": False,
           "scheduling_needs": False, "consent_share": True}
NURSE = {**HEALTHY, "occupation": "verpleegkundige", "employment_type": "permanent",
         "occupational_physician": "unknown"}
ZZP = {**HEALTHY, "occupation": "grafisch ontwerper", "employment_type": "self_employed",
       "income_protection": "none"}
ON_CALL = {**HEALTHY, "occupation": "invalkracht in de thuiszorg", "employment_type": "on_call",
           "occupational_physician": "none"}


def realistic_summary(answers, context=None):
    """A summary of an intake in which exactly the applicable questions were answered."""
    context = context or {"channel": "home", "appointment_code": "A-1", "returning_patient": False}
    facts = {**context, **answers}
    applicable = {q["id"] for q in content.questions() if content.applies(q, facts)}
    assert set(answers) == applicable, f"not a real path: {set(answers) ^ applicable}"
    state = {"answers": dict(answers), "skipped": [], "context": context, "faq_topics": []}
    return build_summary(state, "conv-attention", NOW, summary_id="sum-attention")


def codes(summary):
    return {s["code"] for s in summary["signals"]}


def test_every_signal_has_the_kind_of_the_spec():
    assert sig.signal_kinds() == SPEC_KINDS


@pytest.mark.parametrize("code", sorted(c for c, k in SPEC_KINDS.items() if k == "attention"))
def test_one_attention_signal_is_enough(code):
    assert sig.needs_attention([code]) is True
    assert sig.needs_attention([{"code": code, "kind": "attention"}, "vulnerable_employment"]) is True


def test_attention_shares_for_the_conversation_corpus():
    cases = [([], False), (["vulnerable_employment"], False), (["no_occupational_physician"], True),
             (["work_barriers"], True), (["support_wish", "vulnerable_employment"], True), (["current_absence"], False)]
    shares = sig.attention_shares(cases)
    assert shares == {"without_health_signal": round(1 / 3, 4), "n_without": 3,
                      "with_health_signal": round(2 / 3, 4), "n_with": 3}
    assert sig.attention_shares([]) == {"without_health_signal": None, "n_without": 0,
                                        "with_health_signal": None, "n_with": 0}


def test_context_signals_alone_are_no_attention_case():
    context_codes = [c for c, k in SPEC_KINDS.items() if k == "context"]
    assert sig.needs_attention(context_codes) is False
    assert sig.needs_attention([]) is False


@pytest.mark.parametrize("name,answers,context_signals", [
    ("nurse on the short path", NURSE, {"no_occupational_physician"}),
    ("zzp'er", ZZP, {"no_occupational_physician", "vulnerable_employment", "no_income_protection"}),
    ("on-call worker", ON_CALL, {"no_occupational_physician", "vulnerable_employment"}),
])
def test_healthy_workers_are_not_attention_cases(name, answers, context_signals):
    summary = realistic_summary(answers)
    assert summary["attention"] is False, name
    assert codes(summary) == context_signals  # context is still shown to the care team
    assert all(s["kind"] == "context" for s in summary["signals"])


def test_short_path_nurse_takes_at_most_nine_questions():
    assert len(NURSE) <= 9


@pytest.mark.parametrize("base", [NURSE, ZZP, ON_CALL])
def test_an_explicit_wish_for_help_makes_an_attention_case(base):
    answers = {**base, "support_wish": True, "support_wish_question": "Hoe vertel ik het?"}
    facts = dict(answers)
    for q in content.questions():  # answer the deeper questions the wish opens, all neutral
        if q["id"] not in answers and content.applies(q, facts):
            facts[q["id"]] = {"hours_per_week": 32, "work_ability": 8, "worries": ["none"],
                              "knows_open_consultation": True, "physician_contact_wish": "no",
                              "irregular_hours": False}.get(q["id"], None)
    answers = {k: v for k, v in facts.items() if v is not None}
    summary = build_summary({"answers": answers, "skipped": [], "context": {}, "faq_topics": []},
                            "conv-wish", NOW, summary_id="sum-wish")
    assert summary["attention"] is True
    assert "support_wish" in codes(summary)


def test_health_affecting_work_makes_an_attention_case():
    summary = realistic_summary({**NURSE, "barriers": ["fatigue"], "support_wish": False,
                                 **{q: v for q, v in DEEPER.items()}})
    assert summary["attention"] is True and "work_barriers" in codes(summary)


DEEPER = {"hours_per_week": 36, "how_is_work": "Het gaat wel", "what_goes_well": "De collega's",
          "work_aggravates": "no", "knows_open_consultation": True, "employer_informed": "yes",
          "workplace_support": "yes", "job_control": "partly", "work_ability": 7,
          "rtw_expectation": "yes", "worries": ["none"], "informal_care": False,
          "irregular_hours": False, "treatment_work_consideration": False}


# --------------------------------------------------------------------------- long_absence

def since(start_weeks_ago, stored_weeks):
    return {"date": (TODAY - timedelta(weeks=start_weeks_ago)).isoformat(), "weeks": stored_weeks}


def test_current_absence_lasts_from_its_start_until_today():
    # answered weeks ago (stored 2), but the absence began 7 weeks before today
    f = sig.facts({"absence": "full", "absence_since": since(7, 2)}, {"today": TODAY})
    assert f["absence_weeks"] == 7
    assert "long_absence" in [s["code"] for s in sig.compute_signals(
        {"absence": "full", "absence_since": since(7, 2)}, {"today": TODAY})]
    assert "long_absence" not in [s["code"] for s in sig.compute_signals(
        {"absence": "partial", "absence_since": since(5, 5)}, {"today": TODAY})]


def test_current_absence_without_a_date_uses_the_stored_weeks():
    assert sig.facts({"absence": "full", "absence_since": {"date": None, "weeks": 6}})["absence_weeks"] == 6


def test_recent_absence_counts_its_duration_not_how_long_ago_it_began():
    # a three-week absence that began 30 weeks ago is not a long absence ...
    short = {"absence": "recent", "absence_since": {"date": None, "weeks": 3}}
    assert sig.facts(short, {"today": TODAY})["absence_weeks"] == 3
    assert "long_absence" not in [s["code"] for s in sig.compute_signals(short, {"today": TODAY})]
    # ... a start date alone says nothing about how long it lasted ...
    dated = {"absence": "recent", "absence_since": {"date": (TODAY - timedelta(weeks=30)).isoformat()}}
    assert sig.facts(dated, {"today": TODAY})["absence_weeks"] is None
    # ... and an eight-week absence is one, however long ago it ended
    long = {"absence": "recent", "absence_since": {"date": None, "weeks": 8}}
    assert "long_absence" in [s["code"] for s in sig.compute_signals(long, {"today": TODAY})]


def test_recent_absence_prefers_the_duration_of_a_period():
    # "van 7 tot 21 september", answered on 16 November: began 10 weeks ago, lasted 2
    period = {"absence": "recent", "absence_since": {"date": "2026-09-07", "weeks": 10, "duration_weeks": 2}}
    assert sig.facts(period, {"today": TODAY})["absence_weeks"] == 2
    assert "long_absence" not in [s["code"] for s in sig.compute_signals(period, {"today": TODAY})]
    unknown = {"absence": "recent", "absence_since": {"date": "2026-10-01", "weeks": 6, "duration_weeks": None}}
    assert sig.facts(unknown, {"today": TODAY})["absence_weeks"] is None  # a date only: no claim
    long = {"absence": "recent", "absence_since": {"date": "2026-06-01", "weeks": 24, "duration_weeks": 18}}
    assert "long_absence" in [s["code"] for s in sig.compute_signals(long, {"today": TODAY})]
    s = build_summary({"answers": {"work_status": "working", **period, "consent_share": True},
                       "skipped": [], "context": {}}, "c", NOW, summary_id="s")
    assert s["work"]["absence"] == {"status": "recent", "since": "2026-09-07", "weeks": 2}


def test_recent_absence_question_asks_for_its_duration():
    q = content.question("absence_since")
    assert q["text_by_answer"]["absence"]["recent"].startswith("Hoe lang")


def test_summary_shows_duration_and_no_start_date_for_a_recent_absence():
    answers = {"work_status": "working", "absence": "recent",
               "absence_since": {"date": (TODAY - timedelta(weeks=3)).isoformat(), "weeks": 3},
               "consent_share": True}
    s = build_summary({"answers": answers, "skipped": [], "context": {}}, "c", NOW, summary_id="s")
    assert s["work"]["absence"] == {"status": "recent", "since": None, "weeks": 3}
    answers.update(absence="full", absence_since=since(9, 1))
    s = build_summary({"answers": answers, "skipped": [], "context": {}}, "c", NOW, summary_id="s")
    assert s["work"]["absence"]["weeks"] == 9 and s["work"]["absence"]["since"] is not None


def test_self_employed_absence_question_does_not_speak_of_a_ziekmelding():
    q = content.question("absence")
    text = q["text_by_answer"]["employment_type"]["self_employed"]
    assert "ziek gemeld" not in text and "minder of niet werken" in text
