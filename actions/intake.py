"""Actions of the intake itself: start, restart, answers."""
from __future__ import annotations

from actions.adapter import DialogueAction
from bot import dialogue, digressions
from bot.handoff import get_handoff


class ActionStartIntake(DialogueAction):
    action_name = "action_start_intake"

    def step(self, state, turn):
        return dialogue.start(state, turn)


class ActionRestartIntake(DialogueAction):
    action_name = "action_restart_intake"

    def step(self, state, turn):
        return dialogue.restart(state, turn)


class ActionIntakeAnswer(DialogueAction):
    action_name = "action_intake_answer"

    def step(self, state, turn):
        return digressions.answer_or_fallback(state, turn, get_handoff())
