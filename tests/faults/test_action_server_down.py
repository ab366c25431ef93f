"""The action server dies (SIGKILL) in the middle of an intake.

Rasa then logs the failed action and carries on with an empty reply; the REST channel
(bot/runtime/channels.py) turns that silence into the Dutch `action_error` text. The intake
state lives in the tracker slot, so after a restart of the action server the patient
continues at the same question and can finish."""
from __future__ import annotations

import pytest

from tests.faults.conftest import (
    EMPLOYEE_WITH_ABSENCE,
    START_METADATA,
    new_sender,
    say,
    summary_rows,
    unavailable_reply,
    walk,
)
from tests.support.stack import question_id

pytestmark = pytest.mark.faults


def test_killed_action_server_gives_dutch_reply_then_patient_continues(fault_stack):
    stack, sender = fault_stack, new_sender()
    walk(stack, sender, EMPLOYEE_WITH_ABSENCE[:6])            # now asked: "barriers"
    pending_answer, next_question = EMPLOYEE_WITH_ABSENCE[6]
    assert EMPLOYEE_WITH_ABSENCE[5][1] == "barriers"

    stack.kill("actions")
    for _ in range(2):                                        # and it keeps answering
        status, replies = stack.post({"sender": sender, "message": pending_answer})
        assert status == 200
        assert unavailable_reply(replies), replies
    status, replies = stack.post({"sender": new_sender(), "message": "/start", "metadata": START_METADATA})
    assert status == 200 and unavailable_reply(replies), replies

    stack.start_actions()
    stack.wait_ready()
    replies = say(stack, sender, pending_answer)              # same question still pending
    assert question_id(replies) == next_question
    walk(stack, sender, EMPLOYEE_WITH_ABSENCE[7:])            # ... through consent: stored

    [row] = summary_rows(stack.db_url, sender)
    work = row["body"]["work"]
    assert work["hours_per_week"] == 32                       # answered after the restart
    assert "verpleegkundige" in str(work).lower()              # answered before the kill
    assert {"current_absence", "work_barriers"} <= {s["code"] for s in row["body"]["signals"]}
