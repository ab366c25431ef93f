"""Plays the blind conversation corpus (tests/conversations/, FORMAT.md) against the real
entry bot.dialogue.conversation.respond, with the real NLU model, and scores the outcome."""
from __future__ import annotations

import copy
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from bot import content
from bot.dialogue.conversation import respond
from bot.dialogue.interpret.meaning import Turn
from bot.intake import questionnaire as qn
from tests.support.phases import TODAY, RecordingHandoff

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "conversations"
CONFIRM_READBACK = "ja, dat klopt allemaal"
UNSCRIPTED = "sla maar over"
HEALTH_SIGNALS = {"current_absence", "long_absence", "work_barriers", "work_aggravates", "low_work_ability",
                  "doubtful_return", "adjustments_needed", "low_workplace_support", "informal_care",
                  "multiple_problems", "support_wish"}


def load(split: str) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for path in sorted((CORPUS / split).glob("*.yml")):
        out += yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return out


def _norm(text: Any) -> str:
    text = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@dataclass
class Outcome:
    conv_id: str
    completed: bool = False
    fields_total: int = 0
    fields_right: int = 0
    field_errors: List[str] = field(default_factory=list)
    signals_right: Optional[bool] = None
    signal_diff: str = ""
    attention_expected: Optional[bool] = None
    attention_got: Optional[bool] = None
    events_total: int = 0
    events_right: int = 0
    event_errors: List[str] = field(default_factory=list)
    saved_questions: int = 0
    confirmations: int = 0          # the assistant checked a guess ("Bedoelt u 32?")
    button_fallbacks: List[str] = field(default_factory=list)   # fields the text did not give
    event_kinds: Dict[str, List[int]] = field(default_factory=dict)   # expect -> [right, total]
    unscripted: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)


