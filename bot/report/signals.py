"""Signals and suggested help, computed by the explicit rules in bot/content/signals.yml.

The rules use the condition language of bot/intake/conditions.py over *facts*: the answers (by
question id), the context facts and three derived facts (documented in signals.yml and
docs/summary.md). Help rules can also read ``signals``: the codes of the signals found.
"""

from __future__ import annotations

import re
import string
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from bot import content
from bot.content import ContentError
from bot.content import question_keys as keys
from bot.intake.conditions import Condition, evaluate, referenced_facts
from bot.report.answer_text import describe_answer

SIGNALS_FILE = "signals.yml"

DERIVED_FACTS = {"absence_weeks", "barriers_present", "employee"}
BOOLEAN_FACTS = {"barriers_present", "employee", "returning_patient"}
NUMBER_FACTS = {"absence_weeks"}
SIGNALS_FACT = "signals"
SIGNAL_KINDS = ("attention", "context")


# --------------------------------------------------------------------------- facts


def facts(answers: Mapping[str, Any], context: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """All facts the rules may read.

    ``context`` may hold the context facts (channel, appointment_code, returning_patient)
    and optionally ``today`` (a date or ISO string), used only to count weeks from the
    stored date of the absence period when its weeks are missing.
    """
    context = context or {}
    out: Dict[str, Any] = {k: context[k] for k in content.CONTEXT_FACTS if k in context}
    out.update({k: v for k, v in answers.items() if v is not None})
    named = content.named_conditions()
    period = keys.with_shape("absence_period")[0]  # the sick-report question and its start date
    out["absence_weeks"] = absence_duration_weeks(
        answers.get(period["id"]), answers.get(period["summary"]["since"]), context.get("today")
    )
    for fact, condition in signal_content()["derived_facts"].items():
        out[fact] = evaluate(condition, out, named)
    return out


def absence_weeks(value: Any, today: Any = None) -> Optional[int]:
    """Weeks of an absence-period answer: the stored weeks, else counted from the stored date."""
    if not isinstance(value, Mapping):
        return None
    weeks = value.get("weeks")
    if isinstance(weeks, (int, float)) and not isinstance(weeks, bool):
        return int(weeks)
    return _weeks_from_date(value.get("date"), today)


def absence_duration_weeks(status: Any, since: Any, today: Any = None) -> Optional[int]:
    """How long the absence lasted (spec §3 long_absence), not how long ago it began.

    A current absence (full, partial) lasts from its start to today: counted from the
    stored date when there is one (the stored weeks were counted on the day of the
    answer). A recent absence is over: ``duration_weeks`` when the answer parser stored
    that key (a period such as "van 7 tot 21 september" gives 2; a single date gives None:
    unknown), else the stored weeks, because its question asks how long it lasted
    ("Hoe lang was u ziek?").
    """
    if not isinstance(since, Mapping):
        return None
    if status == "recent":
        # an answer parser that knows the duration is unknown (a single date) stores
        # duration_weeks: None; only without that key are the stored weeks the duration
        weeks = since["duration_weeks"] if "duration_weeks" in since else since.get("weeks")
        if isinstance(weeks, (int, float)) and not isinstance(weeks, bool):
            return int(weeks)
        return None
    counted = _weeks_from_date(since.get("date"), today)
    return counted if counted is not None else absence_weeks(since, today)


def _weeks_from_date(start: Any, today: Any) -> Optional[int]:
    if not isinstance(start, str) or not start:
        return None
    if today is None:
        today = date.today()
    elif isinstance(today, datetime):
        today = today.date()
    elif isinstance(today, str):
        today = date.fromisoformat(today[:10])
    try:
        days = (today - date.fromisoformat(start[:10])).days
    except ValueError:
        return None
    return max(days, 0) // 7


# --------------------------------------------------------------------------- rules


def compute_signals(
    answers: Mapping[str, Any], context: Optional[Mapping[str, Any]] = None
) -> List[Dict[str, str]]:
    """The signals of intake.md §3 that apply, in the order of signals.yml."""
    data = signal_content()
    f = facts(answers, context)
    return [
        {"code": s["code"], "label_nl": s["label_nl"], "source": s["source"], "kind": s["kind"]}
        for s in data["signals"]
        if evaluate(s["when"], f, data["conditions"])
    ]


def needs_attention(signals: Iterable[Any]) -> bool:
    """Stepped attention (spec §3): true only with a signal of kind "attention" (the
    patient's health affects work, or they want help). Context signals (employment type,
    no bedrijfsarts, no income protection) are shown but never make an attention case.
    ``signals`` are the dicts of :func:`compute_signals` or signal codes."""
    kinds = signal_kinds()
    for s in signals:
        code = s.get("code", "") if isinstance(s, Mapping) else str(s)
        if kinds.get(code) == "attention":
            return True
    return False


def attention_shares(cases: Iterable[Tuple[Iterable[str], bool]]) -> Dict[str, Any]:
    """For an evaluation corpus (issue 10, make eval-conversations): ``cases`` are
    (expected signal codes, the summary's attention). Returns the share of patients with
    attention among those without any health signal (expected: no signal of kind
    attention; target 0) and among those with one (target 1.0), with the counts."""
    kinds = signal_kinds()
    counts = {True: [0, 0], False: [0, 0]}  # has health signal -> [patients, with attention]
    for expected, attention in cases:
        health = any(kinds.get(code) == "attention" for code in expected)
        counts[health][0] += 1
        counts[health][1] += bool(attention)

    def share(health: bool) -> Optional[float]:
        n, k = counts[health]
        return round(k / n, 4) if n else None

    return {
        "without_health_signal": share(False),
        "n_without": counts[False][0],
        "with_health_signal": share(True),
        "n_with": counts[True][0],
    }


def signal_kinds() -> Dict[str, str]:
    """Signal code -> kind ("attention" or "context"), from signals.yml."""
    return {s["code"]: s["kind"] for s in signal_content()["signals"]}


def suggested_help(
    answers: Mapping[str, Any], context: Optional[Mapping[str, Any]], signals: Iterable[Any]
) -> List[Dict[str, str]]:
    """Suggested help with the reasons (Dutch) of every matching rule.

    ``signals`` is the output of :func:`compute_signals` (dicts) or a list of codes.
    Each item has ``code``, ``label_nl``, ``reason_nl`` and, for the patient's copy,
    ``patient_label_nl`` and ``patient_nl``, plus ``source``.
    """
    data = signal_content()
    f = facts(answers, context)
    f[SIGNALS_FACT] = [s["code"] if isinstance(s, Mapping) else str(s) for s in signals]
    out = []
    for helper in data["suggested_help"]:
        matched = [r for r in helper["rules"] if evaluate(r["when"], f, data["conditions"])]
        if not matched:
            continue
        patient = [helper["patient_nl"]] + [r["patient_nl"] for r in matched if r.get("patient_nl")]
        out.append(
            {
                "code": helper["code"],
                "label_nl": helper["label_nl"],
                "reason_nl": " ".join(render_reason(r["reason_nl"], f) for r in matched),
                "patient_label_nl": helper["patient_label_nl"],
                "patient_nl": " ".join(patient),
                "source": helper["source"],
            }
        )
    return out


def render_reason(template: str, f: Mapping[str, Any]) -> str:
    """Fill a reason template: {question_id} as plain Dutch, {absence_weeks} as a number."""
    values = {name: _render_fact(name, f) for name in _template_fields(template)}
    return template.format(**values)


def _render_fact(name: str, f: Mapping[str, Any]) -> str:
    value = f.get(name)
    if value is None:
        return "onbekend"
    if name not in content.questions_by_id():
        return str(value)
    q = content.question(name)
    if q["answer_type"] in ("choice", "multi_choice"):
        codes = value if isinstance(value, list) else [value]
        labels = [_lower_first(content.option_label(q, str(c))) for c in codes if c != "none"]
        return join_nl(labels) or "geen"
    return describe_answer(name, value)


def join_nl(items: List[str]) -> str:
    """["a", "b", "c"] -> "a, b en c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[:2].isupper():
        return text  # an abbreviation such as "AOV"
    return text[:1].lower() + text[1:]


def _template_fields(template: str) -> List[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


# --------------------------------------------------------------------------- content


@lru_cache(maxsize=None)
def signal_content() -> Dict[str, Any]:
    data = content.load("signals")
    validate_signal_content(data)
    return data


@lru_cache(maxsize=None)
def contract_codes() -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """(signal codes, suggested-help codes) allowed by the summary schema."""
    schema = content.load("summary.schema.json")
    props = schema["properties"]
    return (
        tuple(props["signals"]["items"]["properties"]["code"]["enum"]),
        tuple(props["suggested_help"]["items"]["properties"]["code"]["enum"]),
    )


def validate_signal_content(data: Mapping[str, Any]) -> None:
    """Raise ContentError for anything the rules could silently get wrong."""
    signal_codes, help_codes = contract_codes()
    named = data.get("conditions") or {}
    derived = data.get("derived_facts") or {}
    if set(derived) != DERIVED_FACTS - {"absence_weeks"}:
        raise ContentError(
            SIGNALS_FILE, f"derived_facts must define {sorted(DERIVED_FACTS - {'absence_weeks'})}"
        )
    for fact, cond in derived.items():
        for used in referenced_facts(cond, content.named_conditions()):
            if used not in content.questions_by_id() and used not in content.CONTEXT_FACTS:
                raise ContentError(SIGNALS_FILE, f"derived fact {fact} reads unknown fact {used!r}")
    for name, cond in named.items():
        _check_condition(cond, named, f"condition {name}", allow_signals=False, signal_codes=signal_codes)

    legend = data.get("sources_nl") or {}
    if not legend:
        raise ContentError(SIGNALS_FILE, "missing sources_nl")
    sourced = list(data.get("signals", [])) + list(data.get("suggested_help", []))
    for item in sourced:
        if not cited_sources(item.get("source") or "", legend):
            raise ContentError(SIGNALS_FILE, f"{item.get('code')}: source cites no document of sources_nl")

    codes = [s.get("code") for s in data.get("signals", [])]
    if sorted(codes) != sorted(set(codes)) or set(codes) != set(signal_codes):
        raise ContentError(
            SIGNALS_FILE, f"signal codes must be exactly the contract codes {signal_codes}, got {codes}"
        )
    for s in data["signals"]:
        where = f"signal {s['code']}"
        _require(s, ("label_nl", "when", "source", "kind"), where)
        if s["kind"] not in SIGNAL_KINDS:
            raise ContentError(
                SIGNALS_FILE, f"{where}: kind must be one of {SIGNAL_KINDS}, got {s['kind']!r}"
            )
        _check_condition(s["when"], named, where, allow_signals=False, signal_codes=signal_codes)
        _check_dutch(s["label_nl"], where)

    seen = set()
    for helper in data.get("suggested_help", []):
        where = f"suggested_help {helper.get('code')}"
        if helper.get("code") not in help_codes or helper["code"] in seen:
            raise ContentError(SIGNALS_FILE, f"{where}: unknown or duplicate help code")
        seen.add(helper["code"])
        _require(helper, ("label_nl", "patient_label_nl", "patient_nl", "source", "rules"), where)
        for text in (helper["label_nl"], helper["patient_nl"]):
            _check_dutch(text, where)
        for rule in helper["rules"]:
            _require(rule, ("when", "reason_nl"), where)
            _check_condition(rule["when"], named, where, allow_signals=True, signal_codes=signal_codes)
            _check_dutch(rule["reason_nl"], where)
            for field in _template_fields(rule["reason_nl"]):
                if field not in content.questions_by_id() and field not in DERIVED_FACTS:
                    raise ContentError(SIGNALS_FILE, f"{where}: reason template uses unknown fact {field!r}")


def cited_sources(source: str, legend: Mapping[str, str]) -> List[str]:
    """The keys of ``legend`` ("001", "intake.md", ...) that a source string cites."""
    return [key for key in legend if re.search(r"(?<![\w.])" + re.escape(key) + r"(?![\w])", source)]


def _require(item: Mapping[str, Any], keys: Iterable[str], where: str) -> None:
    for key in keys:
        if not item.get(key):
            raise ContentError(SIGNALS_FILE, f"{where}: missing {key}")


def _check_dutch(text: str, where: str) -> None:
    if "arbo-arts" in text.lower():
        raise ContentError(SIGNALS_FILE, f"{where}: say 'bedrijfsarts', not 'arbo-arts'")


def _check_condition(
    cond: Condition, named: Mapping[str, Any], where: str, *, allow_signals: bool, signal_codes: Iterable[str]
) -> None:
    questions = content.questions_by_id()
    try:
        leaves = list(_leaves(cond, named))
    except ContentError as exc:
        raise ContentError(SIGNALS_FILE, f"{where}: {exc.problem}") from exc
    for fact, test in leaves:
        if fact == SIGNALS_FACT:
            if not allow_signals:
                raise ContentError(SIGNALS_FILE, f"{where}: only help rules may read 'signals'")
            allowed: Optional[List[Any]] = list(signal_codes)
        elif fact in BOOLEAN_FACTS:
            allowed = [True, False]
        elif fact in NUMBER_FACTS or fact in ("channel", "appointment_code"):
            allowed = None
        elif fact in questions:
            q = questions[fact]
            kind = q["answer_type"]
            allowed = (
                [True, False]
                if kind == "yes_no"
                else content.option_codes(q)
                if kind in ("choice", "multi_choice")
                else None
            )
        else:
            raise ContentError(SIGNALS_FILE, f"{where}: condition reads unknown fact {fact!r}")
        values = (
            test
            if isinstance(test, list)
            else test.get("any_except", [])
            if isinstance(test, Mapping)
            else None
        )
        if values is None:
            raise ContentError(SIGNALS_FILE, f"{where}: malformed test for {fact!r}: {test!r}")
        for v in values:
            if allowed is not None and (
                v not in allowed or isinstance(v, bool) != isinstance(allowed[0], bool)
            ):
                raise ContentError(
                    SIGNALS_FILE, f"{where}: {v!r} is not a value of {fact!r} (quote 'yes'/'no')"
                )


def _leaves(cond: Condition, named: Mapping[str, Any]) -> Iterator[Tuple[str, Any]]:
    if cond == "always" or cond is True:
        return
    if isinstance(cond, str):
        if cond not in named:
            raise ContentError(SIGNALS_FILE, f"unknown condition name: {cond!r}")
        yield from _leaves(named[cond], named)
        return
    if not isinstance(cond, Mapping) or not cond:
        raise ContentError(SIGNALS_FILE, f"malformed condition: {cond!r}")
    for key, val in cond.items():
        if key in ("all", "any"):
            for c in val:
                yield from _leaves(c, named)
        elif key == "not":
            yield from _leaves(val, named)
        else:
            yield key, val
