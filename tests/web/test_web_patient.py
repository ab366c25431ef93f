"""The patient's own copy (/mijn-samenvatting/<id>#sleutel=..., the key exchanged once
for a short-lived cookie) and removal by the patient, on the patient listener."""
import re
import time

import requests

from tests.storage import backends
from tests.support.stack import wait_until
from tests.web.helpers import needs_summary_text

XSS = '<script>alert("x")</script>'
NOT_FOUND = "niet gevonden"


def _csrf(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@needs_summary_text
def test_right_key_shows_the_patient_copy(server):
    summary, key = server.add("employee", how_is_work=XSS)
    browser = server.patient()
    exchanged = browser.open_copy(summary["summary_id"], key)
    assert exchanged.status_code == 303 and "wi_copy" in browser.cookies
    cookie = [c for c in browser.set_cookies if c.startswith("wi_copy=")][-1].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=900" in cookie
    assert f"path=/mijn-samenvatting/{summary['summary_id']}".lower() in cookie
    resp = browser.get(f"/mijn-samenvatting/{summary['summary_id']}")
    assert resp.status_code == 200 and 'lang="nl"' in resp.text
    assert "Verpleegkundige op een afdeling interne geneeskunde" in resp.text
    assert "<script>" not in resp.text and "&lt;script&gt;" in resp.text
    assert "Verwijder mijn samenvatting" in resp.text and key not in resp.text
    assert "current_absence" not in resp.text  # no internal codes for the patient
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert resp.headers["Cache-Control"] == "no-store"
    entry = server.repo.audit_entries(summary_id=summary["summary_id"])[0]
    assert (entry.actor, entry.action) == ("patient", "view")
    # a query-string key (the old way) is not accepted, and the cookie is for this copy only
    fresh = server.patient()
    old_way = fresh.get(f"/mijn-samenvatting/{summary['summary_id']}", params={"key": key})
    assert 'id="open-copy"' in old_way.text and "Verpleegkundige" not in old_way.text


def test_wrong_or_missing_key_is_404_like_an_unknown_id(server):
    summary, key = server.add("self_employed")
    wrong = server.patient().open_copy(summary["summary_id"], key[:-1] + ("y" if key.endswith("x") else "x"))
    missing = server.patient().open_copy(summary["summary_id"], "")
    unknown = server.patient().open_copy("bestaat-niet", key)
    for resp in (wrong, missing, unknown):
        assert resp.status_code == 404 and NOT_FOUND in resp.text
    assert wrong.text == unknown.text
    assert server.repo.audit_entries(summary_id=summary["summary_id"]) == []


def test_patient_removes_summary_with_the_form(server):
    summary, key = server.add("employee")
    conversation = summary["conversation_id"]
    backends.add_tracker_events(server.url, [(conversation, time.time() - 5), ("someone-else", time.time())])
    browser = server.patient()
    browser.open_copy(summary["summary_id"], key)
    page = browser.get(f"/mijn-samenvatting/{summary['summary_id']}")
    token = _csrf(page.text)
    path = f"/mijn-samenvatting/{summary['summary_id']}/verwijderen"

    assert browser.post(path, data={}).status_code == 403  # no CSRF token
    assert server.patient().post(path, data={"csrf_token": token}).status_code in (403, 404)  # no cookie
    assert server.repo.get_summary(summary["summary_id"]) is not None

    resp = browser.post(path, data={"csrf_token": token})
    assert resp.status_code == 200 and "verwijderd" in resp.text
    assert server.repo.get_summary(summary["summary_id"]) is None
    entry = server.repo.audit_entries(summary_id=summary["summary_id"], action="delete")[0]
    assert entry.actor == "patient"
    # the care-team app's background task deletes the Rasa tracker of that conversation only
    assert wait_until(lambda: backends.tracker_event_count(server.url, conversation) == 0)
    assert backends.tracker_event_count(server.url, "someone-else") == 1
    assert server.patient().open_copy(summary["summary_id"], key).status_code == 404


def test_patient_removes_summary_with_delete(server):
    summary, key = server.add("job_seeker")
    url = f"{server.patient_base}/mijn-samenvatting/{summary['summary_id']}"
    assert requests.delete(url, json={"key": "fout"}, timeout=30).status_code == 404
    assert requests.delete(url, params={"key": key}, timeout=30).status_code == 404  # never a query key
    resp = requests.delete(url + "/verwijderen", headers={"X-Patient-Key": key}, timeout=30)
    assert resp.status_code == 200 and resp.json()["deleted"] is True
    assert server.repo.get_summary(summary["summary_id"]) is None
    assert requests.delete(url, json={"key": key}, timeout=30).status_code == 404
    other, other_key = server.add("job_seeker")
    resp = requests.delete(f"{server.patient_base}/mijn-samenvatting/{other['summary_id']}",
                           json={"key": other_key}, timeout=30)
    assert resp.status_code == 200 and server.repo.get_summary(other["summary_id"]) is None


def test_outbox_is_flushed_by_the_app(server):
    from bot.storage.outbox import queue_summary

    summary = backends.fresh_summary("self_employed")
    queue_summary(summary, data_dir=server.data_dir)
    assert wait_until(lambda: server.repo.get_summary(summary["summary_id"]) is not None)
    assert not list((server.data_dir / "outbox").glob("*.json"))
