"""Readable versions: care-team text/HTML/PDF and the patient's copy."""
import json
import re
from datetime import datetime
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import content
from bot.report import signals
from bot.report import summary as summary_mod
from bot.report.summary import build_summary
from bot.report.summary_text import care_team_html, care_team_pdf, care_team_text, patient_html, patient_text

STATES = Path(__file__).parents[1] / "fixtures" / "states"
FIXTURES = sorted(p.stem for p in STATES.glob("*.json"))
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def no_faq_titles(monkeypatch):
    """Keep these tests independent of the FAQ content (tested in test_summary.py)."""
    monkeypatch.setattr(summary_mod, "faq_title", lambda topic: None)


def build(name, **changes):
    state = json.loads((STATES / f"{name}.json").read_text(encoding="utf-8"))
    state["answers"].update(changes)
    return build_summary(state, f"conv-{name}", NOW, summary_id="sum-1")


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def visible(html: str) -> str:
    """The text a reader sees: no style block, no tags, entities decoded."""
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def internal_codes():
    """Codes and ids a patient must never see (Dutch words that are also codes excluded)."""
    signal_codes, help_codes = signals.contract_codes()
    found = set(signal_codes) | set(help_codes) | set(content.questions_by_id())
    for q in content.questions():
        found |= set(content.option_codes(q))
    return found - {"broodfonds", "uwv"}


# --------------------------------------------------------------------------- care team

