"""Control phrases: skip, go back, restart, and "I meant ..." corrections.

`detect_control(text)` returns a `Control(kind, rest)` (a 2-tuple) with kind one of
"restart", "back", "correction", "skip" or None. Skip, back and restart count only when
they are the whole message (apart from filler words such as "eh", "sorry", "dan"), so
"terug naar werk" or "ik weet niet hoeveel uur, ongeveer 20" are answers, not control.
A correction is a prefix ("nee, ik bedoel 24 uur", "ik bedoelde", "correctie:",
"sorry, het is ..."); `rest` is what follows, in the patient's own spelling.

Skips come in two kinds (`skip_kind`): "dont_know" ("weet ik niet", "geen idee") and
"decline" ("zeg ik liever niet", "sla over"). A question with a "weet ik niet" option
takes a dont_know skip as that option (see bot/language/answers.py).
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from bot.language.extract.normalize import HESITATIONS, normalize
from bot.language.extract.yes_no import NO

DONT_KNOW = {
    "weet ik niet",
    "ik weet het niet",
    "ik weet niet",
    "weet niet",
    "weet het niet precies",
    "geen idee",
    "geen flauw idee",
    "geen benul",
    "geen flauw benul",
    "weet ik niet precies",
    "ik weet het niet precies",
    "weet ik eigenlijk niet",
    "ik weet het eigenlijk niet",
    "ik weet het echt niet",
    "weet ik echt niet",
    "kan ik niet zeggen",
    "moeilijk te zeggen",
    "lastig te zeggen",
    "dat weet ik niet",
    "dat weet ik echt niet",
    "onbekend",
    "weet ik nog niet",
    "ik weet het nog niet",
    "idk",
    "geen idee eigenlijk",
}
DECLINE = {
    "sla over",
    "overslaan",
    "sla maar over",
    "sla deze over",
    "sla deze vraag over",
    "deze vraag overslaan",
    "vraag overslaan",
    "zeg ik liever niet",
    "liever niet zeggen",
    "dat zeg ik liever niet",
    "wil ik niet zeggen",
    "dat wil ik niet zeggen",
    "wil ik liever niet zeggen",
    "dat wil ik liever niet zeggen",
    "geen antwoord",
    "ik wil geen antwoord geven",
    "volgende",
    "volgende vraag",
    "skip",
    "pas",
    "ik pas",
    "nvt",
    "n v t",
    "niet van toepassing",
    "gaat u niets aan",
    "ga door",
    "ga verder",
    "door",
    "verder",
    "doorgaan",
    "liever geen antwoord",
    "wil ik niet beantwoorden",
    "ik wil deze vraag overslaan",
    "die sla ik over",
    "deze sla ik over",
    "sla ik over",
}
BACK = {
    "terug",
    "ga terug",
    "vorige",
    "vorige vraag",
    "terug naar de vorige vraag",
    "naar de vorige vraag",
    "een vraag terug",
    "ga een vraag terug",
    "ik wil terug",
    "stap terug",
    "ga terug naar de vorige vraag",
    "ik wil terug naar de vorige vraag",
    "terug gaan",
    "teruggaan",
    "ga een stap terug",
    "back",
    "vorige stap",
}
RESTART = {
    "opnieuw beginnen",
    "opnieuw",
    "begin opnieuw",
    "ik wil opnieuw beginnen",
    "overnieuw",
    "overnieuw beginnen",
    "herstart",
    "restart",
    "reset",
    "helemaal opnieuw",
    "helemaal opnieuw beginnen",
    "van voor af aan",
    "opnieuw starten",
    "start opnieuw",
    "alles opnieuw",
    "kan ik opnieuw beginnen",
    "ik wil overnieuw beginnen",
    "opnieuw begin",
}
# After "nee wacht, ...": the patient takes back what they were about to do, not an answer.
CANCEL = (
    "ga maar door",
    "ga door",
    "laat maar",
    "toch maar niet",
    "toch niet",
    "laat maar zitten",
    "vergeet het",
    "vergeet dat",
    "doe maar verder",
    "ga verder",
    "we gaan door",
    "niks aan de hand",
    "laat ook maar",
    "maakt niet uit",
    "hoeft niet",
    "niet nodig",
)


def cancels(rest: str) -> bool:
    """True when the text after a correction opener only takes something back."""
    said = f" {normalize(rest)} "
    return any(f" {c} " in said for c in CANCEL)


FILLERS = HESITATIONS | {
    "sorry",
    "helaas",
    "dan",
    "maar",
    "even",
    "ok",
    "graag",
    "alstublieft",
    "aub",
    "svp",
    "please",
    "hoor",
    "toch",
    "ja",
}

_SEP = r"[\s,.!:;\-]*"
_CORRECTION = re.compile(
    r"^\s*(?:"
    rf"(?:(?:nee+|neen|sorry|oeps|pardon|oh|o|ah|wacht|typfout|tikfout|foutje)\b{_SEP})*(?:ik\s+)?bedoel(?:de)?(?:\s+eigenlijk)?\b"
    rf"|(?:(?:nee+|neen|sorry|oeps){_SEP})?wacht{_SEP}(?:het\s+(?:is|zijn|was|waren)(?:\s+eerder)?|eigenlijk)\b"
    rf"|(?:oh{_SEP})?nee+{_SEP}wacht\b"
    rf"|(?:(?:nee+|sorry|oeps){_SEP})?(?:correctie|verbetering|foutje|vergissing|"
    r"ik\s+heb\s+me\s+vergist|ik\s+vergiste\s+me|ik\s+zat\s+fout|ik\s+heb\s+het\s+fout)\b"
    rf"|(?:sorry|oeps|pardon){_SEP}(?:het\s+is|het\s+was|het\s+moet\s+zijn|dat\s+moet\s+zijn|"
    r"moet\s+zijn|dat\s+is|eigenlijk)\b"
    rf"|nee+{_SEP}(?:het\s+moet\s+zijn|dat\s+moet\s+zijn|eigenlijk)\b"
    rf"){_SEP}(?:(?:het\s+is|het\s+was|dat\s+is|het\s+moet\s+zijn)\b{_SEP})?",
    re.IGNORECASE,
)


class Control(NamedTuple):
    kind: Optional[str]  # "restart" | "back" | "correction" | "skip" | None
    rest: str  # for a correction: the new answer, else ""


def _core(text: str) -> str:
    words = normalize(text).split()
    while words and words[0] in FILLERS:
        words.pop(0)
    while words and words[-1] in FILLERS:
        words.pop()
    return " ".join(words)


def skip_kind(text: str) -> Optional[str]:
    """ "dont_know", "decline" or None, for a whole message that only skips."""
    core = _core(text)
    if core in DONT_KNOW:
        return "dont_know"
    if core in DECLINE:
        return "decline"
    return None


_CLAUSE = re.compile(r"[,.;:!?]|\b(?:maar|want|dus|omdat)\b")


def leading_skip(text: str) -> Optional[str]:
    """ "dont_know" or "decline" when the message opens with such a clause followed by more
    text: "weet ik eigenlijk niet precies, mijn boekhouder regelt dat", "n.v.t., ik werk
    alleen"; else None."""
    if _DONT_KNOW_WHETHER.match(normalize(text)):
        return "dont_know"
    parts = _CLAUSE.split(_DOTTED_NVT.sub("nvt", text or ""), maxsplit=1)
    if len(parts) != 2 or not normalize(parts[1]):
        return None
    core = _core(parts[0])
    if core in DONT_KNOW or " ".join(w for w in core.split() if w not in _HEDGES) in DONT_KNOW:
        return "dont_know"
    return "decline" if core in DECLINE else None


