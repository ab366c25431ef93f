"""FaqTopicRefiner: picks the FAQ topic once DIET says a message is a FAQ question, and
leaves every other decision alone."""
from __future__ import annotations

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.nlp.faq_topics import FaqTopicRefiner

EXAMPLES = {
    "faq_wia": ["wat is de wia", "wanneer vraag ik wia aan", "wia uitkering na twee jaar", "hoe werkt de wia"],
    "faq_spoor_2": ["wat is spoor 2", "moet ik bij een ander bedrijf solliciteren", "spoor twee traject",
                    "re-integratie bij een andere werkgever"],
    "affirm": ["ja", "jazeker"],
}


def trained(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("faq_topics")
    context = ExecutionContext(GraphSchema({}), "test")
    refiner = FaqTopicRefiner.create(FaqTopicRefiner.get_default_config(), storage, resource, context)
    data = TrainingData([Message(data={TEXT: t, INTENT: i}) for i, ts in EXAMPLES.items() for t in ts])
    refiner.train(data)
    return FaqTopicRefiner.load(FaqTopicRefiner.get_default_config(), storage, resource, context)


def message(text, intent, confidence=0.6):
    m = Message(data={TEXT: text})
    m.set(INTENT, {"name": intent, "confidence": confidence})
    m.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence},
                               {"name": "affirm", "confidence": 0.1}])
    return m


def test_wrong_faq_topic_is_corrected_and_confidence_kept(tmp_path):
    m = trained(tmp_path).process([message("wanneer moet ik de wia aanvragen", "faq_spoor_2")])[0]
    assert m.get(INTENT) == {"name": "faq_wia", "confidence": 0.6}   # the whole FAQ share
    assert [r["name"] for r in m.get(INTENT_RANKING_KEY)][:2] == ["faq_wia", "faq_spoor_2"]


def test_non_faq_intents_and_buttons_untouched(tmp_path):
    refiner = trained(tmp_path)
    answer = refiner.process([message("wat is de wia", "affirm")])[0]
    assert answer.get(INTENT)["name"] == "affirm"
    button = refiner.process([message("/faq_spoor_2", "faq_spoor_2")])[0]
    assert button.get(INTENT)["name"] == "faq_spoor_2"


def test_faq_share_goes_to_the_chosen_topic(tmp_path):
    """DIET torn between two FAQ topics is not in doubt that it is a question."""
    m = Message(data={TEXT: "hoe vraag ik de wia aan"})
    ranking = [{"name": "faq_spoor_2", "confidence": 0.35}, {"name": "faq_wia", "confidence": 0.34},
               {"name": "affirm", "confidence": 0.31}]
    m.set(INTENT, ranking[0])
    m.set(INTENT_RANKING_KEY, ranking)
    out = trained(tmp_path).process([m])[0]
    assert out.get(INTENT)["name"] == "faq_wia"
    assert abs(out.get(INTENT)["confidence"] - 0.69) < 1e-9
    assert [r["name"] for r in out.get(INTENT_RANKING_KEY)] == ["faq_wia", "faq_spoor_2", "affirm"]
