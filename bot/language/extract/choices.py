"""Free text to the options of a choice or multi-choice question.

Each option is known by its label, its `synonyms` (questions.yml) and its code. A phrase
matches a run of words in the text; words may carry a typo (see normalize.FuzzyVocab),
may extend a phrase word of 5+ letters ("vermoeid" -> "vermoeidheid", "sollicit" ->
"solliciteer") or be a compound with a few heads ("schouderpijn", "werkstress").

Rules, in order:
1. Longest match wins: "ik werk niet" beats "ik werk", overlaps go to the longer phrase.
2. Negation: a match preceded (up to 4 words, not across ",", "maar", "en", "wel") by
   "niet", "geen", "nooit", "nergens", "zonder", "nauwelijks", "niemand" is negated: "niet moe",
   "geen pijn". Not for abilities, where "niet" is the complaint ("kan niet tillen",
   "geen energie", "kan me niet concentreren"), nor for the "none"/"no" phrases.
   A negation right after the match counts too: "ziekgemeld ben ik niet". A question's
   `affirmed_by_negation` words are the worry itself right after a negator ("geen inkomen").
3. Specific beats generic, in tiers: (a) an option's label and `synonyms`; (b) a clear
   yes/no at the start ("ja, ...", "nee eigenlijk niet"), read as that option; (c) an
   option's `weak_synonyms` (generic phrases: "ziek gemeld", "thuis", "helemaal");
   (d) bare yes/no words anywhere and `fallback_synonyms` ("ik werk thuis" is no absence
   only when nothing else is said). The first tier with a match decides: for the absence question,
   "ja, ik ben voor de helft ziek gemeld" is partial. Among several strong matches the
   option whose `wins_ties` words occur, else the leading yes/no, breaks the tie.
4. "half" before a month name is a date ("half oktober"), never an option word.
5. In a multi-choice `other_text` question, a part that only names body parts after a
   complaint ("pijn in mijn nek en armen") belongs to that complaint (`body_parts`), and
   a part that opens with "dan", "want", "omdat", ... explains a named option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from bot.language import dutch
from bot.language.extract.control import DONT_KNOW
from bot.language.extract.normalize import FuzzyVocab, clean_text, looks_like_gibberish, normalize, tokenize
from bot.language.extract.yes_no import NO, YES, leading_yes_no

NEGATORS = {"niet", "geen", "nooit", "nergens", "zonder", "nauwelijks", "amper", "niemand"}
_VERBS_BEFORE_NOT = {"weet", "weten", "kan", "kun", "lukt", "gaat", "helpt", "wil", "mag", "heb", "is"}
SCOPE_BREAKERS = {"maar", "en", "wel", "ook", "alleen", "behalve", "want", "dus", "omdat"}
# Words for which a negation describes the complaint instead of cancelling it.
AFFIRMED_BY_NEGATION = {
    "tillen",
    "lopen",
    "staan",
    "zitten",
    "bukken",
    "concentreren",
    "concentratie",
    "focus",
    "focussen",
    "onthouden",
    "energie",
    "kracht",
    "denken",
    "slapen",
    "uitrusten",
    "herstellen",
    "opladen",
    "volhouden",
    "boven",
    "gebruiken",
    "knielen",
    "hurken",
    "reiken",
    "sjouwen",
    "klimmen",
}
COMPOUND_HEADS = {
    "pijn",
    "stress",
    "angst",
    "moeheid",
    "vermoeidheid",
    "afspraken",
    "klachten",
    "zorgen",
    "bedrijf",
    "bedrijfje",
    "zaak",
}
WEAK = YES | NO
# Words that start like a phrase word but mean something else ("energiek" is not "energie").
NOT_A_PREFIX = {
    "energiek",
    "energieke",
    "energieker",
    "pijnloos",
    "pijnvrij",
    "stressvrij",
    "zorgeloos",
    "zorgvuldig",
    "zorgverlener",
    "afsprakenlijst",
}
FILLER_WORDS = set(
    """
