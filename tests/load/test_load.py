"""50 concurrent conversations of ~24 turns each against a fresh stack, every one
finishing the intake with consent: 0 errors and exactly 50 valid summaries."""
from __future__ import annotations

import json
import sys

import pytest
import sqlalchemy as sa

from bot.report.summary import validate_summary
from bot.storage.db import create_engine_for
from tests.support.stack import ROOT, running_stack

sys.path.insert(0, str(ROOT / "scripts" / "bench"))
from load_test import run_load  # noqa: E402

CONVERSATIONS = 50
pytestmark = pytest.mark.load


@pytest.fixture(scope="module")
def load_stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("load")) as stack:
        yield stack


def test_fifty_concurrent_intakes_store_fifty_summaries(load_stack):
    report = run_load(load_stack.rasa_url, load_stack.db_url, conversations=CONVERSATIONS,
                      time_limit_s=420, progress_every_s=5)
    assert report["ok"], report["problems"]
    assert report["errors"] == 0 and report["conversations"] == CONVERSATIONS
    assert report["turns"] >= CONVERSATIONS * 20

    # independent of the load script: what is in the database
    engine = create_engine_for(load_stack.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select conversation_id, body from wi_summaries "
                                    "where conversation_id like 'load-%'")).all()
    engine.dispose()
    assert len(rows) == CONVERSATIONS
    assert {r[0] for r in rows} == set(report["senders"])
    for conversation_id, body in rows:
        summary = body if isinstance(body, dict) else json.loads(body)
        validate_summary(summary)
        assert summary["conversation_id"] == conversation_id
        assert summary["consent"]["share_with_care_team"] is True
    assert not list((load_stack.data_dir / "outbox").glob("*.json"))   # nothing queued
    assert "Traceback" not in load_stack.log("actions")
