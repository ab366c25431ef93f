"""A consent processed twice stores one summary: the action call retried on the other
action server after one died, or the patient's retry after a lost reply (make
test-cluster relies on it; here on a real SQLite database, no cluster needed)."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import sqlalchemy as sa

from bot.intake.handoff import StorageHandoff, intake_summary_id
from bot.runtime.settings import Settings
from bot.storage.db import create_engine_for, migrate
from bot.storage.repository import Repository

STATES = Path(__file__).resolve().parents[1] / "fixtures" / "states"


def state(name: str = "employee_long_absence") -> dict:
    return json.loads((STATES / f"{name}.json").read_text(encoding="utf-8"))


def handoff(tmp_path: Path) -> StorageHandoff:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    migrate(url)
    return StorageHandoff(Settings(data_dir=tmp_path, database_url=url, web_host="127.0.0.1",
                                   web_port=0, rasa_url="", retention_days=30, session_secret=None))


def rows(url: str) -> list:
    engine = create_engine_for(url)
    with engine.connect() as conn:
        out = conn.execute(sa.text("select id, conversation_id from wi_summaries")).all()
    engine.dispose()
    return out


def test_the_same_intake_stored_twice_is_one_summary(tmp_path):
    h = handoff(tmp_path)
    first = h.store(state(), "conv-1")
    second = h.store(state(), "conv-1")
    assert first.stored and second.stored
    assert first.summary_id == second.summary_id
    assert len(rows(h.settings.database_url)) == 1


def test_other_answers_or_another_conversation_are_other_summaries(tmp_path):
    h = handoff(tmp_path)
    changed = state()
    changed["answers"]["occupation"] = "kok in een restaurant"
    ids = {h.store(state(), "conv-1").summary_id, h.store(changed, "conv-1").summary_id,
           h.store(state(), "conv-2").summary_id, h.store(state("student"), "conv-1").summary_id}
    assert len(ids) == 4
    assert len(rows(h.settings.database_url)) == 4
    assert intake_summary_id(state(), "conv-1") == intake_summary_id(state(), "conv-1")


def test_concurrent_saves_of_one_intake_store_one_row(tmp_path):
    h = handoff(tmp_path)
    results, errors = [], []

    def save():
        try:
            results.append(h.store(state(), "conv-race"))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r.stored for r in results)   # none went to the outbox
    assert len({r.summary_id for r in results}) == 1
    assert len(rows(h.settings.database_url)) == 1
    assert Repository(h.settings.database_url).get(results[0].summary_id) is not None
