"""Yes or no in Dutch, and what the patient said after it.

`parse_yes_no("ja, ik wil weten of ik het mijn baas moet vertellen")` gives value True
and rest "ik wil weten of ik het mijn baas moet vertellen". Understood: "ja", "jazeker",
"klopt", "ik denk het wel", "graag", "prima", "nee", "nee hoor", "niet echt",
"liever niet", "ik denk het niet", "nooit", thumbs up/down. A yes or no followed by its
opposite ("ja, nee", "ja of nee", "ja maar niet ...") is marked `uncertain`; an
elaboration that merely contains a negation ("ja, niet in het weekend") is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bot.language.extract.normalize import HESITATIONS, FuzzyVocab, normalize

YES = {
    "ja",
    "jawel",
    "jazeker",
    "ja zeker",
    "zeker",
    "zeker weten",
    "zeker wel",
    "welzeker",
    "klopt",
    "dat klopt",
    "ja klopt",
    "ja dat klopt",
    "inderdaad",
    "ja inderdaad",
    "graag",
    "ja graag",
    "heel graag",
    "prima",
    "ok",
    "goed",
    "is goed",
    "dat is goed",
    "ja is goed",
    "tuurlijk",
    "natuurlijk",
    "ja natuurlijk",
    "ja tuurlijk",
    "uiteraard",
    "absoluut",
    "ik denk het wel",
    "denk het wel",
    "dat denk ik wel",
    "ik denk van wel",
    "ik geloof het wel",
    "ja hoor",
    "akkoord",
    "dat mag",
    "mag",
    "ja dat mag",
    "juist",
    "correct",
    "precies",
    "dat is zo",
    "ja dat is zo",
    "dat wil ik",
    "ja dat wil ik",
    "ja wel",
    "wel",
    "waarschijnlijk wel",
    "ik wel",
    "ja dat wist ik",
    "dat wist ik",
    "wist ik",
    "ja hoor dat klopt",
    "jazeker wel",
    "ja ja",
    "yes",
    "jep",
    "jup",
    "yep",
    "jaa",
    "jah",
    "ja joh",
    "jawoll",
    "dus ja",
    "doe maar",
    "ga je gang",
    "stuur maar",
    "stuur maar door",
    "dat zou fijn zijn",
    "dat zou mooi zijn",
    "dat zou helpen",
    "kan geen kwaad",
    "dat kan geen kwaad",
    "eigenlijk wel",
    "ja eigenlijk wel",
    "dat wel",
    "graag zelfs",
}
NO = {
    "nee",
    "nee hoor",
    "niet",
    "niet echt",
    "nee niet echt",
    "liever niet",
    "nee liever niet",
    "nooit",
    "absoluut niet",
    "zeker niet",
    "helemaal niet",
    "nee helemaal niet",
    "ik denk het niet",
    "denk het niet",
    "dat denk ik niet",
    "ik denk van niet",
    "ik geloof het niet",
    "nee dank u",
    "nee dank je",
    "nee bedankt",
    "nee dankjewel",
    "nee dankuwel",
    "hoeft niet",
    "dat hoeft niet",
    "nee hoeft niet",
    "mag niet",
    "dat mag niet",
    "nee dat mag niet",
    "klopt niet",
    "dat klopt niet",
    "niet nodig",
    "nee niet nodig",
    "nee niet",
    "nee dat wil ik niet",
    "dat wil ik niet",
    "ik wil het niet",
    "nog niet",
    "nee nog niet",
    "eigenlijk niet",
    "nee eigenlijk niet",
    "niet zo",
    "waarschijnlijk niet",
    "nee nee",
    "geen",
    "nee dat wist ik niet",
    "dat wist ik niet",
    "wist ik niet",
    "nee wist ik niet",
    "ik niet",
    "nein",
    "no",
    "neuh",
    "daar heb ik geen behoefte aan",
    "geen behoefte",
    "hoeft van mij niet",
    "laat maar",
    "niet nodig hoor",
    "neeh",
    "neen",
    "nee joh",
    "welnee",
    "nop",
    "nee hoor bedankt",
}
FILLERS = HESITATIONS | {"bedankt", "mwah", "mwa", "mja"}
_MAX_LEN = max(len(p.split()) for p in YES | NO)
_VOCAB = FuzzyVocab(
    [
        "jazeker",
        "natuurlijk",
        "inderdaad",
        "absoluut",
        "tuurlijk",
        "uiteraard",
        "akkoord",
        "helemaal",
        "waarschijnlijk",
        "eigenlijk",
    ]
)
_WORD = re.compile(r"[\w'\u2019]+|\U0001F44D|\U0001F44E|\u2705|\u274C")
_LEANING = [
    (re.compile(r"\b(denk|verwacht|geloof|vermoed|hoop) (het|van|ik) wel\b|\bwel (zo|het geval)\b"), True),
    (re.compile(r"\b(denk|verwacht|geloof|vermoed) (het|van|ik) niet\b|\bniet (zo|het geval)\b"), False),
    # "ik heb geen vragen", "niets veranderd", "maakt niet uit", "niet nodig"
    (
        re.compile(
            r"\b(geen|niets|niks)( \w+)? (vragen|vraag|hulp|behoefte|begeleiding|nodig|"
            r"veranderd|gewijzigd|veranderingen|nieuws|bijzonders|rekening)\b"
            r"|\bmaakt( me| mij)? niet uit\b|\b(niet|nergens) (nodig|voor nodig)\b"
            r"|\bhoeft niet\b|\balles (is )?(hetzelfde|gelijk|bij het oude)\b"
        ),
        False,
    ),
]


@dataclass(frozen=True)
class YesNoResult:
    value: Optional[bool]  # None: no yes or no found
    rest: str = ""  # the patient's text after the yes/no (original spelling)
    uncertain: bool = False  # "ja, nee", "ja maar niet ...": ask again or confirm


def _phrase_value(words) -> Optional[bool]:
    phrase = " ".join(words)
    if phrase in YES:
        return True
    if phrase in NO:
        return False
    return None


_THANKS = re.compile(r"\b(?:dank (?:u|je|jullie) (?:wel|hartelijk)|dankuwel|dankjewel|dank u|dank je)\b")


def parse_yes_no(text: str) -> YesNoResult:
    # "dank u wel" is politeness, not the "wel" of a yes ("nee, dank u wel")
    tokens = [(_VOCAB.lookup(t) or t) for t in _THANKS.sub("bedankt", normalize(text)).split()]
    skipped = 0
    while skipped < len(tokens) and tokens[skipped] in FILLERS:
        skipped += 1
    words = tokens[skipped:]
    for size in range(min(_MAX_LEN, len(words)), 0, -1):
        value = _phrase_value(words[:size])
        if value is None:
            continue
        after = words[size:]
        rest = _original_rest(text, skipped + size, len(tokens) - skipped - size)
        uncertain = bool(after) and _contradicts(value, after)
        return YesNoResult(value, rest, uncertain)
    joined = " ".join(tokens)
    asks = (text or "").rstrip().endswith("?")
    for pattern, value in _LEANING:
        if pattern.search(joined) and not (asks and value is False):
            return YesNoResult(value, "", False)
    return YesNoResult(None, "", False)


BARE = {"ja", "nee", "jawel", "nein", "no"}


LEADING_WORDS = {
    "ja",
    "nee",
    "jawel",
    "jazeker",
    "zeker",
    "klopt",
    "inderdaad",
    "tuurlijk",
    "natuurlijk",
    "absoluut",
    "nooit",
}


def leading_yes_no(text: str) -> Optional[bool]:
    """True/False when the text opens with a clear yes or no word ("ja, ik ...",
    "nee eigenlijk niet") that is not turned around ("ja, nee"); else None."""
    first_clause = normalize(re.split(r"[,.;:!?]", text or "", maxsplit=1)[0])
    if (first_clause in YES or first_clause in NO) and not parse_yes_no(text).uncertain:
        return first_clause in YES  # "eigenlijk wel, ik wil weten ...", "graag! ..."
    words = [w for w in normalize(text).split() if w not in FILLERS]
    if not words or words[0] not in LEADING_WORDS:
        return None
    res = parse_yes_no(text)
    return None if res.uncertain else res.value


def _contradicts(value: bool, after) -> bool:
    """True when what follows a yes/no turns it around: a bare opposite ("ja, nee",
    "ja of nee", "nee ja", "ja, niet echt") or "ja maar niet ...". An elaboration that
    merely contains a negation ("ja, niet in het weekend", "nee eigenlijk niet") is not."""
    if not after:
        return False
    words = list(after[1:]) if after[0] == "of" else list(after)
    if not words:
        return False
    whole = _phrase_value(words)
    if whole is not None and whole != value:
        return True
    first = _phrase_value(words[:1])
    if words[0] in BARE and first is not None and first != value:
        return True
    if (
        value
        and after[0] in ("maar", "alleen", "behalve")
        and any(w in ("niet", "geen", "nooit") for w in after[:4])
    ):
        return True
    return False


def _original_rest(text: str, consumed: int, remaining: int) -> str:
    """The original text after the first `consumed` words (keeps case and accents)."""
    if remaining <= 0:
        return ""
    words = list(_WORD.finditer(text))
    if consumed >= len(words):
        return ""
    start = words[consumed].start() if consumed < len(words) else len(text)
    # when normalisation changed the word count, keep at least `remaining` words
    if len(words) - consumed < remaining:
        start = words[max(0, len(words) - remaining)].start()
    return text[start:].strip(" \t\n,.:;!-")
