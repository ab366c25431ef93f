"""Answer classes found with the blind development sets 10-13 (tests/conversations/dev):
the team's own new sentences for each class, not copies of the corpus."""

from __future__ import annotations

from datetime import date

import pytest

from bot import content
from bot.language.answers import parse_answer
from bot.language.extract.dates import parse_since
from bot.language.extract.jobs import occupation_in, says_works
from bot.language.extract.numbers import parse_weekly_hours
from bot.language.extract.scores import parse_score

TODAY = date(2026, 11, 16)


def parse(qid, text):
    return parse_answer(content.question(qid), text, None, TODAY)


@pytest.mark.parametrize(
    "text,start,confirm",
    [
        ("al een poos, sinds de kerst", date(2025, 12, 25), False),
        ("vlak na carnaval begon het", date(2026, 2, 16), False),  # Easter 2026-04-05 - 49 days, +1
        ("sinds pasen", date(2026, 4, 5), False),
        ("sinds koningsdag", date(2026, 4, 27), False),
        ("pinksteren vorig jaar", date(2025, 6, 8), False),
        ("na de zomervakantie", date(2026, 8, 26), True),  # a school holiday: asked about
        ("rond de kerst", date(2025, 12, 25), True),  # "rond": asked about
    ],
)
def test_named_days_are_dates(text, start, confirm):
    res = parse_since(text, TODAY)
    assert res.date == start and res.needs_confirm == confirm


@pytest.mark.parametrize(
    "text",
    [
        "ik sta al jaren achter de kassa bij de Jumbo",
        "ik zit op de vrachtwagen",
        "ik bezorg pakketjes",
        "ik ben verpleegkundige",
        "ik ben kok in een hotel",
        "ik geef pianoles",
        "ik stoa in de winkel",
    ],
)
def test_saying_what_one_does_is_working(text):
    assert parse("work_status", text).value == "working"


@pytest.mark.parametrize(
    "text",
    [
        "ik zit thuis",
        "ik zit in de ziektewet",
        "ik ben moeder van twee kinderen",
        "ik was kok, nu niet meer",
        "ik sta op de wachtlijst",
        "ik zit in de put",
    ],
)
def test_not_every_sentence_with_sta_or_ben_is_a_job(text):
    assert not says_works(text) or parse("work_status", text).value != "working"


def test_a_sector_or_a_business_is_no_job_title_to_take_early():
    assert occupation_in("ik werk in de zorg", titles_only=True) is None
    assert occupation_in("ja, ik heb een eigen nagelsalon", titles_only=True) is None
    assert "orderpicker" in occupation_in("ik werk in een magazijn als orderpicker", titles_only=True)
    assert occupation_in("ja ik geef les", titles_only=True) is None  # "les geven" says less than the answer


@pytest.mark.parametrize(
    "text,code",
    [
        ("ik doe alleen nog de ochtenden, 's middags lukt het niet meer", "partial"),
        ("ik rij alleen nog korte ritten, de rest van de week ben ik ziek", "partial"),
        ("ja ik neem minder klussen aan", "partial"),
        ("mijn winkel is dicht, ik kan het niet meer opbrengen", "full"),
        ("ik kan helemaal niet meer werken", "full"),
        ("vorige maand een week plat gelegen, nu gaat het weer", "recent"),
        ("nee, nu niet meer", "recent"),
        ("nee, ik werk nog gewoon", "none"),
    ],
)
def test_absence_in_a_story(text, code):
    assert parse("absence", text).value == code


@pytest.mark.parametrize(
    "text,hours",
    [
        ("in de drukte wel 50, maar meestal 40", 40),
        ("tussen de 10 en 16, gemiddeld 12", 12),
        ("het is geen 40-urige week, eerder 50", 50),
    ],
)
def test_the_usual_number_of_several(text, hours):
    assert parse_weekly_hours(text).value == hours


@pytest.mark.parametrize(
    "text,score,confirm",
    [
        ("ruim voldoende", 7, True),
        ("onvoldoende denk ik", 5, True),
        ("een zesje", 6, False),
    ],
)
def test_school_grades_in_words(text, score, confirm):
    res = parse_score(text)
    assert res.value == score and res.needs_confirm == confirm


@pytest.mark.parametrize(
    "qid,text,value",
    [
        ("informal_care", "nei", False),  # Limburgs/Fries no
        ("occupational_physician", "gin idee", "unknown"),  # Brabants geen
        ("employment_type", "fêst kontrakt", "permanent"),  # Fries
        ("work_status", "jaja, ik heb gewoon een baan", "working"),  # a filler inside the phrase
        (
            "occupational_physician",
            "die is er wel, maar die heb ik nog niet gesproken",
            "available_no_contact",
        ),
        ("income_protection", "weet ik eerlijk gezegd niet zeker of ik zo'n polis heb", "unknown"),
        ("income_protection", "ik heb wel iets bij de bank, maar ik weet niet of dat een aov is", "unknown"),
        ("employer_informed", "deels, mijn teamleider weet het, HR niet", "partly"),
        ("job_control", "nee, de lopende band bepaalt het, dat kan ik niet veranderen", "no"),
        ("rtw_expectation", "ik betwijfel het", "unsure"),
        ("rtw_expectation", "ja, maar dan zonder avonddiensten", "yes_with_adjustments"),
        ("rtw_expectation", "ja, als ik in de binnendienst mag", "yes_with_adjustments"),
        ("employment_type", "eigen salon met 3 meiden in dienst", "self_employed"),
        ("employment_type", "eigen klusbedrijfje, geen personeel", "self_employed"),
        ("work_status", "ik sta ingeschreven bij het uwv en solliciteer", "job_seeking"),
    ],
)
def test_answers_in_own_words(qid, text, value):
    assert parse(qid, text).value == value


@pytest.mark.parametrize(
    "text,codes",
    [
        ("geld is geen probleem, wel of ik mijn plek houd", {"job_loss"}),
        ("of ik ooit weer aan de slag kan", {"return_to_work"}),
        ("dat ik terugval als ik meer ga werken", {"return_to_work"}),
    ],
)
def test_worries_in_own_words(text, codes):
    assert set(parse("worries", text).value) == codes


@pytest.mark.parametrize(
    "text,codes",
    [
        ("ik weet nooit hoe ik me de volgende dag voel", {"unpredictable_course"}),
        ("ik zit er mentaal doorheen", {"mental_strain"}),
        ("ik moet twee keer per week naar de fysio", {"appointments"}),
        ("ik mag van de fysio niet zwaar tillen", {"physical_limits"}),  # "van de fysio" is no appointment
    ],
)
def test_barriers_in_own_words(text, codes):
    assert set(parse("barriers", text).value) == codes


@pytest.mark.parametrize("text,weeks", [
    ("sinds 3 weken maar het gaat al beter", 3),        # "maar" is no typo of "maart"
    ("al 5 weken, maar niet helemaal", 5),
])
def test_common_words_are_no_month(text, weeks):
    assert parse_since(text, TODAY).weeks == weeks


@pytest.mark.parametrize("text,status,value", [
    ("niet van toepassing, ik ben zzp'er zonder personeel", "skip", None),   # "niet" is no "no"
    ("ik werk alleen, dus dat is niet echt van toepassing", "skip", None),
    ("ik werk alleen, maar mijn opdrachtgevers hebben veel begrip", "ok", "yes"),
])
def test_not_applicable_is_no_answer(text, status, value):
    res = parse("workplace_support", text)
    assert (res.status, res.value) == (status, value)
