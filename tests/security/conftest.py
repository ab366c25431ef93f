"""One real stack for the attack tests: Rasa, the action server (with its shared secret),
the patient web app and the care-team web app on SECURITY_PORT_BASE+0..3 (default 7200),
SQLite in a temporary directory. The background task runs every second and deletes
trackers at once, so deletion tests do not wait."""
from __future__ import annotations

import json
import os
import re
import uuid
from typing import Any, Dict, List, Optional

import pytest

from tests.support.stack import http, question_id, running_stack
from tests.web.helpers import Browser

PASSWORD = "een heel lang wachtwoord"
PORT_BASE = int(os.environ.get("SECURITY_PORT_BASE", "7200"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    env = {"WEB_MAINTENANCE_INTERVAL": "1", "WEB_TRACKER_DELETION_DELAY": "0",
           "WEB_RETENTION_INTERVAL": "0", "WEB_SESSION_SECRET": uuid.uuid4().hex * 2}
    with running_stack(tmp_path_factory.mktemp("security-stack"), port_base=PORT_BASE,
                       extra_env=env) as s:
        s.cli("create-user", "anna", "--password-stdin", "--role", "admin", stdin=PASSWORD + "\n")
        s.cli("create-user", "bert", "--password-stdin", stdin=PASSWORD + "\n")
        yield s


@pytest.fixture(scope="session")
def read_token(stack):
    return stack.cli("create-token", "security-read").strip().splitlines()[-1]


def chat(stack, sender: str, text: str, metadata: Optional[Dict[str, Any]] = None,
         cookies: Optional[Dict[str, str]] = None):
    """One message through the patient web app's chat proxy (what the browser does)."""
    body: Dict[str, Any] = {"sender": sender, "message": text}
    if metadata is not None:
        body["metadata"] = metadata
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else None
    status, raw, _ = http("POST", f"{stack.web_url}/chat/api/message", body, headers=headers, timeout=60)
    return status, json.loads(raw) if raw else None


JOB_SEEKER = [("ik zoek werk", "support_wish")]


def finish_intake(stack, metadata: Dict[str, Any], question: Optional[str] = None,
                  cookies: Optional[Dict[str, str]] = None) -> tuple:
    """A short, consented intake over the chat proxy (a job seeker, with the patient's own
    ``question`` if given); returns (sender, replies)."""
    sender = str(uuid.uuid4())
    status, replies = chat(stack, sender, "/start", metadata, cookies)
    assert status == 200 and question_id(replies) == "work_status", replies
    status, replies = chat(stack, sender, "ik zoek werk")
    assert question_id(replies) == "support_wish", replies
    status, replies = chat(stack, sender, "ja" if question else "nee")
    if question:
        assert question_id(replies) == "support_wish_question", replies
        status, replies = chat(stack, sender, question)
    for _ in range(20):  # skip what else is asked, up to the read-back
        if question_id(replies) == "readback":
            break
        status, replies = chat(stack, sender, "/skip")
    assert question_id(replies) == "readback", replies
    status, replies = chat(stack, sender, '/inform{"code": "confirm"}')
    assert question_id(replies) == "consent_share", replies
    status, replies = chat(stack, sender, "ja")
    assert status == 200
    return sender, replies


def custom(replies: List[Dict[str, Any]], key: str):
    for message in replies or []:
        if isinstance(message.get("custom"), dict) and key in message["custom"]:
            return message["custom"][key]
    return None


def login(stack, username="anna", password=PASSWORD) -> Browser:
    browser = Browser(stack.careteam_url)
    resp = browser.login(username, password)
    assert resp.status_code == 303, resp.text[:500]
    return browser


def post_form(port: int, path: str, fields: Dict[str, str], cookies: Dict[str, str],
              source: str = "127.0.0.1"):
    """A form POST from a chosen loopback address (127.0.0.0/8 all reach the server):
    different "clients" for the per-address limits. Returns (status, body)."""
    import http.client
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    conn.request("POST", path, body=urlencode(fields), headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    resp = conn.getresponse()
    result = resp.status, resp.read().decode("utf-8", "replace")
    conn.close()
    return result


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
