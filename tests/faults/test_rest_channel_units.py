"""Units of bot/runtime/channels.py (no stack): request validation, the Dutch fallback, the
registration in credentials.yml and the cached validation of action responses."""
from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import ValidationError

from bot import content
from bot.runtime import channels, rasa_patches
from bot.runtime.channels import BadRequest, parse_body
from tests.support.stack import ROOT


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


def test_valid_body_is_parsed_and_cleaned():
    sender, text, metadata, channel = parse_body(body(sender="p-1", message="ja\x00 ik\x1b werk\n",
                                                      metadata={"channel": "home"}))
    assert (sender, text, metadata, channel) == ("p-1", "ja ik werk\n", {"channel": "home"}, None)
    assert parse_body(b'{"sender": "p", "message": "\\ud800ja"}')[1] == "\ufffdja"
    assert parse_body(body(sender="p", message="😀", input_channel="kiosk"))[1:] == ("😀", None, "kiosk")
    assert parse_body(body(sender="p", message="x" * channels.MAX_TEXT_CHARS))[1] == "x" * channels.MAX_TEXT_CHARS


@pytest.mark.parametrize("raw, status, code", [
    (b"", 400, "bad_request"), (b"{", 400, "bad_request"), (b"[]", 400, "bad_request"),
    (b'{"sender": "p", "message": "\xff"}', 400, "bad_request"),
    (b'{"message": "ja"}', 400, "bad_sender"), (b'{"sender": 5, "message": "ja"}', 400, "bad_sender"),
    (b'{"sender": "", "message": "ja"}', 400, "bad_sender"),
    (b'{"sender": "a\\nb", "message": "ja"}', 400, "bad_sender"),
    (b'{"sender": "p", "message": null}', 400, "bad_request"),
    (b'{"sender": "p", "message": "ja", "metadata": "x"}', 400, "bad_request"),
    (json.dumps({"sender": "p", "message": "x" * (channels.MAX_TEXT_CHARS + 1)}).encode(), 413, "too_long"),
    (b" " * (channels.MAX_BODY_BYTES + 1), 413, "too_long"),
    (b"[" * 50_000 + b"]" * 50_000, 400, "bad_request"),
])
def test_bad_bodies_are_refused_in_dutch(raw, status, code):
    with pytest.raises(BadRequest) as err:
        parse_body(raw)
    assert (err.value.status, err.value.code) == (status, code)
    assert err.value.message in {channels.ERROR_BAD_REQUEST, channels.ERROR_NO_SENDER, channels.ERROR_TOO_LONG}


def test_fallback_is_the_dutch_action_error_flagged_for_the_web_chat():
    [message] = channels.fallback_messages("p-1")
    assert message == {"recipient_id": "p-1", "text": content.message("action_error"),
                       "custom": {"error": "unavailable"}}


def test_credentials_register_the_channel_on_the_rest_url():
    from rasa.core.run import _create_single_channel

    creds = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert list(creds) == ["bot.runtime.channels.DutchRestInput"]
    channel = _create_single_channel("bot.runtime.channels.DutchRestInput", creds["bot.runtime.channels.DutchRestInput"])
    assert isinstance(channel, channels.DutchRestInput)
    assert channel.url_prefix() == "rest"          # /webhooks/rest/webhook, as before


def test_action_response_validation_is_cached_and_unchanged():
    from rasa.core.actions.action import RemoteAction

    assert getattr(RemoteAction._validate_action_result, "_werk_cached", False)
    assert rasa_patches.speed_up_action_validation() is False      # applied once only
    action = RemoteAction("action_intake_answer", None)
    valid = {"events": [{"event": "slot", "name": "intake_phase", "value": "asking"},
                        {"event": "slot", "name": "intake_pending", "value": {"question_id": "hours_per_week"}}],
             "responses": [{"text": "Wat voor werk doet u?", "buttons": [], "custom": None}]}
    assert action._validate_action_result(valid) is True
    with pytest.raises(ValidationError) as err:
        action._validate_action_result({"events": [{"no_event_key": 1}], "responses": []})
    assert "Failed to validate Action server response" in err.value.message


def test_event_lookup_is_cached_and_unchanged():
    from rasa.shared.core import events
    from rasa.shared.utils.common import all_subclasses

    assert getattr(events.Event.resolve_by_type, "_werk_cached", False)
    assert rasa_patches.speed_up_event_lookup() is False           # applied once only
    for _ in range(2):                                          # cold, then cached
        for cls in all_subclasses(events.Event):
            if getattr(cls, "type_name", None):
                assert events.Event.resolve_by_type(cls.type_name).type_name == cls.type_name
    assert events.Event.resolve_by_type("user") is events.UserUttered
    assert events.Event.resolve_by_type("nope", default=events.SlotSet) is events.SlotSet
    with pytest.raises(ValueError):
        events.Event.resolve_by_type("nope")
    dumped = events.SlotSet("intake_pending", {"question_id": "hours_per_week"}).as_dict()
    assert events.Event.from_parameters(dumped) == events.SlotSet("intake_pending", {"question_id": "hours_per_week"})


def test_patches_are_applied_once_and_refuse_an_unknown_rasa():
    assert rasa_patches.apply() == []                       # the channel module applied them already
    with pytest.raises(rasa_patches.UnsupportedRasa):
        rasa_patches.apply("3.7.0")
