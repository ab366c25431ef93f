"""The kind of work in a patient's words: "ik werk als verpleegkundige in het Rijnstate",
"ik ben kok", "ik geef yogales", "ik heb een eigen kapsalon"; and whether a sentence
says that someone works without the word "werk" ("ik sta achter de bar", "ik bezorg
eten op de fiets"). Word lists: bot/content/jobs.yml."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Pattern

from bot import content
from bot.language.extract.normalize import clean_text, normalize

JOB_END = re.compile(
    r"\s+(?:en|maar|want|sinds|al|voor|per|nu|ik|via|met\s+een|op\s+(?:oproep|contract)|"
    r"in\s+(?:vaste\s+)?(?:loon)?dienst|in\s+vast\s+dienstverband)\b.*$|\s+\d.*$",
    re.IGNORECASE,
)
NOT_A_JOB = re.compile(
    r"(?:en|maar|of|want|dus|ik|heb|ben|werk|sinds|al|nu|niet|wel|ook|altijd|het|dat|die|je|u|zo|gewoon|"
    r"normaal|vroeger|iedereen|er|mogelijk|nodig|volgt|eerst|laatste|enige)\b",
    re.IGNORECASE,
)
# Words of an employment type ("vast", "uitzend", "zzp"): no kind of work on their own.
EMPLOYMENT_WORDS = (
    r"(vast\w*|tijdelijk\w*|oproep\w*|nul\s*uren\w*|0[\s-]*uren\w*|flex\w*|uitzend\w*|zzp\w*|"
    r"zelfstandig\w*|freelance\w*|eigen\s+(bedrijf|zaak|praktijk)|loondienst|in\s+dienst|"
    r"ondernemer|jaarcontract|payroll|gedetacheerd|detachering)"
)
EMPLOYMENT_ONLY = re.compile(EMPLOYMENT_WORDS, re.IGNORECASE)
# Only the verb, no detail: "ja, ik geef les" says less than the answer to the question itself.
BARE_ACTIVITY = {"les", "lessen", "les op school"}


@lru_cache(maxsize=1)
def _words() -> Dict[str, Any]:
    """bot/content/jobs.yml, normalised once: word sets and the place pattern."""
    data = content.load("jobs")

    def words(key: str) -> List[str]:
        return [normalize(w) for w in data.get(key) or ()]

    places = "|".join(re.escape(p) for p in words("place_words"))
    verbs = "|".join(re.escape(v) for v in words("place_verbs"))
    return {
        "job_endings": tuple(data["job_endings"]),
        "not_jobs": set(words("not_jobs")),
        "not_now": words("not_now"),
        "work_verbs": words("work_verbs"),
        "not_places": set(words("not_places")),
        "at_place": re.compile(rf" ik (?:{verbs})\b(?P<rest>.*)"),
        "place": re.compile(rf"\b(?:{places}) (?:de |het |een |mijn |m n |onze )?(?P<noun>\w+(?: \w+)?)"),
    }


@lru_cache(maxsize=4)
def _occupation_pattern(endings: tuple) -> Pattern[str]:
    ends = "|".join(sorted((re.escape(e) for e in endings), key=len, reverse=True))
    return re.compile(
        r"\b(?:als\s+(?:een\s+)?|ben\s+(?:een\s+)?(?:zzp(?:'?er)?|zelfstandig(?:e)?|freelance|freelancer)\s+(?=[a-z])|"
        r"ben\s+(?:een\s+)?(?:ervaren\s+|parttime\s+|fulltime\s+|zelfstandig\s+)?"
        rf"(?=\w*(?:{ends})\b)|geef\s+(?=\w*les\b)|"
        r"werk\s+(?:in\s+de|in\s+het|in|op\s+een|op\s+de|op\s+het)\s+|"
        r"(?:mijn|m'?n|een)\s+eigen\s+(?=\w+(?:bedrijf|zaak|praktijk|winkel|salon|studio|bureau)\w*\b))"
        r"(?P<job>[^,.;!?\n]{2,60})",
        re.IGNORECASE,
    )


def occupation_in(text: str, titles_only: bool = False) -> Optional[str]:
    """ "ja, ik werk als verpleegkundige in het Rijnstate" -> "verpleegkundige in het Rijnstate".
    "als ..." wins over "ik werk in ..."; an employment type ("uitzendkracht") is no job,
    nor is "ik ben moeder". With `titles_only`, only a job named as such ("als ...",
    "ik ben kok", "ik geef yogales"), not a sector or a business ("ik werk in de zorg",
    "mijn eigen kapsalon"): those say less than the answer to "Wat voor werk doet u?"."""
    words = _words()
    found = []
    for m in _occupation_pattern(words["job_endings"]).finditer(text):
        job = JOB_END.sub("", m.group("job")).strip(" ,.-")
        said = normalize(job)
        first = said.split()[0] if said else ""
        if len(said) < 3 or EMPLOYMENT_ONLY.fullmatch(job.strip()) or NOT_A_JOB.match(job):
            continue
        prefix = m.group(0)[: m.start("job") - m.start()].strip().lower()
        if prefix.startswith("ben") and (first in words["not_jobs"] or len(first) < 3):
            continue
        trade_company = "eigen" in prefix and re.match(r"\w{3,}s?bedrijf", said)  # hoveniersbedrijf
        if titles_only and (prefix.startswith("werk ") or ("eigen" in prefix and not trade_company)):
            inner = occupation_in(m.group("job"), titles_only=True)  # "in een magazijn als orderpicker"
            if inner:
                found.append((0, inner))
            continue
        if prefix.startswith("werk "):
            job = f"{prefix[5:].strip()} {job}".strip()  # "in de zorg", "op een school"
        elif prefix.startswith("geef"):
            if said in BARE_ACTIVITY:
                continue
            job = f"{job} geven"  # "yogales geven"
        found.append((0 if prefix.startswith("als") else 1, clean_text(job, 200)))
    return min(found)[1] if found else None


def says_works(text: str) -> bool:
    """True when the sentence says the patient does a job now, in other words than "ik
    werk": a job title after "ik ben" ("ik ben kok"), a work verb ("ik bezorg eten") or a
    place of work ("ik sta achter de bar", "ik zit op de vuilniswagen")."""
    words = _words()
    said = f" {normalize(text)} "
    if any(f" {w} " in said for w in words["not_now"]):
        return False
    if occupation_in(text):
        return True
    if any(f" ik {v} " in said or said.startswith(f" {v} ") for v in words["work_verbs"]):
        return True
    for m in words["at_place"].finditer(said):
        place = words["place"].search(m.group("rest"))
        if place and not any(
            place.group("noun") == n
            or place.group("noun").startswith(n + " ")
            or f" {n} " in f" {m.group('rest')} "
            for n in words["not_places"]
        ):
            return True
    return False
    if occupation_in(text):
        return True
    if any(
        f" ik {normalize(v)} " in said or said.startswith(f" {normalize(v)} ") for v in words["work_verbs"]
    ):
        return True
    places = "|".join(re.escape(normalize(p)) for p in words["place_words"])
    verbs = "|".join(re.escape(normalize(v)) for v in words["place_verbs"])
    not_places = {normalize(p) for p in words.get("not_places") or ()}
    for m in re.finditer(rf" ik (?:{verbs})\b(?P<rest>.*)", said):
        place = re.search(
            rf"\b(?:{places}) (?:de |het |een |mijn |m n |onze )?(?P<noun>\w+(?: \w+)?)", m.group("rest")
        )
        if place and not any(
            place.group("noun") == n
            or place.group("noun").startswith(n + " ")
            or f" {n} " in f" {m.group('rest')} "
            for n in not_places
        ):
            return True
    return False
