"""Citations of the seed documents in the content's source notes, and their check.

A source note cites seed text as ``seed 001 L1522-1527 «niet verplicht»``: the seed
document (000-004, files in ../shared/seeds/), a line or line range of that file, and a
keyword (a few words quoted from those lines) in «». The keyword makes a wrong citation
detectable: :func:`check` fails when the lines do not contain it (case and line breaks
ignored). Digest sections marked "NOT IN SOURCE" (003 appendix A) are not seed text and
may not be cited as such; law is cited as ``law: <article> <https://address>``.

    python -m bot.review.citations          # list every citation with its check, exit 1 on errors
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, List, Optional, Tuple

from bot import content
from bot.content import CONTENT_DIR

SEEDS_DIR = CONTENT_DIR.parents[2] / "shared" / "seeds"
SEED_REF = re.compile(r"\bseed (\d{3}) L(\d+)(?:-(\d+))?((?:\s*(?:and\s*)?«[^»]+»)*)")
# a line reference without the word "seed" ("r. 12", "L12" after a digest section)
LOOSE_REF = re.compile(r"(?<!seed \d{3} )(?:\br\.\s*\d+|(?<![\w-])L\d{2,})")
NOT_IN_SOURCE = re.compile(r"\b003 (?:appendix|bijlage) A\b", re.I)
LAW_ADDRESS = re.compile(r"https://\S+")


@dataclass(frozen=True)
class Citation:
    where: str  # e.g. "faq/employer.yml tell_employer"
    seed: str  # "001"
    start: int
    end: int
    keyword: Optional[str]
    more: Tuple[str, ...] = ()  # further keywords: «a» and «b»

    def label(self) -> str:
        lines = f"L{self.start}" + (f"-{self.end}" if self.end != self.start else "")
        return f"seed {self.seed} {lines}"


@lru_cache(maxsize=None)
def seed_lines(seed: str) -> Tuple[str, ...]:
    files = sorted(SEEDS_DIR.glob(f"{seed}_*.txt"))
    if not files:
        raise FileNotFoundError(f"no seed file {seed}_*.txt in {SEEDS_DIR}")
    # numbered like grep -n and the digests: only "\n" ends a line (str.splitlines would
    # also split at form feeds and other separators in the seeds)
    return tuple(files[0].read_text(encoding="utf-8").split("\n"))


def seeds_available() -> bool:
    return SEEDS_DIR.is_dir() and any(SEEDS_DIR.glob("001_*.txt"))


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("\u00ad", "").split())


def passage(c: Citation) -> str:
    return "\n".join(seed_lines(c.seed)[c.start - 1 : c.end])


def problems_of(c: Citation) -> List[str]:
    """Why a citation does not hold (empty when it does)."""
    lines = seed_lines(c.seed)
    if not (1 <= c.start <= c.end <= len(lines)):
        return [f"{c.where}: {c.label()} is outside the file ({len(lines)} lines)"]
    if not c.keyword:
        return [f"{c.where}: {c.label()} has no «keyword» quoted from those lines"]
    text = passage(c)
    flat = _norm(text)
    joined = _norm(re.sub(r"-\s*\n\s*", "-", text))  # "BIG-\ngeregistreerde"
    out = []
    for keyword in (c.keyword,) + c.more:
        key = _norm(keyword)
        if key not in flat and key not in joined and key.replace("- ", "-") not in joined:
            out.append(f"{c.where}: {c.label()} does not contain «{keyword}»")
    return out


def parse(source: str, where: str) -> Iterator[Citation]:
    for m in SEED_REF.finditer(source):
        start = int(m.group(2))
        end = int(m.group(3) or start)
        keywords = [k.strip() for k in re.findall(r"«([^»]+)»", m.group(4) or "") if k.strip()]
        yield Citation(where, m.group(1), start, end, keywords[0] if keywords else None, tuple(keywords[1:]))


def source_problems(source: str, where: str) -> List[str]:
    """Form problems of one source note (independent of the seed files)."""
    out = []
    if NOT_IN_SOURCE.search(source):
        out.append(f"{where}: cites 003 appendix A, a digest section NOT IN SOURCE: cite the law instead")
    stripped = SEED_REF.sub("", source)
    if LOOSE_REF.search(stripped):
        out.append(f"{where}: line reference without 'seed NNN L..' form: {source!r}")
    if source.lower().startswith("law") and not LAW_ADDRESS.search(source):
        out.append(f"{where}: a law source needs the public page's https:// address")
    return out


# --------------------------------------------------------------------------- all content


def content_sources() -> Iterator[Tuple[str, str]]:
    """(where, source note) of every text and rule in bot/content/."""
    for name, data in content.load_dir("faq").items():
        for t in data.get("topics") or []:
            for s in t.get("sources") or []:
                yield f"faq/{name} {t.get('id')}", s
    for q in content.load("questions")["questions"]:
        yield f"questions.yml {q['id']}", q["source"]
    signals = content.load("signals")
    for s in signals["signals"]:
        yield f"signals.yml signal {s['code']}", s["source"]
    for h in signals["suggested_help"]:
        yield f"signals.yml help {h['code']}", h["source"]
        for i, r in enumerate(h["rules"]):
            if r.get("source"):
                yield f"signals.yml help {h['code']} rule {i + 1}", r["source"]


def all_citations() -> List[Citation]:
    return [c for where, s in content_sources() for c in parse(s, where)]


def all_problems() -> List[str]:
    out = [p for where, s in content_sources() for p in source_problems(s, where)]
    if seeds_available():
        out += [p for c in all_citations() for p in problems_of(c)]
    return out


def main(argv: List[str]) -> int:
    for c in all_citations():
        verdict = "ok" if seeds_available() and not problems_of(c) else "??"
        print(f"{verdict}  {c.where}: {c.label()} «{c.keyword}»")
    problems = all_problems()
    for p in problems:
        print("FAIL", p)
    print(f"{len(all_citations())} seed citations; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
