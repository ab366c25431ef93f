"""The facts corrected in issue 10: each test asserts the key fact of the new text
(sources: see the topic's `sources` and docs/faq.md, "Corrected facts")."""
import re

import pytest

from bot.knowledge import faq
from bot.language import readability
from bot.report import signals as sig


def answer(topic, work_status=None, employment_type=None):
    return " ".join(m.text for m in faq.answer_messages(topic, work_status, employment_type))


def flat(text):
    return " ".join(text.split())


def help_item(answers, code):
    found = sig.compute_signals(answers, {})
    return {h["code"]: h for h in sig.suggested_help(answers, {}, found)}[code]


# 1. ergotherapie: 10 hours of treatment from basic insurance; job retention is arbo care
def test_occupational_therapy_says_ten_hours_and_employer_arbo_care():
    text = flat(answer("occupational_therapy"))
    assert "10 uur behandeling per jaar" in text and "eigen risico" in text
    assert "houden van uw baan" in text and "werkgever" in text
    item = help_item({"work_status": "working", "employment_type": "permanent", "barriers": ["pain"]},
                     "occupational_therapy")
    assert "10 uur" in item["patient_nl"] and "werkgever" in item["patient_nl"]
    assert "baanbehoud" in item["reason_nl"]


# 2. WIA: apply at the latest in week 93; UWV writes around week 88; apply around week 91;
#    WGA also for who cannot work now but may improve
def test_wia_deadline_letter_and_wga():
    text = flat(answer("wia"))
    assert "uiterlijk in week 93" in text and "week 88" in text and "rond week 91" in text
    assert "rond week 93" not in text
    assert re.search(r"WGA is voor wie nu een deel of niets kan werken, maar misschien beter wordt", text)
    timeline = flat(answer("poortwachter_timeline"))
    assert "Uiterlijk week 93" in timeline and "week 88" in timeline


# 3. temporary and on-call workers: wage payment stops when the contract ends, then the
#    Ziektewet via UWV; never the unqualified 104-week employee answer
@pytest.mark.parametrize("contract", ["temporary", "on_call"])
def test_flex_workers_get_contract_end_and_ziektewet(contract):
    text = flat(answer("income_employee", "working", contract))
    assert "zolang uw contract loopt" in text and "stopt ook het loon" in text
    assert "Ziektewet" in text and "UWV" in text
    assert "104 weken" not in text
    assert flat(answer("income_self_employed", "working", contract)) == text  # reference follows
    timeline = flat(answer("poortwachter_timeline", "working", contract))
    assert "Stopt uw contract" in timeline and "UWV" in timeline


def test_permanent_employee_still_gets_104_weeks():
    assert "104 weken" in answer("income_employee", "working", "permanent")


def test_flex_workers_fall_back_to_the_employee_variant():
    assert answer("no_physician", "working", "on_call") == answer("no_physician", "working", "permanent")


# 4. self-employed income: AOV, broodfonds, voluntary UWV insurance, gemeente (bijstand, Bbz)
def test_self_employed_income_names_every_route_without_contradiction():
    text = flat(answer("income_self_employed"))
    for part in ("arbeidsongeschiktheidsverzekering (AOV)", "broodfonds", "verzekering bij UWV",
                 "gemeente", "bijstand", "Bbz"):
        assert part in text, part
    assert "alleen geld" not in text  # the old text said AOV/broodfonds were the only way


# 5. dismissal: the ban holds the first two years whatever the reason, with exceptions
def test_dismissal_ban_whatever_the_reason_with_exceptions():
    text = flat(answer("dismissal_while_sick"))
    assert "eerste twee jaar" in text and "elke reden" in text and "opzegverbod" in text
    assert "uitzonderingen" in text and "proeftijd" in text
    assert "omdat u ziek bent" not in text


# 6. job applications: no health questions, a keuring only for special requirements,
#    and when to speak up
def test_job_application_health_questions():
    text = flat(answer("tell_employer", "job_seeking"))
    assert "niet naar uw gezondheid vragen" in text
    assert "keuring mag alleen als het werk speciale eisen stelt" in text
    assert "Vertel dat dan wel zelf" in text


# 7. sharing medical information: BIG-registered professional, and a maatschappelijk
#    werker bound by confidentiality (seed 001 L2431-2433)
@pytest.mark.parametrize("topic", ["casemanager", "own_dossier_to_physician"])
def test_sharing_medical_information_not_only_with_a_doctor(topic):
    text = flat(answer(topic))
    assert "BIG-nummer" in text and "maatschappelijk werker" in text and "beroepsgeheim" in text
    assert "alleen met een arts" not in text


