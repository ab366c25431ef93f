"""Translation between a Rasa tracker/dispatcher and bot.intake.operations's Turn/Result.

The state crosses this boundary as typed slots (bot/intake/state.py): `state_from` rebuilds
it from the tracker's slots, `emit` returns a SlotSet for each slot that changed."""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import content
from bot.intake.handoff import get_handoff, trusted_metadata
from bot.intake.operations import Result, Turn
from bot.intake.state import IntakeState, changed_slots, slot_names
from bot.runtime.logsafe import log_failure

logger = logging.getLogger(__name__)


def turn_from(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    code = next((e.get("value") for e in message.get("entities") or [] if e.get("entity") == "code"), None)
    ranking = [
        (r.get("name"), float(r.get("confidence") or 0.0))
        for r in message.get("intent_ranking") or []
        if r.get("name")
    ]
    return Turn(
        text=message.get("text") or "",
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        code=str(code) if code is not None else None,
        metadata=trusted_metadata(tracker.sender_id, message.get("metadata")),
        conversation_id=tracker.sender_id,
        ranking=ranking,
    )


def intake_slots(tracker: Tracker) -> Dict[str, Any]:
    """The tracker's values of the intake's slots (None where unset)."""
    return {name: tracker.get_slot(name) for name in slot_names()}


def state_from(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The engine's state dict, rebuilt from the slots (None before anything was stored)."""
    state = IntakeState.from_slots(intake_slots(tracker))
    return state.to_dict() if state is not None else None


def emit(
    dispatcher: CollectingDispatcher, result: Result, before: Optional[Dict[str, Any]] = None
) -> List[Dict[str, Any]]:
    """Send the messages; the SlotSet events of the slots that differ from `before`."""
    after = IntakeState.from_dict(result.state).to_slots(crisis_reply=result.crisis_reply)
    for message in result.messages:
        kwargs = message.to_dict()
        if "custom" in kwargs:
            kwargs["json_message"] = kwargs.pop("custom")
        dispatcher.utter_message(**kwargs)
    changed = changed_slots(before or {}, after)
    return [SlotSet(name, value) for name, value in changed.items()]


def run_safely(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    step: Callable[[Optional[Dict[str, Any]], Turn], Result],
) -> List[Dict[str, Any]]:
    """Run one dialogue step; on an unexpected error say so in Dutch and keep the state."""
    try:
        before = intake_slots(tracker)
        result = step(state_from(tracker), turn_from(tracker))
        return emit(dispatcher, result, before)
    except Exception as exc:  # noqa: BLE001 - the patient must always get an answer
        log_failure(logger, "action failed for conversation %s", exc, tracker.sender_id)
        dispatcher.utter_message(text=content.message("action_error"))
        return []


class DialogueAction(Action):
    """A custom action that answers one message. Every action runs the same step,
    `bot.dialogue.conversation.respond`: what a message means is decided there (by the one
    interpreter), not by which intent Rasa saw. The action names stay so that rules and
    stories read naturally; subclasses only set `action_name`."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    def step(self, state: Optional[Dict[str, Any]], turn: Turn) -> Result:
        from bot.dialogue.conversation import respond

        return respond(state, turn, get_handoff())

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        return run_safely(dispatcher, tracker, self.step)
