"""Print every FAQ answer with its variants and sources, for review by a clinician.

.venv/bin/python -m bot.review.faq_review            # all topics, plain text
.venv/bin/python -m bot.review.faq_review wia        # one or more topics
"""

from __future__ import annotations

import sys
import textwrap
from typing import Iterable, List

from bot.knowledge import faq

GROUP_LABELS = {
    "employee": "werknemer",
    "flex_worker": "tijdelijk of oproepcontract",
    "temp_worker": "uitzendkracht",
    "self_employed": "zelfstandige",
    "job_seeker": "werkzoekende",
    "student": "student",
    "not_working": "werkt niet",
}


def _wrap(text: str, indent: str = "    ") -> str:
    return "\n".join(
        textwrap.fill(p.strip(), 88, initial_indent=indent, subsequent_indent=indent)
        for p in text.strip().split("\n\n")
    )


def _review_state(t: dict, all_statuses: list) -> str:
    """'beoordeeld' when every text of the topic is reviewed as it is now (reviews.yml)."""
    from bot.review.content_review import NOT_REVIEWED_NL, REVIEWED_NL

    prefix = f"faq/{t.get('_file')}:topics[{t['id']}]."
    mine = [s for s in all_statuses if s.text.id.startswith(prefix)]
    todo = sum(1 for s in mine if not s.reviewed)
    return REVIEWED_NL if mine and not todo else f"{NOT_REVIEWED_NL}: {todo} van {len(mine)} teksten"


def review_text(topic_ids: Iterable[str]) -> str:
    from bot.review.content_review import statuses

    out: List[str] = []
    reviewed = statuses()
    for tid in topic_ids:
        t = faq.topic(tid)
        out.append(
            f"=== {tid}: {t['title']}  (intent {faq.faq_intent(tid)}; file {t.get('_file', '?')}; "
            f"{_review_state(t, reviewed)})"
        )
        out.append("  Antwoord (standaard):")
        out.append(_wrap(faq.answer_text(tid)))
        for group, value in (t.get("variants") or {}).items():
            label = GROUP_LABELS.get(group, group)
            if isinstance(value, dict):
                out.append(f"  Variant {label}: zie onderwerp '{value['topic']}'")
            else:
                out.append(f"  Variant {label}:")
                out.append(_wrap(faq.answer_text(tid, group)))
        out.append("  Bronnen:")
        out.extend(f"    - {s}" for s in t.get("sources", []))
        out.append("")
    out.append(f"{len(list(faq.topic_ids()))} onderwerpen in totaal.")
    return "\n".join(out)


def main(argv: List[str]) -> int:
    ids = argv or faq.topic_ids()
    unknown = [i for i in ids if i not in faq.topic_ids()]
    if unknown:
        print(f"Onbekend onderwerp: {', '.join(unknown)}", file=sys.stderr)
        return 2
    print(review_text(ids))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
