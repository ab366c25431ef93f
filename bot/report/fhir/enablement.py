"""The `when` conditions of questions.yml as FHIR: ``enableWhen``/``enableBehavior`` where
FHIR can say it, else the SDC ``enableWhenExpression`` (FHIRPath). No private extension.

Steps (docs/fhir.md, "Conditions"):

1. *normalise*: named conditions are expanded, a leaf with several keys becomes an
   ``all``, ``any_except`` becomes the list of the other option codes, and nested
   ``all``/``any`` are flattened. Every leaf is then ``(fact, op, values)`` with op
   ``in`` (one of the values), ``>=`` or ``<=``; a leaf is only true when the fact has
   an answer.
2. *simplify*: in FHIR a disabled item has no answer, so a leaf on question B already
   implies everything B's own condition requires. A conjunct of an ``all`` that another
   conjunct implies is dropped (``working`` in ``all: [working, barriers]``: barriers
   is only asked to people who work). The dialogue behaves the same way, because
   bot/intake/questionnaire.py drops answers of questions that no longer apply.
3. *emit*: one leaf, an ``all`` of single-value leaves, or an ``any`` of leaves becomes
   ``enableWhen``; anything else (an ``all`` containing an ``any``, ``not``) becomes one
   FHIRPath expression over ``%resource`` (the QuestionnaireResponse being filled in).

Context facts (``returning_patient``) are hidden items of the Questionnaire
(``context_items``), filled in by us from the appointment, so conditions on them are
ordinary enableWhen too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from bot import content
from bot.report.fhir.common import EXT_ENABLE_WHEN_EXPRESSION, code_system_url

Leaf = Tuple[str, str, Tuple[Any, ...]]  # (fact, op, values)
Node = Tuple[Any, ...]  # ("leaf", Leaf) | ("all", nodes) | ("any", nodes) | ("not", node) | ("true",)

CONTEXT_ITEM_TYPES = {"returning_patient": "boolean", "channel": "string", "appointment_code": "string"}


# --------------------------------------------------------------------------- normalise


def normalise(cond: Any) -> Node:
    named = content.named_conditions()
    if cond == "always" or cond is True:
        return ("true",)
    if isinstance(cond, str):
        return normalise(named[cond])
    if "all" in cond:
        return _flat("all", [normalise(c) for c in cond["all"]])
    if "any" in cond:
        return _flat("any", [normalise(c) for c in cond["any"]])
    if "not" in cond:
        return ("not", normalise(cond["not"]))
    leaves = [("leaf", leaf) for fact, test in cond.items() for leaf in _leaves(fact, test)]
    return leaves[0] if len(leaves) == 1 else _flat("all", leaves)


def _leaves(fact: str, test: Any) -> List[Leaf]:
    if isinstance(test, list):
        return [(fact, "in", tuple(test))]
    out: List[Leaf] = []
    if "any_except" in test:
        q = content.questions_by_id().get(fact)
        if not q or not q.get("options"):
            raise ValueError(f"any_except on {fact!r} needs a choice question")
        excluded = {str(v) for v in test["any_except"]}
        out.append((fact, "in", tuple(c for c in content.option_codes(q) if c not in excluded)))
    if "min" in test:
        out.append((fact, ">=", (test["min"],)))
    if "max" in test:
        out.append((fact, "<=", (test["max"],)))
    return out


def _flat(kind: str, nodes: List[Node]) -> Node:
    out: List[Node] = []
    for node in nodes:
        if node[0] == kind:
            out.extend(node[1])
        elif node != ("true",):
            out.append(node)
    if not out:
        return ("true",)
    return out[0] if len(out) == 1 else (kind, tuple(out))


# --------------------------------------------------------------------------- simplify


@lru_cache(maxsize=None)
def _guaranteed_by_question(question_id: str) -> FrozenSet[Node]:
    """What holds whenever ``question_id`` has an answer: its condition's conjuncts."""
    q = content.questions_by_id().get(question_id)
    if q is None:
        return frozenset()
    node = normalise(q.get("when", "always"))
    conjuncts = node[1] if node[0] == "all" else (node,)
    out: Set[Node] = set()
    for c in conjuncts:
        if c != ("true",):
            out |= guaranteed(c)
    return frozenset(out)


def guaranteed(node: Node) -> FrozenSet[Node]:
    """Nodes that are certainly true when ``node`` is true (FHIR: only enabled items
    have answers)."""
    kind = node[0]
    if kind == "leaf":
        return frozenset({node}) | _guaranteed_by_question(node[1][0])
    if kind == "all":
        out = {node}
        for c in node[1]:
            out |= guaranteed(c)
        return frozenset(out)
    if kind == "any":
        sets = [guaranteed(c) for c in node[1]]
        return frozenset(set.intersection(*map(set, sets)) | {node})
    return frozenset({node})


def simplify(node: Node) -> Node:
    if node[0] not in ("all", "any"):
        return node
    parts = [simplify(c) for c in node[1]]
    if node[0] == "all":
        i = 0
        while i < len(parts):
            others = parts[:i] + parts[i + 1 :]
            if any(parts[i] in guaranteed(o) for o in others):
                parts.pop(i)
                i = 0
                continue
            i += 1
    return parts[0] if len(parts) == 1 else (node[0], tuple(parts))


