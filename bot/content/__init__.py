"""The content of bot/content/: the loader (``load``, ``load_dir``, ``file_text``,
``ContentError``; see bot/content/loader.py), the questions and messages with their
validation, and the fixed texts of texts.yml and careteam.yml."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional

from bot.content.loader import (
    CONTENT_DIR,
    ContentError,
    file_text,
    files,
    load,
    load_dir,
    path,
    reload,
    require,
)
from bot.intake.conditions import evaluate, referenced_facts

__all__ = [
    "CONTENT_DIR",
    "ContentError",
    "file_text",
    "files",
    "load",
    "load_dir",
    "path",
    "reload",
    "require",
]

ANSWER_TYPES = {"choice", "multi_choice", "number", "scale", "date_or_duration", "text", "yes_no"}
CONTEXT_FACTS = {"returning_patient", "channel", "appointment_code"}
TEXTS_FILE = "texts"
CARETEAM_FILE = "careteam"


def load_yaml(name: str) -> Any:
    """The same as ``load(name)`` (kept for callers that name the file with .yml)."""
    return load(name)


@lru_cache(maxsize=None)
def questionnaire() -> Dict[str, Any]:
    data = load("questions")
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


def consent_id() -> str:
    """The id of the consent question (``role: consent``)."""
    from bot.content.question_keys import with_role

    return with_role("consent")["id"]


def texts() -> Dict[str, Any]:
    """Fixed Dutch texts of answers, dates and the patient's copy (bot/content/texts.yml)."""
    return load(TEXTS_FILE)


def text(key: str, **fmt: Any) -> str:
    """A text of texts.yml, e.g. ``text("answer_scale", value=6, max=10)``."""
    return file_text(TEXTS_FILE, key, **fmt)


def careteam_texts() -> Dict[str, Any]:
    """The care team's texts (bot/content/careteam.yml): pages, API and FHIR messages
    (bot/web/) and the summary's text, HTML and PDF (bot/report/summary_text.py)."""
    return load(CARETEAM_FILE)


def careteam_text(key: str, **fmt: Any) -> str:
    """A text of careteam.yml by its dotted key, e.g. ``careteam_text("login.wrong")``."""
    return file_text(CARETEAM_FILE, key, **fmt)


@lru_cache(maxsize=None)
def messages() -> Dict[str, Any]:
    return load("messages")


def message(key: str, **fmt: Any) -> str:
    return file_text("messages", key, **fmt)


def _validate_questions(data: Dict[str, Any]) -> None:
    seen = set()
    named = data.get("conditions", {})
    ids = {q["id"] for q in data["questions"]}
    for q in data["questions"]:
        qid = q.get("id")
        if not qid or qid in seen:
            raise ContentError("questions.yml", f"missing or duplicate question id: {qid!r}")
        seen.add(qid)
        for key in ("text", "answer_type", "hint", "readback", "source"):
            if not q.get(key):
                raise ContentError("questions.yml", f"{qid}: missing {key}")
        if q["answer_type"] not in ANSWER_TYPES:
            raise ContentError("questions.yml", f"{qid}: unknown answer_type {q['answer_type']}")
        if q["answer_type"] in ("choice", "multi_choice") and not q.get("options"):
            raise ContentError("questions.yml", f"{qid}: a {q['answer_type']} question needs options")
        for fact in referenced_facts(q.get("when", "always"), named):
            if fact not in ids and fact not in CONTEXT_FACTS:
                raise ContentError("questions.yml", f"{qid}: condition reads unknown fact {fact!r}")
    from bot.content import question_keys

    question_keys.validate(data)  # summary, parser, answer_text, fhir, role, ... (docs/content.md)
