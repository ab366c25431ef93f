#!/usr/bin/env python
"""Keep domain.yml's slots in step with the questions (bot/content/questions.yml).

Every question is a slot named by its id and typed by its answer type; the engine's own
slots (phase, current question, skipped questions, ...) follow. Both come from
bot/intake/state.py (`slot_definitions`). This script writes them into domain.yml between
the slots markers; ``--check`` only reports whether domain.yml is up to date (exit 1 if not).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import generated  # noqa: E402  (scripts/generated.py)

from bot.intake.state import slot_definitions  # noqa: E402

DOMAIN = ROOT / "domain.yml"
START, END = "# slots-start", "# slots-end"
HEADER = ("  # generated from bot/content/questions.yml by scripts/sync_domain_slots.py: do not edit\n"
          "  # (slot contract: docs/architecture.md, bot/intake/state.py)\n")


def slots_block() -> str:
    lines = [HEADER.rstrip("\n")]
    for name, slot in slot_definitions().items():
        lines.append(f"  {name}:")
        lines.append(f"    type: {slot['type']}")
        if "values" in slot:
            lines.append("    values: [" + ", ".join(json.dumps(str(v)) for v in slot["values"]) + "]")
        for key in ("min_value", "max_value"):
            if key in slot:
                lines.append(f"    {key}: {slot[key]}")
        lines += ["    influence_conversation: false", "    mappings:", "      - type: custom"]
    return "\n".join(lines) + "\n"


def domain_text() -> str:
    return generated.between(DOMAIN, START, END, slots_block())


if __name__ == "__main__":
    sys.exit(generated.main(__doc__, "scripts/sync_domain_slots.py", lambda: {DOMAIN: domain_text()}))
