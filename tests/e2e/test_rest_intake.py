"""Conversations over the real REST channel (spec §5) and the care-team API."""
from __future__ import annotations

import json
import uuid

import jsonschema
import pytest
import sqlalchemy as sa

from bot import content
from tests.support.stack import custom_value, http, question_id

EMPLOYEE_WITH_ABSENCE = [
    ("ja ik werk", "occupation"), ("ik ben verpleegkundige", "employment_type"),
    ('/inform{"code": "permanent"}', "absence"), ("ja, voor een deel", "absence_since"),
    ("sinds 3 weken", "barriers"), ("ik ben moe en heb pijn in m'n rug", "support_wish"),
    ("nee", "hours_per_week"), ("4 dagen van 8 uur", "how_is_work"),
    ("het gaat wisselend <script>alert(1)</script>", "what_goes_well"),
    ("het contact met patiënten", "work_aggravates"), ("weet ik niet", "occupational_physician"),
    ("ja ik heb contact", "employer_informed"), ("ja", "workplace_support"),
    ("een beetje", "job_control"), ("nee", "work_ability"), ("een zesje", "rtw_expectation"),
    ("met aanpassingen", "worries"), ("mijn inkomen", "informal_care"), ("nee", "irregular_hours"),
    ("nee", "treatment_work_consideration"), ("nee", "scheduling_needs"),  # issue 10: two questions added
    ("nee", "physician_contact_wish"), ("nee", "readback"),
]


def walk(stack, sender, steps, metadata=None):
    replies = stack.send(sender, "/start", metadata or {"channel": "home", "appointment_code": "A-77"})
    assert question_id(replies) == "work_status"
    for text, expected in steps:
        replies = stack.send(sender, text)
        assert question_id(replies) == expected, (text, replies)
    return replies


def test_start_returns_first_question_with_custom_payload(stack):
    replies = stack.send(f"t-{uuid.uuid4()}", "/start", {"channel": "tablet"})
    custom = [m["custom"] for m in replies if "custom" in m][-1]
    assert custom["question_id"] == "work_status"
    assert custom["answer_type"] == "choice"
    assert {"code": "working", "label": "Ja, ik werk"} in custom["options"]
    assert any("buttons" in m for m in replies)