def test_care_team_text_has_dutch_headings_in_order():
    text = care_team_text(build("employee_long_absence"))
    headings = ["WERK-SAMENVATTING VOOR HET ZORGTEAM", "AANDACHTSPUNTEN", "MOGELIJKE HULP",
                "VRAGEN VAN DE PATIËNT", "ANTWOORDEN OVER WERK"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Gemaakt op 22 november 2026 om 09:30" in text


def test_care_team_text_puts_actions_and_signals_first():
    summary = build("employee_long_absence")
    text = care_team_text(summary)
    answers_at = text.index("ANTWOORDEN OVER WERK")
    first_signal = text.index(summary["signals"][0]["label_nl"])
    assert text.index("Wil graag contact met een medewerker.") < first_signal
    assert text.index("contact opneemt met de bedrijfsarts") < first_signal
    for s in summary["signals"]:
        assert text.index(s["label_nl"]) < answers_at
        assert f"(bron: {s['source']})" in text
    for h in summary["suggested_help"]:
        assert f"- {h['label_nl']}: {h['reason_nl']}" in text
    assert "001 = module Arbeid in de spreekkamer" in text


def test_care_team_text_renders_answers_in_plain_dutch():
    text = care_team_text(build("employee_long_absence"))
    assert "Ziek gemeld sinds: 13 september 2026 (10 weken)" in text
    assert "Merkbaar in het werk: Moe of weinig energie, Moeite met concentreren, Iets anders" in text
    assert "Werkvermogen (0-10): 3 van de 10" in text
    assert "- Hoe bouw ik mijn uren weer op zonder terug te vallen?" in text
    assert "fatigue" not in text and "available_no_contact" not in text


def test_care_team_text_without_signals():
    text = care_team_text(build("employee_short"))
    assert "Geen aandachtspunten" in text and "MOGELIJKE HULP" not in text
    assert "Bronnen:" not in text


def test_physician_details_join_the_contact_action():
    text = care_team_text(build("employee_long_absence"))
    assert "(machtiging nog tekenen). Bedrijfsarts: Dokter Jansen van Arbo Unie." in text


def test_context_signals_are_shown_apart_from_attention_points():
    # issue 10 (stepped attention): a healthy self-employed patient has context, no attention
    summary = build("self_employed_no_aov")
    kinds = {s["code"]: s["kind"] for s in summary["signals"]}
    text = care_team_text(summary)
    assert "ACHTERGROND (GEEN AANDACHTSPUNT)" in text
    background = text.split("ACHTERGROND (GEEN AANDACHTSPUNT)")[1].split("ANTWOORDEN OVER WERK")[0]
    attention = text.split("AANDACHTSPUNTEN")[1].split("ACHTERGROND")[0]
    for s in summary["signals"]:
        assert s["label_nl"] in (background if kinds[s["code"]] == "context" else attention)
    html = care_team_html(summary)
    assert "Achtergrond (geen aandachtspunt)" in html


def test_skipped_answers_are_shown_as_skipped():
    text = care_team_text(build("employee_skipped"))
    assert "Beroep: Overgeslagen" in text and "Werkvermogen (0-10): Overgeslagen" in text
    assert "Wat goed gaat" not in text  # not asked


def test_care_team_html_is_escaped_and_printable():
    summary = build("employee_long_absence", occupation=f"Kok {SCRIPT}",
                    support_wish_question=f"Mag dit? {SCRIPT} & meer")
    html = care_team_html(summary)
    assert "<script>" not in html
    assert "Kok &lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the patient's own question is cleaned like every text (issue 13): markup removed
    assert "Mag dit? &amp; meer" in html and "alert(1)" not in html.split("Mag dit?")[1][:80]
    assert '<html lang="nl">' in html and "@page" in html and "@media print" in html
    for heading in ("Aandachtspunten", "Mogelijke hulp", "Vragen van de patiënt", "Antwoorden over werk"):
        assert f"<h2>{heading}</h2>" in html
    assert html.index("<h2>Aandachtspunten</h2>") < html.index("<h2>Antwoorden over werk</h2>")


@pytest.mark.parametrize("name", FIXTURES)
def test_care_team_pdf_is_one_page(name):
    pdf = care_team_pdf(build(name))
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1
    assert re.search(rb"/Count 1\b", pdf)


def test_pdf_survives_markup_and_unusual_characters():
    pdf = care_team_pdf(build("employee_long_absence", occupation=f"Kapper {SCRIPT} & zoon, Łódź ☺"))
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 1


def test_very_long_free_text_still_gives_a_pdf():
    pdf = care_team_pdf(build("employee_long_absence", how_is_work="Het gaat niet goed. " * 150))
    assert pdf.startswith(b"%PDF") and page_count(pdf) >= 2


# --------------------------------------------------------------------------- patient copy

@pytest.mark.parametrize("name", FIXTURES)
def test_patient_copy_has_no_internal_codes(name):
    summary = build(name)
    for text in (patient_text(summary), visible(patient_html(summary))):
        for code in internal_codes():
            assert not re.search(rf"\b{re.escape(code)}\b", text), code
        assert "{" not in text and "arbo-arts" not in text


def test_patient_text_explains_the_suggested_help_in_plain_words():
    summary = build("job_seeker")
    text = patient_text(summary)
    assert text.index("WAT U HEEFT VERTELD") < text.index("WIE KAN U HELPEN?")
    for h in summary["suggested_help"]:
        assert h["patient_label_nl"] in text and h["patient_nl"] in text
        assert h["reason_nl"] not in text  # care-team wording stays with the care team
    assert "werk.nl" in text and "maatschappelijk werker" in text
    assert "geen medisch advies" in text
    assert "huisarts, uw bedrijfsarts" in text  # can be taken to either
    assert "Ik wil weer werken, maar ik weet niet hoeveel uur ik aankan" in text


def test_patient_copy_for_public_link_without_appointment():
    text = patient_text(build("self_employed_no_aov"))
    assert "Dit overzicht is voor uzelf" in text and "zorgteam" not in text
    assert "Uw huisarts" in text
    assert "zorgteam" in patient_text(build("employee_long_absence"))


def test_patient_copy_without_help():
    text = patient_text(build("student"))
    assert "Heeft u later vragen over werk en gezondheid?" in text


def test_patient_copy_falls_back_to_content_for_older_summaries():
    summary = build("temp_agency")
    for item in summary["suggested_help"]:
        item.pop("patient_label_nl"), item.pop("patient_nl")
    text = patient_text(summary)
    assert "Een ergotherapeut" in text and "open spreekuur" in text


def test_patient_html_is_escaped():
    html = patient_html(build("self_employed_no_aov", occupation=SCRIPT))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>Wie kan u helpen?</h2>" in html
