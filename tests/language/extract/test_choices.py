"""Free text to options (bot.language.extract.choices): labels, synonyms, typos, negation."""
import pytest

from bot import content
from bot.language.extract.choices import match_choice, match_multi, matcher_for

CHOICE_QUESTIONS = [q for q in content.questions() if q["answer_type"] == "choice"]
MULTI_QUESTIONS = [q for q in content.questions() if q["answer_type"] == "multi_choice"]
LABEL_CASES = [(q["id"], str(o["code"]), o["label"])
               for q in CHOICE_QUESTIONS + MULTI_QUESTIONS for o in q["options"]]


def q(question_id):
    return content.question(question_id)


@pytest.mark.parametrize("question_id, code, label", LABEL_CASES,
                         ids=[f"{a}:{b}" for a, b, _ in LABEL_CASES])
def test_every_label_selects_its_option(question_id, code, label):
    question = q(question_id)
    if question["answer_type"] == "choice":
        assert match_choice(question, label).code == code
        assert match_choice(question, label.upper()).code == code
    else:
        assert match_multi(question, label).codes == [code]


@pytest.mark.parametrize("question", CHOICE_QUESTIONS + MULTI_QUESTIONS, ids=lambda x: x["id"])
def test_no_phrase_means_two_options(question):
    seen = {}
    for phrase in matcher_for(question).phrases:
        assert seen.setdefault(phrase.tokens, phrase.code) == phrase.code, phrase.tokens


@pytest.mark.parametrize("question_id, text, code", [
    ("work_status", "ik ben zzp'er", "working"),
    ("work_status", "Ja, ik werk fulltime", "working"),
    ("work_status", "ik werk niet", "not_working"),
    ("work_status", "nee maar ik wil wel werken", "job_seeking"),
    ("work_status", "ik solliciteer", "job_seeking"),
    ("work_status", "ik zit op het mbo", "studying"),
    ("work_status", "gepensioneert", "retired"),            # typo
    ("work_status", "ik ben ziek gemeld", "working"),
    ("work_status", "NEE", "not_working"),
    ("employment_type", "ik heb een eigen bedrijf", "self_employed"),
    ("employment_type", "ik werk via een uitzendbureau", "temp_agency"),
    ("employment_type", "nulurencontract", "on_call"),
    ("employment_type", "vast contract bij de gemeente", "permanent"),
    ("employment_type", "jaarcontract", "temporary"),
    ("employment_type", "freelancer", "self_employed"),
    ("employment_type", "ik ben vrijwilliger", "other"),
    ("absence", "ja, halve dagen", "partial"),
    ("absence", "ja gedeeltelijk", "partial"),
    ("absence", "nee ik werk gewoon", "none"),
    ("absence", "ik ben niet ziek gemeld", "none"),
    ("absence", "ik zit thuis", "full"),
    ("absence", "Kort geleden wel", "recent"),
    ("absence", "ik ben weer aan het werk", "recent"),
    ("absence", "ik ben aan het re-integreren", "partial"),
    ("absence", "volledig ziekgemeld", "full"),
    ("work_aggravates", "ja, het werk maakt het erger", "yes"),
    ("work_aggravates", "dat denk ik niet", "no"),
    ("work_aggravates", "misschien", "unsure"),
    ("occupational_physician", "ik heb een afspraak", "in_contact"),
    ("occupational_physician", "nee maar er is wel een", "available_no_contact"),
    ("occupational_physician", "we hebben geen bedrijfsarts", "none"),
    ("occupational_physician", "ik heb geen contact met de bedrijfsarts", "available_no_contact"),
    ("employer_informed", "ja die weet het", "yes"),
    ("employer_informed", "ik heb het niet verteld", "no"),
    ("employer_informed", "niet alles", "partly"),
    ("workplace_support", "ze steunen me", "yes"),
    ("workplace_support", "niet altijd", "partly"),
    ("workplace_support", "geen begrip", "no"),
    ("workplace_support", "geen steun", "no"),
    ("job_control", "ik kan het zelf indelen", "yes"),
    ("job_control", "vaste tijden", "no"),
    ("income_protection", "ik heb een AOV", "aov"),
    ("income_protection", "broodfonds", "broodfonds"),
    ("income_protection", "aov en broodfonds", "both"),
    ("income_protection", "geen aov", "none"),
    ("income_protection", "arbeidsongeschiktheidsverzekerin", "aov"),     # typo
    ("rtw_expectation", "ja maar minder uren", "yes_with_adjustments"),
    ("rtw_expectation", "met aangepast werk", "yes_with_adjustments"),
    ("rtw_expectation", "ik denk het niet", "no"),
    ("rtw_expectation", "ik hoop het", "unsure"),
    ("physician_contact_wish", "ja graag", "yes"),
    ("physician_contact_wish", "liever niet", "no"),
    ("physician_contact_wish", "daar denk ik over na", "undecided"),
])
def test_free_text_choice(question_id, text, code):
    assert match_choice(q(question_id), text).code == code


