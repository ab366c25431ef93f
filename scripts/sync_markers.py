#!/usr/bin/env python
"""Write markers/questions.yml: three Rasa markers per question of bot/content/questions.yml.

    asked_<id>     the question is pending (a state: slot_is current_question=<id>)
    answered_<id>  the question's slot got an answer at least once (slot_was_set <id>)
    skipped_<id>   the question was skipped at least once (slot_contains skipped_questions=<id>)

and for the consent question (bot.analytics.funnel.consent_id) ``consent_given`` / ``consent_declined``
(its slot is true; for a no: false, or the flag ``declined`` in the engine's
``intake_flags``, which is how the state branch records it: the consent slot stays unset). ``--check`` only reports whether the file is up to date (exit 1 if not).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import generated  # noqa: E402  (scripts/generated.py)

from bot import content  # noqa: E402
from bot.analytics.funnel import consent_id  # noqa: E402

MARKERS = ROOT / "markers" / "questions.yml"
HEADER = "# generated from bot/content/questions.yml by scripts/sync_markers.py: do not edit."


def markers_text() -> str:
    lines = [HEADER, "# One block per question, in the order of asking (docs/funnel.md).", ""]
    for q in content.questions():
        qid = q["id"]
        lines += [
            f"asked_{qid}:",
            f'  description: "Question {qid} is pending (a state)."',
            f"  slot_is: current_question={qid}",
            f"answered_{qid}:",
            f'  description: "Question {qid} got an answer."',
            "  at_least_once:",
            f"    - slot_was_set: {qid}",
            f"skipped_{qid}:",
            f'  description: "Question {qid} was skipped."',
            "  at_least_once:",
            f"    - slot_contains: skipped_questions={qid}",
            "",
        ]
    final = consent_id()
    lines += [
        "consent_given:",
        '  description: "The patient agreed that the summary goes to the care team."',
        "  at_least_once:",
        f"    - slot_is: {final}=true",
        "consent_declined:",
        '  description: "The patient said no to sharing (nothing is stored)."',
        "  at_least_once:",
        "    - or:",
        f"        - slot_is: {final}=false",
        "        - slot_contains: intake_flags=declined",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(generated.main(__doc__, "scripts/sync_markers.py", lambda: {MARKERS: markers_text()}))
