"""Three marker conditions of our own, registered with Rasa's marker registry.

Rasa 3.6's ``slot_was_set`` only says that a slot holds *some* value, and there is no
condition on what the assistant said. The funnel needs which question is pending, the
phase, which questions were skipped and whether the fixed crisis answer was given, so:

``slot_is: intake_phase=done``
    applies from the ``SlotSet`` that gives the slot this value until the slot gets
    another one (like ``slot_was_set``, it is a state, not a moment). ``true`` and
    ``false`` match booleans.
``slot_contains: skipped_questions=work_status``
    the same for a list slot: applies while the list holds the value.
``bot_reply: crisis``
    applies at a ``BotUttered`` event whose text is one of the fixed texts of a kind in
    ``REPLY_KINDS`` (taken from bot/content/, like bot/runtime/metrics.py does). Nothing
    the patient typed is read.

They have no negated tags: Rasa 3.6 drops the negation of a negated tag read from a
config (``Marker.from_config`` passes on the positive tag, so ``slot_was_not_set: x``
is loaded as ``slot_was_set: x``); write ``not: [...]`` instead.

Importing this module registers them; ``python -m bot.analytics.rasa_cli evaluate markers``
is Rasa's own command with them registered (plain ``rasa evaluate markers`` does not know them).
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Callable, Dict, FrozenSet, Text, Tuple

from rasa.core.evaluation.marker_base import ConditionMarker, MarkerRegistry
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SlotSet

logger = logging.getLogger(__name__)

MarkerRegistry.register_builtin_markers()  # the built-in tags first, as Rasa does


def _crisis_texts() -> FrozenSet[str]:
    from bot.knowledge import safety

    texts = {m.text for m in safety.crisis_messages(None)} | {m.text for m in safety.crisis_messages("other")}
    return frozenset(t for t in texts if t)


def _human_contact_texts() -> FrozenSet[str]:
    from bot.knowledge import scope

    # The last message ("your wish is noted in the summary") is the same in every channel.
    return frozenset(m.text for m in scope.human_contact_messages(None)[-1:] if m.text)


REPLY_KINDS: Dict[str, Callable[[], FrozenSet[str]]] = {
    "crisis": _crisis_texts,
    "human_contact": _human_contact_texts,
}


@lru_cache(maxsize=None)
def reply_texts(kind: str) -> FrozenSet[str]:
    return REPLY_KINDS[kind]()


def _matches(value: Any, wanted: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return str(value).lower() == wanted.lower()
    return str(value) == wanted


class _SlotValueMarker(ConditionMarker):
    """``<slot>=<value>``: a state that starts and ends with ``SlotSet`` events."""

    def _parts(self) -> Tuple[str, str]:
        slot, _, value = self.text.partition("=")
        return slot.strip(), value.strip()

    def _holds(self, value: Any, wanted: str) -> bool:
        raise NotImplementedError

    def validate_against_domain(self, domain: Domain) -> bool:
        slot, value = self._parts()
        if "=" not in self.text or not slot or not value:
            logger.error(f"Marker '{self.get_tag()}: {self.text}' must have the form <slot>=<value>")
            return False
        if not any(s.name == slot for s in domain.slots):
            logger.error(f"Referenced slot '{slot}' does not exist in the domain")
            return False
        return True

    def _non_negated_version_applies_at(self, event: Event) -> bool:
        slot, wanted = self._parts()
        if isinstance(event, SlotSet) and event.key == slot:
            return self._holds(event.value, wanted)
        if self.history:
            return self.history[-1] if not self.negated else not self.history[-1]
        return False


@MarkerRegistry.configurable_marker
class SlotIsMarker(_SlotValueMarker):
    """The slot holds exactly this value."""

    @staticmethod
    def positive_tag() -> Text:
        return "slot_is"

    def _holds(self, value: Any, wanted: str) -> bool:
        return _matches(value, wanted)


@MarkerRegistry.configurable_marker
class SlotContainsMarker(_SlotValueMarker):
    """The list slot holds this value."""

    @staticmethod
    def positive_tag() -> Text:
        return "slot_contains"

    def _holds(self, value: Any, wanted: str) -> bool:
        return isinstance(value, (list, tuple)) and any(_matches(v, wanted) for v in value)


@MarkerRegistry.configurable_marker
class BotReplyMarker(ConditionMarker):
    """The assistant gave one of the fixed replies of a kind (``REPLY_KINDS``)."""

    @staticmethod
    def positive_tag() -> Text:
        return "bot_reply"

    def validate_against_domain(self, domain: Domain) -> bool:
        if self.text not in REPLY_KINDS:
            logger.error(f"Unknown reply kind '{self.text}' (known: {sorted(REPLY_KINDS)})")
            return False
        return True

    def _non_negated_version_applies_at(self, event: Event) -> bool:
        return isinstance(event, BotUttered) and self.text in REPLY_KINDS \
            and event.text in reply_texts(self.text)
