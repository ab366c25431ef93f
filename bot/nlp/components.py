"""Custom Rasa NLU components.

`CrisisOverride` runs the rule-based crisis detection (bot/safety.py) on every
message and, on a match, forces the intent `crisis` with confidence 1.0, whatever the
statistical classifier said. It is placed last in the pipeline, so neither DIET nor the
fallback classifier can override it.
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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisOverride(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CrisisOverride":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        from bot.safety import detect_crisis

        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # button payloads
            match = detect_crisis(text)
            if match is None:
                continue
            forced = {"name": CRISIS_INTENT, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
            message.set(INTENT, forced, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [forced] + ranking, add_to_output=True)
            message.set("crisis_category", getattr(match, "category", None), add_to_output=True)
        return messages
