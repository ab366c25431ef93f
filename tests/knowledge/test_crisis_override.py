"""The Rasa component that makes crisis detection rule-based and always first."""
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.nlp.components import CrisisOverride


def _message(text, ranking):
    m = Message(data={TEXT: text})
    m.set(INTENT, ranking[0])
    m.set(INTENT_RANKING_KEY, ranking)
    return m


def _run(text, ranking):
    return CrisisOverride().process([_message(text, ranking)])[0].get(INTENT)


def test_rule_match_forces_crisis_whatever_the_classifier_says():
    intent = _run("ik wil er een eind aan maken", [{"name": "inform", "confidence": 0.99}])
    assert intent == {"name": "crisis", "confidence": 1.0}


def test_unsure_model_crisis_without_rule_match_is_demoted():
    ranking = [{"name": "crisis", "confidence": 0.36}, {"name": "inform", "confidence": 0.30}]
    assert _run("ik heb een vast rooster", ranking)["name"] == "inform"


def test_confident_model_crisis_is_kept():
    ranking = [{"name": "crisis", "confidence": 0.93}, {"name": "inform", "confidence": 0.02}]
    assert _run("een tekst zonder crisisregel", ranking)["name"] == "crisis"  # model path only


def test_benign_text_and_button_payloads_are_left_alone():
    assert _run("ik ben dood op", [{"name": "inform", "confidence": 0.9}])["name"] == "inform"
    assert _run('/inform{"code": "yes"}', [{"name": "inform", "confidence": 1.0}])["name"] == "inform"
