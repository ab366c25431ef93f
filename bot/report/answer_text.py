"""Plain-Dutch rendering of stored answers (read-back, patient copy, care-team text).

How an answer reads is the question's ``answer_text`` rule in questions.yml (default by
answer type; docs/content.md); the words are in bot/content/texts.yml."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from bot import content
from bot.language import dutch


def describe_answer(question_id: str, value: Any) -> str:
    """One answer in plain Dutch, without internal codes."""
    q = content.question(question_id)
    rule = q["answer_text"]
    if value is None:
        return content.text("answer_skipped")
    if rule == "label":
        return content.option_label(q, str(value))
    if rule == "labels":
        return ", ".join(content.option_label(q, str(c)) for c in value) or content.text("answer_none_chosen")
    if rule == "yes_no":
        return content.text("answer_yes" if value else "answer_no")
    if rule in ("number", "with_unit"):
        number = int(value) if float(value).is_integer() else value
        return (
            content.text("answer_with_unit", value=number, unit=q["unit"])
            if rule == "with_unit"
            else str(number)
        )
    if rule == "scale":
        return content.text("answer_scale", value=value, max=q["max"])
    if rule == "date_and_weeks":
        weeks = value.get("weeks")
        when = dutch.format_date(value["date"]) if value.get("date") else content.text("answer_date_unknown")
        return (
            content.text("answer_date_and_weeks", date=when, weeks=dutch.weeks(weeks))
            if weeks is not None
            else when
        )
    return str(value)


def readback_items(answers: Dict[str, Any], skipped: Sequence[str] = ()) -> List[Tuple[str, str, str]]:
    """(question id, Dutch label, Dutch answer) for every answered or skipped question,
    in questionnaire order; consent is never part of the read-back."""
    items = []
    consent = content.consent_id()
    for q in content.questions():
        qid = q["id"]
        if qid == consent:
            continue
        if qid in answers:
            text = describe_answer(qid, answers[qid])
            extra = answers.get(f"{qid}_text")
            if extra:
                text = content.text("answer_with_extra", answer=text, extra=extra)
            items.append((qid, q["readback"], text))
        elif qid in skipped:
            items.append((qid, q["readback"], content.text("answer_skipped")))
    return items
