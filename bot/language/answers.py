"""Turn a patient's answer (typed text or a button code) into the stored value.

`parse_answer(question, text, code=None, today=None)` returns a `ParseResult`:
- status "ok": `value` is the value to store (docs/architecture.md "Answer values");
- status "confirm": `value` is a guess, `confirm_text` the Dutch yes/no question to check it;
- status "invalid": nothing usable; `hint` says what to type (specific when possible,
  else the question's own hint);
- status "skip": the patient skips the question ("weet ik niet", "sla over").
Pure Python, no Rasa. Decisions on ambiguous answers: docs/understanding.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional

from bot import content
from bot.language.dutch import format_number, tidy
from bot.language.extract.choices import exact_option, match_choice, match_multi, matcher_for
from bot.language.extract.control import (
    correction_rest,
    detect_control,
    leading_dont_know,
    leading_skip,
    skip_kind,
)
from bot.language.extract.dates import parse_since
from bot.language.extract.jobs import says_works
from bot.language.extract.normalize import clean_text, letters, looks_like_gibberish, normalize
from bot.language.extract.numbers import parse_number, parse_weekly_hours
from bot.language.extract.scores import parse_score
from bot.language.extract.yes_no import NO, YES, parse_yes_no

TEXT_LIMIT = 500
# Words after a yes or no that add nothing ("ja eigenlijk wel", "nee hoor, zeker niet").
FILLER_AFTER_YES_NO = {
    "hoor",
    "graag",
    "dank",
    "u",
    "je",
    "bedankt",
    "eigenlijk",
    "wel",
    "zeker",
    "best",
    "natuurlijk",
    "inderdaad",
    "nou",
    "ook",
    "toch",
    "echt",
    "misschien",
    "niet",
    "zo",
    "dat",
    "denk",
    "ik",
    "het",
    "wat",
    "een",
    "beetje",
    "heel",
    "erg",
    "tuurlijk",
}
PARSE_LIMIT = 1000
YES_CODES = {"yes", "ja", "true", "1"}
NO_CODES = {"no", "nee", "false", "0"}


@dataclass
class ParseResult:
    status: str  # "ok" | "confirm" | "invalid" | "skip"
    value: Any = None
    extra_text: Optional[str] = None  # "other" text (multi_choice), text after a yes
    confirm_text: Optional[str] = None  # Dutch yes/no question when status is "confirm"
    hint: Optional[str] = None  # Dutch hint when status is "invalid"
    correction: bool = False  # the text started with "nee, ik bedoel ..."
    control: Optional[str] = None  # "back" / "restart": not an answer at all
    candidates: List[str] = field(default_factory=list)  # codes when a choice is ambiguous


def _ok(value: Any, extra: Optional[str] = None) -> ParseResult:
    return ParseResult("ok", value, extra_text=extra or None)


def _invalid(q: Dict[str, Any], hint: Optional[str] = None, **kw: Any) -> ParseResult:
    return ParseResult("invalid", hint=hint or q.get("hint"), **kw)


def _confirm(value: Any, text: str) -> ParseResult:
    return ParseResult("confirm", value, confirm_text=text)


def parse_answer(
    question: Dict[str, Any], text: Optional[str], code: Optional[str] = None, today: Optional[date] = None
) -> ParseResult:
    """Parse one answer to `question` (a dict from questions.yml)."""
    today = today or date.today()
    if code is not None and str(code).strip() != "":
        return _from_code(question, str(code).strip(), text, today)
    raw = clean_text(text, PARSE_LIMIT)
    if not normalize(raw):  # nothing but spaces, punctuation, emoji or tags
        return _invalid(question)
    kind = question["answer_type"]
    correction = False
    if kind != "text":
        rest = correction_rest(raw)
        if rest is not None:
            if not rest:
                return _invalid(question, correction=True)
            raw, correction = rest, True
    control = detect_control(raw).kind
    if control in ("back", "restart"):
        return _invalid(question, control=control)
    result = _PARSERS[kind](question, raw, today)
    if (
        result.status == "invalid"
        and kind != "text"
        and (leading_skip(raw) or _not_applicable(question, raw))
    ):
        result = ParseResult("skip")  # "weet ik niet, ik werk niet meer", "n.v.t., ik werk alleen"
    result.correction = correction
    return result


# --- per answer type -------------------------------------------------------------------


def _parse_choice(q: Dict[str, Any], raw: str, today: date) -> ParseResult:
    m = matcher_for(q)
    if _not_applicable(q, raw) and not exact_option(q, raw):
        rest = _without_not_applicable(q, raw)  # "ik werk alleen, maar mijn klanten hebben veel begrip"
        found = match_choice(q, rest) if normalize(rest) else None
        if found is None or not found.code or found.weak:
            return ParseResult("skip")  # "niet van toepassing, ik werk alleen": no "no" to the question
        return _ok(found.code)
    skip = skip_kind(raw)
    if skip:
        if skip == "dont_know" and m.dont_know_code:
            return _ok(m.dont_know_code)
        return ParseResult("skip")
    dont_know_first = leading_dont_know(raw)
    if m.dont_know_code and dont_know_first:
        return _ok(m.dont_know_code)  # "weet ik niet precies, mijn boekhouder regelt dat"
    conditional = _conditional_yes(q, raw)
    if conditional:
        return _ok(conditional)
    res = match_choice(q, raw)
    if dont_know_first and (res.code is None or res.weak):
        return ParseResult("skip")  # "weet ik niet, ik werk nu niet"
    if res.code:
        if res.weak and res.negated:
            return _confirm(res.code, content.text("confirm_option", label=content.option_label(q, res.code)))
        return _ok(res.code)
    if len(res.candidates) > 1:
        labels = [f"'{content.option_label(q, c)}'" for c in res.candidates[:3]]
        return _invalid(
            q,
            content.text("which_option", options=", ".join(labels[:-1]), last=labels[-1]),
            candidates=res.candidates,
        )
    by_job = next((str(o["code"]) for o in q.get("options", []) if o.get("said_by_job")), None)
    if by_job and not res.candidates and says_works(raw):
        return _ok(by_job)  # "ik ben kok", "ik sta achter de bar" (bot/content/jobs.yml)
    yn = parse_yes_no(raw)
    target = m.yes_code if yn.value is True else m.no_code if yn.value is False else None
    if target and not yn.uncertain:
        return _ok(target)
    if target:
        return _confirm(target, content.text("confirm_option", label=content.option_label(q, target)))
    return _invalid(q)


def _not_applicable_phrases(q: Dict[str, Any]) -> List[str]:
    return sorted((normalize(p) for p in q.get("not_applicable") or ()), key=len, reverse=True)


def _without_not_applicable(q: Dict[str, Any], raw: str) -> str:
    text = f" {normalize(raw)} "
    for phrase in _not_applicable_phrases(q):
        text = text.replace(f" {phrase} ", " ")
    return " ".join(w for w in text.split() if w not in ("dus", "maar", "want", "echt", "dat", "is", "niet"))


def _not_applicable(q: Dict[str, Any], raw: str) -> bool:
    """True when the text says the question does not apply (questions.yml `not_applicable`,
    e.g. "ik werk alleen" to the question about support from colleagues)."""
    text = f" {normalize(raw)} "
    return any(f" {p} " in text for p in _not_applicable_phrases(q))


def _conditional_yes(q: Dict[str, Any], raw: str) -> Optional[str]:
    """The option marked `conditional_of: "yes"` when a yes comes with a restriction
    ("ja, maar niet meer in de nachtdienst") or a condition about the work ("ja, mits
    mijn rooster wordt aangepast"); the plain yes for a restriction about health only
    ("ja, maar niet voordat de chemo klaar is"); None otherwise (the usual matching
    decides). Markers and word stems: questions.yml `conditional_yes`."""
    marked = next((o for o in q.get("options", []) if o.get("conditional_of")), None)
    if not marked:
        return None
    target, plain = str(marked["code"]), str(marked["conditional_of"])
    yn = parse_yes_no(raw)
    rest = normalize(yn.rest)
    if yn.value is not True or not rest:
        return None
    rules = content.questionnaire().get("conditional_yes") or {}
    words = rest.split()

    def opens(markers: Any, said: str = rest) -> bool:
        return any(said == mk or said.startswith(mk + " ") for mk in markers or ())

    def has(stems: Any) -> bool:  # a stem of 5+ letters may end a compound ("binnendienst")
        return any(w.startswith(st) or (len(st) >= 5 and st in w) for w in words for st in stems or ())

    about_work = has(rules.get("about_work"))
    if opens(rules.get("restriction_markers")):
        return plain if has(rules.get("about_health")) and not about_work else target
    if opens(rules.get("condition_markers")) and about_work:
        return target
    clauses = [normalize(c) for c in re.split(r"[,;.:]", yn.rest)[1:] if normalize(c)]
    later = any(opens(rules.get("condition_markers"), c) for c in clauses)  # "ja, stap voor stap, met ..."
    return target if later and about_work else None


def _parse_multi(q: Dict[str, Any], raw: str, today: date) -> ParseResult:
    exact = exact_option(q, raw)
    if exact is not None:
        return _ok([exact])
    if skip_kind(raw):
        return ParseResult("skip")
    res = match_multi(q, raw)
    if res.codes:
        return _ok(res.codes, res.other_text)
    codes = [str(o["code"]) for o in q.get("options", [])]
    if res.negated and "none" in codes:
        return _confirm(["none"], content.text("confirm_option", label=content.option_label(q, "none")))
    if parse_yes_no(raw).value is True:
        return _invalid(q, content.text("what_exactly", hint=q.get("hint", "")))
    return _invalid(q)


def _has_follow_up(question_id: Optional[str]) -> bool:
    try:
        return content.follow_up_of(question_id) is not None
    except Exception:  # content not loadable (e.g. a question dict made in a test)
        return False


def _meaningful(text: str) -> bool:
    """True when text says more than yes/no/filler ("hoor", "graag", "dank u")."""
    norm = normalize(text)
    if not norm or norm in YES or norm in NO:
        return False
    words = [w for w in norm.split() if w not in FILLER_AFTER_YES_NO]
    return letters("".join(words)) >= 2 and not looks_like_gibberish(text)


def _parse_yes_no(q: Dict[str, Any], raw: str, today: date) -> ParseResult:
    if skip_kind(raw):
        return ParseResult("skip")
    yn = parse_yes_no(raw)
    follow_up = _has_follow_up(q.get("id"))
    if yn.value is None:
        words = [w for w in normalize(raw).split() if w.isalpha()]
        if follow_up and len(words) >= 2 and not looks_like_gibberish(raw):
            return _ok(True, clean_text(raw, TEXT_LIMIT))  # the question itself, typed at once
        return _invalid(q)
    extra = clean_text(yn.rest, TEXT_LIMIT) if yn.value and _meaningful(yn.rest) else None
    if yn.uncertain:
        opposite = parse_yes_no(yn.rest).value
        if opposite is not None and opposite != yn.value:
            return _invalid(q, content.text("yes_or_no_unclear"))
        if not (follow_up and yn.value):
            word = content.text("word_yes" if yn.value else "word_no")
            result = _confirm(yn.value, content.text("confirm_yes_no", answer=word))
            result.extra_text = extra
            return result
    return _ok(yn.value, extra)


def _parse_number(q: Dict[str, Any], raw: str, today: date) -> ParseResult:
    if skip_kind(raw):
        return ParseResult("skip")
    lo, hi = q.get("min", 0), q.get("max")
    if q.get("parser") == "hours":
        res = parse_weekly_hours(raw, max_hours=hi if hi is not None else 80, min_hours=lo)
        return _from_extractor(q, res, found=res.value is not None)
    num = parse_number(raw)
    if num.value is None:
        return _invalid(q)
    if (hi is not None and num.value > hi) or (lo is not None and num.value < lo):
        return _invalid(
            q,
            content.text("number_between", low=format_number(lo), high=format_number(hi))
            if hi is not None
            else content.text("number_from", low=format_number(lo)),
        )
    value = tidy(num.value)
    if num.is_range or num.more_than:
        return _confirm(value, content.text("confirm_value", value=format_number(value)))
    return _ok(value)


def _parse_scale(q: Dict[str, Any], raw: str, today: date) -> ParseResult:
    if skip_kind(raw):
        return ParseResult("skip")
    res = parse_score(raw, int(q.get("min", 0)), int(q.get("max", 10)))
    return _from_extractor(q, res, found=res.value is not None)


def _parse_date(q: Dict[str, Any], raw: str, today: date) -> ParseResult:
    if skip_kind(raw):
        return ParseResult("skip")
    res = parse_since(raw, today)
    return _from_extractor(q, res, found=res.date is not None)


def _from_extractor(q: Dict[str, Any], res: Any, found: bool) -> ParseResult:
    """An extractor result (value, needs_confirm, confirm_text, hint) as a ParseResult."""
    if not found:
        return _invalid(q, res.hint)
    if res.needs_confirm:
        return _confirm(res.value, res.confirm_text)
    return _ok(res.value)


def _parse_text(q: Dict[str, Any], raw: str, today: date) -> ParseResult:
    if skip_kind(raw):
        return ParseResult("skip")
    cleaned = clean_text(raw, TEXT_LIMIT)
    if letters(cleaned) < 2 or looks_like_gibberish(cleaned):
        return _invalid(q)
    return _ok(cleaned)


_PARSERS = {
    "choice": _parse_choice,
    "multi_choice": _parse_multi,
    "yes_no": _parse_yes_no,
    "number": _parse_number,
    "scale": _parse_scale,
    "date_or_duration": _parse_date,
    "text": _parse_text,
}


# --- button codes ----------------------------------------------------------------------


def _from_code(q: Dict[str, Any], code: str, text: Optional[str], today: date) -> ParseResult:
    kind = q["answer_type"]
    codes = [str(o["code"]) for o in q.get("options", [])]
    if code == "skip":
        return ParseResult("skip")
    if kind == "choice":
        return _ok(code) if code in codes else _invalid(q)
    if kind == "multi_choice":
        chosen: List[str] = []
        for part in code.split(","):
            part = part.strip()
            if part and part not in chosen:
                chosen.append(part)
        if not chosen or any(c not in codes for c in chosen):
            return _invalid(q)
        if "none" in chosen and len(chosen) > 1:
            return _invalid(q, content.text("none_alone", label=content.option_label(q, "none")))
        return _ok(chosen)
    if kind == "yes_no":
        low = code.lower()
        if low in YES_CODES:
            return _ok(True)
        if low in NO_CODES:
            return _ok(False)
        return _invalid(q)
    if kind in ("number", "scale"):
        if not re.fullmatch(r"-?\d+(?:[.,]\d+)?", code):
            return _invalid(q)
        value = tidy(float(code.replace(",", ".")))
        lo, hi = q.get("min"), q.get("max")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            return _invalid(q)
        if kind == "scale" and value != int(value):
            return _invalid(q)
        return _ok(int(value) if kind == "scale" else value)
    if kind == "date_or_duration":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", code):
            return _invalid(q)
        res = parse_since(code, today)
        return _ok(res.value) if res.date is not None else _invalid(q, res.hint)
    return parse_answer(q, text or code, None, today)
