#!/usr/bin/env python
"""Bytes of slot events a conversation writes into the tracker store: the old state
representation (one ``intake_state`` slot holding the whole state, set after every message)
against the typed slots (bot/intake/state.py: only the slots that changed).

    python scripts/tracker_bytes.py [--all] [--split dev|heldout] [--conversation ID]

Plays the development conversations (tests/conversations/dev/) through the real entry with
the real NLU model (tests/support/corpus.py), passing the state through the slots between
messages as the Rasa actions do, and prints the numbers of the longest intake (most
messages) and, with --all, of every conversation. An event's bytes are those of its JSON as
Rasa's SQL tracker store keeps it (``json.dumps(event.as_dict())``), with one fixed
timestamp for both representations. Exit 1 when the new bytes exceed a third of the old.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.dialogue.conversation import respond  # noqa: E402
from bot.intake.state import IntakeState, changed_slots, comparable, slot_names  # noqa: E402

TIMESTAMP = 1764600000.1234567   # a time.time() of December 2026: as long as a real one
TARGET = 1 / 3


def event_bytes(name: str, value: Any) -> int:
    from rasa.shared.core.events import SlotSet

    return len(json.dumps(SlotSet(name, value, timestamp=TIMESTAMP).as_dict()).encode("utf-8"))


@dataclass
class Tally:
    conv_id: str = ""
    messages: int = 0
    old_bytes: int = 0
    new_bytes: int = 0
    new_events: int = 0
    state_bytes: int = 0        # the final state as one JSON document
    lossy: int = 0              # states that did not survive the slots (must be 0)
    by_slot: Optional[Dict[str, int]] = None

    @property
    def ratio(self) -> float:
        return self.new_bytes / self.old_bytes if self.old_bytes else 0.0


class Recorder:
    """Stands in for `respond`: counts both representations, and hands the next message
    the state as rebuilt from the slots (as the actions do)."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.slots: Dict[str, Any] = dict.fromkeys(slot_names())

    def __call__(self, state: Optional[Dict[str, Any]], turn, handoff):
        result = respond(state, turn, handoff)
        self.tally.messages += 1
        self.tally.old_bytes += event_bytes("intake_state", result.state)
        after = IntakeState.from_dict(result.state).to_slots(crisis_reply=result.crisis_reply)
        by_slot = self.tally.by_slot = self.tally.by_slot or {}
        for name, value in changed_slots(self.slots, after).items():
            size = event_bytes(name, value)
            self.tally.new_bytes += size
            self.tally.new_events += 1
            by_slot[name] = by_slot.get(name, 0) + size
        self.slots = json.loads(json.dumps(after))
        rebuilt = IntakeState.from_slots(self.slots).to_dict()
        self.tally.lossy += rebuilt != comparable(result.state)
        self.tally.state_bytes = len(json.dumps(result.state).encode("utf-8"))
        result.state = rebuilt
        return result


def play_all(only: Optional[str] = None, split: str = "dev") -> List[Tally]:
    from tests.support import corpus
    from tests.support.nlu import Parser

    player = corpus.Player(Parser())
    tallies = []
    for conv in corpus.load(split):
        if only and conv["id"] != only:
            continue
        recorder = Recorder()
        corpus.respond = recorder          # the player calls respond by this name
        try:
            player.play(conv)
        finally:
            corpus.respond = respond
        recorder.tally.conv_id = conv["id"]
        tallies.append(recorder.tally)
    return tallies


def line(t: Tally) -> str:
    return (f"{t.conv_id}: {t.messages} messages, final state {t.state_bytes} B; slot events "
            f"old {t.old_bytes} B ({t.messages} events), new {t.new_bytes} B ({t.new_events} events), "
            f"new/old {t.ratio:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all", action="store_true", help="one line per conversation")
    parser.add_argument("--conversation", help="only this conversation id, with bytes per slot")
    parser.add_argument("--split", choices=["dev", "heldout"], default="dev")
    args = parser.parse_args()
    tallies = play_all(args.conversation, args.split)
    if args.all:
        for t in tallies:
            print(line(t))
    if args.conversation:
        for name, size in sorted((tallies[0].by_slot or {}).items(), key=lambda kv: -kv[1]):
            print(f"  {name}: {size} B")
    longest = max(tallies, key=lambda t: (t.messages, t.old_bytes))
    total_old, total_new = sum(t.old_bytes for t in tallies), sum(t.new_bytes for t in tallies)
    print(f"longest intake {line(longest)}")
    print(f"old (intake_state per message): {longest.old_bytes} bytes")
    print(f"new (changed slots only):       {longest.new_bytes} bytes")
    print(f"ratio new/old: {longest.ratio:.3f} (1/{1 / longest.ratio:.1f}); target <= {TARGET:.3f}")
    print(f"all {len(tallies)} {args.split} conversations: old {total_old} B, new {total_new} B, "
          f"ratio {total_new / total_old:.3f}")
    lossy = sum(t.lossy for t in tallies)
    if lossy:
        print(f"ERROR: {lossy} states did not survive the slots")
    return 1 if lossy or longest.ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
