"""Bad input: over the real REST channel (fixed corpus and hypothesis) and against the
pure dialogue functions (hypothesis). Always a Dutch reply or a 4xx with a Dutch JSON
error, never a 5xx, never an action crash, and the server keeps serving."""
from __future__ import annotations

import copy
import dataclasses
import json
import re
import uuid

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import content
from bot.dialogue import digressions
from bot.dialogue.conversation import respond
from bot.intake import operations as dialogue
from bot.intake.operations import Turn
from bot.knowledge.faq import topic_ids
from bot.runtime import channels
from tests.dialogue.driver import TODAY, RecordingHandoff
from tests.faults.conftest import EMPLOYEE_WITH_ABSENCE, START_METADATA, new_sender, say, walk
from tests.support.stack import ROOT, question_id

pytestmark = pytest.mark.faults

WORD = re.compile(r"[a-zà-ÿ]+")
DUTCH_WORDS = set("""de het een en van ik u uw wij zijn niet wel ook voor aan om te tot bij naar uit
    als dat dit wat wie waar maar nog alles geen meer kunt mag moet wilt heeft bent gaat ja nee
    bedoelt typ kies graag dank hallo welkom""".split())   # no English look-alikes (is, in, of, ...)
# Every longer word of the assistant's own texts (its content files).
OUR_WORDS = {w for w in WORD.findall("\n".join(
    p.read_text(encoding="utf-8").lower() for p in (ROOT / "bot" / "content").rglob("*.yml")))
    if len(w) >= 4} - {"sorry", "what", "your", "that", "this", "with", "have"}
CHANNEL_ERRORS = {channels.ERROR_BAD_REQUEST, channels.ERROR_NO_SENDER, channels.ERROR_TOO_LONG}
# English texts Rasa or Sanic could produce themselves (patient text may be echoed back)
ENGLISH = re.compile(r"(sorry, i |i didn't|internal server|bad request|failed when parsing|"
                     r"not found|error occurred)", re.IGNORECASE)

TEXT_CORPUS = {
    "empty": "", "whitespace": "   \t\n  ", "10 kB": "x" * 10_240, "10 kB words": "ik werk " * 1_280,
    "emoji only": "😀🙈🔥👍🏽", "html": "<b>vet</b><img src=x onerror=alert(1)>",
    "script": "<script>alert('hoi')</script>", "sql": "'; DROP TABLE events; --",
    "sql 2": "1 OR 1=1; SELECT * FROM wi_summaries", "english": "How much will I earn if I am sick?",
    "turkish": "Çalışıyorum ama çok yorgunum, işverenime söylemeli miyim?",
    "arabic": "أنا أعمل ممرضة ولكنني متعبة جدا", "nul and controls": "ja\x00\x01\x1b[31m ik werk\x7f",
    "lone surrogate (escaped in JSON)": "\ud800ja", "right-to-left override": "\u202eja ik werk",
    "payload lookalike": '/inform{"code": "<script>"}', "bad intent": "/does_not_exist",
    "json in text": '{"sender": "x"}', "newlines": "ja\n\n\nik werk\r\n", "long number": "9" * 400,
}

RAW_CORPUS = {  # (body bytes, allowed statuses)
    "1 MB message": (json.dumps({"sender": "s", "message": "x" * 1_048_576}).encode(), {413}),
    "invalid UTF-8": (b'{"sender": "s-utf8", "message": "\xff\xfe ja"}', {400}),
    "malformed JSON": (b'{"sender": "s", "message": ', {400}),
    "not JSON": (b"hallo", {400}), "empty body": (b"", {400}),
    "JSON list": (b"[]", {400}), "JSON null": (b"null", {400}), "JSON string": (b'"ja"', {400}),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, {400, 413}),
    "sender is a number": (b'{"sender": 5, "message": "ja"}', {400}),
    "message is null": (b'{"sender": "s", "message": null}', {400}),
    "message is a number": (b'{"sender": "s", "message": 5}', {400}),
    "message is a list": (b'{"sender": "s", "message": ["ja"]}', {400}),
    "missing sender": (b'{"message": "ja"}', {400}), "empty sender": (b'{"sender": " ", "message": "ja"}', {400}),
    "sender too long": (json.dumps({"sender": "s" * 300, "message": "ja"}).encode(), {400}),
    "sender with NUL": (b'{"sender": "a\\u0000b", "message": "ja"}', {400}),
    "missing message": (b'{"sender": "s"}', {400}),
    "metadata is a string": (b'{"sender": "s", "message": "ja", "metadata": "x"}', {400}),
    "metadata is a list": (b'{"sender": "s", "message": "ja", "metadata": [1]}', {400}),
}


def is_dutch(text: str) -> bool:
    """Dutch words (ours or common ones), and none of the English texts of Rasa or Sanic."""
    return bool(set(WORD.findall(text.lower())) & (DUTCH_WORDS | OUR_WORDS)) and not ENGLISH.search(text)


def assert_dutch_reply(replies):
    """A non-empty list of messages; every text is Dutch; no action crash or fallback."""
    assert isinstance(replies, list) and replies, replies
    for m in replies:
        assert isinstance(m, dict) and ("text" in m or "custom" in m), m
        assert not (isinstance(m.get("custom"), dict) and m["custom"].get("error")), replies
    said = [m["text"] for m in replies if m.get("text")]
    assert content.message("action_error") not in said, replies
    joined = "\n".join(said)
    assert is_dutch(joined), said


