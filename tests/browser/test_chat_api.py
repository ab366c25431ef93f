"""HTTP-level tests of the chat blueprint: pages, headers, the Rasa proxy and its errors."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, Optional, Tuple

import pytest

from bot.web.chat import UNAVAILABLE_TEXT, _rasa_timeout, clean_bot_messages, clean_metadata

SENDER = "6f1c2a7e-3b4d-4c5e-8f60-718293a4b5c6"


def request(url: str, body: Optional[bytes] = None, content_type: str = "application/json",
            method: Optional[str] = None) -> Tuple[int, Dict[str, str], bytes]:
    req = urllib.request.Request(url, data=body, method=method or ("POST" if body else "GET"))
    if body is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def post(base: str, payload: Any, **kw) -> Tuple[int, Any]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    status, _, raw = request(base + "/chat/api/message", body, **kw)
    return status, json.loads(raw)


@pytest.mark.parametrize("path", ["/", "/kiosk", "/chat-static/chat.js",
                                  "/chat-static/controls.js", "/chat-static/chat.css"])
def test_security_headers_and_no_cookies(chat_url, path):
    status, headers, _ = request(chat_url + path)
    assert status == 200
    lower = {k.lower(): v for k, v in headers.items()}
    assert "default-src 'self'" in lower["content-security-policy"]
    assert "script-src 'self'" in lower["content-security-policy"]
    assert "unsafe-inline" not in lower["content-security-policy"]
    assert lower["x-content-type-options"] == "nosniff"
    assert lower["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in lower


def test_api_has_headers_and_sets_no_cookie(chat_url, rasa):
    status, headers, _ = request(chat_url + "/chat/api/message", json.dumps(
        {"sender": SENDER, "message": "/start"}).encode())
    assert status == 200
    lower = {k.lower(): v for k, v in headers.items()}
    assert lower["cache-control"] == "no-store"
    assert "set-cookie" not in lower


def test_home_page_is_dutch_and_reads_code(chat_url):
    _, _, raw = request(chat_url + "/?code=AB-12_cd")
    html = raw.decode()
    assert '<html lang="nl">' in html
    assert 'data-appointment-code="AB-12_cd"' in html
    assert 'data-channel="home"' in html
    # no inline script, no external asset
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/chat-static/' in tag
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_home_page_drops_a_malicious_code(chat_url):
    _, _, raw = request(chat_url + "/?code=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
    html = raw.decode()
    assert 'data-appointment-code=""' in html
    assert "alert(1)" not in html


@pytest.mark.parametrize("query,idle,warn", [
    ("", 120, 30), ("?timeout=1&warn=1", 5, 3), ("?timeout=7&warn=4", 7, 4),
    ("?timeout=abc", 120, 30),
])
def test_kiosk_timeouts_are_clamped(chat_url, query, idle, warn):
    _, _, raw = request(chat_url + "/kiosk" + query)
    html = raw.decode()
    assert 'data-channel="tablet"' in html
    assert f'data-idle-seconds="{idle}"' in html
    assert f'data-warn-seconds="{warn}"' in html


def test_home_ignores_timeout_parameters(chat_url):
    _, _, raw = request(chat_url + "/?timeout=5")
    assert "data-idle-seconds" not in raw.decode()


def test_proxy_forwards_and_keeps_only_known_metadata(chat_url, rasa):
    status, data = post(chat_url, {
        "sender": SENDER, "message": "/start",
        "metadata": {"channel": "home", "appointment_code": "X1", "returning_patient": True,
                     "evil": "<b>", "channel_extra": 1},
    })
    assert status == 200
    assert isinstance(data, list)
    assert any(m.get("custom", {}).get("question_id") == "work_status" for m in data)
    assert all("recipient_id" not in m for m in data)
    assert rasa.requests[-1] == {
        "sender": SENDER, "message": "/start",
        "metadata": {"channel": "home", "appointment_code": "X1", "returning_patient": True},
    }


def test_message_too_long_is_413_in_dutch(chat_url, rasa):
    status, data = post(chat_url, {"sender": SENDER, "message": "a" * 2001})
    assert status == 413
    assert "te lang" in data["message"] and "2000" in data["message"]
    assert rasa.requests == []
    status, _ = post(chat_url, {"sender": SENDER, "message": "/start"})
    assert status == 200
    status, _ = post(chat_url, {"sender": SENDER, "message": "a" * 2000})
    assert status == 200


def test_huge_body_is_413(chat_url):
    status, data = post(chat_url, b'{"sender": "' + b"x" * 70_000 + b'"}')
    assert status == 413
    assert "te lang" in data["message"]


@pytest.mark.parametrize("payload", [
    b"{not json", b"[1, 2]", b"\xff\xfe", json.dumps({"message": "hoi"}).encode(),
    json.dumps({"sender": "not-a-uuid", "message": "hoi"}).encode(),
    json.dumps({"sender": SENDER, "message": 12}).encode(),
    json.dumps({"sender": SENDER, "message": "hoi", "metadata": ["x"]}).encode(),
])
def test_bad_shape_is_400_in_dutch(chat_url, rasa, payload):
    status, data = post(chat_url, payload)
    assert status == 400
    assert data["error"] == "bad_request"
    assert "kon niet worden gelezen" in data["message"]
    assert rasa.requests == []


def test_empty_message_is_400(chat_url):
    status, data = post(chat_url, {"sender": SENDER, "message": "   "})
    assert status == 400
    assert data["error"] == "empty"


def test_wrong_content_type_is_refused(chat_url):
    body = json.dumps({"sender": SENDER, "message": "hoi"}).encode()
    status, data = post(chat_url, body, content_type="text/plain")
    assert status == 415
    assert "formaat" in data["message"]


def _assert_unavailable(status: int, data: Any) -> None:
    assert status == 200
    assert data == [{"text": UNAVAILABLE_TEXT, "custom": {"error": "unavailable"}}]


def test_rasa_down_gives_200_with_dutch_message(dead_chat_url):
    _assert_unavailable(*post(dead_chat_url, {"sender": str(uuid.uuid4()), "message": "/start"}))


def test_rasa_timeout_gives_200_with_dutch_message(chat_url, rasa):
    _assert_unavailable(*post(chat_url, {"sender": SENDER, "message": "__slow__"}))


def test_rasa_error_gives_200_with_dutch_message(chat_url, rasa):
    _assert_unavailable(*post(chat_url, {"sender": SENDER, "message": "__boom__"}))


def test_clean_bot_messages_keeps_only_known_parts():
    raw = [
        {"recipient_id": "x", "text": "Hallo", "image": "http://evil/x.png"},
        {"buttons": [{"title": "Ja", "payload": "/affirm"}, {"title": 1}, "junk"]},
        {"custom": {"question_id": "q"}},
        "junk", {"text": None},
    ]
    assert clean_bot_messages(raw) == [
        {"text": "Hallo"},
        {"buttons": [{"title": "Ja", "payload": "/affirm"}]},
        {"custom": {"question_id": "q"}},
    ]
    assert clean_bot_messages({"text": "x"}) is None


def test_clean_metadata():
    assert clean_metadata({"channel": "kiosk", "appointment_code": "a b"}) == {}
    assert clean_metadata({"channel": "tablet", "returning_patient": "yes"}) == {"channel": "tablet"}


def test_rasa_timeout_setting(monkeypatch):
    class Plain:
        pass

    monkeypatch.delenv("CHAT_RASA_TIMEOUT", raising=False)
    assert _rasa_timeout(Plain(), None) == 20.0
    monkeypatch.setenv("CHAT_RASA_TIMEOUT", "7.5")
    assert _rasa_timeout(Plain(), None) == 7.5
    assert _rasa_timeout(Plain(), 3) == 3.0
    monkeypatch.setenv("CHAT_RASA_TIMEOUT", "nonsense")
    assert _rasa_timeout(Plain(), None) == 20.0
