"""Skip, back, restart and corrections (bot.language.extract.control)."""
import pytest

from bot.language.extract.control import detect_control, skip_kind


@pytest.mark.parametrize("text, kind", [
    ("weet ik niet", "dont_know"), ("Weet ik niet.", "dont_know"), ("ik weet het niet", "dont_know"),
    ("geen idee", "dont_know"), ("eh, geen idee", "dont_know"), ("sorry, weet ik niet", "dont_know"),
    ("geen flauw idee", "dont_know"), ("'k weet 't niet", "dont_know"), ("weet ik nie", "dont_know"),
    ("sla over", "decline"), ("Sla maar over", "decline"), ("overslaan", "decline"),
    ("zeg ik liever niet", "decline"), ("dat wil ik niet zeggen", "decline"),
    ("volgende", "decline"), ("volgende vraag", "decline"), ("skip", "decline"),
    ("n.v.t.", "decline"), ("nvt", "decline"),
])
def test_skip(text, kind):
    assert detect_control(text) == ("skip", "")
    assert skip_kind(text) == kind


@pytest.mark.parametrize("text", [
    "terug", "Terug!", "vorige vraag", "ga terug", "terug naar de vorige vraag", "een vraag terug",
])
def test_back(text):
    assert detect_control(text) == ("back", "")


@pytest.mark.parametrize("text", [
    "opnieuw beginnen", "Opnieuw", "ik wil opnieuw beginnen", "begin opnieuw", "helemaal opnieuw",
])
def test_restart(text):
    assert detect_control(text) == ("restart", "")


@pytest.mark.parametrize("text, rest", [
    ("nee, ik bedoel 24 uur", "24 uur"),
    ("Nee ik bedoel 24 uur", "24 uur"),
    ("ik bedoelde 3 weken", "3 weken"),
    ("ik bedoel: zes", "zes"),
    ("correctie: 32", "32"),
    ("Correctie 32 uur", "32"),
    ("sorry, het is 24 uur", "24 uur"),
    ("oeps, ik bedoelde ja", "ja"),
    ("nee, het moet zijn 20", "20"),
    ("foutje, het is 36", "36"),
    ("ik heb me vergist, het is sinds 1 oktober", "sinds 1 oktober"),
    ("nee ik bedoel", ""),
])
def test_correction(text, rest):
    kind, found = detect_control(text)
    assert kind == "correction"
    assert found == rest or found == rest + " uur"


@pytest.mark.parametrize("text", [
    "ja", "nee", "24 uur", "terug naar werk", "wat bedoelt u?", "het is zwaar",
    "ik weet niet hoeveel uur, ongeveer 20", "nee, ik werk niet", "weet het niet precies maar 20",
    "ik wil opnieuw beginnen met werken", "", "   ",
])
def test_not_control(text):
    assert detect_control(text) == (None, "")


def test_control_unpacks_as_pair():
    kind, rest = detect_control("nee, ik bedoel 24 uur")
    assert (kind, rest) == ("correction", "24 uur")
