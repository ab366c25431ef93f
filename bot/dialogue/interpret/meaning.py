"""The typed result of interpreting one message (see interpreter.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from bot.knowledge.safety import CrisisMatch
from bot.language.answers import ParseResult

# Navigation commands, only when the whole message is that command.
START = "start"
RESTART = "restart"  # asks for confirmation first
RESTART_CONFIRMED = "restart_confirmed"
RESTART_CANCELLED = "restart_cancelled"
BACK = "back"
SKIP = "skip"
UNDO = "undo"  # take back the last correction
CORRECTION = "correction"
SAFETY_CLEARED = "safety_cleared"  # "nee" to the safety check question


@dataclass
class Correction:
    question_id: str
    value: Any
    extra_text: Optional[str] = None


@dataclass
class Interpretation:
    """Everything one message means, in priority order. `kind` names the part that
    decides the reply; a message can carry an answer AND a question (`topic`)."""

    crisis: Optional[CrisisMatch] = None
    safety_check: bool = False  # not sure: ask whether the patient is in crisis
    language: Optional[str] = None  # ISO 639-1 code of a non-Dutch message
    control: Optional[str] = None  # one of the navigation constants above
    correction: Optional[Correction] = None
    answer: Optional[ParseResult] = None  # for the pending question
    extra_facts: Dict[str, Any] = field(default_factory=dict)  # later questions answered early
    topic: Optional[str] = None  # FAQ topic asked in the message
    question_text: Optional[str] = None  # the question part of a mixed message
    digression: Optional[str] = None  # out_of_scope | human_contact | greet | thank | goodbye
    reasons: List[str] = field(default_factory=list)  # why (for logs without patient text, tests)

    @property
    def kind(self) -> str:
        if self.crisis is not None:
            return "crisis"
        if self.safety_check:
            return "safety_check"
        if self.language:
            return "other_language"
        if self.control:
            return self.control
        if self.answer is not None and self.answer.status in ("ok", "confirm", "skip", "rejected"):
            return "answer"
        if self.topic:
            return "faq"
        if self.digression:
            return self.digression
        return "not_understood"

    @property
    def answered(self) -> bool:
        return self.kind == "answer"


@dataclass
class Turn:
    """One incoming message, as the Rasa adapter (actions/adapter.py) builds it."""

    text: str = ""
    intent: Optional[str] = None
    confidence: float = 1.0
    code: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)
    conversation_id: str = ""
    today: Any = None
    ranking: List[Tuple[str, float]] = field(default_factory=list)