def assert_still_serving(stack):
    replies = say(stack, new_sender("alive"), "/start")
    assert question_id(replies) == "work_status"


@pytest.mark.parametrize("name", sorted(TEXT_CORPUS))
def test_bad_text_gets_a_dutch_reply(fault_stack, name):
    sender = new_sender("bad")
    walk(fault_stack, sender, EMPLOYEE_WITH_ABSENCE[:3])        # mid-intake: employment_type
    status, replies = fault_stack.post({"sender": sender, "message": TEXT_CORPUS[name]})
    assert status == 200, (status, replies)
    assert_dutch_reply(replies)
    assert question_id(replies) in {"employment_type", "absence", None}
    assert_still_serving(fault_stack)


@pytest.mark.parametrize("name", sorted(RAW_CORPUS))
def test_bad_request_gets_a_dutch_4xx(fault_stack, name):
    body, statuses = RAW_CORPUS[name]
    status, reply = fault_stack.post(body)
    assert status in statuses, (status, reply)
    assert isinstance(reply, dict) and reply.get("error"), reply
    assert reply["message"] in CHANNEL_ERRORS, reply   # Dutch, see bot/runtime/channels.py
    assert_still_serving(fault_stack)


def test_bad_input_does_not_reach_the_shared_default_conversation(fault_stack):
    fault_stack.post(b'{"message": "/start"}')
    status, _ = fault_stack.post({"sender": "default", "message": "ja ik werk"})
    assert status == 200          # Rasa's "default" sender got nothing from the message without sender
    import sqlalchemy as sa

    from bot.storage.db import create_engine_for
    engine = create_engine_for(fault_stack.db_url)
    with engine.connect() as conn:
        starts = conn.execute(sa.text("select count(*) from events where sender_id = 'default' "
                                      "and intent_name = 'start'")).scalar()
    engine.dispose()
    assert starts == 0


# --- property tests ---------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
DUTCHISH = st.sampled_from(["ja", "nee", "weet ik niet", "terug", "opnieuw beginnen", "overslaan",
                            "32 uur", "sinds 3 weken", "nee, ik bedoel 24 uur", "een zesje", "?", "/start",
                            '/inform{"code": "confirm"}', "ik wil een mens spreken", "hoi", "doei"])
MESSAGES = st.one_of(ANY_TEXT, DUTCHISH, st.builds(lambda a, b: a + " " + b, DUTCHISH, ANY_TEXT))


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.integers(min_value=0, max_value=len(EMPLOYEE_WITH_ABSENCE) - 1), text=MESSAGES)
def test_any_text_at_any_phase_over_rest(fault_stack, steps, text):
    sender = new_sender("prop")
    walk(fault_stack, sender, EMPLOYEE_WITH_ABSENCE[:steps])   # idle, asking ..., read-back, consent
    status, replies = fault_stack.post({"sender": sender, "message": text})
    assert status == 200, (status, replies)
    assert_dutch_reply(replies)


def _snapshots():
    """Intake states after each step of the employee script (None = not started)."""
    handoff, state, out = RecordingHandoff(), None, [None]
    for text, _ in EMPLOYEE_WITH_ABSENCE:
        if text == "/start":
            result = dialogue.start(None, Turn(text=text, intent="start", metadata=START_METADATA))
        else:
            code = re.search(r'"code": "([^"]+)"', text)
            result = digressions.answer_or_fallback(state, Turn(
                text=text, intent="inform", code=code.group(1) if code else None,
                conversation_id="prop", today=TODAY), handoff)
        state = result.state
        out.append(copy.deepcopy(state))
    return out


SNAPSHOTS = _snapshots()
INTENTS = [i for i in yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]] + [
    "nlu_fallback", None]


def _step(kind, state, turn, handoff):
    """Every message goes through the one entry, bot.dialogue.conversation.respond; `kind` picks
    the intent the NLU claims (whatever the text says)."""
    if kind == "start":
        return dialogue.start(state, turn)
    if kind == "restart":
        return dialogue.restart(state, turn)
    if kind == "faq":
        return digressions.faq(state, turn, topic_ids()[hash(turn.text) % len(topic_ids())], handoff)
    if kind in ("human_contact", "crisis", "out_of_scope"):
        turn = dataclasses.replace(turn, intent=kind)
    return respond(state, turn, handoff)


@settings(max_examples=300, deadline=None, database=None)
@given(snapshot=st.sampled_from(range(len(SNAPSHOTS))), text=MESSAGES,
       intent=st.sampled_from(INTENTS), confidence=st.floats(0, 1),
       code=st.one_of(st.none(), st.sampled_from(["confirm", "change", "working", "yes", "x,y", ""]), ANY_TEXT),
       kind=st.sampled_from(["respond", "faq", "out_of_scope", "human_contact", "crisis", "start", "restart"]))
def test_any_text_at_any_phase_in_the_dialogue_functions(snapshot, text, intent, confidence, code, kind):
    state = copy.deepcopy(SNAPSHOTS[snapshot])
    turn = Turn(text=text, intent=intent, confidence=confidence, code=code,
                conversation_id=f"prop-{uuid.uuid4()}", today=TODAY)
    result = _step(kind, state, turn, RecordingHandoff())
    assert result.messages, (kind, text)
    for message in result.messages:
        assert message.text is not None or message.custom is not None
        json.dumps(message.to_dict())
    json.loads(json.dumps(result.state))                          # fits the tracker slot
    assert result.state["phase"] in ("idle", "asking", "readback", "consent", "done")
