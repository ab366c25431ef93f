"""The tracker store is the source of truth: a whole intake through the real actions and
Rasa's own SQL tracker store, with a new store instance (a restarted server) for every
message. Each message finds its state only in the stored slot events."""
from __future__ import annotations

import asyncio
import json
from functools import lru_cache
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa_sdk import Tracker

from actions.intake import ActionIntakeAnswer, ActionStartIntake
from bot.intake.state import IntakeState
from tests.support.phases import PATH

ROOT = Path(__file__).resolve().parents[2]
SENDER = "resume-test"


@lru_cache(maxsize=None)
def _domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def _store(path: Path):
    from rasa.core.tracker_store import SQLTrackerStore

    return SQLTrackerStore(_domain(), dialect="sqlite", db=str(path))


def _message(text: str, intent: str, code=None, metadata=None) -> UserUttered:
    entities = [{"entity": "code", "value": code}] if code is not None else []
    return UserUttered(text, intent={"name": intent, "confidence": 1.0}, entities=entities,
                       metadata=metadata or {})


def _send(db: Path, action, message: UserUttered, run_action):
    """One message on a freshly started store: retrieve, run the action, apply its events, save."""
    store = _store(db)
    tracker = asyncio.run(store.retrieve(SENDER)) or DialogueStateTracker(SENDER, store.domain.slots)
    tracker.update(message)
    sdk_tracker = Tracker.from_dict(tracker.current_state(EventVerbosity.AFTER_RESTART))
    replies, events = run_action(action, sdk_tracker)
    for event in events:
        tracker.update(Event.from_parameters(event))
    asyncio.run(store.save(tracker))
    return replies, events


def _stored_slots(db: Path) -> dict:
    tracker = asyncio.run(_store(db).retrieve(SENDER))
    return {name: slot.value for name, slot in tracker.slots.items()}


def _asked(replies):
    ids = [m["custom"]["question_id"] for m in replies if (m.get("custom") or {}).get("question_id")]
    return ids[-1] if ids else None


def test_a_restarted_server_resumes_every_message_from_the_stored_slots(tmp_path, run_action):
    db = tmp_path / "tracker.db"
    replies, _ = _send(db, ActionStartIntake(), _message("/start", "start",
                                                           metadata={"channel": "home"}), run_action)
    asked, answered = _asked(replies), []
    for _ in range(40):
        slots = _stored_slots(db)
        if slots["intake_phase"] == "done":
            break
        if slots["intake_phase"] == "asking":
            assert slots["current_question"] == asked          # the stored place is the asked one
            code = PATH.get(asked, "skip")
            answered.append(asked)
        else:
            code = "confirm" if slots["intake_phase"] == "readback" else "yes"
        replies, events = _send(db, ActionIntakeAnswer(), _message(f'/inform{{"code": "{code}"}}', "inform", code),
                                run_action)
        assert all(e["event"] == "slot" and e["name"] != "intake_state" for e in events)
        asked = _asked(replies)
    slots = _stored_slots(db)
    assert slots["intake_phase"] == "done" and slots["consent_share"] is True and slots["summary_id"]
    assert slots["current_question"] is None and slots["intake_history"] is None
    state = IntakeState.from_slots(slots)
    assert set(state.answers) == set(answered) | {"consent_share"}
    assert state.answers["hours_per_week"] == 32 and state.answers["barriers"] == ["fatigue"]
    assert state.history == answered + ["consent_share"]
    # the stored events: small slot events, none holding the whole state
    tracker = asyncio.run(_store(db).retrieve(SENDER))
    sizes = [len(json.dumps(e.as_dict())) for e in tracker.events if e.type_name == "slot"]
    assert sizes and max(sizes) < 200