def leading_dont_know(text: str) -> bool:
    return leading_skip(text) == "dont_know"


_DOTTED_NVT = re.compile(r"\bn\.\s?v\.\s?t\.?", re.IGNORECASE)


_HEDGES = {
    "eigenlijk",
    "precies",
    "echt",
    "zo",
    "goed",
    "nou",
    "ook",
    "helemaal",
    "zelf",
    "eerlijk",
    "gezegd",
    "zeker",
    "meer",
}
# "weet ik eerlijk gezegd niet zeker of ik zo'n verzekering heb": not knowing, whatever follows
_DONT_KNOW_WHETHER = re.compile(
    r"^(?:nee\s+)?(?:ik\s+)?weet\s+(?:ik\s+)?(?:het\s+)?(?:\w+\s+){0,3}niet(?:\s+\w+){0,2}\s+(?:of|welke|wat|hoe)\b"
)


def correction_rest(text: str) -> Optional[str]:
    """The new answer after a correction prefix ("" when nothing follows), or None."""
    m = _CORRECTION.match(text or "")
    if not m or normalize(text) in NO:  # "nee eigenlijk niet" is a plain no
        return None
    return text[m.end() :].strip(" \t\n,.:;!-")


_RESTART_ASK = re.compile(
    r"^(?:(?:kan|mag|wil|kunnen|mogen|willen|zou|zouden)\s+(?:ik|we|wij)\s+(?:\w+\s+){0,3})?"
    r"(?:helemaal\s+)?(?:opnieuw|overnieuw|van\s+voren\s+af\s+aan|van\s+voor\s+af\s+aan)"
    r"(?:\s+(?:beginnen|starten|begin|doen))?$"
)
_RESTART_NOT = {"werk", "werken", "baan", "job", "met", "te", "aan", "school", "studie", "opleiding"}


def restart_clause(text: Optional[str]) -> bool:
    """True when one clause of the message asks to start again ("kan ik eigenlijk
    opnieuw beginnen? ik weet niet of alles klopt", "ik wil opnieuw beginnen, ik heb iets
    verkeerd gezegd"); not "ik wil opnieuw beginnen met werken". Restarting is always
    confirmed first, so asking is safe."""
    clauses = [c for c in re.split(r"[,.;:!?\n]+", text or "") if normalize(c)]
    for clause in clauses:
        words = [w for w in normalize(clause).split() if w not in FILLERS and w not in _HEDGES]
        if not words or set(words) & _RESTART_NOT or (len(words) == 1 and len(clauses) > 1):
            continue
        if " ".join(words) in RESTART or _RESTART_ASK.match(" ".join(words)):
            return True
    return False


def detect_control(text: Optional[str]) -> Control:
    text = text or ""
    core = _core(text)
    if core in RESTART:
        return Control("restart", "")
    if core in BACK:
        return Control("back", "")
    rest = correction_rest(text)
    if rest is not None:
        return Control("correction", rest)
    if core in DONT_KNOW or core in DECLINE:
        return Control("skip", "")
    return Control(None, "")
