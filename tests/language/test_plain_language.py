"""Plain language (bot/language/readability.py, scripts/plain_language_report.py).

Unit tests of the Flesch-Douma formula, syllables and sentence splitting, of the
collector of patient-facing texts, and the real check over ALL content in bot/content/
(whoever owns it; reviewed failures are listed as exceptions in plain_language.yml).
"""
from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from bot.language import readability as r

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "scripts" / "plain_language_report.py"


# ---------------------------------------------------------------------------
# formula


def test_formula_on_known_counts():
    # 100 words, 10 sentences, 150 syllables: 206.835 - 9.3 - 115.5
    assert r.flesch_douma(100, 10, 150) == pytest.approx(82.035)
    assert r.flesch_douma(20, 1, 40) == pytest.approx(206.835 - 18.6 - 154)


def test_one_syllable_sentence():
    # 6 words, 6 syllables, 1 sentence
    a = r.analyse("De kat zit op de mat.")
    assert (a.words, a.sentences, a.syllables) == (6, 1, 6)
    assert a.flesch_douma == pytest.approx(206.835 - 0.93 * 6 - 77)


def test_two_sentences():
    # "Ik werk graag." 3 words/3 syllables; "Mijn werkgever helpt mij." 4 words, 1+3+1+1 = 6
    a = r.analyse("Ik werk graag. Mijn werkgever helpt mij.")
    assert (a.words, a.sentences, a.syllables) == (7, 2, 9)
    assert a.mean_sentence_length == pytest.approx(3.5)
    assert a.max_sentence_length == 4
    assert a.flesch_douma == pytest.approx(206.835 - 0.93 * 3.5 - 77 * 9 / 7)


def test_hard_text_scores_lower_than_plain_text():
    hard = ("Teneinde de arbeidsongeschiktheidsbeoordeling conform de geldende regelgeving "
            "te effectueren, dient de werknemer derhalve de benodigde documentatie te overleggen.")
    plain = "Wilt u weten of u een uitkering krijgt? Stuur dan uw papieren op. UWV kijkt ernaar."
    assert r.analyse(hard).flesch_douma < 30 < 60 < r.analyse(plain).flesch_douma


@pytest.mark.parametrize("word,count", [
    ("ook", 1), ("werk", 1), ("alle", 2), ("werkgever", 3), ("bedrijfsarts", 3),
    ("ziekenhuis", 3), ("uitkering", 3), ("arbeidsongeschiktheidsverzekering", 10),
    ("re-integratie", 5), ("zzp'er", 4), ("UWV", 3), ("104", 2), ("0800-0113", 4),
])
def test_dutch_syllables(word, count):
    assert r.syllables(word) == count


@pytest.mark.parametrize("text,expected", [
    ("Bel bijv. de huisarts. Dat helpt.", ["Bel bijv. de huisarts.", "Dat helpt."]),
    ("Dat staat in art. 14 van de wet. Klaar.", ["Dat staat in art. 14 van de wet.", "Klaar."]),
    ("U krijgt 3.5 uur. Of 1.000 euro!", ["U krijgt 3.5 uur.", "Of 1.000 euro!"]),
    ("Vragen? Bel UWV.", ["Vragen?", "Bel UWV."]),
    ("Zie BW 7:629. Dat is de wet.", ["Zie BW 7:629.", "Dat is de wet."]),
    ("Dr. J. Jansen helpt u o.a. met werk.", ["Dr. J. Jansen helpt u o.a. met werk."]),
    ("Kies:\n- uw huisarts;\n- uw zorgteam.", ["Kies:", "uw huisarts;", "uw zorgteam."]),
    ("Kijk op thuisarts.nl. Daar staat het.", ["Kijk op website.", "Daar staat het."]),
    ("Week 6. Daarna week 8", ["Week 6.", "Daarna week 8"]),
])
def test_sentence_splitting(text, expected):
    assert r.split_sentences(text) == expected


def test_placeholders_and_urls_count_as_one_word():
    assert r.words("We bewaren het {retention_days} dagen op www.voorbeeld.nl") == [
        "We", "bewaren", "het", "iets", "dagen", "op", "website"]


# ---------------------------------------------------------------------------
# criteria and forbidden words


@pytest.mark.parametrize("text", ["Bel de arbo-arts.", "De Arboarts belt.", "de arbo arts", "Twee arbo-artsen."])
def test_arbo_arts_is_always_forbidden(text):
    assert "arbo-arts" in r.check_text(text).problems[0]


@pytest.mark.parametrize("text,term", [
    ("Wij handelen conform de afspraken.", "conform"),
    ("Derhalve vragen wij dit.", "derhalve"),
    ("Dit gaat middels een formulier.", "middels"),
    ("U start een re-integratietraject.", "re-integratietraject"),
    ("Het arbeidsongeschiktheidscriterium is 35%.", "arbeidsongeschiktheidscriterium"),
])
def test_jargon_is_flagged(text, term):
    assert f"forbidden word: {term}" in r.check_text(text).problems


def test_term_allowed_when_the_text_explains_it():
    unexplained = "De bedrijfsarts maakt een probleemanalyse."
    explained = "De bedrijfsarts schrijft op wat er aan de hand is. Dat heet de probleemanalyse."
    assert r.forbidden_terms(unexplained) == ["probleemanalyse"]
    assert r.forbidden_terms(explained) == []


