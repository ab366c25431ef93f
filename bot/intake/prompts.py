"""Rendering of questions, the read-back and the consent question as messages.

Every intake question is a text message with buttons plus a message whose `custom`
payload tells any client what is asked (spec §5).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot import content
from bot.dialogue.messages import Button, Message, inform_payload
from bot.intake import questionnaire
from bot.report.answer_text import readback_items

YES_NO_OPTIONS = [{"code": "yes", "label": "Ja"}, {"code": "no", "label": "Nee"}]


def question_text(state: Dict[str, Any], q: Dict[str, Any]) -> str:
    """The question's wording, with a variant chosen by an earlier answer if defined."""
    for fact, variants in (q.get("text_by_answer") or {}).items():
        value = state["answers"].get(fact)
        if isinstance(value, str) and value in variants:
            return variants[value]
    return q["text"]


def options_of(q: Dict[str, Any]) -> List[Dict[str, str]]:
    if q["answer_type"] == "yes_no":
        return list(YES_NO_OPTIONS)
    return [{"code": str(o["code"]), "label": o["label"]} for o in q.get("options", [])]


def question_custom(q: Dict[str, Any], **extra: Any) -> Dict[str, Any]:
    custom: Dict[str, Any] = {
        "question_id": q["id"],
        "answer_type": q["answer_type"],
        "options": options_of(q),
    }
    if "min" in q:
        custom["min"], custom["max"] = q["min"], q["max"]
    custom.update(extra)
    return custom


def question_messages(state: Dict[str, Any], question_id: str, text: str | None = None) -> List[Message]:
    q = content.question(question_id)
    if question_id == questionnaire.CONSENT_ID and not questionnaire.has_care_team(state):
        text = text or content.message("consent_question_no_care_team")
    buttons = []
    if q["answer_type"] in ("choice", "multi_choice", "yes_no"):
        buttons = [Button(o["label"], inform_payload(o["code"])) for o in options_of(q)]
    return [
        Message(text=text or question_text(state, q), buttons=buttons),
        Message(custom=question_custom(q)),
    ]


def retry_messages(state: Dict[str, Any], question_id: str, hint: str, offer_skip: bool) -> List[Message]:
    """An unusable answer: a specific hint, the question again, and after two misses
    the offer to skip it."""
    msgs = [Message(text=hint)]
    if offer_skip:
        msgs.append(
            Message(
                text=content.message("offer_skip"), buttons=[Button(content.message("button_skip"), "/skip")]
            )
        )
    msgs.extend(question_messages(state, question_id))
    return msgs


def confirm_messages(question_id: str, confirm_text: Optional[str], value: Any) -> List[Message]:
    return [
        Message(
            text=confirm_text,
            buttons=[
                Button(content.message("confirm_yes"), inform_payload("yes")),
                Button(content.message("confirm_no"), inform_payload("no")),
            ],
        ),
        Message(
            custom={
                "question_id": question_id,
                "answer_type": "yes_no",
                "options": list(YES_NO_OPTIONS),
                "confirm_value": value,
            }
        ),
    ]


def readback_messages(state: Dict[str, Any]) -> List[Message]:
    items = readback_items(state["answers"], state["skipped"])
    lines = "\n".join(f"• {label}: {text}" for _, label, text in items)
    return [
        Message(text=f"{content.message('readback_intro')}\n{lines}"),
        Message(
            text=content.message("readback_question"),
            buttons=[
                Button(content.message("readback_confirm"), inform_payload("confirm")),
                Button(content.message("readback_change"), inform_payload("change")),
            ],
        ),
        Message(
            custom={
                "question_id": "readback",
                "answer_type": "choice",
                "options": [
                    {"code": "confirm", "label": content.message("readback_confirm")},
                    {"code": "change", "label": content.message("readback_change")},
                ],
                "items": [{"question_id": qid, "label": label, "answer": text} for qid, label, text in items],
            }
        ),
    ]


def readback_choice_messages(state: Dict[str, Any]) -> List[Message]:
    items = readback_items(state["answers"], state["skipped"])
    options = [{"code": qid, "label": label} for qid, label, _ in items]
    return [
        Message(
            text=content.message("readback_which"),
            buttons=[Button(o["label"], inform_payload(o["code"])) for o in options],
        ),
        Message(custom={"question_id": "readback_change", "answer_type": "choice", "options": options}),
    ]


def consent_messages(state: Dict[str, Any], retention_days: int) -> List[Message]:
    if questionnaire.has_care_team(state):
        explain = content.message("consent_explain", days=retention_days)
    else:
        explain = content.message("consent_explain_no_care_team")
    return [Message(text=explain)] + question_messages(state, questionnaire.CONSENT_ID)
