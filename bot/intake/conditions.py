"""A small condition language for content files (question `when`, signal rules).

A condition is one of:
- ``"always"``: true;
- a string naming a condition defined under ``conditions:`` in the same file;
- ``{"all": [cond, ...]}``, ``{"any": [cond, ...]}``, ``{"not": cond}``;
- a leaf ``{fact: test}`` where ``test`` is
  - a list of allowed values (for a list fact: true when any element is allowed),
  - ``{"any_except": [values]}``: a list fact with an element outside ``values``
    (a scalar fact: not in ``values``),
  - ``{"min": n}`` / ``{"max": n}``: a number fact within bounds.
A leaf with several keys means all of them. Missing facts make a leaf false.
"""

from __future__ import annotations

from typing import Any, Mapping

Condition = Any


class ConditionError(ValueError):
    """Raised for a malformed condition in a content file."""


def evaluate(cond: Condition, facts: Mapping[str, Any], named: Mapping[str, Condition] | None = None) -> bool:
    named = named or {}
    if cond == "always" or cond is True:
        return True
    if isinstance(cond, str):
        if cond not in named:
            raise ConditionError(f"unknown condition name: {cond!r}")
        return evaluate(named[cond], facts, named)
    if not isinstance(cond, Mapping) or not cond:
        raise ConditionError(f"malformed condition: {cond!r}")
    if "all" in cond:
        return all(evaluate(c, facts, named) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, facts, named) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], facts, named)
    return all(_leaf(fact, test, facts) for fact, test in cond.items())


def _leaf(fact: str, test: Any, facts: Mapping[str, Any]) -> bool:
    if fact not in facts or facts[fact] is None:
        return False
    value = facts[fact]
    if isinstance(test, list):
        if isinstance(value, list):
            return any(v in test for v in value)
        return value in test
    if isinstance(test, Mapping):
        ok = True
        if "any_except" in test:
            excluded = test["any_except"]
            if isinstance(value, list):
                ok = ok and any(v not in excluded for v in value)
            else:
                ok = ok and value not in excluded
        if "min" in test:
            ok = ok and _number(value) is not None and _number(value) >= test["min"]
        if "max" in test:
            ok = ok and _number(value) is not None and _number(value) <= test["max"]
        return ok
    raise ConditionError(f"malformed test for {fact!r}: {test!r}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def referenced_facts(cond: Condition, named: Mapping[str, Condition] | None = None) -> set:
    """All fact names a condition reads (for validating content files)."""
    named = named or {}
    if cond == "always" or cond is True:
        return set()
    if isinstance(cond, str):
        return referenced_facts(named[cond], named)
    out: set = set()
    for key, val in cond.items():
        if key in ("all", "any"):
            for c in val:
                out |= referenced_facts(c, named)
        elif key == "not":
            out |= referenced_facts(val, named)
        else:
            out.add(key)
    return out
