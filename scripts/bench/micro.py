"""Micro-benchmark of ``bot.language.answers.parse_answer`` over every question.

Inputs per question: each option's label and first synonyms, plus a fixed set of
typical free answers (yes/no, hours, durations, grades, a sentence, noise). The
baseline is ``str.lower`` on the same texts through a same-shaped function call, so
the ratio says how much work parsing does beyond touching the string once.
"""
from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot import content  # noqa: E402
from bot.language.answers import parse_answer  # noqa: E402

TODAY = date(2026, 11, 22)
FREE_ANSWERS = [
    "ja", "nee", "weet ik niet", "ja, voor een deel", "32 uur per week", "4 dagen van 8 uur",
    "sinds 3 weken", "sinds 1 maart", "een zesje", "7", "ik ben moe en heb pijn in m'n rug",
    "nee, ik bedoel 24 uur", "overslaan", "ik ben verpleegkundige in het ziekenhuis",
    "😀", "<b>hallo</b>", "qwerty asdf", "Ik werk als zzp'er in de bouw, maar nu even niet",
]


def inputs() -> List[Tuple[Dict[str, Any], str]]:
    pairs: List[Tuple[Dict[str, Any], str]] = []
    for q in content.questions():
        texts = list(FREE_ANSWERS)
        for option in q.get("options") or []:
            texts.append(option["label"])
            texts.extend((option.get("synonyms") or [])[:3])
        pairs.extend((q, t) for t in texts)
    return pairs


def _time(fn: Callable[[Dict[str, Any], str], Any], pairs, min_seconds: float) -> Tuple[int, float]:
    calls, started = 0, time.perf_counter()
    while True:
        for q, text in pairs:
            fn(q, text)
        calls += len(pairs)
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return calls, elapsed


def run(min_seconds: float = 2.0) -> Dict[str, Any]:
    pairs = inputs()
    parse = lambda q, t: parse_answer(q, t, None, TODAY)  # noqa: E731
    lower = lambda q, t: t.lower()  # noqa: E731
    for q, text in pairs:  # warm caches (content, compiled patterns) and check: no exception
        parse(q, text)
    p_calls, p_s = _time(parse, pairs, min_seconds)
    b_calls, b_s = _time(lower, pairs, min_seconds / 4)
    parse_us, base_us = p_s / p_calls * 1e6, b_s / b_calls * 1e6
    return {
        "questions": len(content.questions()), "inputs": len(pairs),
        "parse_calls_per_s": round(p_calls / p_s), "parse_mean_us": round(parse_us, 2),
        "baseline": "str.lower", "baseline_calls_per_s": round(b_calls / b_s),
        "baseline_mean_us": round(base_us, 3), "ratio": round(parse_us / base_us, 1),
    }


if __name__ == "__main__":
    print(run(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0))