class Player:
    def __init__(self, parser):
        self.parser = parser

    def turn(self, text: str, metadata: Optional[Dict[str, Any]] = None) -> Turn:
        if text.startswith("/code:"):
            code = text[len("/code:"):]
            return Turn(text=f'/inform{{"code": "{code}"}}', intent="inform", code=code,
                        conversation_id="corpus", today=TODAY)
        if text == "/skip":
            return Turn(text='/inform{"code": "skip"}', intent="skip", code="skip", conversation_id="corpus",
                        today=TODAY)
        if text.startswith("/start"):
            return Turn(text="/start", intent="start", metadata=metadata or {}, conversation_id="corpus",
                        today=TODAY)
        intent, confidence, ranking, _ = self.parser.parse(text)
        return Turn(text=text, intent=intent, confidence=confidence, ranking=ranking,
                    conversation_id="corpus", today=TODAY)

    def play(self, conv: Dict[str, Any]) -> Outcome:
        out = Outcome(conv["id"])
        handoff = RecordingHandoff()
        events: Dict[str, List[Dict[str, Any]]] = {}
        for ev in conv.get("events") or []:
            events.setdefault(str(ev.get("before")), []).append(ev)
        replies = {str(k): v for k, v in (conv.get("replies") or {}).items()}
        state: Optional[Dict[str, Any]] = None
        state = self._events(out, events.pop("start", []), state, handoff)
        state = respond(state, self.turn("/start", conv.get("metadata") or {}), handoff).state
        asked: List[str] = []
        last_answers: Dict[str, Any] = {}
        readback_sent = False
        tries: Dict[str, int] = {}
        for _ in range(120):
            phase = state["phase"]
            if phase == qn.PHASE_DONE:
                break
            key = state["current"] if phase == qn.PHASE_ASKING else ("readback" if phase == qn.PHASE_READBACK
                                                                      else qn.CONSENT_ID)
            if key in events:
                state = self._events(out, events.pop(key), state, handoff)
                continue
            if phase in (qn.PHASE_READBACK, qn.PHASE_CONSENT):
                last_answers = copy.deepcopy(state["answers"])
            if phase == qn.PHASE_ASKING:
                if key not in asked:
                    asked.append(key)
                text = replies.get(key)
                tries[key] = tries.get(key, 0) + 1
                pending = state.get("pending")
                want = (conv.get("expect") or {}).get("answers", {}).get(key)
                if pending and pending.get("question_id") == key:
                    out.confirmations += 1      # a patient says yes to a right guess, no to a wrong one
                    text = "ja" if want is not None and _same(key, want, pending["value"]) else "nee"
                    if tries[key] > 4:
                        text = "/skip"
                elif text is None:
                    out.unscripted.append(key)
                    text = UNSCRIPTED
                elif tries[key] == 2 and want is not None and _button(key, want):
                    out.button_fallbacks.append(key)   # the patient uses the buttons
                    out.notes.append(f"not understood at {key}: {text!r}")
                    text = _button(key, want)
                elif tries[key] >= 2:
                    out.notes.append(f"stuck at {key}: {text!r}")
                    text = "/skip"
            elif phase == qn.PHASE_READBACK:
                pending = [] if readback_sent else list(conv.get("readback") or [])
                readback_sent = True
                for msg in pending:
                    state = respond(state, self.turn(str(msg)), handoff).state
                    if state["phase"] == qn.PHASE_ASKING:     # asked to answer again
                        break
                if state["phase"] != qn.PHASE_READBACK:
                    continue
                text = CONFIRM_READBACK
            else:
                text = str(replies.get(qn.CONSENT_ID, "ja"))
            state = respond(state, self.turn(str(text)), handoff).state
        else:
            out.notes.append("did not finish in 120 messages")
        state = self._events(out, events.pop("done", []), state, handoff) if state else state
        for key in events:
            out.event_errors.append(f"event before {key} never sent (question not asked)")
            out.events_total += len(events[key])
        self._score(out, conv, state, handoff, asked, last_answers)
        return out

    # -- events -------------------------------------------------------------------------
    def _events(self, out: Outcome, evs: List[Dict[str, Any]], state, handoff):
        for ev in evs:
            before = copy.deepcopy(state)
            result = respond(state, self.turn(str(ev["say"])), handoff)
            state = result.state
            text = " ".join(m.text or "" for m in result.messages)
            ok = self._event_ok(ev, before, state, text)
            out.events_total += 1
            out.events_right += ok
            tally = out.event_kinds.setdefault(str(ev.get("expect")), [0, 0])
            tally[0] += int(ok)
            tally[1] += 1
            if not ok:
                out.event_errors.append(f"{ev.get('expect')} before {ev.get('before')}: {ev['say']!r}")
        return state

    @staticmethod
    def _event_ok(ev, before, after, text) -> bool:
        expect = ev.get("expect")
        same_answers = (before or {}).get("answers") == (after or {}).get("answers")
        same_place = (before or {}).get("current") == (after or {}).get("current")
        if expect == "crisis":
            kept = before == after if before is not None else True
            return "0800-0113" in text and kept
        if expect == "faq":
            return ev.get("topic") in (after or {}).get("faq_topics", [])
        if expect == "restart_confirm":
            return bool((after or {}).get("confirm_restart")) and same_answers
        if expect == "continue":
            return same_answers and same_place and not (after or {}).get("confirm_restart")
        if expect == "human_contact":
            return bool((after or {}).get("human_contact_requested"))
        if expect == "out_of_scope":
            return same_answers
        if expect == "other_language":
            lang = content.load_yaml("languages.yml")["languages"].get(ev.get("language"), {})
            return any(t in text for t in lang.get("texts", []))
        return True

    # -- scoring ------------------------------------------------------------------------
    def _score(self, out: Outcome, conv, state, handoff, asked, last_answers) -> None:
        expect = conv.get("expect") or {}
        consent = expect.get("consent", True)
        if consent:
            out.completed = bool(handoff.stored)
        else:
            out.completed = not handoff.stored and state is not None and state["phase"] == qn.PHASE_DONE
        answers = last_answers
        for qid, want in (expect.get("answers") or {}).items():
            out.fields_total += 1
            got = answers.get(qid)
            if qid in out.button_fallbacks:
                out.field_errors.append(f"{qid}: not understood from the text (button used)")
            elif _same(qid, want, got):
                out.fields_right += 1
            else:
                out.field_errors.append(f"{qid}: want {want!r}, got {got!r}")
        skipped_now = set(state.get("skipped") or []) if state else set()
        for qid in expect.get("skipped") or []:
            out.fields_total += 1
            if qid in skipped_now or (qid not in answers and qid in asked):
                out.fields_right += 1
            else:
                out.field_errors.append(f"{qid}: want skipped, got {answers.get(qid)!r}")
        for qid in expect.get("not_asked") or []:
            if qid not in asked and qid in answers:
                out.saved_questions += 1
        if consent and handoff.stored:
            summary = handoff.stored[-1]
            got = {s["code"] if isinstance(s, dict) else s for s in summary.get("signals") or []}
            want = set(expect.get("signals") or [])
            out.signals_right = got == want
            if got != want:
                out.signal_diff = f"missing {sorted(want - got)}, extra {sorted(got - want)}"
            out.attention_got = bool(summary.get("attention"))
            if "attention" in expect:
                out.attention_expected = bool(expect["attention"])
            topics = set(summary.get("faq_topics") or [])
            for topic in expect.get("faq_topics") or []:
                out.events_total += 1
                if topic in topics:
                    out.events_right += 1
                else:
                    out.event_errors.append(f"faq topic {topic} not answered")


