"""Whole intakes through bot.intake.operations: which questions are asked, and what is stored."""
from __future__ import annotations

import pytest

from tests.dialogue.driver import Conversation


def finish(conv: Conversation, consent: str = "ja") -> None:
    assert conv.current_question == "readback", conv.texts
    conv.click("confirm")
    assert conv.current_question == "consent_share"
    conv.say(consent)


def test_opening_explains_purpose_duration_voluntary_and_consent():
    conv = Conversation()
    conv.start()
    intro = conv.texts.lower()
    assert "werk" in intro and "paar minuten" in intro
    assert "vrijwillig" in intro and "toestemming" in intro
    assert conv.current_question == "work_status"
    question = next(m for m in conv.replies if m.get("custom", {}).get("question_id") == "work_status")
    assert question["custom"]["answer_type"] == "choice"
    assert {o["code"] for o in question["custom"]["options"]} == {
        "working", "job_seeking", "studying", "not_working", "retired"}


def test_employee_short_path_is_nine_questions_including_consent():
    conv = Conversation()
    conv.start()
    conv.say("ja ik werk")
    conv.say("ik ben verpleegkundige")
    conv.say("vast contract")
    conv.say("nee")              # absence
    conv.say("nee, nergens last van")  # barriers
    conv.say("nee")              # support wish
    conv.say("ja, ik heb contact")  # bedrijfsarts
    conv.say("nee")              # scheduling
    finish(conv)
    asked = [q for q in dict.fromkeys(conv.asked) if q not in ("readback",)]
    assert len(asked) == 9, asked
    assert asked[:8] == ["work_status", "occupation", "employment_type", "absence", "barriers",
                         "support_wish", "occupational_physician", "scheduling_needs"]
    summary = conv.summary
    assert summary["work"]["status"] == "working"
    assert summary["work"]["employment_type"] == "permanent"
    assert summary["signals"] == []


def test_employee_short_path_without_physician_contact_is_nine():
    conv = Conversation()
    conv.start()
    for text in ["ik werk", "kok", "loondienst", "nee", "geen klachten", "nee", "weet ik niet", "nee"]:
        conv.say(text)
    assert conv.current_question == "readback"
    conv.click("confirm")
    conv.say("ja")
    asked = [q for q in dict.fromkeys(conv.asked) if q != "readback"]
    assert len(asked) == 9, asked
    assert conv.summary["work"]["occupational_physician"] == "unknown"


def test_employee_with_absence_and_barriers_goes_deeper():
    conv = Conversation()
    conv.start()
    conv.say("ja")
    conv.say("administratief medewerker bij de gemeente")
    conv.say("vast")
    conv.say("ja, voor een deel")
    assert conv.current_question == "absence_since"
    conv.say("sinds 8 weken")
    conv.say("ik ben moe en heb pijn in m'n rug")
    conv.say("nee")
    assert conv.current_question == "hours_per_week"
    conv.say("4 dagen van 8 uur")
    conv.say("het gaat wisselend")
    conv.say("het contact met collega's")
    conv.say("ja")  # work aggravates
    conv.say("er is er een maar ik heb geen contact")
    assert conv.current_question == "knows_open_consultation"
    conv.say("nee")
    assert "open spreekuur" in conv.texts
    for text in ["ja", "een beetje", "nee"]:  # employer informed, support, job control
        conv.say(text)
    assert conv.current_question == "work_ability"
    conv.say("een zesje")
    conv.say("met aanpassingen")
    conv.say("mijn inkomen")
    conv.say("nee")  # informal care
    assert conv.current_question == "irregular_hours"  # issue 10: guideline questions added
    conv.say("ja, ik draai ploegendiensten")
    assert conv.current_question == "treatment_work_consideration"
    conv.say("ja")
    conv.say("ja, liever na 16 uur")
    assert conv.current_question == "physician_contact_wish"
    conv.say("weet ik nog niet")
    finish(conv)
    work = conv.summary["work"]
    assert work["hours_per_week"] == 32
    assert work["absence"]["status"] == "partial" and work["absence"]["weeks"] == 8
    assert set(work["barriers"]) == {"fatigue", "pain"}
    assert work["work_ability"] == 6
    assert work["scheduling_needs"] == "liever na 16 uur"
    assert work["irregular_hours"] is True and work["treatment_work_consideration"] is True
    codes = {s["code"] for s in conv.summary["signals"]}
    assert {"current_absence", "long_absence", "work_barriers", "work_aggravates"} <= codes


