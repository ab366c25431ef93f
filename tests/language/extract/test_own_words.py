"""Answers in patients' own words (issue 9): each class of misunderstanding, with the
positive side and the near miss. Examples written for these tests, not taken from the
conversation corpus."""
from datetime import date

import pytest

from bot import content
from bot.language.answers import parse_answer
from bot.language.extract.choices import match_choice, match_multi
from bot.language.extract.control import leading_dont_know
from bot.language.extract.yes_no import leading_yes_no, parse_yes_no

TODAY = date(2026, 11, 22)


def parse(question_id, text):
    return parse_answer(content.question(question_id), text, None, TODAY)


def ok(question_id, text):
    res = parse(question_id, text)
    assert res.status == "ok", res
    return res.value


# 1. A clear yes/no at the start wins; the rest is extra text. A bare opposite is unsure.
@pytest.mark.parametrize("question_id, text, value", [
    ("scheduling_needs", "ja, nooit op vrijdag want dan pas ik op de kleinkinderen", True),
    ("scheduling_needs", "ja, niet voor tien uur, ik breng de kinderen weg", True),
    ("informal_care", "nee, niet echt iemand", False),
    ("work_aggravates", "ja, dat sjouwen doet mijn schouder echt geen goed", "yes"),
    ("work_aggravates", "nee, mijn werk heeft er niks mee te maken, het is erfelijk", "no"),
    ("barriers", "nee hoor, eigenlijk niet", ["none"]),
    ("barriers", "nee eigenlijk niet", ["none"]),
    ("job_control", "nee, mijn rooster ligt maanden vast, daar valt niet aan te tornen", "no"),
])
def test_leading_yes_or_no_wins(question_id, text, value):
    assert ok(question_id, text) == value


@pytest.mark.parametrize("text", ["ja, nee", "ja of nee", "nee ja", "ja, niet echt", "ja, maar niet alles"])
def test_bare_opposite_stays_uncertain(text):
    assert parse_yes_no(text).uncertain
    assert leading_yes_no(text) is None


@pytest.mark.parametrize("text", ["ja, niet op woensdag", "nee, ik zorg niet voor iemand",
                                  "ja, geen avonden graag"])
def test_elaboration_with_a_negation_is_not_a_contradiction(text):
    assert not parse_yes_no(text).uncertain


def test_bare_opposite_in_a_choice_is_asked_back():
    res = parse("work_aggravates", "ja nee")
    assert res.status in ("invalid", "confirm")


# 2. A yes under a condition about work is "yes with adjustments"; about health only: yes.
@pytest.mark.parametrize("text, code", [
    ("ja, mits ik eerst alleen de ochtenden doe", "yes_with_adjustments"),
    ("ja, zolang ik niet meer hoef te tillen", "yes_with_adjustments"),
    ("ja, op voorwaarde dat mijn werkplek wordt aangepast", "yes_with_adjustments"),
    ("ja als mijn leidinggevende meewerkt", "yes_with_adjustments"),
    ("ja, maar niet meer op de vrachtwagen", "yes_with_adjustments"),
    ("ja, maar alleen achter de balie", "yes_with_adjustments"),
    ("ja, als ik minder uren mag werken door de pijn", "yes_with_adjustments"),
    ("ja, als mijn knie goed herstelt", "yes"),
    ("ja, als de chemo achter de rug is", "yes"),
    ("ja, als ik weer beter ben", "yes"),
    ("ja, dat verwacht ik wel", "yes"),
    ("ja", "yes"),
    ("ja, met wat steun van mijn teamleider", "yes_with_adjustments"),
    ("ja maar dan op kantoor", "yes_with_adjustments"),
    ("ja, met een beetje geluk", "yes"),
    ("ja, met plezier", "yes"),
    ("ja, zodra de gips eraf is", "yes"),
    ("ja, als ik weer kan werken", "yes"),
    ("ja, maar niet voordat de bestraling klaar is", "yes"),
    ("ja, maar niet meer in ploegendienst", "yes_with_adjustments"),
    ("ja, zodra de dokter het goed vindt", "yes"),
])
def test_conditional_yes(text, code):
    assert ok("rtw_expectation", text) == code


def test_conditional_form_is_data():
    """The conditional option is marked in questions.yml, not in code."""
    marked = [(q["id"], str(o["code"])) for q in content.questions() for o in q.get("options", [])
              if o.get("conditional_of")]
    assert marked == [("rtw_expectation", "yes_with_adjustments")]
    rules = content.questionnaire()["conditional_yes"]
    assert rules["restriction_markers"] and rules["condition_markers"] and rules["about_work"]


