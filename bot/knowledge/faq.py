"""Answers to patients' common questions (contract: ../shared/spec/faq.md).

Content lives in ``bot/content/faq/*.yml`` (one file per theme); see docs/faq.md. Each
topic has an ``id`` (the topic ids of faq.md), a short ``title`` (usable on a button), a
default ``answer`` and optional ``variants`` per employment group. A variant is either a
text or ``{topic: <other id>}`` (use that topic's answer for the same group).

The NLU intent of a topic is ``faq_<id>``, unless the topic names another ``intent``
(``human_contact`` is served by the general ``human_contact`` intent).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional

from bot import content
from bot.content import ContentError  # faq.ContentError is the one content error
from bot.dialogue.messages import Message

FAQ_DIR = content.CONTENT_DIR / "faq"  # read with content.load_dir (a test may point it elsewhere)

GROUPS = ("employee", "flex_worker", "temp_worker", "self_employed", "job_seeker", "student", "not_working")
# A group without a variant of its own falls back to this group's variant (flex workers
# are employees while their contract lasts), then to the default answer.
FALLBACK_GROUP = {"flex_worker": "employee"}
REQUIRED_KEYS = ("id", "title", "answer", "sources")
# No "checked" date: each text's review is recorded in bot/content/reviews.yml
# (bot/review/content_review.py), so an old bulk date cannot pass as a review.
ALLOWED_KEYS = set(REQUIRED_KEYS) | {"variants", "intent", "explains_term"}
# A topic that explains a term the house rules otherwise forbid (arbo-arts vs bedrijfsarts)
# may use it; the plain-language check still wants the explanation in the same text.
EXPLAINABLE_TERMS = ("arbo-arts",)
MAX_TITLE_WORDS = 5
INTENT_PREFIX = "faq_"

_EMPLOYMENT_GROUP = {
    "permanent": "employee",
    "temporary": "flex_worker",
    "on_call": "flex_worker",
    "other": "employee",
    "temp_agency": "temp_worker",
    "self_employed": "self_employed",
}
_WORK_STATUS_GROUP = {
    "job_seeking": "job_seeker",
    "studying": "student",
    "not_working": "not_working",
    "retired": "not_working",
}
_FORBIDDEN = re.compile(r"arbo[\s-]?arts", re.I)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = ("retention_days",)


# ---------------------------------------------------------------------------
# loading and validation


@lru_cache(maxsize=1)
def _load() -> Dict[str, Dict[str, Any]]:
    topics: Dict[str, Dict[str, Any]] = {}
    problems: List[str] = []
    files = content.load_dir(FAQ_DIR)
    if not files:
        raise ContentError("faq/", "no FAQ files")
    for name, data in files.items():
        for i, raw in enumerate(data.get("topics") or []):
            where = f"{name} topic #{i + 1}"
            if not isinstance(raw, dict):
                problems.append(f"{where}: not a mapping")
                continue
            tid = raw.get("id")
            if tid in topics:
                problems.append(f"{where}: duplicate id {tid!r}")
                continue
            problems += [f"{name} {tid or where}: {p}" for p in validate_topic(raw)]
            if isinstance(tid, str):
                topics[tid] = {**raw, "_file": name}
    # cross-references: variants that point to another topic
    for tid, t in topics.items():
        for group, value in (t.get("variants") or {}).items():
            if isinstance(value, dict):
                ref = value.get("topic")
                if ref not in topics:
                    problems.append(f"{t['_file']} {tid}: variant {group} points to unknown topic {ref!r}")
                elif isinstance((topics[ref].get("variants") or {}).get(group), dict):
                    problems.append(f"{t['_file']} {tid}: variant {group} points to another reference")
    intents = [faq_intent_of(t) for t in topics.values()]
    dupes = {i for i in intents if intents.count(i) > 1}
    if dupes:
        problems.append(f"several topics share an intent: {sorted(dupes)}")
    if problems:
        raise ContentError("faq/", "invalid FAQ content:\n  " + "\n  ".join(problems))
    return topics


def validate_topic(t: Dict[str, Any]) -> List[str]:
    """Problems in one topic (empty list when it is fine)."""
    problems = [f"missing key {k!r}" for k in REQUIRED_KEYS if not t.get(k)]
    problems += [f"unknown key {k!r}" for k in t if k not in ALLOWED_KEYS]
    tid = t.get("id")
    if tid is not None and not (isinstance(tid, str) and _ID.match(tid)):
        problems.append(f"bad id {tid!r}")
    title = t.get("title")
    if isinstance(title, str) and len(title.split()) > MAX_TITLE_WORDS:
        problems.append(f"title longer than {MAX_TITLE_WORDS} words")
    sources = t.get("sources")
    if sources is not None and not (
        isinstance(sources, list) and all(isinstance(s, str) and s.strip() for s in sources)
    ):
        problems.append("sources must be a list of strings")
    variants = t.get("variants") or {}
    if not isinstance(variants, dict):
        problems.append("variants must be a mapping")
        variants = {}
    for group, value in variants.items():
        if group not in GROUPS:
            problems.append(f"unknown variant group {group!r}")
        if not (isinstance(value, str) or (isinstance(value, dict) and set(value) == {"topic"})):
            problems.append(f"variant {group!r} must be a text or {{topic: <id>}}")
    texts = [v for v in [title, t.get("answer")] + list(variants.values()) if isinstance(v, str)]
    explains = t.get("explains_term")
    if explains is not None and explains not in EXPLAINABLE_TERMS:
        problems.append(f"explains_term must be one of {EXPLAINABLE_TERMS}")
    for text in texts:
        if _FORBIDDEN.search(text) and explains != "arbo-arts":
            problems.append("says 'arbo-arts' (say 'bedrijfsarts')")
        for name in _PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS:
                problems.append(f"unknown placeholder {{{name}}}")
    if "intent" in t and not (isinstance(t["intent"], str) and _ID.match(t["intent"])):
        problems.append("intent must be an intent name")
    return problems


def reload() -> None:
    """Forget the cached content (for tests and after editing the YAML)."""
    _load.cache_clear()


# ---------------------------------------------------------------------------
# public API


def topic_ids() -> List[str]:
    """All topic ids, in file order (files sorted by name)."""
    return list(_load())


def topic(topic_id: str) -> Dict[str, Any]:
    """The topic as written in the YAML (plus ``_file``). KeyError when unknown."""
    try:
        return _load()[topic_id]
    except KeyError:
        raise KeyError(f"unknown FAQ topic {topic_id!r}") from None


def employment_group(status: Optional[str], contract: Optional[str]) -> Optional[str]:
    """The variant group for an intake's answers, or None when not (yet) known.

    status and contract are the option codes answered to the questions with
    `faq_group: status` and `faq_group: contract` in questions.yml."""
    if status in _WORK_STATUS_GROUP:
        return _WORK_STATUS_GROUP[status]
    if status in ("working", None):
        return _EMPLOYMENT_GROUP.get(contract or "")
    return None


def answer_text(topic_id: str, group: Optional[str] = None) -> str:
    """The answer for a group: its variant if there is one, else the default answer."""
    t = topic(topic_id)
    variants = t.get("variants") or {}
    value = variants.get(group) if group else None
    if value is None and group in FALLBACK_GROUP:
        value = variants.get(FALLBACK_GROUP[group])
    if isinstance(value, dict):
        return answer_text(value["topic"], group)
    text = value if isinstance(value, str) else t["answer"]
    return _fill(text.strip())


def answer_messages(
    topic_id: str, status: Optional[str] = None, contract: Optional[str] = None
) -> List[Message]:
    """The answer as messages (one per paragraph), personalised when the employment
    group is known (see employment_group)."""
    text = answer_text(topic_id, employment_group(status, contract))
    return [Message(text=p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def faq_intent_of(t: Dict[str, Any]) -> str:
    return t.get("intent") or f"{INTENT_PREFIX}{t['id']}"


def faq_intent(topic_id: str) -> str:
    """The NLU intent of a topic: ``faq_<id>`` (or the topic's own ``intent``)."""
    return faq_intent_of(topic(topic_id))


def topic_for_intent(intent: Optional[str]) -> Optional[str]:
    """The topic an intent asks about, or None."""
    if not intent:
        return None
    for tid, t in _load().items():
        if faq_intent_of(t) == intent:
            return tid
    return None


def button_payload(topic_id: str) -> str:
    """Button payload that triggers the topic's intent directly."""
    return "/" + faq_intent(topic_id)


def _fill(text: str) -> str:
    if "{" not in text:
        return text
    from bot.runtime.settings import get_settings

    values = {"retention_days": get_settings().retention_days}
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)