ik je u ben bent is was zijn heb hebt heeft had het de een en van in op mijn me mij wel
ook soms erg heel best vaak beetje wat snel nogal echt last klachten problemen probleem
moeite merk merken dat die dit deze word wordt worden raak ja nee hoor eigenlijk vooral
met bij door voor te zo al er nog maar als dan of om aan uit kan kun niet geen zeker werk
werken gezondheid daar hier veel weinig meer minder toch ook iets anders overig namelijk
mn m zeer echt nou eh ehm denk denken vind vinden gewoon even keer keren tijd tijden
toe verder gaat goed prima rest dingen
""".split()
)
_SPLIT = re.compile(
    r"((?:(?<!\d)[,.:]|[,.:](?!\d)|[;!?\n])+|\b(?:en|maar|plus|daarnaast|"
    r"verder|bovendien|ook)\b)",
    re.IGNORECASE,
)


MONTHS = set(dutch.MONTHS) | set(dutch.MONTH_ABBREVIATIONS)
DATE_WORDS = {"half", "begin", "eind", "midden", "medio"}
TIME_GAP = {
    "al",
    "een",
    "paar",
    "jaar",
    "jaren",
    "maand",
    "maanden",
    "week",
    "weken",
    "tijdje",
    "lang",
    "nu",
    "sinds",
    "sindsdien",
    "inmiddels",
    "eigenlijk",
    "nog",
    "echt",
    "momenteel",
}
POST_NEGATION_GAP = {
    "ben",
    "bent",
    "is",
    "was",
    "ik",
    "het",
    "dat",
    "heb",
    "zijn",
    "we",
    "ze",
    "hij",
    "zij",
    "er",
    "toch",
    "eigenlijk",
    "nog",
    "ook",
}


@dataclass(frozen=True)
class Phrase:
    code: str
    tokens: Tuple[str, ...]
    weak: bool  # a bare yes/no word
    generic: bool = False  # from `weak_synonyms`


@dataclass(frozen=True)
class Match:
    code: str
    start: int
    end: int
    phrase: Phrase
    negated: bool = False
    negator: Optional[int] = None


@dataclass
class Matcher:
    codes: List[str]
    phrases: List[Phrase]
    first: Dict[str, List[Phrase]]
    vocab: FuzzyVocab
    heads: Set[str]
    dont_know_code: Optional[str] = None
    yes_code: Optional[str] = None
    no_code: Optional[str] = None
    body_parts: frozenset = frozenset()
    affirmed: frozenset = frozenset()


@dataclass(frozen=True)
class ChoiceResult:
    code: Optional[str]
    candidates: List[str] = field(default_factory=list)  # >1 when ambiguous
    negated: List[str] = field(default_factory=list)  # codes mentioned with a negation
    weak: bool = False  # only a bare yes/no word matched


@dataclass(frozen=True)
class MultiResult:
    codes: List[str]
    other_text: Optional[str] = None
    negated: List[str] = field(default_factory=list)


def _phrase_tokens(text: str) -> Tuple[str, ...]:
    return tuple(tokenize(text)[0])


def _options_key(q: Dict[str, Any]) -> Tuple:
    return (
        q.get("id"),
        tuple(
            (
                str(o["code"]),
                o.get("label", ""),
                tuple(o.get("synonyms") or ()),
                tuple(o.get("weak_synonyms") or ()),
                tuple(o.get("fallback_synonyms") or ()),
            )
            for o in q.get("options", [])
        ),
        tuple(q.get("body_parts") or ()),
        tuple(q.get("affirmed_by_negation") or ()),
    )


def exact_option(q: Dict[str, Any], text: str) -> Optional[str]:
    """The option whose label or synonym IS the whole answer ("nvt" listed under "none")."""
    return _exact_words(_options_key(q)).get(normalize(text))


@lru_cache(maxsize=256)
def _exact_words(key: Tuple) -> Dict[str, str]:
    words: Dict[str, str] = {}
    for code, label, synonyms, _weak, _fallback in key[1]:
        for said in (label, *synonyms):
            words.setdefault(normalize(said), code)
    return words


def matcher_for(q: Dict[str, Any]) -> Matcher:
    return _build(_options_key(q))


@lru_cache(maxsize=256)
def _build(key: Tuple) -> Matcher:
    _, options, body_parts, affirmed = key
    phrases: List[Phrase] = []
    dont_know = yes = no = None
    for code, label, synonyms, weak_synonyms, fallback in options:
        texts = [label, *synonyms]
        if "_" not in code:
            texts.append(code)
        seen = set()
        for text in [*texts, *weak_synonyms, *fallback]:
            toks = _phrase_tokens(text)
            if not toks or toks in seen:
                continue
            seen.add(toks)
            joined = " ".join(toks)
            phrases.append(Phrase(code, toks, joined in WEAK or text in fallback, text in weak_synonyms))
            if joined in DONT_KNOW and dont_know is None:
                dont_know = code
            if joined == "ja" and yes is None:
                yes = code
            if joined == "nee" and no is None:
                no = code
    first: Dict[str, List[Phrase]] = {}
    words: Set[str] = set()
    for p in phrases:
        first.setdefault(p.tokens[0], []).append(p)
        words.update(p.tokens)
    return Matcher(
        [o[0] for o in options],
        phrases,
        first,
        FuzzyVocab(words),
        COMPOUND_HEADS & words,
        dont_know,
        yes,
        no,
        frozenset(_phrase_tokens(" ".join(body_parts))),
        frozenset(_phrase_tokens(" ".join(affirmed))),
    )


def _segments(text: str) -> Tuple[List[str], Set[int], List[int], List[str]]:
    """Tokens, clause breaks, segment id per token (-1 for joining words) and the
    original text of each segment."""
    tokens: List[str] = []
    breaks: Set[int] = set()
    seg_of: List[int] = []
    segments: List[str] = []
    for i, piece in enumerate(_SPLIT.split(text or "")):
        if i % 2:  # a separator
            if piece.strip().isalpha():
                toks, _ = tokenize(piece)
                tokens.extend(toks)
                seg_of.extend([-1] * len(toks))
            breaks.add(len(tokens))
            continue
        toks, inner = tokenize(piece)
        breaks.update(len(tokens) + b for b in inner)
        if toks:
            seg_of.extend([len(segments)] * len(toks))
            segments.append(piece.strip())
            tokens.extend(toks)
    return tokens, breaks, seg_of, segments


def _candidates(m: Matcher, tok: str, next_tok: str = "") -> Set[str]:
    out: Set[str] = set()
    if tok in DATE_WORDS and next_tok in MONTHS:  # "half oktober" is a date
        return out
    if tok in m.body_parts:  # "knieen" is no typo of "knielen"
        return {tok} if tok in m.vocab.words else out
    fixed = m.vocab.lookup(tok)
    if fixed:
        out.add(fixed)
    if tok.isalpha() and tok not in NOT_A_PREFIX:
        for k in range(5, len(tok)):
            if len(tok) - k <= 6 and tok[:k] in m.vocab.words:
                out.add(tok[:k])
        for head in m.heads:
            if len(tok) - len(head) >= 3 and tok.endswith(head):
                out.add(head)
    return out


# Words a patient puts inside a phrase without changing it: "ik heb gewoon werk" is "ik heb werk".
INSIDE_FILLERS = {
    "gewoon",
    "nog",
    "wel",
    "ook",
    "nu",
    "echt",
    "eigenlijk",
    "toch",
    "al",
    "even",
    "heel",
    "erg",
    "zeker",
    "gelukkig",
    "momenteel",
    "op",
    "dit",
    "moment",
}


def _phrase_end(
    phrase: Sequence[str], cands: Sequence[Set[str]], tokens: Sequence[str], start: int, breaks: Set[int]
) -> Optional[int]:
    """End index of `phrase` read from `start`, letting up to two filler words stand
    between its words (not across a clause break); None when it does not match."""
    pos = start + 1
    for word in phrase[1:]:
        skipped = 0
        while (
            pos < len(tokens)
            and word not in cands[pos]
            and tokens[pos] in INSIDE_FILLERS
            and word not in ("niet", "geen", "nooit", "meer")  # "heb ik nog niet" is not "heb ik niet"
            and skipped < 2
            and pos not in breaks
        ):
            pos, skipped = pos + 1, skipped + 1
        if pos >= len(tokens) or word not in cands[pos] or (skipped and pos in breaks):
            return None
        pos += 1
    return pos


def find_matches(m: Matcher, tokens: Sequence[str], breaks: Set[int]) -> List[Match]:
    """Non-overlapping matches (longest first), each marked negated or not."""
    cands = [_candidates(m, t, tokens[i + 1] if i + 1 < len(tokens) else "") for i, t in enumerate(tokens)]
    found: List[Match] = []
    for i in range(len(tokens)):
        for word in cands[i]:
            for p in m.first.get(word, ()):
                end = _phrase_end(p.tokens, cands, tokens, i, breaks)
                if end is not None:
                    found.append(Match(p.code, i, end, p))

    def inexact(x: Match) -> bool:  # a typo or prefix reading gives way to the exact word
        return tuple(tokens[x.start : x.end]) != x.phrase.tokens

    found.sort(key=lambda x: (-(x.end - x.start), inexact(x), x.phrase.weak, x.phrase.generic, x.start))
    taken: Set[int] = set()
    chosen: List[Match] = []
    for match in found:
        span = set(range(match.start, match.end))
        if span & taken:
            continue
        taken |= span
        chosen.append(_with_negation(match, tokens, breaks, m.affirmed))
    chosen.sort(key=lambda x: x.start)
    return chosen


def _with_negation(
    match: Match, tokens: Sequence[str], breaks: Set[int], affirmed: frozenset = frozenset()
) -> Match:
    if match.code in ("none", "no") or " ".join(match.phrase.tokens) in NO:
        return match
    if any(t in AFFIRMED_BY_NEGATION for t in tokens[match.start : match.end]):
        return match
    if (
        match.start > 0
        and tokens[match.start - 1] in NEGATORS
        and tokens[match.start] in affirmed
        and match.start not in breaks
    ):
        return match  # "geen inkomen": the worry itself
    k = match.end  # "ziekgemeld ben ik niet"
    while (
        k < len(tokens)
        and k - match.end < 6
        and k not in breaks
        and (
            tokens[k] in POST_NEGATION_GAP or tokens[k] in TIME_GAP  # "ik werk al een paar jaar niet meer"
        )
    ):
        k += 1
    if (
        (
            k > match.end or (tokens[match.end - 1] in _VERBS_BEFORE_NOT and k == match.end)
        )  # "mijn baas weet niet"
        and k < len(tokens)
        and k not in breaks
        and tokens[k] in ("niet", "nooit")
        and (
            k + 1 == len(tokens)
            or k + 1 in breaks
            or (  # "dat kan ik niet aanpassen": one verb may close the clause
                (k + 2 == len(tokens) or k + 2 in breaks)
                and (tokens[k + 1].endswith("en") or tokens[k + 1] in ("meer", "zeker", "echt"))
            )
        )
    ):
        return Match(match.code, match.start, match.end, match.phrase, True, k)
    if (  # "geld is geen probleem", "mijn baan is geen zorg"
        k > match.end
        and k + 1 < len(tokens)
        and tokens[k] == "geen"
        and tokens[k + 1] in ("probleem", "zorg", "zorgen", "issue", "punt", "prioriteit")
    ):
        return Match(match.code, match.start, match.end, match.phrase, True, k)
    j = match.start
    for _ in range(4):
        if j in breaks or j == 0:
            break
        j -= 1
        if tokens[j] in SCOPE_BREAKERS:
            break
        if tokens[j] in NEGATORS and not (j + 1 < len(tokens) and tokens[j + 1] == "of"):
            about_worry = j + 1 < len(tokens) and tokens[j + 1] in ("zorgen", "zorg", "probleem", "problemen")
            if tokens[match.start] in affirmed and not about_worry:
                return match  # "dat ik nooit meer terug kan": the worry itself
            return Match(match.code, match.start, match.end, match.phrase, True, j)  # not "weet niet of ..."
    return match


def _positive(matches: List[Match], drop_negators: bool) -> List[Match]:
    used = {m.negator for m in matches if m.negated}
    out = []
    for m in matches:
        if m.negated:
            continue
        if drop_negators and m.end - m.start == 1 and m.start in used:
            continue
        out.append(m)
    return out


def _unique(codes: Iterable[str]) -> List[str]:
    out: List[str] = []
    for c in codes:
        if c not in out:
            out.append(c)
    return out


def _leading_code(m: Matcher, text: str) -> Optional[str]:
    """The yes/no option when the text opens with a clear yes or no ("ja, ...")."""
    value = leading_yes_no(text)
    return m.yes_code if value is True else m.no_code if value is False else None


def _combined(q: Dict[str, Any], codes: List[str], tokens: Sequence[str]) -> Optional[str]:
    """The option marked `combines: [a, b]` when the text names it or all its parts
    ("allebei, een aov en een broodfonds", "aov en broodfonds"); not "aov of broodfonds"."""
    for o in q.get("options", []):
        parts = {str(c) for c in o.get("combines") or ()}
        code = str(o["code"])
        if (
            parts
            and set(codes) <= parts | {code}
            and (code in codes or parts <= set(codes) and "of" not in tokens)
        ):
            return code
    return None


def _mixed(q: Dict[str, Any], tokens: Sequence[str], breaks: Set[int]) -> Optional[Tuple[str, Set[str]]]:
    """The option marked `mixed_of: [yes, no]` when the text says "wel" about one thing
    and "niet"/"geen" about another, in separate clauses ("mijn baas wel, mijn collega's
    niet"); not for "ja, nee" (a bare contradiction is asked about)."""
    option = next((o for o in q.get("options", []) if len(o.get("mixed_of") or ()) == 2), None)
    if option is None:
        return None
    clause, clauses = 0, []
    for i, _tok in enumerate(tokens):
        if i in breaks or (i and tokens[i - 1] in ("maar", "en")):
            clause += 1
        clauses.append(clause)
    yes = {clauses[i] for i, t in enumerate(tokens) if t == "wel" and i > 0}
    no = {clauses[i] for i, t in enumerate(tokens) if t in ("niet", "geen", "minder", "nauwelijks") and i > 0}
    if yes and no and yes.isdisjoint(no):
        return str(option["code"]), {str(c) for c in option["mixed_of"]}
    return None


def _tie_breaker(q: Dict[str, Any], codes: List[str], text: str) -> Optional[str]:
    """Among several strong matches, the option whose `wins_ties` words occur (the first
    said, when several do): for the absence question "alleen de ochtenden, 's middags gaat
    het niet meer" is partial, though "niet meer" alone would say a past absence."""
    said = f" {normalize(text)} "
    first: Dict[str, int] = {}
    for o in q.get("options", []):
        code = str(o["code"])
        places = [said.find(f" {normalize(w)} ") for w in o.get("wins_ties") or ()]
        places = [p for p in places if p >= 0]
        if code in codes and places:
            first[code] = min(places)
    if not first:
        return None
    return min(first, key=lambda c: first[c])  # several: the one said first ("100% ziek, alleen ...")


def match_choice(q: Dict[str, Any], text: str) -> ChoiceResult:
    """The one option `text` means; `candidates` lists them when it is ambiguous."""
    m = matcher_for(q)
    tokens, breaks, _, _ = _segments(text)
    matches = find_matches(m, tokens, breaks)
    positive = _positive(matches, drop_negators=False)
    negated = _unique(x.code for x in matches if x.negated)
    leading = _leading_code(m, text)
    strong = _unique(x.code for x in positive if not x.phrase.weak and not x.phrase.generic)
    mixed = _mixed(q, tokens, breaks)
    if mixed and set(strong) <= set(mixed[1]):
        return ChoiceResult(mixed[0], [mixed[0]], negated)
    if strong:
        both = _combined(q, strong, tokens)
        if both:
            return ChoiceResult(both, strong, negated)
        tie = _tie_breaker(q, strong, text) if len(strong) > 1 else None
        if tie:
            return ChoiceResult(tie, strong, negated)
        if len(strong) > 1 and leading in strong:
            return ChoiceResult(leading, strong, negated)
        if len(strong) == 1:
            return ChoiceResult(strong[0], strong, negated)
        return ChoiceResult(None, strong, negated)
    if leading:
        return ChoiceResult(leading, [leading], negated)
    for tier in ([x for x in positive if x.phrase.generic], positive):
        codes = _unique(x.code for x in tier)
        if len(codes) == 1:
            return ChoiceResult(codes[0], codes, negated, weak=True)
        if len(codes) > 1:
            return ChoiceResult(None, codes, negated)
    return ChoiceResult(None, [], negated)


def _in_context(q: Dict[str, Any], matches: List[Match], tokens: Sequence[str]) -> List[Match]:
    """Drops a match that only says when another one happens (questions.yml `context_of`):
    "pijn bij knielen en bukken" is pain, not a physical limit."""
    rules = q.get("context_of") or {}
    if not rules:
        return matches
    kept = []
    for x in matches:
        rule = rules.get(x.code)
        if rule is None:
            kept.append(x)
            continue
        anchor = next((a for a in matches if a.code in rule["after"] and a.end <= x.start), None)
        if anchor is not None:
            between = [t for t in tokens[anchor.end : x.start]]
            allowed = set(rule["joined_by"]) | {"het", "al", "dat", "vooral", "en", "of", "lang", "veel"}
            if set(between) & set(rule["joined_by"]) and all(
                t in allowed or any(t == m.phrase.tokens[0] for m in matches if m.code == x.code)
                for t in between
            ):
                continue
        kept.append(x)
    return kept


def match_multi(q: Dict[str, Any], text: str) -> MultiResult:
    """All options mentioned in `text`. "none" is exclusive (other options win over it);
    for an `other_text` question, a part of the text that matches nothing gives "other"
    with that part as `other_text`."""
    m = matcher_for(q)
    tokens, breaks, seg_of, segments = _segments(text)
    matches = find_matches(m, tokens, breaks)
    positive = _in_context(q, _positive(matches, drop_negators=True), tokens)
    codes = _unique(x.code for x in positive)
    negated = _unique(x.code for x in matches if x.negated)
    if "none" in codes and len(codes) > 1:
        codes.remove("none")
    other_text = None
    if q.get("other_text") and "other" in m.codes and "none" not in codes:
        covered: Set[int] = set()
        for x in matches:
            covered.update(range(x.start, x.end))
            if x.negator is not None:
                covered.add(x.negator)
        by_segment: Dict[int, List[int]] = {}
        for i, sid in enumerate(seg_of):
            by_segment.setdefault(sid, []).append(i)
        leftover, adds = [], False
        for sid, segment in enumerate(segments):
            idx = by_segment.get(sid, [])
            if any(i in covered for i in idx):
                continue
            content = [
                tokens[i]
                for i in idx
                if tokens[i] not in FILLER_WORDS and len(tokens[i]) >= 3 and tokens[i].isalpha()
            ]
            if tokens[idx[0]] in EXPLANATION_OPENERS and codes:
                continue  # "..., dan moet ik even stoppen": says why, not what
            if _only_body_parts(m, [tokens[i] for i in idx]) and _near_complaint(
                matches, idx, q.get("located_complaints") or ()
            ):
                continue
            if content and not looks_like_gibberish(segment):
                leftover.append(segment)
                # ", en mijn knie" adds something; "wringen en dweilen" is one activity
                before = idx[0] - 1
                joined_by_and = before >= 0 and tokens[before] == "en" and before in breaks
                adds = adds or joined_by_and or bool(ADDITION_WORDS & set(tokens[i] for i in idx))
        if leftover:
            other_text = clean_text("; ".join(leftover))
            # Beside a named option, the rest of the sentence usually tells more about it
            # ("door de migraine heb ik af en toe een dag dat ik niks kan"): kept as text,
            # but "other" only when it is named as something more ("daarnaast ...").
            named = [c for c in codes if c != "other"]
            if "other" not in codes and (not named or adds):
                codes.append("other")
    return MultiResult(codes, other_text, negated)


# Words that make a part something more than the options already named.
ADDITION_WORDS = {
    "daarnaast",
    "verder",
    "bovendien",
    "ook",
    "anders",
    "plus",
    "last",
    "klacht",
    "klachten",
    "probleem",
    "problemen",
}

# A part that opens with one of these explains an option already named; it is not "other".
EXPLANATION_OPENERS = {"dan", "want", "omdat", "waardoor", "doordat", "daardoor", "zodat", "dus"}
BODY_PART_GLUE = {
    "mijn",
    "de",
    "het",
    "beide",
    "allebei",
    "ook",
    "in",
    "aan",
    "haar",
    "zijn",
    "linker",
    "rechter",
    "twee",
}


def _only_body_parts(m: Matcher, words: Sequence[str]) -> bool:
    """A part such as "armen" or "mijn handen": body parts only, no complaint of its own."""
    return (
        bool(words)
        and len(words) <= 4
        and any(w in m.body_parts for w in words)
        and all(w in m.body_parts or w in BODY_PART_GLUE for w in words)
    )


def _near_complaint(matches: Sequence[Match], idx: Sequence[int], located: Sequence[str]) -> bool:
    """True when the nearest complaint before this part (or, for a first part, right
    after it) is one that sits in a body part (`located_complaints`: pain, physical)."""
    before = [x for x in matches if x.end <= idx[0] and not x.negated]
    after = [x for x in matches if x.start > idx[-1] and not x.negated]
    near = before[-1] if before else after[0] if after else None
    return near is not None and near.code in located
