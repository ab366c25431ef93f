"""Scripted conversations for the benchmark and the load test.

Each step is ``(text, expect)``; ``expect`` is checked against the reply:

- a question id: the reply asks that question (``custom.question_id``),
- ``SUMMARY``: the reply carries a ``summary_id`` and was stored at once (no ``queued``),
- ``"~substring"``: some text in the reply contains the substring (moodbot),
- ``None``: any non-empty reply.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

SUMMARY = "@summary"
Step = Tuple[str, Optional[str]]

START_METADATA = {"channel": "home", "appointment_code": "BENCH-1"}

# Employee on partial sick leave: 24 turns, every question, read-back, consent.
EMPLOYEE_WITH_ABSENCE: List[Step] = [
    ("/start", "work_status"),
    ("ja ik werk", "occupation"), ("ik ben verpleegkundige", "employment_type"),
    ('/inform{"code": "permanent"}', "absence"), ("ja, voor een deel", "absence_since"),
    ("sinds 3 weken", "barriers"), ("ik ben moe en heb pijn in m'n rug", "support_wish"),
    ("nee", "hours_per_week"), ("4 dagen van 8 uur", "how_is_work"),
    ("het gaat wisselend", "what_goes_well"),
    ("het contact met patiënten", "work_aggravates"), ("weet ik niet", "occupational_physician"),
    ("ja ik heb contact", "employer_informed"), ("ja", "workplace_support"),
    ("een beetje", "job_control"), ("nee", "work_ability"), ("een zesje", "rtw_expectation"),
    ("met aanpassingen", "worries"), ("mijn inkomen", "informal_care"), ("nee", "irregular_hours"),
    ("nee", "treatment_work_consideration"), ("nee", "scheduling_needs"),
    ("nee", "physician_contact_wish"), ("nee", "readback"),
    ('/inform{"code": "confirm"}', "consent_share"), ("ja", SUMMARY),
]

# Self-employed, a question about income in the middle (FAQ digression, the pending
# question is asked again), buttons and typed answers mixed.
SELF_EMPLOYED_WITH_QUESTION: List[Step] = [
    ("/start", "work_status"),
    ('/inform{"code": "working"}', "occupation"), ("ik heb een schildersbedrijf", "employment_type"),
    ("ik ben zzp'er", "absence"),
    ("Ik ben zzp'er, wat als ik niet kan werken?", "absence"),
    ("nee", "barriers"), ('/inform{"code": "fatigue,concentration"}', "support_wish"),
    ("ja graag", "support_wish_question"), ("hoe vertel ik het mijn klanten", "hours_per_week"),
    ("ongeveer 40 uur", "how_is_work"), ("zwaar, ik ben snel moe", "what_goes_well"),
    ("mijn eigen tijd indelen", "work_aggravates"), ("ja", "workplace_support"),
    ("een beetje", "job_control"), ("ja", "income_protection"), ("broodfonds", "work_ability"),
    ("7", "rtw_expectation"), ("ja", "worries"), ("mijn inkomen en mijn klanten", "informal_care"),
    ("nee", "irregular_hours"), ("nee", "treatment_work_consideration"), ("nee", "scheduling_needs"), ("nee", "readback"),
    ('/inform{"code": "confirm"}', "consent_share"), ("ja", SUMMARY),
]

INTAKE_SCRIPTS = {"employee_absence": EMPLOYEE_WITH_ABSENCE,
                  "self_employed_question": SELF_EMPLOYED_WITH_QUESTION}

# Rasa's moodbot (`rasa init`): the framework floor. 7 turns, English by design.
MOODBOT: List[Step] = [
    ("hello", "~How are you"), ("I am feeling great", "~carry on"), ("bye", "~Bye"),
    ("hi there", "~How are you"), ("I am very sad", "~Did that help"),
    ("yes", "~carry on"), ("goodbye", "~Bye"),
]


def question_id(replies: List[Dict[str, Any]]) -> Optional[str]:
    ids = [m["custom"]["question_id"] for m in replies
           if isinstance(m, dict) and isinstance(m.get("custom"), dict) and "question_id" in m["custom"]]
    return ids[-1] if ids else None


def check(replies: Any, expect: Optional[str]) -> Optional[str]:
    """None when the reply matches ``expect``, else a short reason."""
    if not isinstance(replies, list) or not replies:
        return "empty reply"
    if any(isinstance(m, dict) and isinstance(m.get("custom"), dict) and m["custom"].get("error")
           for m in replies):
        return "error reply"
    if expect is None:
        return None
    if expect == SUMMARY:
        customs = [m["custom"] for m in replies if isinstance(m.get("custom"), dict)]
        if not any(c.get("summary_id") for c in customs):
            return "no summary_id"
        if any(c.get("queued") for c in customs):
            return "summary queued in outbox"
        return None
    if expect.startswith("~"):
        texts = " ".join(m.get("text") or "" for m in replies if isinstance(m, dict))
        return None if expect[1:] in texts else f"expected text {expect[1:]!r}"
    got = question_id(replies)
    return None if got == expect else f"expected {expect}, got {got}"
