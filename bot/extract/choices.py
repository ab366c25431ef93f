"""Free text to the options of a choice or multi-choice question.

Each option is known by its label, its `synonyms` (questions.yml) and its code. A phrase
matches a run of words in the text; words may carry a typo (see normalize.FuzzyVocab),
may extend a phrase word of 5+ letters ("vermoeid" -> "vermoeidheid", "sollicit" ->
"solliciteer") or be a compound with a few heads ("schouderpijn", "werkstress").

Rules, in order:
1. Longest match wins: "ik werk niet" beats "ik werk", overlaps go to the longer phrase.
2. Negation: a match preceded (up to 4 words, not across ",", "maar", "en", "wel") by
   "niet", "geen", "nooit", "nergens", "zonder", "nauwelijks" is negated: "niet moe",
   "geen pijn". Not for abilities, where "niet" is the complaint ("kan niet tillen",
   "geen energie", "kan me niet concentreren"), nor for the "none"/"no" phrases.
3. Weak phrases (bare yes/no words such as "ja", "nee", "niet") give way to any other
   match: for `absence`, "ja, halve dagen" is partial, not full.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from bot.extract.control import DONT_KNOW
from bot.extract.normalize import FuzzyVocab, clean_text, looks_like_gibberish, tokenize
from bot.extract.yes_no import NO, YES

NEGATORS = {"niet", "geen", "nooit", "nergens", "zonder", "nauwelijks", "amper"}
SCOPE_BREAKERS = {"maar", "en", "wel", "ook", "alleen", "behalve", "want", "dus"}
# Words for which a negation describes the complaint instead of cancelling it.
AFFIRMED_BY_NEGATION = {"tillen", "lopen", "staan", "zitten", "bukken", "concentreren",
                        "concentratie", "focus", "focussen", "onthouden", "energie", "kracht",
                        "denken", "slapen", "uitrusten", "herstellen", "opladen", "volhouden"}
COMPOUND_HEADS = {"pijn", "stress", "angst", "moeheid", "vermoeidheid", "afspraken",
                  "klachten", "zorgen"}
WEAK = YES | NO
# Words that start like a phrase word but mean something else ("energiek" is not "energie").
NOT_A_PREFIX = {"energiek", "energieke", "energieker", "pijnloos", "pijnvrij", "stressvrij",
                "zorgeloos", "zorgvuldig", "zorgverlener", "afsprakenlijst"}
FILLER_WORDS = set("""
ik je u ben bent is was zijn heb hebt heeft had het de een en van in op mijn me mij wel
ook soms erg heel best vaak beetje wat snel nogal echt last klachten problemen probleem
moeite merk merken dat die dit deze word wordt worden raak ja nee hoor eigenlijk vooral
met bij door voor te zo al er nog maar als dan of om aan uit kan kun niet geen zeker werk
werken gezondheid daar hier veel weinig meer minder toch ook iets anders overig namelijk
mn m zeer echt nou eh ehm denk denken vind vinden gewoon even keer keren tijd tijden
""".split())
_SPLIT = re.compile(r"((?:(?<!\d)[,.:]|[,.:](?!\d)|[;!?\n])+|\b(?:en|maar|plus|daarnaast|"
                    r"verder|bovendien|ook)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Phrase:
    code: str
    tokens: Tuple[str, ...]
    weak: bool


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


@dataclass(frozen=True)
class ChoiceResult:
    code: Optional[str]
    candidates: List[str] = field(default_factory=list)   # >1 when ambiguous
    negated: List[str] = field(default_factory=list)      # codes mentioned with a negation
    weak: bool = False                                    # only a bare yes/no word matched


@dataclass(frozen=True)
class MultiResult:
    codes: List[str]
    other_text: Optional[str] = None
    negated: List[str] = field(default_factory=list)


def _phrase_tokens(text: str) -> Tuple[str, ...]:
    return tuple(tokenize(text)[0])


def _options_key(q: Dict[str, Any]) -> Tuple:
    return (q.get("id"), tuple((str(o["code"]), o.get("label", ""), tuple(o.get("synonyms") or ()))
                              for o in q.get("options", [])))


def matcher_for(q: Dict[str, Any]) -> Matcher:
    return _build(_options_key(q))


@lru_cache(maxsize=256)
def _build(key: Tuple) -> Matcher:
    _, options = key
    phrases: List[Phrase] = []
    dont_know = yes = no = None
    for code, label, synonyms in options:
        texts = [label, *synonyms]
        if "_" not in code:
            texts.append(code)
        seen = set()
        for text in texts:
            toks = _phrase_tokens(text)
            if not toks or toks in seen:
                continue
            seen.add(toks)
            joined = " ".join(toks)
            phrases.append(Phrase(code, toks, joined in WEAK))
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
    return Matcher([c for c, _, _ in options], phrases, first, FuzzyVocab(words),
                   COMPOUND_HEADS & words, dont_know, yes, no)


def _segments(text: str) -> Tuple[List[str], Set[int], List[int], List[str]]:
    """Tokens, clause breaks, segment id per token (-1 for joining words) and the
    original text of each segment."""
    tokens: List[str] = []
    breaks: Set[int] = set()
    seg_of: List[int] = []
    segments: List[str] = []
    for i, piece in enumerate(_SPLIT.split(text or "")):
        if i % 2:          # a separator
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


def _candidates(m: Matcher, tok: str) -> Set[str]:
    out: Set[str] = set()
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


def find_matches(m: Matcher, tokens: Sequence[str], breaks: Set[int]) -> List[Match]:
    """Non-overlapping matches (longest first), each marked negated or not."""
    cands = [_candidates(m, t) for t in tokens]
    found: List[Match] = []
    for i in range(len(tokens)):
        for word in cands[i]:
            for p in m.first.get(word, ()):
                end = i + len(p.tokens)
                if end <= len(tokens) and all(p.tokens[k] in cands[i + k] for k in range(1, len(p.tokens))):
                    found.append(Match(p.code, i, end, p))
    found.sort(key=lambda x: (-(x.end - x.start), x.phrase.weak, x.start))
    taken: Set[int] = set()
    chosen: List[Match] = []
    for match in found:
        span = set(range(match.start, match.end))
        if span & taken:
            continue
        taken |= span
        chosen.append(_with_negation(match, tokens, breaks))
    chosen.sort(key=lambda x: x.start)
    return chosen


def _with_negation(match: Match, tokens: Sequence[str], breaks: Set[int]) -> Match:
    if match.code in ("none", "no") or " ".join(match.phrase.tokens) in NO:
        return match
    if any(t in AFFIRMED_BY_NEGATION for t in tokens[match.start:match.end]):
        return match
    j = match.start
    for _ in range(4):
        if j in breaks or j == 0:
            break
        j -= 1
        if tokens[j] in SCOPE_BREAKERS:
            break
        if tokens[j] in NEGATORS:
            return Match(match.code, match.start, match.end, match.phrase, True, j)
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


def _unique(codes: Sequence[str]) -> List[str]:
    out: List[str] = []
    for c in codes:
        if c not in out:
            out.append(c)
    return out


def match_choice(q: Dict[str, Any], text: str) -> ChoiceResult:
    """The one option `text` means; `candidates` lists them when it is ambiguous."""
    m = matcher_for(q)
    tokens, breaks, _, _ = _segments(text)
    matches = find_matches(m, tokens, breaks)
    positive = _positive(matches, drop_negators=False)
    strong = [x for x in positive if not x.phrase.weak]
    codes = _unique(x.code for x in (strong or positive))
    negated = _unique(x.code for x in matches if x.negated)
    if len(codes) == 1:
        return ChoiceResult(codes[0], codes, negated, weak=not strong or bool(negated) and not strong)
    if len(codes) > 1:
        return ChoiceResult(None, codes, negated)
    return ChoiceResult(None, [], negated)


def match_multi(q: Dict[str, Any], text: str) -> MultiResult:
    """All options mentioned in `text`. "none" is exclusive (other options win over it);
    for an `other_text` question, a part of the text that matches nothing gives "other"
    with that part as `other_text`."""
    m = matcher_for(q)
    tokens, breaks, seg_of, segments = _segments(text)
    matches = find_matches(m, tokens, breaks)
    positive = _positive(matches, drop_negators=True)
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
        leftover = []
        for sid, segment in enumerate(segments):
            idx = by_segment.get(sid, [])
            if any(i in covered for i in idx):
                continue
            content = [tokens[i] for i in idx if tokens[i] not in FILLER_WORDS and len(tokens[i]) >= 3
                       and tokens[i].isalpha()]
            if content and not looks_like_gibberish(segment):
                leftover.append(segment)
        if leftover:
            other_text = clean_text("; ".join(leftover))
            if "other" not in codes:
                codes.append("other")
    return MultiResult(codes, other_text, negated)
