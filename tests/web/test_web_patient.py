"""The patient's own copy (/mijn-samenvatting/<id>?key=...) and removal by the patient."""
import re
import time

import requests

from tests.storage import backends
from tests.web.helpers import needs_summary_text

XSS = '<script>alert("x")</script>'
NOT_FOUND = "niet gevonden"


def _csrf(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _wait_until(predicate, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@needs_summary_text
def test_right_key_shows_the_patient_copy(server):
    summary, key = server.add("employee", how_is_work=XSS)
    browser = server.browser()
    resp = browser.get(f"/mijn-samenvatting/{summary['summary_id']}", params={"key": key})
    assert resp.status_code == 200 and 'lang="nl"' in resp.text
    assert "Verpleegkundige op een afdeling interne geneeskunde" in resp.text
    assert "<script>" not in resp.text and "&lt;script&gt;" in resp.text
    assert "Verwijder mijn samenvatting" in resp.text
    assert "current_absence" not in resp.text  # no internal codes for the patient
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["Referrer-Policy"] == "no-referrer"  # the key is in the URL
    assert resp.headers["Cache-Control"] == "no-store"
    entry = server.repo.audit_entries(summary_id=summary["summary_id"])[0]
    assert (entry.actor, entry.action) == ("patient", "view")


def test_wrong_or_missing_key_is_404_like_an_unknown_id(server):
    summary, key = server.add("self_employed")
    path = f"/mijn-samenvatting/{summary['summary_id']}"
    wrong = requests.get(server.base + path, params={"key": key[:-1] + "x"}, timeout=30)
    missing = requests.get(server.base + path, timeout=30)
    unknown = requests.get(server.base + "/mijn-samenvatting/bestaat-niet", params={"key": key}, timeout=30)
    for resp in (wrong, missing, unknown):
        assert resp.status_code == 404 and NOT_FOUND in resp.text
    assert wrong.text == unknown.text
    assert server.repo.audit_entries(summary_id=summary["summary_id"]) == []


def test_patient_removes_summary_with_the_form(server):
    summary, key = server.add("employee")
    conversation = summary["conversation_id"]
    backends.add_tracker_events(server.url, [(conversation, time.time() - 5), ("someone-else", time.time())])
    browser = server.browser()
    page = browser.get(f"/mijn-samenvatting/{summary['summary_id']}", params={"key": key})
    token = _csrf(page.text)
    path = f"/mijn-samenvatting/{summary['summary_id']}/verwijderen"

    assert browser.post(path, data={"key": key}).status_code == 403  # no CSRF token
    assert browser.post(path, data={"key": "fout", "csrf_token": token}).status_code == 404
    assert server.repo.get_summary(summary["summary_id"]) is not None

    resp = browser.post(path, data={"key": key, "csrf_token": token})
    assert resp.status_code == 200 and "verwijderd" in resp.text
    assert server.repo.get_summary(summary["summary_id"]) is None
    entry = server.repo.audit_entries(summary_id=summary["summary_id"], action="delete")[0]
    assert entry.actor == "patient"
    # the app's background task deletes the Rasa tracker of that conversation only
    assert _wait_until(lambda: backends.tracker_event_count(server.url, conversation) == 0)
    assert backends.tracker_event_count(server.url, "someone-else") == 1
    assert browser.get(f"/mijn-samenvatting/{summary['summary_id']}", params={"key": key}).status_code == 404


def test_patient_removes_summary_with_delete(server):
    summary, key = server.add("job_seeker")
    url = f"{server.base}/mijn-samenvatting/{summary['summary_id']}"
    assert requests.delete(url, params={"key": "fout"}, timeout=30).status_code == 404
    resp = requests.delete(url + "/verwijderen", params={"key": key}, timeout=30)
    assert resp.status_code == 200 and resp.json()["deleted"] is True
    assert server.repo.get_summary(summary["summary_id"]) is None
    assert requests.delete(url, params={"key": key}, timeout=30).status_code == 404
    other, other_key = server.add("job_seeker")
    resp = requests.delete(f"{server.base}/mijn-samenvatting/{other['summary_id']}",
                           json={"key": other_key}, timeout=30)
    assert resp.status_code == 200 and server.repo.get_summary(other["summary_id"]) is None


def test_outbox_is_flushed_by_the_app(server):
    from bot.storage.outbox import queue_summary

    summary = backends.fresh_summary("self_employed")
    queue_summary(summary, data_dir=server.data_dir)
    assert _wait_until(lambda: server.repo.get_summary(summary["summary_id"]) is not None)
    assert not list((server.data_dir / "outbox").glob("*.json"))
