"""Crisis safety net (bot/knowledge/safety.py, bot/content/safety.yml).

Table-driven: crisis phrasings that must be detected (with their category), and benign
near-misses (work stress, exaggerations, idioms) that must not be. The design choices
for borderline phrases are documented at the top of safety.yml.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.dialogue.messages import Message
from bot.knowledge import safety

ROOT = Path(__file__).resolve().parents[2]

CRISIS = [
    ("ik zou liever gewoon dood zijn", "suicide"),
    ("hij heeft me gisteren weer geslagen", "domestic_violence"),
    ("ze had me vorige week bedreigd met een mes", "domestic_violence"),
    ("sinds het ontslag wil ik eigenlijk niet meer leven", "suicide"),
    ("ik wil eigenlijk gewoon niet leven", "suicide"),
    # suicide
    ("Ik denk aan zelfmoord.", "suicide"),
    ("zelfmoord", "suicide"),
    ("ik heb zelfmoordgedachten", "suicide"),
    ("ZELFMOOORD", "suicide"),
    ("ik denk aan zelfmoort", "suicide"),
    ("Ik ben suïcidaal", "suicide"),
    ("ik wil er een eind aan maken", "suicide"),
    ("Soms wil ik er gewoon een einde aan maken...", "suicide"),
    ("ik maak er een eind aan", "suicide"),
    ("Ik wil niet meer leven.", "suicide"),
    ("ik wil eigenlijk niet meer leven", "suicide"),
    ("niet meer willen leven", "suicide"),
    ("ik wil er niet meer zijn", "suicide"),
    ("ik wil dood", "suicide"),
    ("'k wil gewoon dood", "suicide"),
    ("ik wou dat ik dood was", "suicide"),
    ("was ik maar dood", "suicide"),
    ("ik ben liever dood", "suicide"),
    ("het leven heeft geen zin meer", "suicide"),
    ("ik zie geen reden meer om te leven", "suicide"),
    ("ik zie het niet meer zitten", "suicide"),
    ("iedereen is beter af zonder mij", "suicide"),
    ("ik wil mijn leven beëindigen", "suicide"),
    ("ik wil een einde aan m'n leven maken", "suicide"),
    ("ik wil slapen en nooit meer wakker worden", "suicide"),
    ("ik ga voor de trein springen", "suicide"),
    ("ik wil van een flat springen", "suicide"),
    ("ik wil me ophangen", "suicide"),
    ("ik denk erover mezelf op te hangen", "suicide"),
    ("ik wil mezelf van het leven beroven", "suicide"),
    # self-harm
    ("ik wil mezelf iets aandoen", "self_harm"),
    ("mezelf iets aandoen", "self_harm"),
    ("ik ben bang dat ik mezelf iets aandoe", "self_harm"),
    ("ik kan mezelf wel wat aandoen", "self_harm"),
    ("ik snij in mezelf", "self_harm"),
    ("snijden in mezelf helpt even", "self_harm"),
    ("ik snij mezelf als het te veel wordt", "self_harm"),
    ("ik kras in mijn armen", "self_harm"),
    ("ik doe mezelf pijn", "self_harm"),
    ("ik sla mezelf tot het pijn doet", "self_harm"),
    ("ik heb last van zelfbeschadiging", "self_harm"),
    # violence at home
    ("hij slaat me", "domestic_violence"),
    ("Mijn man slaat mij.", "domestic_violence"),
    ("mijn vriend schopt me als hij dronken is", "domestic_violence"),
    ("ze sloeg me gisteren weer", "domestic_violence"),
    ("ik word thuis geslagen", "domestic_violence"),
    ("ik word door mijn partner mishandeld", "domestic_violence"),
    ("er is huiselijk geweld bij ons", "domestic_violence"),
    ("ik ben niet veilig thuis", "domestic_violence"),
    ("ik voel me thuis niet veilig", "domestic_violence"),
    ("thuis voel ik me niet veilig", "domestic_violence"),
    ("ik ben bang voor mijn man", "domestic_violence"),
    ("hij probeert me te wurgen", "domestic_violence"),
    # acute danger
    ("ik word bedreigd", "acute_danger"),
    ("ik word al weken bedreigd", "acute_danger"),
    ("mijn ex bedreigt mij en de kinderen", "acute_danger"),
    ("hij dreigt me te vermoorden", "acute_danger"),
    ("hij wil me iets aandoen", "acute_danger"),
    ("ik ben bang dat hij me iets aandoet", "acute_danger"),
    ("ik ben in gevaar", "acute_danger"),
    ("ik ben niet veilig", "acute_danger"),
    ("ik heb een overdosis genomen", "acute_danger"),
    ("ik heb al mijn pillen ingenomen", "acute_danger"),
    ("ik heb een hele strip paracetamol geslikt", "acute_danger"),
    ("ik ga hem iets aandoen", "acute_danger"),
]

BENIGN = [
    "ik ben dood op",
    "mijn werk maakt me kapot",
    # borderline, decided: a common exaggeration, not a crisis (safety.yml)
    "ik ga dood van de stress",
    "ik ga nog dood van het werk",
    "doodmoe",
    "ik ben doodmoe na een dienst",
    "de deadline slaat nergens op",
    "ik snij groenten in mijn werk als kok",
    "ik snijd vlees, ik ben slager",
    "mijn collega maakt zichzelf gek",
    "ik maak mezelf gek met piekeren",
    "dodelijk saai",
    "ik werk me dood",
    "ik schrik me dood",
    "ik verveel me dood",
    "ik word doodziek van mijn baas",
    "ik ben doodsbang voor de operatie",
    "ik ben kapot",
    "ik heb me gesneden bij het koken",
    "ik heb een snijwond aan mijn vinger",
    "dat slaat me met stomheid",
    "het nieuws sloeg me uit het veld",
    "ik kan mezelf wel voor mijn kop slaan",
    "ik sla mezelf voor mijn kop",
    "mijn baan is in gevaar",
    "mijn gezondheid is in gevaar door de stoffen op het werk",
    "mijn baan wordt bedreigd door de reorganisatie",
    "ik voel me niet veilig op mijn werk",
    "ik heb geen zin meer in mijn werk",
    "ik wil niet meer naar mijn werk",
    "ik wil stoppen met werken",
    "ik wil een einde maken aan mijn contract",
    "mijn collega's maken me het leven zuur",
    "dit werk is mijn leven",
    "ik wil mijn leven weer oppakken",
    "ik wil weer leven zonder pijn",
    "ik neem al mijn medicijnen netjes in",
    "ik werk in een slachterij",
    "het tempo op mijn werk is moordend",
    "mijn baas vermoordt me als ik weer ziek ben",
    "ik ben bang voor mijn baas",
    "schiet mij maar lek",
    "ik trek me wat aan van mijn collega's",
    "ik wil doodgewoon mijn werk doen",
    "ik ben geslaagd voor mijn examen",
    "ik kan niet meer zo hard werken als vroeger",
    "ik werk voor mezelf",
    "het werk slaat dood",
]


@pytest.mark.parametrize("text,category", CRISIS)
def test_crisis_detected(text, category):
    match = safety.detect_crisis(text)
    assert match is not None, f"not detected: {text!r} (normalised: {safety.normalise(text)!r})"
    assert match.category in RELATED[category], match
    assert match.pattern_id and match.matched


# The finer categories of the clinical screen (issue 9) refine the four original ones.
_SUICIDAL = {"suicide", "passive_wish", "hopelessness", "burden", "plan_method_intent", "preparation"}
_DANGER = {"acute_danger", "threat_to_others", "domestic_violence"}
RELATED = {"suicide": _SUICIDAL, "self_harm": {"self_harm"} | _SUICIDAL, "acute_danger": _DANGER | _SUICIDAL,
           "domestic_violence": _DANGER}


@pytest.mark.parametrize("text", BENIGN)
def test_benign_near_miss_not_detected(text):
    assert safety.detect_crisis(text) is None


def test_enough_cases():
    assert len(CRISIS) >= 30 and len(BENIGN) >= 30
    assert {c for _, c in CRISIS} <= set(safety.CATEGORIES)


@pytest.mark.parametrize("text", ["", None, "   ", "?!", "Ja", "32 uur per week"])
def test_empty_or_plain_text(text):
    assert safety.detect_crisis(text) is None


def test_detection_inside_longer_messages():
    text = "Het gaat niet goed op mijn werk. Eerlijk gezegd wil ik er niet meer zijn. Sorry."
    assert safety.detect_crisis(text).category == "suicide"


def test_normalise():
    assert safety.normalise("Ik wil m'n LEVEN beëindigen!!") == "ik wil mijn leven beeindigen ."
    assert safety.normalise("zelfmooooord") == "zelfmoord"
    assert safety.normalise("me zelf") == "mezelf"


def test_every_pattern_is_exercised_by_a_case():
    texts = [t for t, _ in CRISIS]
    for path in sorted((ROOT / "tests" / "safety_corpus").glob("dev*.yml")):   # development sets only
        texts += [c["text"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["crisis"]]
    used = {m.pattern_id for m in map(safety.detect_crisis, texts) if m}
    unused = {p for _, p in safety.pattern_ids()} - used
    assert not unused, f"patterns without a test case: {unused}"


# ---------------------------------------------------------------------------
# the fixed answer


def joined(messages):
    assert all(isinstance(m, Message) and m.text and not m.buttons for m in messages)
    return " ".join(m.text for m in messages)


@pytest.mark.parametrize("category", [None, *safety.CATEGORIES])
def test_crisis_messages_always_give_113_112_and_huisarts(category):
    text = joined(safety.crisis_messages(category))
    for needed in ("113", "0800-0113", "112", "huisarts"):
        assert needed in text
    assert "arbo" not in text.lower()


def test_veilig_thuis_for_violence_at_home_and_when_unknown():
    assert "0800-2000" in joined(safety.crisis_messages("domestic_violence"))
    assert "Veilig Thuis" in joined(safety.crisis_messages())
    assert "0800-2000" not in joined(safety.crisis_messages("suicide"))


def test_crisis_answer_is_fixed():
    assert joined(safety.crisis_messages("suicide")) == joined(safety.crisis_messages("self_harm"))


# ---------------------------------------------------------------------------
# agreement with the NLU data


def nlu(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                yield block["intent"], line.strip()[2:].strip()


NLU_EXAMPLES = [
    ex for p in [*sorted((ROOT / "data" / "nlu").rglob("*.yml")),
                 *sorted((ROOT / "tests" / "nlu").glob("*.yml"))] for ex in nlu(p)
]


def test_every_crisis_example_is_caught_by_the_safety_net():
    """Rules give the fixed answer; what they miss, the learned layer must at least ask."""
    from bot.knowledge import safety_classifier

    missed = [t for i, t in NLU_EXAMPLES
              if i == "crisis" and not safety.detect_crisis(t) and not safety_classifier.needs_check(t)]
    assert not missed


def test_no_other_example_triggers_the_rules():
    false = [(i, t) for i, t in NLU_EXAMPLES if i != "crisis" and safety.detect_crisis(t)]
    assert not false


def test_intake_synonyms_do_not_trigger():
    """Answers the intake expects (questions.yml synonyms) must never look like a crisis."""
    data = yaml.safe_load((ROOT / "bot" / "content" / "questions.yml").read_text(encoding="utf-8"))
    hits = []
    for q in data["questions"]:
        for opt in q.get("options") or []:
            for s in [opt["label"], *opt.get("synonyms", [])]:
                if safety.detect_crisis(s):
                    hits.append(s)
    assert not hits