def test_conditional_yes_only_for_questions_that_have_the_option():
    assert ok("work_aggravates", "ja, als ik lang moet staan") == "yes"


# 3. Specific beats generic.
@pytest.mark.parametrize("question_id, text, code", [
    ("absence", "ja, ik ben voor een deel ziekgemeld", "partial"),
    ("absence", "ja, voor 40 procent ziek gemeld", "partial"),
    ("absence", "ik doe nu ochtenden, 's middags ben ik ziek gemeld", "partial"),
    ("absence", "gedeeltelijk ziekgemeld", "partial"),
    ("absence", "ja, ik ben ziek gemeld", "full"),
    ("absence", "ziekgemeld", "full"),
    ("absence", "helemaal", "full"),
    ("absence", "ik werk weer, in september was ik drie weken ziek", "recent"),
    ("absence", "ik was ziek van begin mei tot half juli, nu weer aan het werk", "recent"),
    ("work_status", "ik heb momenteel geen baan, ik ben op zoek naar werk", "job_seeking"),
    ("work_status", "geen werk", "not_working"),
    ("work_status", "ja, ik ben conciërge op een school", "working"),
    ("work_status", "ik zit op school", "studying"),
    ("income_protection", "beide, aov en broodfonds", "both"),
    ("income_protection", "een broodfonds en ook een aov", "both"),
    ("income_protection", "alleen een broodfonds", "broodfonds"),
    ("occupational_physician", "er is wel een bedrijfsarts, maar ik heb die nooit gezien", "available_no_contact"),
    ("occupational_physician", "ja, ik heb volgende week een afspraak", "in_contact"),
])
def test_specific_beats_generic(question_id, text, code):
    assert ok(question_id, text) == code


def test_or_between_two_parts_is_not_both():
    res = match_choice(content.question("income_protection"), "aov of broodfonds")
    assert res.code is None and set(res.candidates) >= {"aov", "broodfonds"}


# 4. Working from home is not absence, unless the patient also says they are sick-listed.
@pytest.mark.parametrize("text, code", [
    ("ik werk thuis", "none"),
    ("ik werk tegenwoordig vanuit huis", "none"),
    ("thuiswerken", "none"),
    ("nee, ik werk nu vooral thuis", "none"),
    ("nee, ik zit wel thuis maar ik werk gewoon", "none"),
    ("ik zit thuis", "full"),
    ("ik werk thuis, maar ik ben wel ziek gemeld", "full"),
    ("ik werk vanuit huis, de helft ben ik ziekgemeld", "partial"),
    ("nee, thuis werken gaat prima en ziekgemeld ben ik niet", "none"),
])
def test_working_from_home(text, code):
    assert ok("absence", text) == code


# 5. Negation respected; body parts after a complaint belong to it.
@pytest.mark.parametrize("text, codes, other", [
    ("geen pijn meer, wel heel moe", ["fatigue"], None),
    ("niet moe, wel veel pijn", ["pain"], None),
    ("pijn in mijn knieën en heupen", ["pain"], None),
    ("mijn schouder, pijn bij tillen", ["pain"], None),          # when the pain comes (context_of)
    ("mijn schouder doet pijn en tillen lukt niet", ["pain", "physical_limits"], None),
    ("last van mijn rug en benen, en ik ben moe", ["pain", "fatigue"], None),
    ("ik ben moe, en ik heb last van mijn darmen", ["fatigue", "other"], "ik heb last van mijn darmen"),
    ("moe, en mijn knie", ["fatigue", "other"], "mijn knie"),
    ("vaak duizelig, dan moet ik even gaan zitten", ["physical_limits"], None),
    ("snel moe, want ik slaap slecht", ["fatigue"], None),
    ("dan heb ik last van mijn darmen", ["other"], "dan heb ik last van mijn darmen"),
])
def test_negation_and_body_parts(text, codes, other):
    res = match_multi(content.question("barriers"), text)
    assert (sorted(res.codes), res.other_text) == (sorted(codes), other)


@pytest.mark.parametrize("text, codes", [
    ("dat ik geen inkomen meer heb", ["income"]),
    ("dat ik straks geen werk meer heb", ["job_loss"]),
    ("ik maak me geen zorgen over geld", ["none"]),
])
def test_a_negated_worry_is_still_the_worry(text, codes):
    res = match_multi(content.question("worries"), text)
    assert [c for c in res.codes if c != "other"] == codes


