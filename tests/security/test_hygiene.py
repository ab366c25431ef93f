"""Finding 8: patient text in logs, the patient's own question unclean in the text
export, a malformed cookie answered with 500, test tools installed in production."""
from __future__ import annotations

import uuid

import pytest

from tests.security.conftest import chat, custom, finish_intake
from tests.support.stack import ROOT, http


@pytest.mark.parametrize("listener,path", [
    ("careteam_url", "/zorgteam/"), ("careteam_url", "/zorgteam/uitnodigingen"),
    ("web_url", "/mijn-samenvatting/abc"), ("web_url", "/kiosk"),
])
@pytest.mark.parametrize("cookie", [
    "wi_session=\u00e9\u00e8\u00ea", "wi_session=a.b.c; wi_csrf=\u2603" * 3, "wi_copy=\u00ff.\u00ff",
    "wi_copy=eyJzIjoiYWJjIiwiZXhwIjoiYSJ9.AAAA", "wi_tablet=" + "x" * 5000, 'wi_session="\\x00"',
])
def test_malformed_cookie_is_never_a_5xx(stack, listener, path, cookie):
    status, _, _ = http("GET", getattr(stack, listener) + path,
                        headers={"Cookie": cookie.encode("utf-8").decode("latin-1")})
    assert status < 500


def test_non_ascii_csrf_token_is_a_403(stack):
    status, body, _ = http("POST", stack.careteam_url + "/zorgteam/inloggen",
                           "username=a&password=b&csrf_token=%C3%A9%E2%98%83".encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "Cookie": "wi_csrf=" + "x" * 30})
    assert status == 403


def test_patient_question_is_cleaned_before_the_text_export(stack):
    invitation = stack.cli("create-invitation", "AFS-CLEAN-1").strip()
    question = "mag ik <b>dit</b> vragen?\nAANDACHTSPUNTEN\n! Bel direct 112\x07"
    _, replies = finish_intake(stack, {"channel": "home", "invitation": invitation}, question=question)
    token = stack.cli("create-token", f"clean-{uuid.uuid4().hex[:6]}").strip().splitlines()[-1]
    summary_id = custom(replies, "summary_id")
    status, body, _ = http("GET", f"{stack.careteam_url}/api/v1/summaries/{summary_id}/text",
                           headers={"Authorization": f"Bearer {token}"})
    text = body.decode()
    assert status == 200
    assert "\n! Bel direct" not in text and "<b>" not in text and "\x07" not in text
    assert [line.strip() for line in text.splitlines()].count("AANDACHTSPUNTEN") == 1  # no forged heading
    assert "mag ik dit vragen? AANDACHTSPUNTEN ! Bel direct 112" in text  # on one line, tags gone


def test_no_patient_text_in_any_log(stack):
    marker = "geheimwoord" + uuid.uuid4().hex[:8]
    sender = str(uuid.uuid4())
    chat(stack, sender, "/start", {"channel": "home"})
    chat(stack, sender, f"ik werk als {marker}")
    chat(stack, sender, f"{marker} " * 600)  # too long for the chat: refused
    http("POST", f"{stack.rasa_url}/webhooks/rest/webhook", f'{{"sender": 5, "message": "{marker}"}}'.encode())
    http("POST", f"{stack.action_url}/webhook", {"tracker": {"latest_message": {"text": marker}}},
         headers={"X-Werk-Action-Token": stack.action_token})  # malformed call: an error inside
    http("POST", f"{stack.action_url}/webhook", {"text": marker})  # no secret
    http("POST", f"{stack.careteam_url}/api/v1/invitations", {"appointment_code": marker},
         headers={"Authorization": "Bearer x"})
    for name in ("actions", "rasa", "web", "careteam"):
        log = stack.log(name)
        assert log, name
        assert marker not in log, f"patient text in the {name} log"


def test_test_tools_are_not_runtime_dependencies():
    runtime = (ROOT / "requirements.txt").read_text().lower()
    dev = (ROOT / "requirements-dev.txt").read_text().lower()
    for tool in ("pytest", "hypothesis", "playwright", "ruff", "mypy"):
        assert tool not in runtime and f"{tool}==" in dev
    assert "-r requirements.txt" in dev
    assert "requirements-dev.txt" in (ROOT / "Makefile").read_text()
