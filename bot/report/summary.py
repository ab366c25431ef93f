"""The summary JSON for the care team (contract: bot/content/summary.schema.json).

``build_summary`` turns the intake state (docs/architecture.md) into the contract JSON;
it exists only after consent. Conventions (see docs/summary.md):

- a question that was asked and skipped gives ``null`` (array fields: left out, and the
  question id is listed in ``skipped_questions``); a question that was not asked is left
  out;
- `attention` (contract): true only with a signal of kind "attention" (stepped care);
- optional extras, all outside the contract's names:
  ``skipped_questions``, ``work.has_scheduling_needs``,
  ``work.has_changed_since_last_visit`` and, per suggested help, ``patient_label_nl``,
  ``patient_nl`` and ``source``. ``EXTENSIONS_SCHEMA`` describes them.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional, Tuple

from jsonschema import Draft7Validator, FormatChecker

from bot import content
from bot.content import question_keys as keys
from bot.language.extract.normalize import clean_text
from bot.report.signals import absence_duration_weeks, compute_signals, needs_attention, suggested_help

SCHEMA_VERSION = "1.0"
CHANNELS = ("tablet", "home", "other")

# Which answer goes to which summary field, and in what form: each question's `summary`
# in questions.yml (docs/content.md). The fields of "work" come in this order of shapes,
# each in questionnaire order (a value field with `after` follows that question's field).
SHAPE_ORDER = ("status", "value", "absence_period", "codes", "details", "patient_question")
NUMBER_TYPES = ("number", "scale")  # a whole float is stored as an int

EXTENSIONS_SCHEMA: Dict[str, Any] = {
    "type": "object",
    "properties": {
        "attention": {"type": "boolean"},
        "skipped_questions": {"type": "array", "items": {"type": "string"}},
        "work": {
            "type": "object",
            "properties": {
                "has_scheduling_needs": {"type": ["boolean", "null"]},
                "has_changed_since_last_visit": {"type": ["boolean", "null"]},
            },
        },
        "suggested_help": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "patient_label_nl": {"type": "string"},
                    "patient_nl": {"type": "string"},
                    "source": {"type": "string"},
                },
            },
        },
    },
}


class SummaryError(ValueError):
    """The state cannot become a summary (no consent, no work status, bad arguments)."""


class SummaryValidationError(ValueError):
    """A summary does not satisfy the contract schema; ``errors`` lists every problem."""

    def __init__(self, errors: List[str]):
        self.errors = errors
        super().__init__("summary does not match summary.schema.json:\n- " + "\n- ".join(errors))


# --------------------------------------------------------------------------- build


def build_summary(
    state: Mapping[str, Any], conversation_id: str, now: datetime, summary_id: Optional[str] = None
) -> Dict[str, Any]:
    """The validated summary JSON for a finished intake with consent.

    ``now`` should be timezone-aware (a naive datetime is taken as UTC). ``summary_id``
    defaults to ``state["summary_id"]`` or a new UUID. Raises SummaryError when there is
    no consent or no work status, SummaryValidationError when the result is invalid.
    """
    answers = {k: v for k, v in (state.get("answers") or {}).items() if v is not None}
    skipped = _skipped(state)
    consent_id = content.consent_id()
    if answers.get(consent_id) is not True:
        raise SummaryError(f"no summary without consent: answers[{consent_id!r}] is not True")
    if not isinstance(now, datetime):
        raise SummaryError("now must be a datetime")
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)

    context = _context(state.get("context") or {})
    rule_context = dict(context, today=now.date())
    signals = compute_signals(answers, rule_context)
    help_items = suggested_help(answers, rule_context, signals)

    consent: Dict[str, Any] = {
        "share_with_care_team": True,
        "given_at": _timestamp(state.get("consent_given_at")) or _iso(now),
    }
    for q in _section_fields("consent", "value"):
        if q["id"] in answers or q["id"] in skipped:
            consent[q["summary"]["field"]] = answers.get(q["id"])

    summary: Dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "summary_id": summary_id or state.get("summary_id") or str(uuid.uuid4()),
        "conversation_id": conversation_id,
        "created_at": _iso(now),
        "context": context,
        "consent": consent,
        "work": _work(answers, skipped, state, now),
        "signals": signals,
        "suggested_help": help_items,
        "faq_topics": _unique(state.get("faq_topics") or []),
        "human_contact_requested": bool(state.get("human_contact_requested")),
        "attention": needs_attention(signals),
        "skipped_questions": [q["id"] for q in content.questions() if q["id"] in skipped],
    }
    validate_summary(summary)
    return summary


def _skipped(state: Mapping[str, Any]) -> set:
    skipped = set(state.get("skipped") or [])
    skipped |= {k for k, v in (state.get("answers") or {}).items() if v is None}
    return skipped


def _section_fields(section: str, shape: str) -> List[Dict[str, Any]]:
    """The questions with their own field of this shape in a summary section, in field order."""
    found = [
        q
        for q in content.questions()
        if q["summary"].get("section") == section and q["summary"].get("shape") == shape
    ]
    ordered = [q for q in found if not q["summary"].get("after")]
    for q in found:
        after = q["summary"].get("after")
        if after:
            at = next((i for i, o in enumerate(ordered) if o["id"] == after), len(ordered) - 1)
            ordered.insert(at + 1, q)
    return ordered


def _work_fields() -> List[Tuple[str, Dict[str, Any]]]:
    """(shape, question) for every field of "work", in the order of the summary."""
    return [(shape, q) for shape in SHAPE_ORDER for q in _section_fields("work", shape)]


def _work(
    answers: Mapping[str, Any], skipped: set, state: Mapping[str, Any], now: datetime
) -> Dict[str, Any]:
    work: Dict[str, Any] = {}
    for shape, q in _work_fields():
        qid, spec = q["id"], q["summary"]
        field = spec["field"]
        if shape == "status":
            # "unknown" (skipped) is our documented extension of the status codes.
            work[field] = answers.get(qid) or "unknown"
        elif shape == "value":
            if qid in answers:
                number = q["answer_type"] in NUMBER_TYPES
                work[field] = _clean_number(answers[qid]) if number else answers[qid]
            elif qid in skipped:
                work[field] = None
        elif shape == "absence_period":
            if qid in answers:
                work[field] = _absence(answers[qid], answers.get(spec["since"]), now)
            elif qid in skipped:
                work[field] = None
        elif shape == "codes" and qid in answers:
            work[field] = [c for c in answers[qid] if c != "none"]
            text = answers.get(f"{qid}_text")
            work[f"{field}_text"] = text.strip() if isinstance(text, str) and text.strip() else None
        elif shape == "details":
            if qid in answers:
                work[spec["flag"]] = bool(answers[qid])
                details = answers.get(keys.details_id(qid)) if answers[qid] else None
                work[field] = details.strip() if isinstance(details, str) and details.strip() else None
            elif qid in skipped:
                work[spec["flag"]] = None
                work[field] = None
        elif shape == "patient_question":
            work[field] = _patient_questions(answers.get(qid), state)
    return work


def _absence(status: Any, since: Any, now: datetime) -> Dict[str, Any]:
    """{status, since, weeks}: weeks = how long the absence lasted (spec §3). A recent
    absence is asked as a duration: its stored date is a real date only when the parser
    says so by storing duration_weeks (a period or a date); otherwise "since" stays empty."""
    since = since if isinstance(since, Mapping) else {}
    real_start = status != "recent" or "duration_weeks" in since
    return {
        "status": status,
        "since": (since.get("date") or None) if real_start else None,
        "weeks": absence_duration_weeks(status, since, now.date()) if since else None,
    }


def _patient_questions(question: Any, state: Mapping[str, Any]) -> List[str]:
    out = []
    if isinstance(question, str) and clean_text(question):
        out.append(clean_text(question))  # the patient's own words: cleaned like every text
    for topic in _unique(state.get("faq_topics") or []):
        title = faq_title(topic)
        if title and title not in out:
            out.append(title)
    return out


def _context(ctx: Mapping[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    if ctx.get("channel") is not None:
        out["channel"] = ctx["channel"] if ctx["channel"] in CHANNELS else "other"
    if "appointment_code" in ctx:
        code = ctx["appointment_code"]
        out["appointment_code"] = str(code) if code not in (None, "") else None
    if "returning_patient" in ctx:
        rp = ctx["returning_patient"]
        out["returning_patient"] = rp if isinstance(rp, bool) or rp is None else bool(rp)
    return out


def _clean_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _unique(items: List[Any]) -> List[str]:
    out: List[str] = []
    for item in items:
        if isinstance(item, str) and item not in out:
            out.append(item)
    return out


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _timestamp(value: Any) -> Optional[str]:
    if isinstance(value, datetime):
        return _iso(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    if isinstance(value, str):
        try:
            return value if _is_datetime(value) else None
        except ValueError:
            return None
    return None


def answers_from_summary(summary: Mapping[str, Any]) -> Tuple[Dict[str, Any], List[str]]:
    """(answers, skipped) in the state's answer shape, for plain-Dutch rendering with
    bot.report.answer_text. The patient's own question (shape patient_question) is not
    restored (see work.patient_questions)."""
    work = summary.get("work") or {}
    answers: Dict[str, Any] = {}
    for shape, q in _work_fields():
        qid, spec = q["id"], q["summary"]
        field = spec["field"]
        value = work.get(field)
        if shape == "status":
            answers[qid] = value
        elif shape == "value" and value is not None:
            answers[qid] = value
        elif shape == "absence_period" and isinstance(value, Mapping) and value.get("status"):
            answers[qid] = value["status"]
            if value.get("since") or value.get("weeks") is not None:
                answers[spec["since"]] = {"date": value.get("since"), "weeks": value.get("weeks")}
        elif shape == "codes" and field in work:
            answers[qid] = list(work[field]) or ["none"]
            if work.get(f"{field}_text"):
                answers[f"{qid}_text"] = work[f"{field}_text"]
        elif shape == "details" and work.get(spec["flag"]) is not None:
            answers[qid] = work[spec["flag"]]
            if value:
                answers[keys.details_id(qid)] = value
    for q in _section_fields("consent", "value"):
        value = (summary.get("consent") or {}).get(q["summary"]["field"])
        if value is not None:
            answers[q["id"]] = value
    return answers, list(summary.get("skipped_questions") or [])


# --------------------------------------------------------------------------- FAQ titles


def faq_title(topic_id: str) -> Optional[str]:
    """The Dutch title of an FAQ topic the patient asked about (bot/knowledge/faq.py), if known."""
    try:
        from bot.knowledge import faq

        title = faq.topic(topic_id).get("title")
    except (ImportError, KeyError, ValueError, OSError):
        return None
    return title if isinstance(title, str) and title.strip() else None


# --------------------------------------------------------------------------- validation


@lru_cache(maxsize=None)
def schema() -> Dict[str, Any]:
    return content.load("summary.schema.json")


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_FORMATS = FormatChecker()


@_FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: Any) -> bool:
    """RFC 3339 date-time with a time zone (jsonschema does not check it without extras)."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    plain = re.sub(r"\.\d+", "", value).replace("Z", "+00:00").replace("z", "+00:00")
    datetime.fromisoformat(plain)  # ValueError for e.g. month 13
    return True


def validate_summary(summary: Any) -> None:
    """Raise SummaryValidationError listing every schema violation (contract and extras)."""
    errors = []
    for name, sch in (("contract", schema()), ("extension", EXTENSIONS_SCHEMA)):
        for err in sorted(
            Draft7Validator(sch, format_checker=_FORMATS).iter_errors(summary),
            key=lambda e: [str(p) for p in e.absolute_path],
        ):
            path = "/".join(str(p) for p in err.absolute_path) or "(root)"
            errors.append(f"{path}: {err.message}" + (" [extension field]" if name == "extension" else ""))
    if errors:
        raise SummaryValidationError(errors)
