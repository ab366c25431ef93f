"""Actions of the intake itself: start, restart, answers (all run bot.dialogue.conversation.respond)."""

from __future__ import annotations

from actions.adapter import DialogueAction


class ActionStartIntake(DialogueAction):
    action_name = "action_start_intake"


class ActionRestartIntake(DialogueAction):
    action_name = "action_restart_intake"


class ActionIntakeAnswer(DialogueAction):
    action_name = "action_intake_answer"