def test_consented_intake_is_available_to_the_care_team(stack, api_token):
    sender = f"t-{uuid.uuid4()}"
    invitation = stack.cli("create-invitation", "A-77").strip()
    walk(stack, sender, EMPLOYEE_WITH_ABSENCE, {"channel": "home", "invitation": invitation})
    replies = stack.send(sender, '/inform{"code": "confirm"}')
    assert question_id(replies) == "consent_share"
    replies = stack.send(sender, "ja")
    summary_id = custom_value(replies, "summary_id")
    assert summary_id

    auth = {"Authorization": f"Bearer {api_token}"}
    status, body, _ = http("GET", f"{stack.careteam_url}/api/v1/summaries/{summary_id}", headers=auth)
    assert status == 200
    summary = json.loads(body)
    schema = json.loads((content.CONTENT_DIR / "summary.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(summary)
    assert summary["conversation_id"] == sender
    assert summary["context"]["appointment_code"] == "A-77" and summary["verified"] is True
    assert summary["work"]["hours_per_week"] == 32
    assert {"current_absence", "work_barriers"} <= {s["code"] for s in summary["signals"]}

    status, body, _ = http("GET", f"{stack.careteam_url}/api/v1/summaries/{summary_id}/fhir", headers=auth)
    assert status == 200
    from fhir.resources.questionnaireresponse import QuestionnaireResponse
    response = QuestionnaireResponse.parse_obj(json.loads(body))
    assert response.status == "completed"
    assert {i.linkId for i in response.item} >= {"work_status", "hours_per_week", "barriers"}

    status, body, headers = http("GET", f"{stack.careteam_url}/api/v1/summaries/{summary_id}/text", headers=auth)
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    text = body.decode("utf-8")
    assert "Verpleegkundige" in text or "verpleegkundige" in text
    assert "AANDACHTSPUNTEN" in text.upper()

    status, body, _ = http("GET", f"{stack.careteam_url}/api/v1/summaries?appointment_code=A-77",
                           headers=auth)
    assert status == 200 and summary_id in body.decode()


def test_api_requires_a_valid_token_and_known_id(stack, api_token):
    assert http("GET", f"{stack.careteam_url}/api/v1/summaries")[0] == 401
    assert http("GET", f"{stack.careteam_url}/api/v1/summaries",
                headers={"Authorization": "Bearer not-a-token"})[0] == 401
    status, _, _ = http("GET", f"{stack.careteam_url}/api/v1/summaries/does-not-exist",
                        headers={"Authorization": f"Bearer {api_token}"})
    assert status == 404


def test_declined_consent_leaves_no_summary_and_no_tracker(stack, api_token):
    from bot.storage import retention
    from bot.storage.db import create_engine_for

    sender = f"t-{uuid.uuid4()}"
    walk(stack, sender, [("ik zoek werk", "support_wish"), ("nee", "readback")])
    stack.send(sender, '/inform{"code": "confirm"}')
    replies = stack.send(sender, "nee")
    assert custom_value(replies, "summary_id") is None
    assert any("bewaren niets" in (m.get("text") or "") for m in replies)

    url = stack.db_url
    assert retention.process_pending_deletions(url, min_age_seconds=0) >= 1
    engine = create_engine_for(url)
    with engine.connect() as conn:
        events = conn.execute(sa.text("select count(*) from events where sender_id = :s"), {"s": sender}).scalar()
        summaries = conn.execute(sa.text("select count(*) from wi_summaries where conversation_id = :s"),
                                 {"s": sender}).scalar()
    assert events == 0 and summaries == 0


def test_rasa_http_api_is_closed(stack):
    status, _, _ = http("GET", f"{stack.rasa_url}/conversations/anyone/tracker")
    assert status in (401, 403, 404)
    status, _, _ = http("GET", f"{stack.rasa_url}/status")
    assert status in (401, 403, 404)


@pytest.mark.parametrize("message", ["", "   ", "😀😀😀", "<script>alert(1)</script>", "x" * 10_000,
                                     "'; DROP TABLE events; --", "How much will I earn?"])
def test_bad_input_gets_a_dutch_reply(stack, message):
    sender = f"t-{uuid.uuid4()}"
    stack.send(sender, "/start", {"channel": "home"})
    replies = stack.send(sender, message)
    assert replies, message
    assert all("text" in m or "custom" in m for m in replies)


def test_the_tracker_store_holds_the_state_as_typed_slots(stack):
    """The state is rebuilt from the slot events Rasa stored (bot/intake/state.py): a
    restarted server finds the conversation there (tests/faults/test_rasa_restart.py)."""
    from bot.intake.state import IntakeState
    from bot.storage.db import create_engine_for

    sender = f"t-{uuid.uuid4()}"
    walk(stack, sender, EMPLOYEE_WITH_ABSENCE[:8])          # pending: how_is_work
    engine = create_engine_for(stack.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select data from events where sender_id = :s and type_name = 'slot' "
                                    "order by id"), {"s": sender}).scalars().all()
    slots: dict = {}
    for data in rows:
        event = json.loads(data)
        assert event["name"] != "intake_state" and len(data) < 300, data
        slots[event["name"]] = event["value"]
    assert slots["intake_phase"] == "asking" and slots["current_question"] == "how_is_work"
    assert slots["work_status"] == "working" and slots["employment_type"] == "permanent"
    assert slots["absence"] == "partial" and slots["hours_per_week"] == 32
    assert slots["support_wish"] is False and set(slots["barriers"]) == {"fatigue", "pain"}
    state = IntakeState.from_slots(slots)
    assert state.current == "how_is_work" and state.history[-1] == "how_is_work"
    assert state.context["channel"] == "home" and state.answers["occupation"]


def test_a_crisis_reply_sets_the_marker_slot_and_the_next_reply_unsets_it(stack):
    """markers/intake.yml's `crisis` is `slot_was_set: crisis_reply` (docs/funnel.md)."""
    from bot.storage.db import create_engine_for

    sender = f"t-{uuid.uuid4()}"
    walk(stack, sender, EMPLOYEE_WITH_ABSENCE[:2])
    replies = stack.send(sender, "ik wil niet meer leven")
    assert any("113" in m.get("text", "") for m in replies)
    text, expected = EMPLOYEE_WITH_ABSENCE[2]
    assert question_id(stack.send(sender, text)) == expected
    engine = create_engine_for(stack.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select data from events where sender_id = :s and type_name = 'slot' "
                                    "order by id"), {"s": sender}).scalars().all()
    values = [json.loads(d)["value"] for d in rows if json.loads(d)["name"] == "crisis_reply"]
    assert values == [True, None]
