"""Actions for everything that is not an answer (all run bot.dialogue.conversation.respond, which
answers and then re-asks the pending question)."""

from __future__ import annotations

from actions.adapter import DialogueAction


class ActionAnswerFaq(DialogueAction):
    action_name = "action_answer_faq"


class ActionOutOfScope(DialogueAction):
    action_name = "action_out_of_scope"


class ActionHumanContact(DialogueAction):
    action_name = "action_human_contact"


class ActionSmallTalk(DialogueAction):
    action_name = "action_small_talk"


class ActionCrisis(DialogueAction):
    action_name = "action_crisis"
