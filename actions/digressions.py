"""Actions for everything that is not an answer; each re-asks the pending question."""
from __future__ import annotations

from actions.adapter import DialogueAction
from bot import digressions
from bot.faq import topic_for_intent
from bot.handoff import get_handoff


class ActionAnswerFaq(DialogueAction):
    action_name = "action_answer_faq"

    def step(self, state, turn):
        topic = topic_for_intent(turn.intent or "")
        if topic is None:
            return digressions.out_of_scope(state, turn, get_handoff())
        return digressions.faq(state, turn, topic, get_handoff())


class ActionOutOfScope(DialogueAction):
    action_name = "action_out_of_scope"

    def step(self, state, turn):
        return digressions.out_of_scope(state, turn, get_handoff())


class ActionHumanContact(DialogueAction):
    action_name = "action_human_contact"

    def step(self, state, turn):
        return digressions.human_contact(state, turn)


class ActionSmallTalk(DialogueAction):
    action_name = "action_small_talk"

    def step(self, state, turn):
        return digressions.small_talk(state, turn, get_handoff())


class ActionCrisis(DialogueAction):
    action_name = "action_crisis"

    def step(self, state, turn):
        return digressions.crisis(state, turn)
