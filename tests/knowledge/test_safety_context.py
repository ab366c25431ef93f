"""Safety rules added after development sets 7-8 (docs/safety.md): crisis said in dialect,
slang and euphemism inside ordinary answers; and a crisis phrase that the same sentence
denies or places in a safe past is asked about (the safety question, with 113 and 112),
not assumed. The team's own sentences, not copies of the corpus."""

from __future__ import annotations

import pytest

from bot.dialogue.conversation import respond
from bot.dialogue.interpret.meaning import Turn
from bot.knowledge import safety
from tests.support.phases import PHASES, TODAY, RecordingHandoff, state_in_phase

CRISIS = [
    "32 uur. ik zou het liefst gaan slapen en voor altijd blijven slapen",
    "ik denk erover om er tussenuit te piepen, voorgoed dan",
    "de sneetjes op mijn bovenbenen ziet niemand",
    "ben sinds vorige week weer aan het krassen",
    "ik heb automutilatie gedaan gisteren",
    "ik pijnig mezelf als het te veel wordt",
    "hae sleit mich es hae boos is",  # Limburgs: he hits me
    "mien vent timmert mie in elkoar",  # Gronings: beats me up
    "ik zit nu op de rand van de flat",
    "heb net de gaskraan opengedraaid en de ramen dicht",
    "ik heb een pot slaappillen opgespaard",
    "vorige week op het station dacht ik: als ik nu spring is het over",
    "na de scan stap ik voor de trein",
    "ik sh weer elke avond",
    "mijn collega's zien me nooit meer, ik heb vandaag afscheid genomen",
    "dat kantoor ga ik nog eens opblazen",
    "naar huis, naar mijn vader die daar al is",
    "wil eigenlijk gewoon dood zijn",  # no subject, chat style
    "ik ga kms, echt",
    "volgende week stap ik er gewoon uit",
    "ben weer met cutting bezig",
    "mijn pols opengehaald met een scherf",
    "help ik krijg geen lucht",
    "hoe lang zit je als je iemand neerschiet? ik ben het van plan",
]
NEAR_MISSES = [
    "een docu over zelfmoord onder jongeren gezien, indrukwekkend",
    "op het journaal ging het over huiselijk geweld",
    "ik werk in een team huiselijk geweld bij de politie",
    "ik begeleid jongeren die suicidaal zijn, dat is mijn vak",
    "als kok snij ik in de keuken weleens in mijn vinger",
    "ik sta de hele dag op het perron als conducteur",
    "ik stap er morgen uit bij dit bedrijf, ik heb een nieuwe baan",
    "kms van het lachen om die collega",
    "ik krijg geen lucht op kantoor van al die vergaderingen",
    "wil zaterdag niet wakker worden voor tien uur",
    "dat project noemen ze hier een zelfmoordmissie",
]
DENIED = [
    "nee ik heb geen gedachten aan zelfdoding, ik ben gewoon op",
    "ik denk er niet aan om er een eind aan te maken, echt niet",
    "niemand slaat me, die blauwe plek is van de deur",
    "mijn ex sloeg me, maar ik ben jaren geleden weggegaan en woon nu veilig",
    "mijn partner slaat me niet hoor",
    "ik zou mezelf nooit iets aandoen",
    "ik heb nog nooit aan zelfmoord gedacht hoor",
    "ik snij mezelf niet hoor, die krassen zijn van de kat",
    "mijn oom heeft jaren geleden een overdosis gehad, nu is hij al lang clean",
    "als student heb ik wel aan zelfmoord gedacht, maar dat is lang geleden en nu gaat het goed",
    "ik zie het niet meer zitten met die reorganisatie",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_in_own_words_gets_the_crisis_answer(text):
    match = safety.detect_crisis(text)
    assert match is not None and not match.denied


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_stay_quiet(text):
    assert safety.detect_crisis(text) is None


@pytest.mark.parametrize("text", DENIED)
def test_a_denied_crisis_phrase_is_asked_about(text):
    match = safety.detect_crisis(text)
    assert match is not None and match.denied


@pytest.mark.parametrize("phase", [p for p in PHASES if p != "before_start"])
def test_the_safety_question_keeps_the_pending_question_and_stores_nothing(phase):
    state = state_in_phase(phase)
    before = dict(state["answers"])
    turn = Turn(text=DENIED[0], intent="inform", confidence=0.9, conversation_id="t", today=TODAY)
    result = respond(state, turn, RecordingHandoff())
    said = " ".join(m.text or "" for m in result.messages)
    assert "113" in said and "112" in said and result.state.get("safety_check")
    assert result.state["answers"] == before and result.state.get("current") == state.get("current")
