"""Custom Rasa NLU components.

`CrisisOverride` runs the rule-based crisis detection (bot/knowledge/safety.py) on every
message and, on a match, forces the intent `crisis` with confidence 1.0, whatever the
statistical classifier said. It is placed last in the pipeline, so neither DIET nor the
fallback classifier can override it. A `crisis` guess of the classifier WITHOUT a rule
match is kept only when it is confident (>= MIN_MODEL_CRISIS_CONFIDENCE); otherwise the
next intent is used, so an ordinary answer does not get the crisis reply by chance.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

CRISIS_INTENT = "crisis"
MIN_MODEL_CRISIS_CONFIDENCE = 0.8


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisOverride(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisOverride":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        from bot.knowledge.safety import detect_crisis

        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # button payloads
            match = detect_crisis(text)
            if match is None or match.denied:  # a denied phrase is asked about, not assumed
                self._demote_unsure_crisis(message)
                continue
            forced = {"name": CRISIS_INTENT, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
            message.set(INTENT, forced, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [forced] + ranking, add_to_output=True)
            message.set("crisis_category", getattr(match, "category", None), add_to_output=True)
        return messages

    @staticmethod
    def _demote_unsure_crisis(message: Message) -> None:
        intent = message.get(INTENT) or {}
        if (
            intent.get("name") != CRISIS_INTENT
            or (intent.get("confidence") or 0) >= MIN_MODEL_CRISIS_CONFIDENCE
        ):
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
        if ranking:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
