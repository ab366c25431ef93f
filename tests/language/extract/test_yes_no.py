"""Yes or no in Dutch (bot.language.extract.yes_no.parse_yes_no)."""
import pytest

from bot.language.extract.yes_no import parse_yes_no


@pytest.mark.parametrize("text", [
    "ja", "Ja", "JA!", "jaaaa", "jazeker", "ja zeker", "zeker", "klopt", "dat klopt",
    "ja hoor", "ik denk het wel", "dat denk ik wel", "ik denk van wel", "graag", "ja graag",
    "prima", "oké", "ok", "is goed", "tuurlijk", "natuurlijk", "inderdaad", "absoluut",
    "eh ja", "nou ja", "jep", "jazeer", "\U0001F44D", "ja, dat wist ik", "ik verwacht het wel",
])
def test_yes(text):
    res = parse_yes_no(text)
    assert res.value is True and not res.uncertain


@pytest.mark.parametrize("text", [
    "nee", "Nee.", "neeee", "nee hoor", "neen", "niet echt", "nee, niet echt", "liever niet",
    "nee liever niet", "ik denk het niet", "dat denk ik niet", "ik denk van niet", "nooit",
    "helemaal niet", "nee dank u", "nee, bedankt", "hoeft niet", "nog niet", "nope",
    "\U0001F44E", "wist ik niet", "nee, dat wist ik niet", "zeker niet",
    "ik heb geen vragen", "ik heb eigenlijk geen hulp nodig", "er is niets veranderd",
    "maakt niet uit", "alles is hetzelfde", "dat is niet nodig",
])
def test_no(text):
    res = parse_yes_no(text)
    assert res.value is False and not res.uncertain


@pytest.mark.parametrize("text, value, rest", [
    ("ja, ik wil weten of ik het mijn baas moet vertellen", True,
     "ik wil weten of ik het mijn baas moet vertellen"),
    ("Ja. Liever na 16:00 uur", True, "Liever na 16:00 uur"),
    ("ja, niet op maandag", True, "niet op maandag"),
    ("Nee, ik zorg niet voor iemand", False, "ik zorg niet voor iemand"),
    ("ja", True, ""),
    ("ja hoor", True, ""),
    ("jazeker, m'n moeder", True, "m'n moeder"),
])
def test_rest_keeps_the_patients_words(text, value, rest):
    res = parse_yes_no(text)
    assert (res.value, res.rest) == (value, rest)


@pytest.mark.parametrize("text", ["ja nee", "ja, maar niet alles", "nee ja"])
def test_contradiction_is_uncertain(text):
    assert parse_yes_no(text).uncertain


@pytest.mark.parametrize("text", ["misschien", "soms", "", "asdf", "hoe vertel ik het mijn baas?",
                                  "weet ik niet", "waarom krijg ik geen hulp?"])
def test_neither(text):
    assert parse_yes_no(text).value is None