# 6. Everyday words.
@pytest.mark.parametrize("question_id, text, value", [
    ("job_control", "min of meer", "partly"),
    ("job_control", "redelijk", "partly"),
    ("workplace_support", "min of meer", "partly"),
    ("workplace_support", "soms wel", "partly"),
    ("workplace_support", "mijn baas wel, de collega's niet", "partly"),
    ("employer_informed", "mijn teamleider wel, de directie niet", "partly"),
    ("employment_type", "ik heb een oproepcontract", "on_call"),
    ("employment_type", "ik werk mee in het bedrijf van mijn vrouw", "other"),
    ("work_status", "ik studeer aan de uni", "studying"),
    ("work_status", "ik ben nu aan het solliciteren", "job_seeking"),
    ("physician_contact_wish", "daar wil ik eerst over nadenken", "undecided"),
])
def test_everyday_words(question_id, text, value):
    assert ok(question_id, text) == value


@pytest.mark.parametrize("question_id, text, value", [
    ("absence", "ik kan nog maar de helft van mijn klussen doen", "partial"),
    ("absence", "ik neem minder opdrachten aan", "partial"),
    ("absence", "ik kan op dit moment helemaal niet werken", "full"),
    ("absence", "nee, ik kan helemaal niet werken", "full"),
    ("absence", "nee, ik werk gewoon door", "none"),
    ("absence", "ik doe nu 3 diensten in plaats van 5", "partial"),
    ("employment_type", "ik ben mijn eigen baas", "self_employed"),
    ("work_aggravates", "een beetje, door het vele bukken", "yes"),
])
def test_self_employed_ways_of_saying_less_work(question_id, text, value):
    assert ok(question_id, text) == value


@pytest.mark.parametrize("question_id, text, status, value", [
    ("income_protection", "weet ik niet precies, dat regelt mijn partner", "ok", "unknown"),
    ("occupational_physician", "geen idee eigenlijk, ik werk er pas een maand", "ok", "unknown"),
    ("work_ability", "weet ik niet, ik ben nog niet begonnen", "skip", None),
    ("job_control", "weet ik niet, ik werk op dit moment niet", "skip", None),
    ("job_control", "weet ik niet, een beetje denk ik", "ok", "partly"),
    ("hours_per_week", "weet ik niet precies, ongeveer 20", "ok", 20),
])
def test_dont_know_followed_by_an_explanation(question_id, text, status, value):
    res = parse(question_id, text)
    assert (res.status, res.value) == (status, value)


@pytest.mark.parametrize("text, expected", [
    ("weet ik eigenlijk niet precies, mijn man doet dat", True),
    ("geen idee, dat regelt de boekhouder", True),
    ("weet ik niet", False),                       # a whole-message skip, handled elsewhere
    ("ik weet niet hoeveel uur, ongeveer 20", False),
])
def test_leading_dont_know(text, expected):
    assert leading_dont_know(text) is expected


def test_a_plain_no_is_not_a_correction():
    res = parse("informal_care", "nee eigenlijk niet")
    assert (res.status, res.value, res.correction) == ("ok", False, False)
    res = parse("hours_per_week", "nee eigenlijk 24")
    assert (res.status, res.value, res.correction) == ("ok", 24, True)


def test_half_before_a_month_is_a_date():
    assert ok("absence", "ik was ziek tot half oktober") == "recent"
    assert ok("absence", "half") == "partial"


# 7. Said instead of an answer: "n.v.t., ...", "ik werk alleen" (the question does not apply).
@pytest.mark.parametrize("question_id, text, status, value", [
    ("workplace_support", "n.v.t., ik ben zelfstandige zonder personeel", "skip", None),
    ("workplace_support", "ik werk helemaal alleen, dus geen collega's", "skip", None),
    ("workplace_support", "ik werk alleen, maar mijn klanten hebben veel begrip", "ok", "yes"),
    ("workplace_support", "nee, geen steun", "ok", "no"),
    ("work_ability", "nvt, ik werk op dit moment niet", "skip", None),
])
def test_not_applicable(question_id, text, status, value):
    res = parse(question_id, text)
    assert (res.status, res.value) == (status, value)


@pytest.mark.parametrize("question_id, text, value", [
    ("employer_informed", "mijn leidinggevende wel, de rest niet", "partly"),
    ("employer_informed", "het uwv wel en mijn werkgever nog niet", "partly"),
    ("employer_informed", "nee, niemand weet het", "no"),
    ("employer_informed", "ja, ik heb het verteld", "yes"),
])
def test_yes_about_one_no_about_another(question_id, text, value):
    assert parse(question_id, text).value == value


def test_leading_contradiction_is_not_taken_as_mixed():
    res = parse("employer_informed", "ja, maar niet alles")
    assert res.status != "ok" or res.value != "yes"
