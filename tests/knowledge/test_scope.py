"""Digressions (bot/knowledge/scope.py, bot/content/scope.yml): out of scope, asking for a person,
and not understanding a message."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.dialogue.messages import Button, Message
from bot.knowledge import faq, scope

ROOT = Path(__file__).resolve().parents[2]


def joined(messages):
    assert messages and all(isinstance(m, Message) and m.text for m in messages)
    return " ".join(m.text for m in messages)


# ---------------------------------------------------------------------------
# out of scope


@pytest.mark.parametrize("text,category", [
    ("Is mijn uitslag goed?", "medical"),
    ("welke medicijnen moet ik nemen", "medical"),
    ("Wat is mijn diagnose?", "medical"),
    ("zijn mijn bloedwaardes normaal", "medical"),
    ("mag ik paracetamol nemen", "medical"),
    ("Wat zeggen de uitslagen van mijn MRI?", "medical"),
    ("wanneer is mijn operatie", "medical"),
    ("is het ernstig wat ik heb", "medical"),
    ("moet ik mijn pillen met eten innemen", "medical"),
    ("waar kan ik parkeren", "practical"),
    ("kan ik mijn afspraak verzetten", "practical"),
    ("waar zijn de toiletten", "practical"),
    ("welke bus gaat naar het ziekenhuis", "practical"),
    ("ik wil een advocaat", "legal"),
    ("hoeveel transitievergoeding krijg ik", "legal"),
    ("hoe vraag ik huurtoeslag aan", "money"),
    ("wat voor weer wordt het morgen", "default"),
    ("wie heeft er gewonnen bij Ajax", "default"),
    ("What is the weather like today?", "default"),
    ("", "default"),
    (None, "default"),
])
def test_out_of_scope_category(text, category):
    assert scope.out_of_scope_category(text) == category


@pytest.mark.parametrize("text", ["Is mijn uitslag goed?", "welke medicijnen?", "Heb ik kanker?"])
def test_medical_questions_always_go_to_the_care_team(text):
    answer = joined(scope.out_of_scope_messages(text))
    assert "niet mee helpen" in answer and "zorgteam" in answer


def test_medical_wins_over_practical():
    # "afspraak" is practical, but a question about results is medical first
    assert scope.out_of_scope_category("bespreken we de uitslag bij mijn afspraak?") == "medical"


@pytest.mark.parametrize("text,pointer", [
    ("waar kan ik parkeren", "balie"),
    ("ik wil een advocaat", "Juridisch Loket"),
    ("hoe vraag ik huurtoeslag aan", "maatschappelijk werk"),
    ("wat voor weer wordt het", "huisarts"),
])
def test_out_of_scope_is_honest_with_a_pointer(text, pointer):
    answer = joined(scope.out_of_scope_messages(text))
    assert answer.startswith("Daar kan ik u niet mee helpen") or "Daar kan ik u niet mee helpen" in answer
    assert pointer in answer


def test_every_out_of_scope_training_example_gets_an_answer():
    data = yaml.safe_load((ROOT / "data" / "nlu" / "scope.yml").read_text(encoding="utf-8"))
    block = next(b for b in data["nlu"] if b["intent"] == "out_of_scope")
    examples = [line.strip()[2:] for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    for ex in examples:
        msgs = scope.out_of_scope_messages(ex)
        assert len(msgs) == 1 and "niet mee helpen" in msgs[0].text


# ---------------------------------------------------------------------------
# human contact


def test_human_contact_at_the_tablet_points_to_the_desk():
    text = joined(scope.human_contact_messages("tablet"))
    assert "balie" in text and "afspraakbrief" not in text
    assert "samenvatting" in text


def test_human_contact_at_home_points_to_the_phone_number():
    text = joined(scope.human_contact_messages("home"))
    assert "Bel" in text and "afspraakbrief" in text and "balie" not in text
    assert "samenvatting" in text


@pytest.mark.parametrize("channel", [None, "", "web", "kiosk"])
def test_human_contact_unknown_channel_gives_both(channel):
    text = joined(scope.human_contact_messages(channel))
    assert "balie" in text and "afspraakbrief" in text and "samenvatting" in text


def test_human_contact_topic_uses_the_general_intent():
    assert faq.faq_intent("human_contact") == "human_contact"
    assert "samenvatting" in faq.answer_text("human_contact")


# ---------------------------------------------------------------------------
# rephrase


def test_first_attempt_asks_to_rephrase_without_buttons():
    msgs = scope.rephrase_messages(1)
    assert len(msgs) == 1 and not msgs[0].buttons
    assert "anders zeggen" in msgs[0].text


@pytest.mark.parametrize("attempt", [2, 3, 7])
def test_second_attempt_offers_faq_buttons(attempt):
    msgs = scope.rephrase_messages(attempt)
    buttons = [b for m in msgs for b in m.buttons]
    assert 3 <= len(buttons) <= 8
    assert all(isinstance(b, Button) for b in buttons)
    for b, tid in zip(buttons, scope.rephrase_topics(), strict=False):
        assert b.title == faq.topic(tid)["title"]
        assert b.payload == "/" + faq.faq_intent(tid)
    assert any(b.payload.startswith("/faq_") for b in buttons)
    assert msgs[0].to_dict()["buttons"][0]["payload"].startswith("/")


def test_rephrase_button_intents_exist_in_the_nlu_data():
    intents = set()
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        intents |= {b["intent"] for b in data.get("nlu") or [] if "intent" in b}
    for b in scope.rephrase_messages(2)[0].buttons:
        assert b.payload[1:] in intents


def test_rephrase_topics_exist():
    for tid in scope.rephrase_topics():
        faq.topic(tid)