def test_short_labels_only_checked_for_forbidden_words():
    label = r.check_text("Klinisch arbeidsgeneeskundige", is_label=True)
    assert label.ok and label.stats is None
    assert not r.check_text("Arbo-arts", is_label=True).ok
    # three words is a label too, even when not marked as one
    assert r.check_text("Klinisch arbeidsgeneeskundige consultatie").stats is None


def test_long_sentence_and_mean_length_flagged():
    long_sentence = " ".join(["Ik werk"] * 14) + "."
    problems = r.check_text(long_sentence).problems
    assert any("sentence of 28 words" in p for p in problems)
    assert any("mean sentence length" in p for p in problems)


def test_low_score_flagged():
    v = r.check_text("Verzekeringsmaatschappijen vereisen uitgebreide medische gezondheidsverklaringen.")
    assert any(p.startswith("Flesch-Douma") for p in v.problems)


# ---------------------------------------------------------------------------
# collector


def test_collector_finds_patient_keys_and_skips_the_rest(tmp_path):
    content = {
        "checked": "2026-11-22",
        "questions": [{
            "id": "q1", "code": "c", "source": "001", "when": "always",
            "text": "Vraag een.", "hint": "Hint een.", "readback": "Terug",
            "after_answer": "Na het antwoord.", "other_text": True,
            "text_by_answer": {"absence": {"recent": "Wanneer was dat?"}},
            "options": [{"code": "a", "label": "Optie A", "synonyms": ["nee hoor"]}],
        }],
        "topics": [{"id": "t1", "title": "Titel", "answer": "Antwoord.", "sources": ["x"],
                    "variants": {"employee": "Variant.", "self_employed": {"topic": "t2"}},
                    "intro_text": "Intro."}],
    }
    sub = tmp_path / "faq"
    sub.mkdir()
    (sub / "x.yml").write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    (tmp_path / "plain_language.yml").write_text("criteria: {}\n", encoding="utf-8")
    found = {(k, t, lab) for _, k, t, lab in r.patient_texts(tmp_path)}
    texts = {t for _, t, _ in found}
    assert texts == {"Vraag een.", "Hint een.", "Terug", "Na het antwoord.", "Wanneer was dat?",
                     "Optie A", "Titel", "Antwoord.", "Variant.", "Intro."}
    labels = {t for _, t, lab in found if lab}
    assert labels == {"Terug", "Optie A", "Titel"}
    assert ("questions[q1].text_by_answer.absence.recent", "Wanneer was dat?", False) in found
    files = {f for f, _, _, _ in r.patient_texts(tmp_path)}
    assert files == {"faq/x.yml"}


def test_collector_walks_every_content_file():
    files = {f for f, _, _, _ in r.patient_texts()}
    on_disk = {p.relative_to(r.CONTENT_DIR).as_posix() for p in r.CONTENT_DIR.rglob("*.yml")}
    on_disk.discard("plain_language.yml")
    without_texts = {f for f in on_disk if f not in files}
    assert not without_texts or all(_has_no_patient_text(f) for f in without_texts)
    assert {"safety.yml", "scope.yml", "questions.yml"} <= files
    assert any(f.startswith("faq/") for f in files)


def test_message_catalogue_files_count_every_string(tmp_path):
    """messages.yml (a `text_files` entry) is a flat catalogue: every string counts."""
    catalogue = {"checked": "2026-11-22", "source": "001 §1", "intro_1": "Welkom.",
                 "button_skip": "Sla over", "nested": {"a": "Tekst a."}}
    (tmp_path / "messages.yml").write_text(yaml.safe_dump(catalogue), encoding="utf-8")
    texts = {t for _, _, t, _ in r.patient_texts(tmp_path)}
    assert texts == {"Welkom.", "Sla over", "Tekst a."}


def test_lead_message_catalogue_is_checked():
    if (r.CONTENT_DIR / "messages.yml").exists():
        assert "messages.yml" in r.rules().text_files
        assert any(f == "messages.yml" for f, _, _, _ in r.patient_texts())


def _has_no_patient_text(rel):
    return not list(r._walk(yaml.safe_load((r.CONTENT_DIR / rel).read_text(encoding="utf-8")), rel, "", False, False))


# ---------------------------------------------------------------------------
# the real content


def test_all_patient_texts_are_plain_language():
    verdicts = r.check_all()
    assert len(verdicts) > 100
    failures = [f"{v.file} {v.key}: {'; '.join(v.problems)}" for v in verdicts if not v.ok]
    assert not failures, "\n".join(failures)
    stale = r.stale_exceptions(verdicts)
    if stale:
        warnings.warn(f"stale plain-language exceptions (remove them): {stale}", stacklevel=1)


def test_exceptions_are_reviewed():
    for exc in r.rules().exceptions:
        assert exc.get("file") and exc.get("key") and exc.get("owner") and exc.get("reason")


def test_report_script_passes_on_the_content():
    out = subprocess.run([sys.executable, str(REPORT)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "failures: 0" in out.stdout and "Flesch-Douma" in out.stdout


def test_report_script_fails_on_bad_text(tmp_path):
    bad = {"questions": [{"id": "q", "text": "Middels dit formulier verzoeken wij u derhalve "
                                             "conform de geldende arbeidsongeschiktheidsregelgeving "
                                             "uw gezondheidsverklaring te retourneren."}]}
    (tmp_path / "bad.yml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    out = subprocess.run([sys.executable, str(REPORT), "--content-dir", str(tmp_path), "--failures"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1
    assert "FAIL" in out.stdout and "forbidden word: middels" in out.stdout