def condition_of(question_id: str) -> Node:
    return simplify(normalise(content.question(question_id).get("when", "always")))


# --------------------------------------------------------------------------- emit


def enable_for(question_id: str, base: Optional[str] = None) -> Dict[str, Any]:
    """The item elements for a question's condition: {} (always), ``enableWhen`` (+
    ``enableBehavior``), or ``extension`` with an SDC enableWhenExpression."""
    node = condition_of(question_id)
    if node == ("true",):
        return {}
    simple = _enable_when(node, base)
    if simple is not None:
        enable_when, behavior = simple
        out: Dict[str, Any] = {"enableWhen": enable_when}
        if len(enable_when) > 1:
            out["enableBehavior"] = behavior
        return out
    return {
        "extension": [
            {
                "url": EXT_ENABLE_WHEN_EXPRESSION,
                "valueExpression": {
                    "language": "text/fhirpath",
                    "expression": fhirpath(node),
                    "description": f"Wanneer deze vraag gesteld wordt (questions.yml, {question_id})",
                },
            }
        ]
    }


def _enable_when(node: Node, base: Optional[str]) -> Optional[Tuple[List[Dict[str, Any]], str]]:
    if node[0] == "leaf":
        conds = _leaf_enable_when(node[1], base)
        return conds, "any" if conds and node[1][1] == "in" else "all"
    if node[0] == "any" and all(c[0] == "leaf" and c[1][1] == "in" for c in node[1]):
        out: List[Dict[str, Any]] = []
        for c in node[1]:
            out.extend(_leaf_enable_when(c[1], base))
        return out, "any"
    if node[0] == "all" and all(c[0] == "leaf" and len(c[1][2]) == 1 for c in node[1]):
        out = []
        for c in node[1]:
            out.extend(_leaf_enable_when(c[1], base))
        return out, "all"
    return None


def _leaf_enable_when(leaf: Leaf, base: Optional[str]) -> List[Dict[str, Any]]:
    fact, op, values = leaf
    kind = _fact_type(fact)
    out = []
    for value in values:
        cond: Dict[str, Any] = {"question": fact, "operator": "=" if op == "in" else op}
        if kind == "boolean":
            cond["answerBoolean"] = bool(value)
        elif kind == "coding":
            cond["answerCoding"] = {"system": code_system_url(fact, base), "code": str(value)}
        elif kind == "integer":
            cond["answerInteger"] = int(value)
        elif kind == "decimal":
            cond["answerDecimal"] = value
        else:
            cond["answerString"] = str(value)
        out.append(cond)
    return out


def _fact_type(fact: str) -> str:
    if fact in CONTEXT_ITEM_TYPES:
        return CONTEXT_ITEM_TYPES[fact]
    kind = content.question(fact)["answer_type"]
    return {
        "yes_no": "boolean",
        "choice": "coding",
        "multi_choice": "coding",
        "scale": "integer",
        "number": "decimal",
    }.get(kind, "string")


def fhirpath(node: Node) -> str:
    """A FHIRPath boolean over %resource (the QuestionnaireResponse)."""
    kind = node[0]
    if kind == "true":
        return "true"
    if kind == "not":
        return f"({fhirpath(node[1])}).not()"
    if kind in ("all", "any"):
        joiner = " and " if kind == "all" else " or "
        return joiner.join(f"({fhirpath(c)})" for c in node[1])
    fact, op, values = node[1]
    answer = f"%resource.repeat(item).where(linkId='{fact}').answer.value"
    ftype = _fact_type(fact)
    if op != "in":
        return f"{answer}.where($this {op} {values[0]}).exists()"
    if ftype == "boolean":
        return " or ".join(f"({answer} contains {'true' if v else 'false'})" for v in values)
    if ftype == "coding":
        codes = " | ".join(f"'{v}'" for v in values)
        return f"{answer}.where(code in ({codes})).exists()"
    literals = " | ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values)
    return f"{answer}.where($this in ({literals})).exists()"


def context_items() -> List[str]:
    """Context facts that conditions read: they become hidden items, first in order."""
    facts = set()
    for q in content.questions():
        facts |= _facts(normalise(q.get("when", "always")))
    return [f for f in CONTEXT_ITEM_TYPES if f in facts]


def _facts(node: Node) -> set:
    if node[0] == "leaf":
        return {node[1][0]}
    if node[0] in ("all", "any"):
        return set().union(*(_facts(c) for c in node[1]))
    if node[0] == "not":
        return _facts(node[1])
    return set()


def enabled_answers(answers: Mapping[str, Any], context: Mapping[str, Any]) -> Dict[str, Any]:
    """The answers of questions that are enabled given the earlier enabled answers, in
    questionnaire order: what a QuestionnaireResponse may contain (FHIR forbids answers
    to disabled items; a stored summary can hold stale ones)."""
    facts: Dict[str, Any] = {k: context.get(k) for k in context_items() if context.get(k) is not None}
    kept: Dict[str, Any] = {}
    for q in content.questions():
        qid = q["id"]
        if answers.get(qid) is None or not content.applies(q, facts):
            continue
        kept[qid] = facts[qid] = answers[qid]
        if answers.get(f"{qid}_text") is not None:
            kept[f"{qid}_text"] = answers[f"{qid}_text"]
    return kept