@pytest.mark.parametrize("question_id, text", [
    ("work_status", "ik werk en ik studeer"),
    ("income_protection", "aov, of broodfonds, of geen"),
])
def test_ambiguous_choice_lists_candidates(question_id, text):
    res = match_choice(q(question_id), text)
    assert res.code is None and len(res.candidates) >= 2


@pytest.mark.parametrize("question_id, text", [
    ("work_status", "het weer is mooi"), ("employment_type", "asdfgh"), ("absence", ""),
])
def test_no_choice(question_id, text):
    assert match_choice(q(question_id), text).code is None


@pytest.mark.parametrize("question_id, text, codes", [
    ("barriers", "ik ben moe en heb pijn in m'n rug", ["fatigue", "pain"]),
    ("barriers", "nee", ["none"]),
    ("barriers", "Nee hoor", ["none"]),
    ("barriers", "nergens last van", ["none"]),
    ("barriers", "vermoeit", ["fatigue"]),                                # typo
    ("barriers", "consentratie", ["concentration"]),                      # typo
    ("barriers", "stres", ["mental_strain"]),                             # typo
    ("barriers", "schouderpijn", ["pain"]),                               # compound
    ("barriers", "werkstress", ["mental_strain"]),
    ("barriers", "ik kan niet tillen", ["physical_limits"]),              # negation is the complaint
    ("barriers", "ik kan me niet concentreren", ["concentration"]),
    ("barriers", "ik heb geen energie", ["fatigue"]),
    ("barriers", "niet lang kunnen staan", ["physical_limits"]),
    ("barriers", "geen pijn maar wel moe", ["fatigue"]),
    ("barriers", "niet moe, wel veel stress", ["mental_strain"]),
    ("barriers", "nee hoor, alleen wat moe", ["fatigue"]),                # "none" gives way
    ("barriers", "goede en slechte dagen", ["unpredictable_course"]),
    ("barriers", "ik ben snel moe, en de chemo maakt me misselijk",
     ["fatigue", "treatment_side_effects"]),
    ("barriers", "veel ziekenhuisafspraken en daardoor stress", ["appointments", "mental_strain"]),
    ("barriers", "Moe of weinig energie, Pijn", ["fatigue", "pain"]),
    ("barriers", "ik heb geen last meer van pijn", ["none"]),
    ("worries", "geldzorgen", ["income"]),
    ("worries", "ik ben bang mijn baan te verliezen", ["job_loss"]),
    ("worries", "mijn baas en mijn inkomen", ["employer_contact", "income"]),
    ("worries", "nee geen zorgen", ["none"]),
    ("worries", "geen geldzorgen", ["none"]),
    ("worries", "of ik weer kan werken", ["return_to_work"]),
])
def test_multi(question_id, text, codes):
    assert match_multi(q(question_id), text).codes == codes


@pytest.mark.parametrize("question_id, text, negated", [
    ("barriers", "niet moe", "fatigue"),
    ("barriers", "geen pijn", "pain"),
    ("barriers", "ik ben nooit gestrest of angstig", "mental_strain"),
    ("barriers", "zonder bijwerkingen", "treatment_side_effects"),
    ("worries", "geen zorgen over mijn baan", "job_loss"),
])
def test_negation_does_not_select(question_id, text, negated):
    res = match_multi(q(question_id), text)
    assert negated not in res.codes
    assert negated in res.negated


@pytest.mark.parametrize("text, codes, other_text", [
    ("ik ben moe en ik heb last van mijn knie", ["fatigue", "other"], "ik heb last van mijn knie"),
    ("anders: mijn knie", ["other"], "mijn knie"),
    ("mijn hoofd zit vol", ["other"], "mijn hoofd zit vol"),
    ("pijn, en mijn ogen worden slechter", ["pain", "other"], "mijn ogen worden slechter"),
    ("ik ben moe", ["fatigue"], None),
    ("asdfgh", [], None),
])
def test_other_text(text, codes, other_text):
    res = match_multi(q("barriers"), text)
    assert res.codes == codes
    assert res.other_text == other_text


def test_none_is_exclusive():
    assert match_multi(q("barriers"), "nee, niets, alleen pijn").codes == ["pain"]