def _same(qid: str, want: Any, got: Any) -> bool:
    try:
        q = content.question(qid)
    except KeyError:
        return False
    kind = q["answer_type"]
    if got is None:
        return False
    if kind == "text":
        return _norm(want) in _norm(got)
    if kind == "multi_choice":
        want_set = set(want if isinstance(want, list) else [want])
        return want_set == set(got if isinstance(got, list) else [got])
    if kind == "date_or_duration":
        weeks = (want or {}).get("weeks") if isinstance(want, dict) else None
        return weeks is not None and isinstance(got, dict) and got.get("weeks") is not None and \
            abs(int(got["weeks"]) - int(weeks)) <= 1
    if kind == "number":
        return abs(float(want) - float(got)) <= 0.5
    if kind == "yes_no":
        return bool(want) == bool(got)
    if isinstance(want, bool):
        want = "yes" if want else "no"
    return str(want) == str(got)


def _button(qid: str, want: Any) -> Optional[str]:
    """The button code(s) a patient would click for the expected answer, if any."""
    kind = content.question(qid)["answer_type"]
    if kind in ("choice",):
        return f"/code:{'yes' if want is True else 'no' if want is False else want}"
    if kind == "multi_choice":
        return "/code:" + ",".join(want if isinstance(want, list) else [want])
    if kind == "yes_no":
        return f"/code:{'yes' if want else 'no'}"
    if kind in ("scale", "number"):
        return f"/code:{want}"
    return None


def summarise(outcomes: List[Outcome]) -> Dict[str, float]:
    n = max(1, len(outcomes))
    fields_total = sum(o.fields_total for o in outcomes)
    with_signals = [o for o in outcomes if o.signals_right is not None]
    health = [o for o in outcomes if o.attention_expected is True]
    healthy = [o for o in outcomes if o.attention_expected is False]
    events_total = sum(o.events_total for o in outcomes)
    kinds: Dict[str, List[int]] = {}
    for o in outcomes:
        for kind, (right, total) in o.event_kinds.items():
            tally = kinds.setdefault(kind, [0, 0])
            tally[0] += right
            tally[1] += total
    return {
        "event_kinds": kinds,
        "conversations": len(outcomes),
        "completion": sum(o.completed for o in outcomes) / n,
        "field_accuracy": sum(o.fields_right for o in outcomes) / max(1, fields_total),
        "fields": fields_total,
        "signal_accuracy": sum(bool(o.signals_right) for o in with_signals) / max(1, len(with_signals)),
        "attention_with_health_signal": sum(bool(o.attention_got) for o in health) / max(1, len(health)),
        "attention_without_health_signal": sum(bool(o.attention_got) for o in healthy) / max(1, len(healthy)),
        "event_accuracy": sum(o.events_right for o in outcomes) / max(1, events_total),
        "questions_saved": sum(o.saved_questions for o in outcomes),
        "unscripted_questions": sum(len(o.unscripted) for o in outcomes),
        "confirmations": sum(o.confirmations for o in outcomes),
        "button_fallbacks": sum(len(o.button_fallbacks) for o in outcomes),
    }


def dump(outcomes: List[Outcome], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([o.__dict__ for o in outcomes], indent=1, ensure_ascii=False), encoding="utf-8")

