"""Conversations as the tracker store holds them, written against the slot contract.

The events are made the way the actions make them: the questionnaire
(bot/intake/questionnaire.py) decides which question comes next, and after every action
the slots that changed get a ``SlotSet`` (and only those), as bot/intake/state.py writes
them (``IntakeState.to_slots``, ``changed_slots``; ``crisis_reply`` after the crisis answer).
"""
from __future__ import annotations

import copy
from typing import Any, Dict, List, Optional

from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered

from bot import content
from bot.intake import questionnaire as qn
from bot.intake.state import IntakeState, changed_slots
from bot.knowledge import safety, scope

PATIENT_TEXT = "Mijn geheime tekst over Jansen"   # must never reach a funnel output


def question_ids() -> List[str]:
    return [q["id"] for q in content.questions()]


def domain_dict() -> Dict[str, Any]:
    """The project's domain (its slots are the slot contract, generated from bot/intake/state.py)."""
    import yaml

    from bot.runtime.settings import PROJECT_ROOT

    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def example_answer(qid: str) -> Any:
    q = content.question(qid)
    kind = q["answer_type"]
    if kind == "choice":
        return q["options"][0]["code"]
    if kind == "multi_choice":
        return [q["options"][0]["code"]]
    if kind == "yes_no":
        return False
    if kind in ("number", "scale"):
        return 6
    if kind == "date_or_duration":
        return {"date": "2026-10-19", "weeks": 4}
    return PATIENT_TEXT


class Conversation:
    """One sender; every method is one patient message and the assistant's turn."""

    def __init__(self, sender_id: str):
        self.sender_id = sender_id
        self.events: List[Event] = []
        self.state: Dict[str, Any] = qn.new_state()
        self.slots: Dict[str, Any] = {}
        self.new_session()

    # -- plumbing -----------------------------------------------------------------
    def new_session(self) -> "Conversation":
        self.events += [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
        self.state, self.slots = qn.new_state(), {}
        return self

    def _turn(self, intent: str, action: str, text: str = PATIENT_TEXT, replies: Optional[List[str]] = None,
              crisis_reply: bool = False):
        self.events.append(UserUttered(text, intent={"name": intent, "confidence": 1.0}))
        self.events.append(ActionExecuted(action))
        if self.state["phase"] == qn.PHASE_READBACK:
            self.state["current"] = None
        slots = IntakeState.from_dict(self.state).to_slots(crisis_reply=crisis_reply)
        for key, value in changed_slots(self.slots, slots).items():
            self.events.append(SlotSet(key, copy.deepcopy(value)))
        self.slots = copy.deepcopy(slots)
        for reply in replies or []:
            self.events.append(BotUttered(reply))
        self.events.append(ActionExecuted("action_listen"))
        return self

    def _advance(self) -> None:
        qn.prune_inapplicable(self.state)
        nxt = qn.next_question_id(self.state)
        if nxt is None:
            self.state["phase"], self.state["current"] = qn.PHASE_READBACK, None
        else:
            self.state["phase"] = qn.PHASE_ASKING
            qn.mark_asked(self.state, nxt)

    # -- what patients do -----------------------------------------------------------
    def greet(self):
        return self._turn("greet", "action_small_talk", "hallo", ["Hallo!"])

    def start(self):
        self.state = qn.new_state()
        self._advance()
        return self._turn("start", "action_start_intake", "/start", ["Welkom"])

    def answer(self, value: Any = None):
        qid = self.state["current"]
        qn.record_answer(self.state, qid, example_answer(qid) if value is None else value)
        self._advance()
        return self._turn("inform", "action_intake_answer", replies=["Dank u."])

    def answer_all(self):
        while self.state["phase"] == qn.PHASE_ASKING:
            self.answer()
        return self

    def skip(self):
        qn.record_skip(self.state, self.state["current"])
        self._advance()
        return self._turn("skip", "action_intake_answer", "sla over", ["Goed, die slaan we over."])

    def change_in_readback(self, qid: str):
        qn.reopen(self.state, qid)
        return self._turn("inform", "action_intake_answer", "/inform{\"code\": \"%s\"}" % qid)

    def confirm_readback(self):
        self.state["phase"] = qn.PHASE_CONSENT
        qn.mark_asked(self.state, qn.CONSENT_ID)
        return self._turn("inform", "action_intake_answer", "/inform{\"code\": \"confirm\"}")

    def consent(self, yes: bool, record_no: bool = True):
        if yes:
            qn.record_answer(self.state, qn.CONSENT_ID, True)
            self.state["phase"], self.state["current"] = qn.PHASE_DONE, None
        else:  # nothing is kept. The state branch flags "declined" and leaves the consent
            # slot unset (record_no=False); record_no=True writes the "no" as the slot instead.
            self.state = qn.new_state()
            self.state["phase"] = qn.PHASE_DONE
            if record_no:
                self.state["answers"][qn.CONSENT_ID] = False
            else:
                self.state["declined"] = True
        return self._turn("affirm" if yes else "deny", "action_intake_answer", "ja" if yes else "nee")

    def restart(self):
        self._turn("start_over", "action_restart_intake", "opnieuw", ["Weet u het zeker?"])
        self.state = qn.new_state()
        self._advance()
        return self._turn("affirm", "action_intake_answer", "ja", ["We beginnen opnieuw."])

    def crisis(self):
        texts = [m.text for m in safety.crisis_messages(None)]
        return self._turn("crisis", "action_crisis", replies=texts, crisis_reply=True)

    def human_contact(self, by_intent: bool = True):
        self.state["human_contact_requested"] = True
        texts = [m.text for m in scope.human_contact_messages(None)]
        return self._turn("human_contact" if by_intent else "inform",
                          "action_human_contact" if by_intent else "action_intake_answer", replies=texts)


async def store_all(store, domain, conversations: List[Conversation]) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    for c in conversations:
        tracker = DialogueStateTracker.from_events(c.sender_id, c.events, slots=domain.slots)
        await store.save(tracker)
