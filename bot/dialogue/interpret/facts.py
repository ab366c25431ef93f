"""Facts of later questions that a patient gives in passing ("ik werk 32 uur als
verpleegkundige in vaste dienst"): taken, so those questions are not asked again, and
shown at the read-back like every other answer.

Only the facts the guideline's first questions carry are taken — kind of work,
employment type, hours and a sick report — and only from answers to those first
questions, where patients tell them naturally. Each is parsed by the same parser as the
question itself would use, so it is stored in the same form.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional

from bot import content
from bot.language.answers import parse_answer
from bot.language.extract.normalize import clean_text, normalize

SOURCES = ("work_status", "occupation", "employment_type", "hours_per_week")
OCCUPATION = re.compile(
    r"\b(?:als\s+(?:een\s+)?|ben\s+(?:een\s+)?(?:zzp(?:'?er)?|zelfstandig(?:e)?|freelance|freelancer)\s+(?=[a-z])|"
    r"ben\s+(?:een\s+)?(?:ervaren\s+|parttime\s+|fulltime\s+)?"
    r"(?=\w+(?:er|ster|eur|ist|kundige|medewerker|arts|kracht|hulp|man|vrouw|leider|meester|chauffeur|docent|"
    r"leraar|kok|monteur|timmerman|graaf)\b)|geef\s+(?=\w*les\b)|"
    r"werk\s+(?:in\s+de|in\s+het|bij\s+de|bij\s+het|bij|in|op\s+een|op\s+de|op\s+het)\s+)"
    r"(?P<job>[^,.;!?\n]{2,60})", re.IGNORECASE)
JOB_END = re.compile(r"\s+(?:en|maar|want|sinds|al|voor|per|nu|ik|via|met\s+een|op\s+(?:oproep|contract)|"
                     r"in\s+(?:vaste\s+)?(?:loon)?dienst|in\s+vast\s+dienstverband)\b.*$|\s+\d.*$",
                     re.IGNORECASE)
NOT_A_JOB = re.compile(r"(?:en|maar|of|want|dus|ik|heb|ben|werk|sinds|al|nu|niet|wel|ook)\b", re.IGNORECASE)
HOURS_HINT = re.compile(r"\b(uur|uren|dagen|dag|fulltime|full-time|parttime|part-time|voltijd|deeltijd)\b",
                        re.IGNORECASE)
SICK_HINT = re.compile(r"\bziek\s*gemeld|\bziekgemeld|\bziekmelding|\bziek\s+thuis|\bin\s+de\s+ziektewet|"
                       r"\bre-?integr", re.IGNORECASE)
EMPLOYMENT_HINT = re.compile(
    r"\b(vast\w*|tijdelijk\w*|oproep\w*|nul\s*uren\w*|0[\s-]*uren\w*|flex\w*|uitzend\w*|zzp\w*|"
    r"zelfstandig\w*|freelance\w*|eigen\s+(bedrijf|zaak|praktijk)|loondienst|in\s+dienst|"
    r"ondernemer|jaarcontract|payroll|gedetacheerd|detachering)\b", re.IGNORECASE)


def harvest(state: Dict[str, Any], answered_id: str, value: Any, text: str,
            today: Any = None) -> Dict[str, Any]:
    """{question id: value} for later, unanswered questions that `text` already answers."""
    if answered_id not in SOURCES or not text:
        return {}
    found: Dict[str, Any] = {}
    answered = dict(state["answers"], **{answered_id: value})
    if answered.get("work_status") != "working":
        return {}

    def open_question(qid: str) -> bool:
        return qid != answered_id and qid not in state["answers"] and qid not in state["skipped"]

    if answered_id == "work_status" and open_question("occupation"):
        job = occupation_in(text)
        if job:
            found["occupation"] = job
    if open_question("employment_type") and EMPLOYMENT_HINT.search(text):
        parsed = parse_answer(content.question("employment_type"), text, None, today)
        if parsed.status == "ok":
            found["employment_type"] = parsed.value
    if open_question("hours_per_week") and HOURS_HINT.search(text):
        parsed = parse_answer(content.question("hours_per_week"), text, None, today)
        if parsed.status == "ok":
            found["hours_per_week"] = parsed.value
    if open_question("absence") and SICK_HINT.search(text):
        parsed = parse_answer(content.question("absence"), text, None, today)
        if parsed.status == "ok" and parsed.value != "none":
            found["absence"] = parsed.value
    return found


def occupation_in(text: str) -> Optional[str]:
    """"ja, ik werk als verpleegkundige in het Rijnstate" -> "verpleegkundige in het Rijnstate".
    "als ..." wins over "ik werk in ..."; an employment type ("uitzendkracht") is no job."""
    found = []
    for m in OCCUPATION.finditer(text):
        job = JOB_END.sub("", m.group("job")).strip(" ,.-")
        if len(normalize(job)) < 3 or EMPLOYMENT_HINT.fullmatch(job.strip()) or NOT_A_JOB.match(job):
            continue
        prefix = m.group(0)[: m.start("job") - m.start()].strip().lower()
        if prefix.startswith("werk "):
            job = f"{prefix[5:].strip()} {job}".strip()      # "in de zorg", "bij de gemeente"
        elif prefix.startswith("geef"):
            job = f"{job} geven"                              # "yogales geven"
        found.append((0 if prefix.startswith("als") else 1, clean_text(job, 200)))
    return min(found)[1] if found else None
