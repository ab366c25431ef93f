"""The per-question keys that code reads instead of naming question ids (docs/content.md
"Question keys"): summary field, parser, answer text, unit, FHIR components, role,
FAQ group, facts harvested early, details questions.

``validate(data)`` checks them when questions.yml loads and fills in the defaults, so code
can read ``q["parser"]``, ``q["answer_text"]`` and ``q["summary"]["shape"]`` directly.
The accessors below find a question by what it does, never by its id.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot.content.loader import ContentError

# answer_type -> (default parser, allowed parsers)
PARSERS: Dict[str, Tuple[str, Tuple[str, ...]]] = {
    "choice": ("choice", ("choice",)),
    "multi_choice": ("multi_choice", ("multi_choice",)),
    "yes_no": ("yes_no", ("yes_no",)),
    "number": ("number", ("number", "hours")),
    "scale": ("scale", ("scale",)),
    "date_or_duration": ("date_or_duration", ("date_or_duration",)),
    "text": ("text", ("text",)),
}
# answer_type -> (default answer-text rule, allowed rules); texts in bot/content/texts.yml
ANSWER_TEXTS: Dict[str, Tuple[str, Tuple[str, ...]]] = {
    "choice": ("label", ("label",)),
    "multi_choice": ("labels", ("labels",)),
    "yes_no": ("yes_no", ("yes_no",)),
    "number": ("number", ("number", "with_unit")),
    "scale": ("scale", ("scale",)),
    "date_or_duration": ("date_and_weeks", ("date_and_weeks",)),
    "text": ("as_typed", ("as_typed",)),
}
SUMMARY_SECTIONS = ("work", "consent")
SUMMARY_SHAPES = ("value", "status", "absence_period", "codes", "details", "patient_question", "consent")
ROLES = ("consent",)
FAQ_GROUPS = ("status", "contract")
HARVEST_CUES = ("employment", "hours", "sick")
HARVEST_EXTRACTS = ("job_title",)
COMPONENT_VALUES = ("coding", "quantity", "integer")


class QuestionKeyError(ContentError):
    """A question key in questions.yml is missing or malformed: a ContentError of that file."""

    def __init__(self, problem: str):
        super().__init__("questions.yml", problem)


def validate(data: Dict[str, Any]) -> None:
    """Check the keys of every question and fill in the defaults (in place)."""
    questions = data["questions"]
    ids = [q["id"] for q in questions]
    for q in questions:
        _defaults(q)
        _check(q, ids)
    _check_details(questions)
    roles = [q.get("role") for q in questions if q.get("role")]
    for role in ROLES:
        if roles.count(role) != 1:
            raise QuestionKeyError(f"exactly one question needs role: {role} (found {roles.count(role)})")
    groups = [q["faq_group"] for q in questions if q.get("faq_group")]
    if sorted(groups) != sorted(FAQ_GROUPS):
        raise QuestionKeyError(f"faq_group must be given once each for {FAQ_GROUPS}, found {groups}")
    fields = [
        (s.get("section", "work"), s["field"]) for s in (q["summary"] for q in questions) if "field" in s
    ]
    dup = {f for f in fields if fields.count(f) > 1}
    if dup:
        raise QuestionKeyError(f"summary fields used twice: {sorted(dup)}")
    codes = [c["code"] for q in questions for c in q.get("fhir", {}).get("components", [])]
    if len(codes) != len(set(codes)):
        raise QuestionKeyError(f"FHIR component codes used twice: {codes}")


def _defaults(q: Dict[str, Any]) -> None:
    kind = q.get("answer_type")
    if kind not in PARSERS:
        return  # the loader reports the unknown answer_type
    q.setdefault("parser", PARSERS[kind][0])
    q.setdefault("answer_text", ANSWER_TEXTS[kind][0])
    summary = q.get("summary")
    if isinstance(summary, dict) and "field" in summary:
        summary.setdefault("section", "work")
        summary.setdefault("shape", "value")


def _check(q: Dict[str, Any], ids: List[str]) -> None:
    qid, kind = q["id"], q.get("answer_type")
    if kind not in PARSERS:
        return
    if q["parser"] not in PARSERS[kind][1]:
        raise QuestionKeyError(f"{qid}: parser {q['parser']!r} does not fit answer_type {kind}")
    if q["answer_text"] not in ANSWER_TEXTS[kind][1]:
        raise QuestionKeyError(f"{qid}: answer_text {q['answer_text']!r} does not fit answer_type {kind}")
    if q["answer_text"] == "with_unit" and not q.get("unit"):
        raise QuestionKeyError(f"{qid}: answer_text with_unit needs a unit")
    if q.get("role") is not None and q["role"] not in ROLES:
        raise QuestionKeyError(f"{qid}: unknown role {q['role']!r}")
    if q.get("faq_group") is not None and q["faq_group"] not in FAQ_GROUPS:
        raise QuestionKeyError(f"{qid}: unknown faq_group {q['faq_group']!r}")
    for key in ("details_of", "follow_up_of"):
        if q.get(key) is not None and q[key] not in ids:
            raise QuestionKeyError(f"{qid}: {key} names an unknown question {q[key]!r}")
    _check_summary(q, ids)
    _check_harvest(q, ids)
    _check_fhir(q)


def _check_details(questions: List[Dict[str, Any]]) -> None:
    for q in questions:
        if q["summary"].get("shape") == "details" and not any(
            q["id"] in (o.get("follow_up_of"), o.get("details_of")) for o in questions
        ):
            raise QuestionKeyError(
                f"{q['id']}: summary shape details needs a question with follow_up_of: {q['id']}"
            )


def _check_summary(q: Dict[str, Any], ids: List[str]) -> None:
    qid, summary = q["id"], q.get("summary")
    if not isinstance(summary, dict):
        raise QuestionKeyError(f"{qid}: missing summary (how the answer appears in the summary JSON)")
    if "part_of" in summary:
        if set(summary) != {"part_of"} or summary["part_of"] not in ids:
            raise QuestionKeyError(f"{qid}: summary part_of must name a question and stand alone")
        return
    if not summary.get("field"):
        raise QuestionKeyError(f"{qid}: summary needs a field or part_of")
    if summary["section"] not in SUMMARY_SECTIONS or summary["shape"] not in SUMMARY_SHAPES:
        raise QuestionKeyError(f"{qid}: unknown summary section or shape in {summary}")
    shape = summary["shape"]
    need = {"absence_period": "since", "details": "flag"}.get(shape)
    if need and not summary.get(need):
        raise QuestionKeyError(f"{qid}: summary shape {shape} needs {need}")
    for key in ("since", "after"):
        if key in summary and summary[key] not in ids:
            raise QuestionKeyError(f"{qid}: summary {key} names an unknown question {summary[key]!r}")
    if shape == "codes" and (
        q.get("answer_type") != "multi_choice" or not summary.get("care_team_extra_label")
    ):
        raise QuestionKeyError(
            f"{qid}: summary shape codes needs a multi_choice question and a care_team_extra_label"
        )


def _check_harvest(q: Dict[str, Any], ids: List[str]) -> None:
    harvest = q.get("harvest")
    if harvest is None:
        return
    qid = q["id"]
    if not harvest.get("from") or any(s not in ids for s in harvest["from"]):
        raise QuestionKeyError(f"{qid}: harvest needs `from`, a list of question ids")
    given = [k for k in ("cue", "extract") if k in harvest]
    valid = harvest.get("cue") in HARVEST_CUES or harvest.get("extract") in HARVEST_EXTRACTS
    if len(given) != 1 or not valid:
        raise QuestionKeyError(
            f"{qid}: harvest needs one of cue {HARVEST_CUES} or extract {HARVEST_EXTRACTS}"
        )


def _check_fhir(q: Dict[str, Any]) -> None:
    for comp in q.get("fhir", {}).get("components", []):
        if not comp.get("code") or not comp.get("display") or comp.get("value") not in COMPONENT_VALUES:
            raise QuestionKeyError(
                f"{q['id']}: a FHIR component needs code, display and value {COMPONENT_VALUES}"
            )
        if comp["value"] == "quantity" and not comp.get("ucum"):
            raise QuestionKeyError(f"{q['id']}: a quantity component needs a ucum code")
        if comp["value"] == "quantity" and not (comp.get("unit") or q.get("unit")):
            raise QuestionKeyError(
                f"{q['id']}: a quantity component needs a unit (its own or the question's)"
            )


# --------------------------------------------------------------------------- accessors


def _questions() -> List[Dict[str, Any]]:
    from bot import content

    return content.questions()


def with_role(role: str) -> Dict[str, Any]:
    """The question with this `role` (validated: exactly one)."""
    return next(q for q in _questions() if q.get("role") == role)


def faq_group_answers(answers: Mapping[str, Any]) -> Dict[str, Any]:
    """{faq_group: answer} ("status", "contract") for bot.knowledge.faq.employment_group."""
    return {q["faq_group"]: answers.get(q["id"]) for q in _questions() if q.get("faq_group")}


def details_question(question_id: str) -> Optional[Dict[str, Any]]:
    """The question that holds the details of `question_id` (follow_up_of or details_of)."""
    return next(
        (q for q in _questions() if question_id in (q.get("follow_up_of"), q.get("details_of"))), None
    )


def details_id(question_id: str) -> str:
    """The id of the details question of a `details` summary field (validated to exist)."""
    found = details_question(question_id)
    if found is None:
        raise KeyError(f"no question has follow_up_of or details_of {question_id!r}")
    return found["id"]


def summary_spec(question_id: str) -> Dict[str, Any]:
    return next(q for q in _questions() if q["id"] == question_id)["summary"]


def summary_value(summary: Mapping[str, Any], question_id: str) -> Any:
    """The value of a question's own summary field (None when absent or part of another)."""
    spec = summary_spec(question_id)
    if "field" not in spec:
        return None
    return (summary.get(spec["section"]) or {}).get(spec["field"])


def with_shape(shape: str) -> List[Dict[str, Any]]:
    """The questions whose summary has this shape, in questionnaire order."""
    return [q for q in _questions() if q["summary"].get("shape") == shape]


def summary_field_owner(field: str, section: str = "work") -> Optional[Tuple[Dict[str, Any], bool]]:
    """(question, is_extra_text) for a summary field: the question whose own field it is,
    or (for "<field>_text") the codes question whose free text it holds; None if neither."""
    for q in _questions():
        spec = q["summary"]
        if spec.get("section") != section:
            continue
        if spec.get("field") == field:
            return q, False
        if spec.get("shape") == "codes" and f"{spec['field']}_text" == field:
            return q, True
    return None
