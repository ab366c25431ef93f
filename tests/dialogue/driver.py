"""A small driver that talks to bot.intake.operations the way the Rasa actions do."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Optional

from bot.dialogue import digressions
from bot.intake import operations as dialogue
from bot.intake.operations import Turn
from bot.intake.state import IntakeState, comparable
from tests.support.phases import RecordingHandoff as PhaseHandoff

TODAY = date(2026, 11, 22)


class RecordingHandoff(PhaseHandoff):
    """The shared in-memory handoff (tests/support/phases.py), on this driver's date."""

    def __init__(self) -> None:
        super().__init__(datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc))


class Conversation:
    def __init__(self, metadata: Optional[Dict[str, Any]] = None, handoff=None):
        self.handoff = handoff or RecordingHandoff()
        self.state: Optional[Dict[str, Any]] = None
        self.replies: List[Dict[str, Any]] = []
        self.asked: List[str] = []
        self.metadata = metadata or {"channel": "home", "appointment_code": "A123"}

    # -- sending -----------------------------------------------------------------------
    def start(self):
        return self._run(dialogue.start, Turn(text="/start", intent="start", metadata=self.metadata))

    def say(self, text: str, intent: str = "inform"):
        turn = Turn(text=text, intent=intent, conversation_id="conv-1", today=TODAY)
        return self._run(lambda s, t: digressions.answer_or_fallback(s, t, self.handoff), turn)

    def click(self, code: str):
        turn = Turn(text='/inform{"code": "%s"}' % code, intent="inform", code=code,
                    conversation_id="conv-1", today=TODAY)
        return self._run(lambda s, t: digressions.answer_or_fallback(s, t, self.handoff), turn)

    def ask_faq(self, text: str, topic: str):
        turn = Turn(text=text, intent=f"faq_{topic}", conversation_id="conv-1", today=TODAY)
        return self._run(lambda s, t: digressions.faq(s, t, topic, self.handoff), turn)

    def _run(self, step, turn):
        result = step(self.state, turn)
        # the state lives in the tracker's slots between messages (actions/adapter.py)
        slots = json.loads(json.dumps(IntakeState.from_dict(result.state).to_slots()))
        self.state = IntakeState.from_slots(slots).to_dict()
        assert self.state == comparable(result.state)
        out = [m.to_dict() for m in result.messages]
        self.replies = out
        qid = self.current_question
        if qid:
            self.asked.append(qid)
        return out

    # -- reading -----------------------------------------------------------------------
    @property
    def current_question(self) -> Optional[str]:
        customs = [m["custom"] for m in self.replies if "custom" in m and "question_id" in m["custom"]]
        return customs[-1]["question_id"] if customs else None

    @property
    def texts(self) -> str:
        return "\n".join(m.get("text", "") for m in self.replies)

    @property
    def summary(self) -> Dict[str, Any]:
        return self.handoff.stored[-1]

    def custom(self, key: str) -> Any:
        for m in self.replies:
            if key in m.get("custom", {}):
                return m["custom"][key]
        return None