# 8. employees without a bedrijfsarts: every employer must have one; ask employer or HR
@pytest.mark.parametrize("contract", ["permanent", "temporary", "on_call", "temp_agency"])
def test_employee_without_bedrijfsarts_asks_the_employer(contract):
    text = flat(answer("no_physician", "working", contract))
    assert "moet" in text and "bedrijfsarts hebben" in text and "arbodienst" in text
    assert "uitzendbureau" in text if contract == "temp_agency" else "personeelszaken" in text


# 9. the probleemanalyse describes what one can and cannot do, it is not a diagnosis
def test_probleemanalyse_is_what_you_can_and_cannot_do():
    text = flat(answer("poortwachter_timeline"))
    assert "schrijft op wat u wel en niet kunt (probleemanalyse, geen diagnose)" in text
    assert "wat er aan de hand is" not in text


# 10. "leidinggevende", not "baas"; jargon explained or avoided
@pytest.mark.parametrize("term", ["baas", "cao", "Wajong", "AOV", "arbodienst"])
def test_jargon_is_a_plain_language_rule(term):
    assert term in {e["term"] for e in readability.rules().forbidden}
    failing = [v for v in readability.check_all() if any(term in p for p in v.problems)]
    assert not failing


def test_no_patient_text_says_baas():
    for file, key, text, _ in readability.patient_texts():
        assert not re.search(r"\bbaas\b", text, re.I), f"{file} {key}"


@pytest.mark.parametrize("text,ok", [
    ("In de cao staat meer.", False),
    ("In de cao, de afspraken voor uw beroep, staat meer.", True),
    ("Vraag het de arbodienst.", False),
    ("Vraag het de arbodienst, een bedrijf met bedrijfsartsen.", True),
    ("Bel uw baas.", False),
])
def test_jargon_rule_both_sides(text, ok):
    assert (readability.forbidden_terms(text) == []) is ok


# --------------------------------------------------------------------------- new topics (item 6)

NEW_TOPICS = ["when_can_i_work", "arbo_vs_bedrijfsarts", "labour_expert", "company_physiotherapist",
              "duties_during_sick_leave", "suitable_work", "holiday_pension_while_sick",
              "bring_someone_or_record", "work_rehabilitation"]


@pytest.mark.parametrize("tid", NEW_TOPICS)
def test_new_topic_exists_with_seed_or_law_sources(tid):
    sources = " ".join(faq.topic(tid)["sources"])
    assert "seed 0" in sources or "https://wetten.overheid.nl/" in sources
    assert faq.faq_intent(tid) == f"faq_{tid}"


@pytest.mark.parametrize("group", [None, "self_employed"])
def test_when_can_i_work_gives_no_time_frame_and_says_who_decides(group):
    text = flat(faq.answer_text("when_can_i_work", group))
    assert not re.search(r"\d|\b(weken|maanden|dagen)\b", text), text
    assert "geen termijn" in text and "specialist" in text
    assert ("bedrijfsarts" in text) is (group is None)


def test_arbo_vs_bedrijfsarts_explains_and_only_there():
    text = flat(answer("arbo_vs_bedrijfsarts"))
    assert "arbo-arts is geen officiële naam" in text and "onder toezicht van een bedrijfsarts" in text
    assert "arbodienst is een bedrijf met bedrijfsartsen" in text
    assert "arbo" not in faq.topic("arbo_vs_bedrijfsarts")["title"].lower()
    bad = faq.validate_topic({**faq.topic("tell_employer"), "answer": "Bel de arbo-arts."})
    assert any("arbo-arts" in p for p in bad)


def test_labour_expert_and_company_physiotherapist():
    expert = flat(answer("labour_expert"))
    assert "welk werk u nog kunt doen" in expert and "bedrijfsarts zegt wat u medisch aankunt" in expert
    physio = flat(answer("company_physiotherapist"))
    assert "fysiotherapeut die veel weet van werk" in physio and "toestemming" in physio


@pytest.mark.parametrize("tid,phrases", [
    ("duties_during_sick_leave", ["meldt zich op tijd ziek", "werkt mee aan een plan", "loon stoppen", "ontslag"]),
    ("suitable_work", ["passend werk", "goede reden", "UWV"]),
    ("holiday_pension_while_sick", ["bouwt u vakantiedagen op", "Spreek dat eerst af met uw werkgever",
                                    "pensioenregeling"]),
    ("bring_someone_or_record", ["iemand meenemen", "opnemen", "vooraf"]),
    ("work_rehabilitation", ["verwijzing", "nog niet ziek gemeld"]),
])
def test_new_topic_key_content(tid, phrases):
    text = flat(answer(tid))
    for phrase in phrases:
        assert phrase in text, (tid, phrase)
