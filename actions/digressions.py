"""Actions for everything that is not an answer; each re-asks the pending question."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.adapter import run_safely
from bot import digressions
from bot.faq import topic_for_intent
from bot.handoff import get_handoff


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        def step(state, turn):
            topic = topic_for_intent(turn.intent or "")
            if topic is None:
                return digressions.out_of_scope(state, turn, get_handoff())
            return digressions.faq(state, turn, topic, get_handoff())
        return run_safely(dispatcher, tracker, step)


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return run_safely(dispatcher, tracker,
                          lambda state, turn: digressions.out_of_scope(state, turn, get_handoff()))


class ActionHumanContact(Action):
    def name(self) -> Text:
        return "action_human_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return run_safely(dispatcher, tracker, digressions.human_contact)


class ActionSmallTalk(Action):
    def name(self) -> Text:
        return "action_small_talk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return run_safely(dispatcher, tracker,
                          lambda state, turn: digressions.small_talk(state, turn, get_handoff()))


class ActionCrisis(Action):
    def name(self) -> Text:
        return "action_crisis"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return run_safely(dispatcher, tracker, digressions.crisis)
