"""Actions of the intake itself: start, restart, answers."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import run_safely
from bot import dialogue, digressions
from bot.handoff import get_handoff


class ActionStartIntake(Action):
    def name(self) -> Text:
        return "action_start_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return run_safely(dispatcher, tracker, dialogue.start)


class ActionRestartIntake(Action):
    def name(self) -> Text:
        return "action_restart_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return run_safely(dispatcher, tracker, dialogue.restart)


class ActionIntakeAnswer(Action):
    def name(self) -> Text:
        return "action_intake_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return run_safely(dispatcher, tracker,
                          lambda state, turn: digressions.answer_or_fallback(state, turn, get_handoff()))