def test_temp_agency_worker_is_asked_about_bedrijfsarts_and_employer():
    conv = Conversation()
    conv.start()
    for text in ["ik werk", "magazijnmedewerker", "via een uitzendbureau", "ja helemaal", "sinds 3 weken",
                 "pijn", "nee", "38", "slecht", "niets eigenlijk", "weet ik niet", "nee er is geen bedrijfsarts"]:
        conv.say(text)
    assert conv.current_question == "employer_informed"
    conv.say("ja")
    # ... informal care, irregular hours, treatment consideration (issue 10), scheduling
    for text in ["nee", "nee", "3", "weet ik niet", "mijn baan verliezen", "nee", "nee", "nee", "nee"]:
        conv.say(text)
    finish(conv)
    summary = conv.summary
    assert summary["work"]["employment_type"] == "temp_agency"
    codes = {s["code"] for s in summary["signals"]}
    assert {"vulnerable_employment", "no_occupational_physician", "low_work_ability"} <= codes


@pytest.mark.parametrize("protection,expect_signal", [("ja, een aov", False), ("nee, geen van beide", True)])
def test_self_employed_income_protection(protection, expect_signal):
    conv = Conversation()
    conv.start()
    for text in ["ja", "grafisch ontwerper", "ik heb een eigen bedrijf", "nee", "nee", "nee"]:
        conv.say(text)
    assert conv.current_question == "income_protection"
    conv.say(protection)
    assert conv.current_question == "scheduling_needs"  # no bedrijfsarts question for zzp
    conv.say("nee")
    finish(conv)
    codes = {s["code"] for s in conv.summary["signals"]}
    assert ("no_income_protection" in codes) is expect_signal
    assert "no_occupational_physician" in codes
    assert "occupational_physician" not in conv.asked


@pytest.mark.parametrize("status_text,status", [("ik zoek werk", "job_seeking"), ("ik studeer", "studying"),
                                                ("nee ik werk niet", "not_working")])
def test_not_working_patients_get_support_question_only(status_text, status):
    conv = Conversation()
    conv.start()
    conv.say(status_text)
    assert conv.current_question == "support_wish"
    conv.say("ja, ik wil weten of ik een uitkering kan krijgen")
    assert conv.current_question == "work_ability"  # support wish -> deeper
    conv.say("7")
    conv.say("geld")
    finish(conv)
    work = conv.summary["work"]
    assert work["status"] == status
    assert work["support_wish"] is True
    assert "ik wil weten of ik een uitkering kan krijgen" in work["patient_questions"]


def test_correction_changes_earlier_answer_and_keeps_place():
    conv = Conversation()
    conv.start()
    for text in ["ja", "schoonmaker", "vast", "ja helemaal", "2 weken", "moe", "nee", "32"]:
        conv.say(text)
    assert conv.current_question == "how_is_work"
    conv.say("nee, ik bedoel 24 uur", intent="correct")
    assert "24 uur per week" in conv.texts
    assert conv.current_question == "how_is_work"
    assert conv.state["answers"]["hours_per_week"] == 24


def test_skip_phrase_skips_and_is_shown_in_readback():
    conv = Conversation()
    conv.start()
    conv.say("ja")
    conv.say("zeg ik liever niet", intent="skip")
    assert conv.current_question == "employment_type"
    assert "occupation" in conv.state["skipped"]


def test_weet_ik_niet_is_an_answer_where_it_is_an_option():
    conv = Conversation()
    conv.start()
    for text in ["ja", "kok", "vast", "nee", "nee", "nee"]:
        conv.say(text)
    assert conv.current_question == "occupational_physician"
    conv.say("weet ik niet", intent="skip")
    assert conv.state["answers"]["occupational_physician"] == "unknown"


def test_two_misses_offer_skip_then_skip_button_works():
    conv = Conversation()
    conv.start()
    conv.say("ja")
    conv.say("kok")
    conv.say("vast")
    conv.say("nee")
    conv.say("nee")
    conv.say("ja")
    conv.say("ik wil weten hoe ik het mijn baas vertel")
    assert conv.current_question == "hours_per_week"
    conv.say("heel veel")
    assert "overslaan" not in conv.texts.lower()
    conv.say("geen flauw benul hoeveel")
    assert "overslaan" in conv.texts.lower()
    skip = [b for m in conv.replies for b in m.get("buttons", []) if b["payload"] == "/skip"]
    assert skip
    conv.say("/skip", intent="skip")
    assert "hours_per_week" in conv.state["skipped"]
    assert conv.current_question == "occupational_physician"


def test_going_back_reopens_previous_question():
    conv = Conversation()
    conv.start()
    conv.say("ja")
    conv.say("leraar")
    assert conv.current_question == "employment_type"
    conv.say("terug", intent="go_back")
    assert conv.current_question == "occupation"
    assert "occupation" not in conv.state["answers"]
    conv.say("docent")
    assert conv.state["answers"]["occupation"] == "docent"


