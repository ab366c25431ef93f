"""`FaqTopicRefiner`: once DIET has decided that a message is a FAQ question, a second,
simpler model picks WHICH question.

DIET is good at telling a question from an answer, but with 41 FAQ topics and 20-60
phrasings each it confuses neighbouring topics. A logistic regression over word and
character n-grams, trained on the FAQ examples only, separates them better on the
development sets (tests/nlu_dev: FAQ accuracy 0.847 with DIET alone; docs/benchmarks.md).
It only acts when DIET's top intent is a FAQ intent; every non-FAQ decision is unchanged.
"""

from __future__ import annotations

import pickle
import re
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

FAQ_PREFIX = "faq_"
MODEL_FILE = "faq_topics.pkl"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FaqTopicRefiner(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"C": 20.0}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[Any] = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FaqTopicRefiner":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        pairs = [
            (_norm(m.get(TEXT) or ""), m.get(INTENT))
            for m in training_data.intent_examples
            if str(m.get(INTENT) or "").startswith(FAQ_PREFIX)
        ]
        if len({intent for _, intent in pairs}) >= 2:
            self._model = make_pipeline(
                make_union(
                    TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                ),
                LogisticRegression(C=float(self._config["C"]), max_iter=3000, random_state=0),
            )
            self._model.fit([t for t, _ in pairs], [i for _, i in pairs])
        with self._storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(pickle.dumps(self._model))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "FaqTopicRefiner":
        try:
            with model_storage.read_from(resource) as directory:
                model = pickle.loads((directory / MODEL_FILE).read_bytes())  # our own artefact
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._refine(message)
        return messages

    def _refine(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        text = message.get(TEXT) or ""
        if (
            self._model is None
            or not str(intent.get("name") or "").startswith(FAQ_PREFIX)
            or text.startswith("/")
        ):
            return
        ranking = message.get(INTENT_RANKING_KEY) or [intent]
        topic = str(self._model.predict([_norm(text)])[0])
        # DIET spreads "this is a FAQ question" over neighbouring topics; that spread is
        # not doubt about WHETHER it is a question, so the chosen topic gets the whole FAQ
        # share (the fallback classifier then only catches messages DIET is unsure about).
        share = min(
            1.0,
            sum(
                float(r.get("confidence") or 0.0)
                for r in ranking
                if str(r.get("name") or "").startswith(FAQ_PREFIX)
            ),
        )
        chosen = {"name": topic, "confidence": share}
        rest = sorted(
            (r for r in ranking if r.get("name") != topic),
            key=lambda r: float(r.get("confidence") or 0.0),
            reverse=True,
        )
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen] + rest, add_to_output=True)
