"""Finding 5: no request size limits (Rasa, action server and web read 100 MB bodies)
and no rate limits on the chat, the patient copy, login and the API."""
from __future__ import annotations

import select
import socket
import uuid

import pytest

from tests.security.conftest import chat

FIFTY_MB = 50 * 1024 * 1024


def post_huge(port: int, path: str, headers: str = ""):
    """POST a 50 MB body; returns (HTTP status, start of the answer); the server answers
    before the body is sent and stops reading."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    try:
        sock.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {FIFTY_MB}\r\n{headers}Connection: close\r\n\r\n").encode())
        chunk = b"x" * (1024 * 1024)
        for _ in range(50):
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        data = b""
        while True:  # until the server closes (it may reset: the unread body)
            try:
                part = sock.recv(4096)
            except ConnectionResetError:
                break
            if not part:
                break
            data += part
        return int(data.split(b" ", 2)[1]), data.decode("utf-8", "replace")
    finally:
        sock.close()


@pytest.mark.parametrize("listener,path", [
    ("rasa_port", "/webhooks/rest/webhook"),
    ("action_port", "/webhook"),
    ("web_port", "/chat/api/message"),
    ("careteam_port", "/api/v1/invitations"),
    ("careteam_port", "/zorgteam/inloggen"),
])
def test_50_mb_body_gets_413_on_every_listener(stack, listener, path):
    extra = f"X-Werk-Action-Token: {stack.action_token}\r\n" if listener == "action_port" else ""
    status, answer = post_huge(getattr(stack, listener), path, extra)
    assert status == 413
    if listener != "action_port":  # people may see these: Dutch
        assert "te lang" in answer or "te groot" in answer, answer


def test_chat_rate_limit_answers_in_dutch(stack):
    sender = str(uuid.uuid4())
    statuses = []
    for _ in range(32):
        status, body = chat(stack, sender, "")  # empty: answered by the proxy without Rasa
        statuses.append(status)
    assert statuses.count(400) == 30 and statuses[-1] == 429
    assert "Wacht een minuut" in body["message"]


def test_patient_copy_key_guessing_is_rate_limited(stack):
    from tests.security.conftest import csrf_of, post_form
    from tests.web.helpers import Browser

    guesser = Browser(stack.web_url)
    page = guesser.get("/mijn-samenvatting/onbekend").text
    fields, cookies = {"csrf_token": csrf_of(page)}, dict(guesser.cookies)
    results = [post_form(stack.web_port, "/mijn-samenvatting/onbekend/openen", dict(fields, key=f"gok-{i}"),
                         cookies, source="127.0.0.9") for i in range(21)]
    assert [r[0] for r in results[:20]] == [404] * 20
    assert results[-1][0] == 429 and "Wacht een minuut" in results[-1][1]
