"""Facts of later questions that a patient gives in passing ("ik werk 32 uur als
verpleegkundige in vaste dienst"): taken, so those questions are not asked again, and
shown at the read-back like every other answer.

Only the facts the guideline's first questions carry are taken — kind of work,
employment type, hours and a sick report — and only from answers to those first
questions, where patients tell them naturally. Which question is taken from which
answers is its `harvest` key in questions.yml: `from` (the answers), `when` (a condition
on the answers so far), `cue` (a pattern below that must occur; the text is then parsed
by the same parser as the question itself would use, so it is stored in the same form),
or `extract` (an extractor below), and `except` (values not taken).
"""

from __future__ import annotations

import re
from typing import Any, Dict

from bot import content
from bot.intake.conditions import evaluate
from bot.language.answers import parse_answer
from bot.language.extract.jobs import EMPLOYMENT_WORDS, occupation_in

HOURS_HINT = re.compile(
    r"\b(uur|uren|dagen|dag|fulltime|full-time|parttime|part-time|voltijd|deeltijd)\b", re.IGNORECASE
)
SICK_HINT = re.compile(
    r"\bziek\s*gemeld|\bziekgemeld|\bziekmelding|\bziek\s+thuis|\bin\s+de\s+ziektewet|"
    r"\bre-?integr",
    re.IGNORECASE,
)
EMPLOYMENT_HINT = re.compile(rf"\b{EMPLOYMENT_WORDS}\b", re.IGNORECASE)


def harvest(
    state: Dict[str, Any], answered_id: str, value: Any, text: str, today: Any = None
) -> Dict[str, Any]:
    """{question id: value} for later, unanswered questions that `text` already answers."""
    if not text:
        return {}
    found: Dict[str, Any] = {}
    answered = dict(state["answers"], **{answered_id: value})
    named = content.named_conditions()
    for q in content.questions():
        rule, qid = q.get("harvest"), q["id"]
        if not rule or answered_id not in rule["from"] or qid == answered_id:
            continue
        if qid in state["answers"] or qid in state["skipped"]:
            continue
        if not evaluate(rule.get("when", "always"), answered, named):
            continue
        if rule.get("extract"):
            taken = EXTRACTORS[rule["extract"]](text)
        elif CUES[rule["cue"]].search(text):
            parsed = parse_answer(q, text, None, today)
            taken = parsed.value if parsed.status == "ok" else None
        else:
            taken = None
        if taken is not None and taken not in rule.get("except", ()):
            found[qid] = taken
    return found


CUES = {"employment": EMPLOYMENT_HINT, "hours": HOURS_HINT, "sick": SICK_HINT}
EXTRACTORS = {"job_title": lambda text: occupation_in(text, titles_only=True)}
