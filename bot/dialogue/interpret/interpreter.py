"""The one place that decides what a patient's message means.

Fixed priority (docs/architecture.md, "One message"):
1. safety      crisis language, on every message in every phase, before anything else;
2. language    a message in English, Turkish, Arabic or Polish;
3. navigation  start, restart (confirmed first), back, skip button, undo, correction —
               only when the message IS that command;
4. answers     the answer to the pending question, and later facts said in passing;
5. questions   an FAQ topic or another digression (a message may hold an answer AND a
               question: both are kept);
6. not understood.
Nothing here changes the state: bot/dialogue/conversation.py acts on the result.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Optional

from bot import content
from bot.dialogue.interpret import facts, language, mixed
from bot.dialogue.interpret import meaning as m
from bot.dialogue.interpret.meaning import Correction, Interpretation, Turn
from bot.intake import questionnaire as qn
from bot.knowledge import safety_classifier
from bot.knowledge.safety import CrisisMatch, detect_crisis
from bot.language.answers import ParseResult, parse_answer
from bot.language.extract.control import cancels, detect_control, restart_clause
from bot.language.extract.normalize import normalize
from bot.language.extract.numbers import find_numbers
from bot.language.extract.yes_no import leading_yes_no, parse_yes_no

MODEL_CRISIS_MIN = 0.8  # the NLU's crisis intent alone makes us ask, only when this sure
NAV_INTENT_MIN = 0.7  # restart/back by the classifier alone: short and sure
NAV_INTENT_MAX_WORDS = 6
DIGRESSION_INTENT_MIN = 0.7  # a free-text question still takes a sure greeting/request as such
FAQ_INTENT_MIN = 0.2
FAQ_SURE = 0.6  # an FAQ intent this sure outweighs the out-of-scope word list
DIGRESSIONS = ("out_of_scope", "human_contact", "greet", "thank", "goodbye")
UNDO = {
    "ongedaan maken",
    "maak ongedaan",
    "maak dat ongedaan",
    "terugdraaien",
    "draai terug",
    "draai dat terug",
    "undo",
    "herstel",
    "nee dat klopte wel",
    "dat klopte wel",
    "zet het terug",
    "zet terug",
    "vorige antwoord terug",
    "wijziging terugdraaien",
}


def interpret(state: Optional[Dict[str, Any]], turn: Turn) -> Interpretation:
    text = turn.text or ""
    payload = text.startswith("/")
    # 1. safety
    if not payload:
        match = detect_crisis(text)
        if match is not None and match.denied:
            return Interpretation(safety_check=True, reasons=[f"denied:{match.pattern_id}"])
        if match is not None:
            return Interpretation(crisis=match, reasons=[f"rule:{match.pattern_id}"])
        if turn.intent == "crisis" and turn.confidence >= MODEL_CRISIS_MIN:
            return Interpretation(safety_check=True, reasons=["model"])  # the NLU alone only asks
        if state and state.get("safety_check"):
            answer = _check_answer(turn)
            if answer is True:
                return Interpretation(crisis=CrisisMatch("unknown", "confirmed", ""), reasons=["confirmed"])
        if safety_classifier.needs_check(text):
            return Interpretation(safety_check=True, reasons=["classifier"])
    elif turn.code in ("crisis_yes", "crisis_no") and state and state.get("safety_check"):
        if turn.code == "crisis_yes":
            return Interpretation(crisis=CrisisMatch("unknown", "confirmed", ""), reasons=["confirmed"])
    # 2. language
    lang = None if payload else language.foreign_language(text)
    if lang:
        return Interpretation(language=lang, reasons=[f"language:{lang}"])
    # 3. navigation
    nav = _navigation(state, turn)
    if nav is not None:
        return nav
    phase = state["phase"] if state else qn.PHASE_IDLE
    split = mixed.split_question(text) if not payload else mixed.Split(text, "")
    result = Interpretation()
    # 4. answers
    if phase == qn.PHASE_ASKING and state and state.get("current"):
        result = _answer_pending(state, turn, split)
    elif phase == qn.PHASE_CONSENT:
        parsed = parse_answer(content.question(qn.CONSENT_ID), split.statement or text, turn.code, turn.today)
        if parsed.status != "invalid" or not split.question:
            result.answer = parsed
    elif phase == qn.PHASE_READBACK and (split.statement or not split.question):
        result.answer = ParseResult("ok", split.statement or text)  # read by dialogue.readback_turn
    elif phase == qn.PHASE_IDLE and turn.intent == "affirm" and not split.question:
        result.control = m.START
        return result
    # 5. questions and other digressions
    _add_question(result, turn, split, answered=result.answered)
    return result


# --- navigation ----------------------------------------------------------------------


def _navigation(state: Optional[Dict[str, Any]], turn: Turn) -> Optional[Interpretation]:
    text = turn.text or ""
    in_progress = state is not None and state["phase"] != qn.PHASE_IDLE
    if text.strip().startswith("/start") or (turn.intent == "start" and not in_progress):
        return Interpretation(control=m.START)  # typed words never wipe an intake ("doe maar")
    if (
        state
        and state.get("safety_check")
        and (turn.code == "crisis_no" or (not text.startswith("/") and _check_answer(turn) is False))
    ):
        return Interpretation(control=m.SAFETY_CLEARED)
    if not state or state["phase"] == qn.PHASE_IDLE:
        return None
    if state.get("confirm_restart"):
        answer = _restart_answer(turn)
        if answer is not None:
            return Interpretation(control=answer)
    if turn.code == "skip" and state["phase"] == qn.PHASE_ASKING:
        return Interpretation(control=m.SKIP)
    if text.startswith("/"):
        if turn.intent == "go_back":
            return Interpretation(control=m.BACK)
        return None
    if _core(text) in UNDO:
        return Interpretation(control=m.UNDO)
    kind, rest = detect_control(text)
    if kind == "restart":
        return Interpretation(control=m.RESTART)
    if kind == "back":
        return Interpretation(control=m.BACK)
    if kind == "correction" and rest and cancels(rest):
        return Interpretation(control=m.RESTART_CANCELLED)  # "nee wacht, laat maar": nothing changes
    if kind == "correction" and rest:
        correction = _find_correction(state, rest, turn)
        if correction is not None:
            return Interpretation(control=m.CORRECTION, correction=correction)
        if state["phase"] != qn.PHASE_ASKING or not _fits_current(state, rest, turn):
            return Interpretation(control=m.CORRECTION)  # "which answer?"; nothing is stored
        return None
    current = content.question(state["current"]) if state.get("current") else None
    if state["phase"] == qn.PHASE_READBACK or (
        state["phase"] == qn.PHASE_ASKING and current and current["answer_type"] not in ("number", "scale")
    ):
        correction = _number_correction(state, text, turn)  # "het aantal uren klopt niet, het is 38"
        if correction is not None:
            return Interpretation(control=m.CORRECTION, correction=correction, reasons=["number"])

    if state["phase"] in (qn.PHASE_READBACK, qn.PHASE_ASKING):
        correction = _named_correction(state, text, turn)  # "1 ding klopt niet: geen vast maar oproep"
        if correction is not None:
            return Interpretation(control=m.CORRECTION, correction=correction, reasons=["named"])
    if restart_clause(text):  # "kan ik opnieuw beginnen? ik zei iets fout"
        return Interpretation(control=m.RESTART, reasons=["sentence"])
    short = len(normalize(text).split()) <= NAV_INTENT_MAX_WORDS
    if short and turn.confidence >= NAV_INTENT_MIN and turn.intent in ("start_over", "go_back"):
        if not _valid_answer(state, turn):
            return Interpretation(
                control=m.RESTART if turn.intent == "start_over" else m.BACK, reasons=["intent"]
            )
    return None


def _check_answer(turn: Turn) -> Optional[bool]:
    """The answer to the safety check question: True (yes, in crisis), False or None."""
    yn = parse_yes_no(turn.text or "")
    return None if yn.uncertain else yn.value


def _sentences(text: str):
    parts = [p.strip() for p in re.split(r"[.?!\n]+", text) if p.strip()]
    return parts if len(parts) > 1 else []


def _core(text: str) -> str:
    return " ".join(
        w for w in normalize(text).split() if w not in ("eh", "ehm", "graag", "aub", "alstublieft")
    )


def _restart_answer(turn: Turn) -> Optional[str]:
    if turn.code in ("restart_yes", "restart_no"):
        return m.RESTART_CONFIRMED if turn.code == "restart_yes" else m.RESTART_CANCELLED
    if (turn.text or "").startswith("/"):
        return None
    yn = parse_yes_no(turn.text or "")
    if yn.value is True and not yn.uncertain:
        return m.RESTART_CONFIRMED
    if yn.value is False:
        return m.RESTART_CANCELLED
    return None


def _valid_answer(state: Dict[str, Any], turn: Turn) -> bool:
    current = state.get("current")
    if state["phase"] != qn.PHASE_ASKING or not current:
        return False
    return parse_answer(content.question(current), turn.text, None, turn.today).status == "ok"


def _fits_current(state: Dict[str, Any], rest: str, turn: Turn) -> bool:
    """ "nee, ik bedoel 24 uur" at the hours question is simply its answer; at another
    question ("nee wacht, ik bedoel 38 uur" at the absence question) its "nee" is not."""
    parsed = parse_answer(content.question(state["current"]), rest, None, turn.today)
    return parsed.status in ("ok", "confirm")


def _find_correction(state: Dict[str, Any], rest: str, turn: Turn) -> Optional[Correction]:
    """ "nee, ik bedoel 24 uur": the most recent earlier answer that `rest` fits."""
    candidates = [
        h
        for h in reversed(state["history"])
        if h != state.get("current") and h in state["answers"] and h != qn.CONSENT_ID
    ]
    last_answered = candidates[0] if candidates else None
    named = _number_correction(state, turn.text or rest, turn)  # "ik bedoel 24 uur": hours, by its unit
    if named is not None:
        return named
    first = next(iter(_sentences(rest)), rest)  # later sentences explain
    named_ids = set(_named_questions(normalize(turn.text or rest), candidates))
    candidates = [q for q in candidates if q in named_ids] + [q for q in candidates if q not in named_ids]
    for qid in candidates:
        q = content.question(qid)
        if q["answer_type"] == "text" and qid != last_answered:
            continue
        if q["answer_type"] == "yes_no" and leading_yes_no(first) is None:
            continue  # "ik heb sinds deze maand een vast contract" is no yes to an earlier question
        parsed = parse_answer(q, first, None, turn.today)
        if parsed.status == "ok" and not _only_free_text(q, parsed):
            return Correction(qid, parsed.value, parsed.extra_text)
    return None


CHANGE_CUE = re.compile(
    r"\b(?:klopt niet|kloppen niet|klopt niet helemaal|niet juist|niet correct|niet goed|fout|verkeerd|moet|geen|"
    r"staat|eigenlijk|eerder|maar|ik zei|"
    r"ik bedoel|ik bedoelde|is het|zijn het|wijzig\w*|aanpassen|veranderen)\b"
)
DATE_WORDS = {"datum", "sinds", "vanaf", "weken"}
STRONG_CUE = re.compile(
    r"\b(?:klopt niet|kloppen niet|niet juist|niet goed|fout|verkeerd|moet zijn|ik zei|ik bedoel|ik bedoelde)\b"
)


def _number_correction(state: Dict[str, Any], text: str, turn: Turn) -> Optional[Correction]:
    """A new number for an earlier numeric answer, named by its label or unit ("het
    aantal uren klopt niet, het is 38", "ik bedoel 24 uur") or by its old value ("ik werk
    geen 32 maar 28"): the one numeric answer that fits, else None."""
    low = normalize(text)
    readback = state["phase"] == qn.PHASE_READBACK
    cues = list(CHANGE_CUE.finditer(low))
    if not cues:
        return None
    cue = cues[-1]  # the last cue: the new number follows it
    words = low.split()
    digits = [float(span.value) for span in find_numbers(words)]  # "28", "tweeëndertig"
    tail = low[cue.end() :]
    first_tail = re.split(r"[.?!]", low[cues[0].end() :])[0]  # "ik bedoel 24 uur. ik werk drie dagen"
    found = []
    for qid in qn.answered_ids(state):
        q = content.question(qid)
        old = state["answers"].get(qid)
        kind = q["answer_type"]
        if qid == state.get("current") or kind not in ("number", "scale", "date_or_duration") or old is None:
            continue
        names = {w for w in normalize(f"{q['readback']} {q.get('unit') or ''}").split() if len(w) >= 3}
        if kind == "date_or_duration":
            names |= DATE_WORDS
        by_old_value = isinstance(old, (int, float)) and float(old) in digits
        by_name = bool(names & set(words)) and (readback or STRONG_CUE.search(low) is not None)
        if not (by_old_value or by_name):
            continue
        options = (
            [first_tail, tail, low]
            if kind == "date_or_duration"
            else [first_tail, tail] + [f"{n:g}" for n in digits if n != float(old)][-1:]
        )
        for option in options:
            parsed = parse_answer(q, option, None, turn.today)
            if parsed.status == "ok" and parsed.value != old:
                found.append(Correction(qid, parsed.value, None))
                break
    return found[0] if len(found) == 1 else None


_CLAUSES = re.compile(r"[,.;:!?]+|\bmaar\b")


def _named_questions(low: str, answered: Any) -> list:
    """Answered questions that the text names by their `named_by` words or read-back label."""
    said = f" {low} "
    found = []
    for qid in answered:
        q = content.question(qid)
        words = [normalize(w) for w in q.get("named_by") or ()] + [normalize(q["readback"])]
        if any(w and f" {w} " in said for w in words):
            found.append(qid)
    return found


def _named_correction(state: Dict[str, Any], text: str, turn: Turn) -> Optional[Correction]:
    """A new answer for an earlier question that the text names ("het cijfer voor hoe
    goed ik kan werken klopt niet, dat moet een 4 zijn", "1 ding klopt niet, ik heb geen
    vast contract maar een oproepcontract", "het klopt niet dat ik sinds 1 oktober thuis
    zit, dat is al sinds 1 september"). At the read-back any change word will do; during
    the questions only a clear one ("klopt niet", "ik zei"). The clauses are read from
    the last one back, so the new value wins over the old one it mentions."""
    low = normalize(text)
    readback = state["phase"] == qn.PHASE_READBACK
    if not (CHANGE_CUE.search(low) if readback else STRONG_CUE.search(low)):
        return None
    answered = [qid for qid in qn.answered_ids(state) if qid != state.get("current") and qid != qn.CONSENT_ID]
    found = []
    for qid in _named_questions(low, answered):
        q, old = content.question(qid), state["answers"].get(qid)
        if q["answer_type"] == "text":
            continue
        clauses = [c for c in _CLAUSES.split(text) if normalize(c)]
        for option in [*reversed(clauses), text]:
            parsed = parse_answer(q, option, None, turn.today)
            if parsed.status == "ok" and parsed.value != old and not _only_free_text(q, parsed):
                found.append(Correction(qid, parsed.value, parsed.extra_text))
                break
    return found[0] if len(found) == 1 else None


# --- answers -------------------------------------------------------------------------


def _answer_pending(state: Dict[str, Any], turn: Turn, split: mixed.Split) -> Interpretation:
    qid = state["current"]
    q = content.question(qid)
    result = Interpretation()
    whole_is_answer = q.get("follow_up_of") or (
        q["answer_type"] == "yes_no" and content.follow_up_of(qid) is not None
    )
    if (
        split.question
        and whole_is_answer
        and not q.get("follow_up_of")
        and not turn.code
        and leading_yes_no(turn.text) is None
        and (_faq_topic(turn) or _medical_or_person(turn, split.question))
    ):
        return result  # an FAQ or medical question at "Heeft u vragen?": answer it, ask again
        #                      ("ja, ik wil weten ..." opens with its answer: read as the answer)
    if split.question and not whole_is_answer and not turn.code:
        if not split.statement:
            if len(normalize(turn.text or "").split()) > 3 or _faq_topic(turn):
                return result  # only a question
            parsed = parse_answer(q, turn.text, None, turn.today)  # "32?": an unsure answer
        else:
            parsed = parse_answer(q, split.statement, None, turn.today)
            if _only_free_text(q, parsed):
                return result  # "ik typ niet zo makkelijk": not an answer
    else:
        if (
            q["answer_type"] == "text"
            and not q.get("follow_up_of")
            and _sure_digression(turn, statement=True)
        ):
            return result
        if (
            q["answer_type"] == "yes_no"
            and split.question
            and leading_yes_no(turn.text) is None
            and _medical_or_person(turn, split.question)
        ):
            return result  # "zijn mijn uitslagen al binnen?" is no answer
        parsed = parse_answer(q, turn.text, turn.code, turn.today)
    pending = state.get("pending")
    if pending and pending.get("question_id") == qid and not turn.code:
        confirm = parse_answer(content.question(qn.CONSENT_ID), turn.text, None, turn.today)
        if confirm.status == "ok":
            parsed = ParseResult("ok" if confirm.value else "rejected", pending["value"])
    if (
        parsed.status == "invalid"
        and parsed.control is None
        and not split.question
        and _sure_digression(turn)
    ):
        return result
    result.answer = parsed
    if parsed.status == "ok" and not turn.code:
        result.extra_facts = facts.harvest(state, qid, parsed.value, split.statement or turn.text, turn.today)
    return result


def _only_free_text(q: Dict[str, Any], parsed: ParseResult) -> bool:
    """A multi-choice answer that matched no option (only "other") is no answer when the
    message also asks something."""
    return q["answer_type"] == "multi_choice" and parsed.status == "ok" and parsed.value == ["other"]


def _medical(question: str, turn: Optional[Turn] = None) -> bool:
    """A medical question (results, medication, ...), unless the NLU is sure it is one
    of our topics ("vertelt de bedrijfsarts mijn diagnose aan mijn werkgever?")."""
    from bot.knowledge import scope

    if turn is not None and (turn.intent or "").startswith("faq_") and turn.confidence >= FAQ_SURE:
        return False
    return scope.out_of_scope_category(question) == "medical"


def _medical_or_person(turn: Turn, question: str) -> bool:
    intent = turn.intent or ""
    if intent in ("out_of_scope", "human_contact") and turn.confidence >= 0.5:
        return True
    return _medical(question, turn)


def _sure_digression(turn: Turn, statement: bool = False) -> bool:
    """A sure greeting, request for a person or out-of-scope remark; an FAQ intent only
    when the message is not a plain statement (a free-text answer often sounds like a
    topic: "ik zit thuis, het uitzendbureau belt af en toe")."""
    intent = turn.intent or ""
    if turn.confidence < DIGRESSION_INTENT_MIN:
        return False
    if statement and intent == "human_contact" and not _asks_for_person(turn.text or ""):
        return False  # "verpleegkundige op de afdeling orthopedie" is a job, not a request
    return intent in DIGRESSIONS or (intent.startswith("faq_") and not statement)


def _asks_for_person(text: str) -> bool:
    cues = content.load("scope").get("human_contact_cues") or ()
    words = normalize(text).split()
    return any(w.startswith(cue) for w in words for cue in cues)


# --- questions and digressions ---------------------------------------------------------


def _add_question(result: Interpretation, turn: Turn, split: mixed.Split, answered: bool) -> None:
    from bot.knowledge.faq import topic_for_intent

    intent = turn.intent or ""
    if split.question:
        result.question_text = split.question
        if _medical(split.question, turn):  # medical questions always go to the care team
            result.digression = "out_of_scope"
            return
        topic = _faq_topic(turn)
        if topic is None and not (intent in DIGRESSIONS and turn.confidence >= 0.5):
            guessed = mixed.guess_topic_intent(split.question)
            topic = topic_for_intent(guessed) if guessed else None
        result.topic = topic
        if (
            topic is None
            and intent in ("human_contact", "out_of_scope")
            or (topic is None and not answered and intent in DIGRESSIONS)
        ):
            result.digression = intent  # kept beside an answer too (conversation.respond)
        return
    if answered:
        return
    if intent.startswith("faq_"):
        result.topic = topic_for_intent(intent)
    if result.topic is None and intent in DIGRESSIONS:
        result.digression = intent


def _faq_topic(turn: Turn) -> Optional[str]:
    from bot.knowledge.faq import topic_for_intent

    if (turn.intent or "").startswith("faq_"):
        return topic_for_intent(turn.intent)
    for name, confidence in turn.ranking:
        if name.startswith("faq_") and confidence >= FAQ_INTENT_MIN:
            return topic_for_intent(name)
    return None
