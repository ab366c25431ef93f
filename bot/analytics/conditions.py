"""Two marker conditions of our own, registered with Rasa's marker registry.

Rasa 3.6's ``slot_was_set`` only says that a slot holds *some* value. The funnel needs
which question is pending, the phase and which questions were skipped, so:

``slot_is: intake_phase=done``
    applies from the ``SlotSet`` that gives the slot this value until the slot gets
    another one (like ``slot_was_set``, it is a state, not a moment). ``true`` and
    ``false`` match booleans.
``slot_contains: skipped_questions=<question id>``
    the same for a list slot: applies while the list holds the value.

Whether the fixed crisis answer was given is the slot ``crisis_reply`` (set by the action
whose reply carries it, bot/intake/state.py), read with Rasa's own ``slot_was_set``.

They have no negated tags: Rasa 3.6 drops the negation of a negated tag read from a
config (``Marker.from_config`` passes on the positive tag, so ``slot_was_not_set: x``
is loaded as ``slot_was_set: x``); write ``not: [...]`` instead.

Importing this module registers them; ``python -m bot.analytics.rasa_cli evaluate markers``
is Rasa's own command with them registered (plain ``rasa evaluate markers`` does not know them).
"""

from __future__ import annotations

import logging
from typing import Any, Text, Tuple

from rasa.core.evaluation.marker_base import ConditionMarker, MarkerRegistry
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet

logger = logging.getLogger(__name__)

MarkerRegistry.register_builtin_markers()  # the built-in tags first, as Rasa does


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
