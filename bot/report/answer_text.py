"""Plain-Dutch rendering of stored answers (read-back, patient copy, care-team text)."""
from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Sequence, Tuple

from bot import content

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
             "augustus", "september", "oktober", "november", "december"]


def format_date_nl(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {MONTHS_NL[d.month - 1]} {d.year}"


def describe_answer(question_id: str, value: Any) -> str:
    """One answer in plain Dutch, without internal codes."""
    q = content.question(question_id)
    kind = q["answer_type"]
    if value is None:
        return "Overgeslagen"
    if kind == "choice":
        return content.option_label(q, str(value))
    if kind == "multi_choice":
        return ", ".join(content.option_label(q, str(c)) for c in value) or "Geen"
    if kind == "yes_no":
        return "Ja" if value else "Nee"
    if kind == "number":
        number = int(value) if float(value).is_integer() else value
        return f"{number} uur per week" if question_id == "hours_per_week" else str(number)
    if kind == "scale":
        return f"{value} van de 10"
    if kind == "date_or_duration":
        weeks = value.get("weeks")
        when = format_date_nl(value["date"]) if value.get("date") else "onbekend"
        return f"{when} ({weeks} {'week' if weeks == 1 else 'weken'})" if weeks is not None else when
    return str(value)


def readback_items(answers: Dict[str, Any], skipped: Sequence[str] = ()) -> List[Tuple[str, str, str]]:
    """(question id, Dutch label, Dutch answer) for every answered or skipped question,
    in questionnaire order; consent is never part of the read-back."""
    items = []
    for q in content.questions():
        qid = q["id"]
        if qid == "consent_share":
            continue
        if qid in answers:
            text = describe_answer(qid, answers[qid])
            extra = answers.get(f"{qid}_text")
            if extra:
                text = f"{text} ({extra})"
            items.append((qid, q["readback"], text))
        elif qid in skipped:
            items.append((qid, q["readback"], "Overgeslagen"))
    return items
