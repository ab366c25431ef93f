"""Concept rules added after development set 6 (docs/safety.md): medical red flags (when to
call 112), threat idioms, euphemisms for ending one's life, farewell, self-harm verbs.
The phrasings here are the team's own, not copies of the corpus; each class also has
near-misses that must stay quiet."""
from __future__ import annotations

import pytest

from bot.knowledge import safety, safety_classifier

CRISIS = [
    ("mijn man heeft pijn op de borst die uitstraalt naar zijn kaak", "acute_danger"),
    ("ik heb druk op mijn borst en ik zweet ontzettend", "acute_danger"),
    ("ik krijg haast geen lucht meer", "acute_danger"),
    ("zijn mond hangt opeens scheef en hij praat raar", "acute_danger"),
    ("de wond blijft maar bloeden, wat moet ik doen", "acute_danger"),
    ("mijn keel zwelt op na de prik en ik word benauwd", "acute_danger"),
    ("mijn zoontje heeft tabletten van oma gegeten", "acute_danger"),
    ("ik ruik hier ineens gas", "acute_danger"),
    ("die teamleider maak ik af", "threat_to_others"),
    ("als hij me nog 1 keer ontslaat gaat hij eraan", "threat_to_others"),
    ("die keuringsarts gaat het niet navertellen", "threat_to_others"),
    ("als ze mij eruit gooien neem ik er een paar mee", "threat_to_others"),
    ("ik ga die manager morgen opwachten bij de uitgang", "threat_to_others"),
    ("wil mezelf gewoon uitzetten", "suicide"),
    ("ik gooi me nog eens voor de trein", "suicide"),
    ("mijn gezin is beter af zonder mij", "suicide"),
    ("de Heer mag me komen halen", "passive_wish"),
    ("vanmiddag iedereen gedag gezegd, voorgoed", "preparation"),
    ("ik heb weer in mijn arm gekerfd", "self_harm"),
]

NEAR_MISSES = [
    "ik had vorige maand pijn op de borst, de cardioloog heeft alles nagekeken",
    "ik krijg geen lucht op mijn werk van de drukte",   # no 'meer': a figure of speech about work
    "de wond van de operatie geneest goed",
    "mijn zoontje slikt zijn tabletten netjes",
    "ik werk bij de gasunie",
    "ik maak mijn project af voor ik met verlof ga",
    "ik ga eraan werken om weer fit te worden",
    "mijn team is beter af zonder mij als teamleider, ik wil terug naar mijn oude functie",
    "ik neem er een paar dagen vrij bij",
    "ik zet de computer uit als ik klaar ben",
]


@pytest.mark.parametrize("text,category", CRISIS)
def test_concept_rule_gives_the_crisis_answer(text, category):
    match = safety.detect_crisis(text)
    assert match is not None, safety.normalise(text)
    assert match.category == category


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_miss_gets_no_full_crisis_answer(text):
    assert safety.detect_crisis(text) is None


def test_learned_layer_scores_messages_without_a_word_of_risk():
    """Set 6 showed that a list of risk words hid new wording: every message is scored."""
    text = "iedereen heeft een laatste berichtje van me gekregen, ik ben er klaar voor"
    assert safety.detect_crisis(text) is None
    assert safety_classifier.crisis_probability(text) > 0.0
    assert safety_classifier.crisis_probability("/code:yes") == 0.0
