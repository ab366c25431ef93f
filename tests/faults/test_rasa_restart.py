"""The Rasa server stops (SIGTERM) and is killed (SIGKILL) in the middle of an intake
and starts again with the same SQLite tracker store: the conversation continues at
the same question and ends with one stored summary."""
from __future__ import annotations

import pytest

from tests.faults.conftest import EMPLOYEE_WITH_ABSENCE, new_sender, say, summary_rows, walk
from tests.support.stack import question_id

pytestmark = pytest.mark.faults


def restart_rasa(stack, how: str) -> None:
    (stack.stop if how == "stop" else stack.kill)("rasa")
    stack.start_rasa()
    stack.wait_ready()


def test_conversation_survives_rasa_restarts(fault_stack):
    stack, sender = fault_stack, new_sender()
    steps = EMPLOYEE_WITH_ABSENCE
    walk(stack, sender, steps[:5])                     # pending: absence_since
    restart_rasa(stack, "stop")
    text, expected = steps[5]
    assert question_id(say(stack, sender, text)) == expected
    walk(stack, sender, steps[6:12])
    restart_rasa(stack, "kill")
    text, expected = steps[12]
    assert question_id(say(stack, sender, text)) == expected
    walk(stack, sender, steps[13:])                    # read-back, consent: stored

    [row] = summary_rows(stack.db_url, sender)
    assert row["body"]["conversation_id"] == sender
    # from /start, before both restarts (claimed without an invitation: kept, not verified)
    assert row["body"]["claimed_appointment_code"] == "BENCH-1" and row["body"]["verified"] is False
    assert row["body"]["work"]["hours_per_week"] == 32
