#!/usr/bin/env python
"""Whole conversations in patients' own words (tests/conversations/, written blind),
played against the real entry with the real NLU model.

    python scripts/eval/conversations.py [--gate] [--split dev|heldout] [--show]

Prints per split: completion rate, field accuracy, signal accuracy, attention among
patients with and without a health signal, events handled (crisis in every phase,
digressions, restart), and questions saved by over-answering. The held-out part is only
measured, never used for fixing. The targets of issue 9 (held-out completion 1.0, field
accuracy 0.95) are printed as met or not met; --gate fails on development completion
below 1.0 or held-out numbers below the regression floors.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.corpus import Player, dump, load, summarise  # noqa: E402
from tests.support.nlu import Parser  # noqa: E402

TARGETS = {"completion": 1.0, "field_accuracy": 0.95}      # issue 9, on the held-out part
FLOORS = {"completion": 1.0, "field_accuracy": 0.80}       # regression floors (--gate)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gate", action="store_true")
    parser.add_argument("--split", choices=["dev", "heldout"], action="append")
    parser.add_argument("--show", action="store_true", help="list the failures of the dev split")
    args = parser.parse_args()
    player = Player(Parser())
    failed = []
    for split in args.split or ["dev", "heldout"]:
        outcomes = [player.play(conv) for conv in load(split)]
        dump(outcomes, ROOT / "results" / "conversations" / f"{split}.json")
        s = summarise(outcomes)
        print(f"[{split}] {s['conversations']} conversations: completion {s['completion']:.3f}, "
              f"field accuracy {s['field_accuracy']:.3f} ({s['fields']} fields), "
              f"signal accuracy {s['signal_accuracy']:.3f}, events {s['event_accuracy']:.3f}, "
              f"questions saved by over-answering {s['questions_saved']}, "
              f"unscripted questions {s['unscripted_questions']}, guesses checked with the patient "
              f"{s['confirmations']}, answers only understood by button {s['button_fallbacks']}")
        print(f"[{split}] attention: {s['attention_with_health_signal']:.3f} of patients with a health "
              f"signal (target 1.0), {s['attention_without_health_signal']:.3f} of those without (target 0)")
        print(f"[{split}] events: " + ", ".join(f"{k} {r}/{t}" for k, (r, t) in sorted(s["event_kinds"].items())))
        if args.show and split == "dev":
            for o in outcomes:
                for line in o.field_errors + o.event_errors + ([o.signal_diff] if o.signal_diff else []) + o.notes:
                    print(f"    {o.conv_id}: {line}")
                if not o.completed:
                    print(f"    {o.conv_id}: NOT COMPLETED")
        if split == "heldout":
            for key, target in TARGETS.items():
                print(f"target held-out {key} >= {target}: {s[key]:.3f} {'met' if s[key] >= target else 'NOT MET'}")
            failed += [f"held-out {k} {s[k]:.3f} < {v} (regression floor)" for k, v in FLOORS.items() if s[k] < v]
        elif s["completion"] < 1.0:
            failed.append(f"development completion {s['completion']:.3f} < 1.0")
    if args.gate and failed:
        for f in failed:
            print("GATE FAILED:", f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