def test_back_at_first_question_says_so():
    conv = Conversation()
    conv.start()
    conv.say("terug", intent="go_back")
    assert conv.current_question == "work_status"
    assert "eerste vraag" in conv.texts


def test_restart_wipes_answers():
    conv = Conversation()
    conv.start()
    conv.say("ja")
    conv.say("kok")
    conv.say("opnieuw beginnen", intent="start_over")
    assert conv.state["answers"] == {"work_status": "working", "occupation": "kok"}   # asks first
    assert "gewist" in conv.texts
    conv.say("ja", intent="affirm")
    assert conv.current_question == "work_status"
    assert conv.state["answers"] == {}
    assert conv.state["context"]["appointment_code"] == "A123"


def test_readback_lists_answers_and_allows_a_change():
    conv = Conversation()
    conv.start()
    for text in ["ik werk", "kok", "vast", "nee", "nee", "nee", "ja ik heb contact", "nee"]:
        conv.say(text)
    assert conv.current_question == "readback"
    assert "Kok" in conv.texts or "kok" in conv.texts
    assert "Vast contract" in conv.texts
    conv.click("change")
    assert conv.current_question == "readback_change"
    conv.click("employment_type")
    assert conv.current_question == "employment_type"
    conv.say("zzp")
    assert conv.current_question == "income_protection"  # a new branch opens
    conv.say("broodfonds")
    assert conv.current_question == "readback"
    assert "occupational_physician" not in conv.state["answers"]  # branch left: answer removed
    finish(conv)
    assert conv.summary["work"]["employment_type"] == "self_employed"
    assert conv.summary["work"]["income_protection"] == "broodfonds"


def test_declined_consent_stores_nothing_and_forgets():
    conv = Conversation()
    conv.start()
    for text in ["ik zoek werk", "nee"]:
        conv.say(text)
    finish(conv, consent="nee")
    assert conv.handoff.stored == []
    assert conv.handoff.forgotten == ["conv-1"]
    assert "bewaren niets" in conv.texts
    assert conv.state["answers"] == {}


def test_skipped_work_status_still_gives_a_valid_summary():
    conv = Conversation()
    conv.start()
    conv.say("zeg ik liever niet", intent="skip")
    assert conv.current_question == "support_wish"
    conv.say("nee")
    finish(conv)
    assert conv.summary["work"]["status"] == "unknown"


def test_consent_yes_sends_summary_id():
    conv = Conversation()
    conv.start()
    conv.say("ik studeer")
    conv.say("nee")
    finish(conv)
    assert conv.custom("summary_id") == conv.summary["summary_id"]


def test_fulltime_asks_for_confirmation():
    conv = Conversation()
    conv.start()
    for text in ["ja", "buschauffeur", "vast", "ja helemaal", "1 oktober", "nee", "nee"]:
        conv.say(text)
    assert conv.current_question == "hours_per_week"
    conv.say("fulltime")
    assert conv.custom("confirm_value") == 40
    conv.say("ja")
    assert conv.state["answers"]["hours_per_week"] == 40


def test_returning_patient_is_asked_what_changed():
    conv = Conversation(metadata={"channel": "tablet", "returning_patient": True})
    conv.start()
    for text in ["ja", "kok", "vast", "nee", "nee", "nee", "weet ik niet", "nee"]:
        conv.say(text)
    assert conv.current_question == "changed_since_last_visit"
    conv.say("ja, ik werk nu minder uren")
    assert conv.state["answers"]["changed_since_last_visit_details"] == "ik werk nu minder uren"


def test_faq_in_the_middle_resumes_same_question():
    conv = Conversation()
    conv.start()
    conv.say("ja")
    assert conv.current_question == "occupation"
    conv.ask_faq("Moet ik mijn werkgever vertellen wat ik heb?", "tell_employer")
    assert "bedrijfsarts" in conv.texts.lower()
    assert conv.current_question == "occupation"
    assert conv.state["faq_topics"] == ["tell_employer"]


def test_public_link_without_care_team_offers_own_copy():
    conv = Conversation(metadata={"channel": "home"})
    conv.start()
    assert "niets naar een zorgteam" in conv.texts
    conv.say("ik zoek werk")
    conv.say("nee")
    conv.click("confirm")
    assert "voor uzelf" in conv.texts
    conv.say("ja")
    assert "huisarts of bedrijfsarts" in conv.texts
    assert "zorgteam" not in conv.texts.split("Dank u wel.")[1].split("\n")[0]
