"""Loading and validating the content files in bot/content/ (questions, messages)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

from bot.intake.conditions import evaluate, referenced_facts

CONTENT_DIR = Path(__file__).resolve().parent

ANSWER_TYPES = {"choice", "multi_choice", "number", "scale", "date_or_duration", "text", "yes_no"}
CONTEXT_FACTS = {"returning_patient", "channel", "appointment_code"}


class ContentError(ValueError):
    """A content file is malformed."""


def load_yaml(name: str) -> Any:
    with open(CONTENT_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=None)
def questionnaire() -> Dict[str, Any]:
    data = load_yaml("questions.yml")
    _validate_questions(data)
    return data


def questions() -> List[Dict[str, Any]]:
    return questionnaire()["questions"]


def question(question_id: str) -> Dict[str, Any]:
    return questions_by_id()[question_id]


@lru_cache(maxsize=None)
def questions_by_id() -> Dict[str, Dict[str, Any]]:
    return {q["id"]: q for q in questions()}


def follow_up_of(question_id: Optional[str]) -> Optional[str]:
    """The id of the question that follows up `question_id` (its free text), or None."""
    for q in questions():
        if q.get("follow_up_of") == question_id:
            return q["id"]
    return None


def named_conditions() -> Dict[str, Any]:
    return questionnaire().get("conditions", {})


def applies(q: Dict[str, Any], facts: Dict[str, Any]) -> bool:
    return evaluate(q.get("when", "always"), facts, named_conditions())


def option_codes(q: Dict[str, Any]) -> List[str]:
    return [str(o["code"]) for o in q.get("options", [])]


def option_label(q: Mapping[str, Any], code: str) -> str:
    for o in q.get("options", []):
        if str(o["code"]) == code:
            return o["label"]
    raise KeyError(code)


@lru_cache(maxsize=None)
def messages() -> Dict[str, Any]:
    return load_yaml("messages.yml")


def message(key: str, **fmt: Any) -> str:
    text = messages()[key]
    return text.format(**fmt) if fmt else text


def _validate_questions(data: Dict[str, Any]) -> None:
    seen = set()
    named = data.get("conditions", {})
    ids = {q["id"] for q in data["questions"]}
    for q in data["questions"]:
        qid = q.get("id")
        if not qid or qid in seen:
            raise ContentError(f"missing or duplicate question id: {qid!r}")
        seen.add(qid)
        for key in ("text", "answer_type", "hint", "readback", "source"):
            if not q.get(key):
                raise ContentError(f"{qid}: missing {key}")
        if q["answer_type"] not in ANSWER_TYPES:
            raise ContentError(f"{qid}: unknown answer_type {q['answer_type']}")
        if q["answer_type"] in ("choice", "multi_choice") and not q.get("options"):
            raise ContentError(f"{qid}: a {q['answer_type']} question needs options")
        for fact in referenced_facts(q.get("when", "always"), named):
            if fact not in ids and fact not in CONTEXT_FACTS:
                raise ContentError(f"{qid}: condition reads unknown fact {fact!r}")
