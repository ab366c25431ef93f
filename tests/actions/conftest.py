"""Action tests as in RasaHQ/financial-demo: trackers from JSON fixtures."""
from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "trackers"


@pytest.fixture
def load_tracker():
    def _load(name: str, state=None, **latest_message) -> Tracker:
        data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        data["latest_message"].update(latest_message)
        if state is not None:
            data["slots"] = slots_of(state)
        return Tracker.from_dict(copy.deepcopy(data))
    return _load


def slots_of(state) -> dict:
    """The tracker slots that hold this engine state (as actions/adapter.py writes them)."""
    from bot.intake.state import IntakeState

    return {k: v for k, v in IntakeState.from_dict(state).to_slots().items() if v is not None}


def state_after(tracker: Tracker, events) -> dict:
    """The state in the tracker's slots after the action's SlotSet events (asserts that
    the action wrote slots and nothing else)."""
    from bot.intake.state import IntakeState

    slots = dict(tracker.slots)
    for event in events:
        assert event.get("event") == "slot", event
        slots[event["name"]] = event["value"]
    return IntakeState.from_slots(slots).to_dict()


@pytest.fixture
def run_action():
    def _run(action, tracker: Tracker):
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, domain={}))
        return dispatcher.messages, events
    return _run


@pytest.fixture(scope="session")
def _actions_db(tmp_path_factory):
    from bot.storage import db

    url = f"sqlite:///{tmp_path_factory.mktemp('actions-db') / 'werkintake.db'}"
    db.migrate(url)
    return url


@pytest.fixture(autouse=True)
def actions_database(_actions_db, monkeypatch):
    """A migrated database: the actions look up invitations and tablet bindings there."""
    monkeypatch.setenv("DATABASE_URL", _actions_db)
    return _actions_db
