"""The database is unavailable when the summary is saved after consent.

The action server gets a DATABASE_URL that does not work while Rasa's tracker store
stays on the stack's SQLite file. The patient must be told the truth (`store_delayed`),
the summary must wait in the file outbox, and once the database is back
`python -m bot.runtime.cli flush-outbox` stores it: exactly one valid summary."""
from __future__ import annotations

import json

import pytest

from bot import content
from bot.report.summary import validate_summary
from tests.faults.conftest import (
    EMPLOYEE_WITH_ABSENCE,
    new_sender,
    outbox_files,
    say,
    summary_rows,
    texts,
    walk,
)
from tests.support.stack import custom_value, free_port

pytestmark = pytest.mark.faults
UNTIL_CONSENT = EMPLOYEE_WITH_ABSENCE[:-1]
CONSENT_YES = EMPLOYEE_WITH_ABSENCE[-1][0]


def consent_with_database_down(stack, sender):
    walk(stack, sender, UNTIL_CONSENT)
    replies = say(stack, sender, CONSENT_YES)        # HTTP 200, checked by say()
    assert content.message("store_delayed") in texts(replies)
    assert content.message("stored") not in texts(replies)
    assert custom_value(replies, "queued") is True
    summary_id = custom_value(replies, "summary_id")
    assert summary_id
    return summary_id


def test_postgres_refusing_connections_queues_the_summary(fault_stack, tmp_path):
    stack, sender = fault_stack, new_sender("pg-down")
    data_dir = tmp_path / "actions-data"
    env = {"DATABASE_URL": f"postgresql+psycopg2://werk:werk@127.0.0.1:{free_port()}/werk",
           "WERK_DATA_DIR": str(data_dir)}
    stack.restart_actions(**env)
    try:
        summary_id = consent_with_database_down(stack, sender)
        [queued] = outbox_files(data_dir)
        item = json.loads(queued.read_text(encoding="utf-8"))
        assert item["kind"] == "summary" and item["summary"]["summary_id"] == summary_id
        assert item["summary"]["conversation_id"] == sender
        validate_summary(item["summary"])
        assert (queued.stat().st_mode & 0o777) == 0o600
        code, out = stack.cli_with(env, "flush-outbox")      # still down: nothing lost
        assert code != 0 and "0 opgeslagen, 1 wachten nog" in out, out
        assert outbox_files(data_dir) == [queued]
        assert summary_rows(stack.db_url, sender) == []
    finally:
        stack.restart_actions()


def test_summary_is_stored_exactly_once_when_the_database_is_back(fault_stack, tmp_path):
    stack, sender = fault_stack, new_sender("db-back")
    blocker = tmp_path / "db"                          # a file where the database directory should be
    blocker.write_text("not a directory")
    data_dir = tmp_path / "actions-data"
    db_url = f"sqlite:///{blocker / 'werkintake.db'}"
    env = {"DATABASE_URL": db_url, "WERK_DATA_DIR": str(data_dir)}
    stack.restart_actions(**env)
    try:
        summary_id = consent_with_database_down(stack, sender)
        assert len(outbox_files(data_dir)) == 1

        blocker.unlink()                                # the database is back
        assert stack.cli_with(env, "migrate")[0] == 0
        code, out = stack.cli_with(env, "flush-outbox")
        assert code == 0 and "1 opgeslagen, 0 wachten nog" in out, out
        assert outbox_files(data_dir) == []
        code, out = stack.cli_with(env, "flush-outbox")  # flushing again stores nothing twice
        assert code == 0 and "0 opgeslagen" in out, out

        [row] = summary_rows(db_url, sender)
        assert row["id"] == summary_id
        validate_summary(row["body"])
        assert row["body"]["conversation_id"] == sender
        assert row["body"]["work"]["hours_per_week"] == 32

        # the running action server uses the database again without a restart
        other = new_sender("db-back")
        walk(stack, other, EMPLOYEE_WITH_ABSENCE)   # ends with a stored (not queued) summary
        assert len(summary_rows(db_url, other)) == 1
    finally:
        stack.restart_actions()
