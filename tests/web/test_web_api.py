"""Care-team API (spec intake.md §5) against a running app, on SQLite and PostgreSQL."""
import json
from datetime import datetime, timezone

import pytest

from tests.storage import backends
from tests.web.helpers import importable, needs_fhir, needs_summary_text

ENDPOINTS = ["", "/fhir", "/text", "/html", "/pdf"]


def _is_dutch_401(resp):
    assert resp.status_code == 401
    assert resp.headers["Content-Type"].startswith("application/json")
    assert "Bearer" in resp.headers.get("WWW-Authenticate", "")
    body = resp.json()
    assert body["status"] == 401 and "toegangstoken" in body["error"]
    return True


@pytest.mark.parametrize("suffix", ENDPOINTS)
def test_401_without_token(server, suffix):
    summary, _ = server.add("employee")
    assert _is_dutch_401(server.api(f"/api/v1/summaries/{summary['summary_id']}{suffix}", token=False))


def test_401_on_list_without_or_with_wrong_token(server):
    assert _is_dutch_401(server.api("/api/v1/summaries", token=False))
    assert _is_dutch_401(server.api("/api/v1/summaries", token="wit_wrong"))
    assert _is_dutch_401(server.api("/api/v1/summaries", headers={"Authorization": f"Basic {server.token}"}))
    assert _is_dutch_401(server.api("/api/v1/summaries", headers={"Authorization": "Bearer "}))


def test_401_before_404(server):
    assert _is_dutch_401(server.api("/api/v1/summaries/unknown-id", token=False))


def test_revoked_token_is_refused(server):
    token = server.repo.create_token("tijdelijk")
    assert server.api("/api/v1/summaries", token=token).status_code == 200
    server.repo.revoke_token("tijdelijk")
    assert _is_dutch_401(server.api("/api/v1/summaries", token=token))


@pytest.mark.parametrize("suffix", ENDPOINTS)
def test_404_unknown_id(server, suffix):
    resp = server.api(f"/api/v1/summaries/does-not-exist{suffix}")
    assert resp.status_code == 404
    assert resp.json() == {"error": "Samenvatting niet gevonden.", "status": 404}


def test_404_unknown_export_kind(server):
    summary, _ = server.add("employee")
    assert server.api(f"/api/v1/summaries/{summary['summary_id']}/docx").status_code == 404


@pytest.mark.parametrize("name", backends.FIXTURE_NAMES)
def test_get_summary_is_valid_json(server, name):
    summary, _ = server.add(name)
    resp = server.api(f"/api/v1/summaries/{summary['summary_id']}")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    backends.validate(body)
    assert body == summary
    entries = server.repo.audit_entries(summary_id=summary["summary_id"])
    assert [(e.actor, e.action) for e in entries] == [("token:epd", "view")]


def test_list_attention_first_with_filters(server):
    quiet, _ = server.add("job_seeker")
    urgent, _ = server.add("employee")
    resp = server.api("/api/v1/summaries")
    assert resp.status_code == 200
    body = resp.json()
    ids = [s["summary_id"] for s in body["summaries"]]
    assert body["count"] == len(ids) and {quiet["summary_id"], urgent["summary_id"]} <= set(ids)
    flags = [s["attention"] for s in body["summaries"]]
    assert flags == sorted(flags, reverse=True)
    assert set(body["summaries"][0]) >= {"summary_id", "created_at", "appointment_code", "attention",
                                         "channel", "signals"}

    by_code = server.api("/api/v1/summaries", params={"appointment_code": "POLI-REU-0412"}).json()
    assert by_code["summaries"] and all(s["appointment_code"] == "POLI-REU-0412" for s in by_code["summaries"])
    today = datetime.now(timezone.utc).astimezone(backends_tz()).date().isoformat()
    assert server.api("/api/v1/summaries", params={"date": today}).json()["count"] >= 2
    assert server.api("/api/v1/summaries", params={"date": "2001-01-01"}).json()["count"] == 0
    bad = server.api("/api/v1/summaries", params={"date": "gisteren"})
    assert bad.status_code == 400 and "JJJJ-MM-DD" in bad.json()["error"]
    lists = server.repo.audit_entries(action="list")
    assert lists and lists[0].actor == "token:epd"


def backends_tz():
    from bot.storage.repository import LOCAL_TZ

    return LOCAL_TZ


@needs_summary_text
def test_text_is_dutch_plain_text(server):
    summary, _ = server.add("employee")
    resp = server.api(f"/api/v1/summaries/{summary['summary_id']}/text")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = resp.content.decode("utf-8")
    assert "Verpleegkundige" in text and "werk" in text.lower() and "zorgteam" in text.lower()
    assert "current_absence" not in text  # labels, not codes
    entries = server.repo.audit_entries(summary_id=summary["summary_id"])
    assert [(e.action, e.detail) for e in entries] == [("export", "text")]


@needs_summary_text
def test_html_and_pdf_exports(server):
    summary, _ = server.add("self_employed")
    html = server.api(f"/api/v1/summaries/{summary['summary_id']}/html")
    assert html.status_code == 200 and html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Zelfstandig schilder" in html.text
    assert "script-src" not in html.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in html.headers["Content-Security-Policy"]
    pdf = server.api(f"/api/v1/summaries/{summary['summary_id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]
    details = sorted(e.detail for e in server.repo.audit_entries(summary_id=summary["summary_id"]))
    assert details == ["html", "pdf"]


@needs_fhir
def test_fhir_questionnaire_response(server):
    summary, _ = server.add("employee")
    resp = server.api(f"/api/v1/summaries/{summary['summary_id']}/fhir")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/fhir+json")
    body = json.loads(resp.content)
    assert body["resourceType"] == "QuestionnaireResponse" and body["status"] == "completed"
    # the hidden context item first (docs/fhir.md), then the one stored answer
    assert [i["linkId"] for i in body["item"]] == ["returning_patient", "work_status"]
    entries = server.repo.audit_entries(summary_id=summary["summary_id"])
    assert [(e.action, e.detail) for e in entries] == [("export", "fhir")]


@pytest.mark.skipif(importable("bot.report.summary_text"), reason="only while bot/report/summary_text.py is missing")
def test_export_unavailable_is_503_in_dutch(server):
    summary, _ = server.add("employee")
    resp = server.api(f"/api/v1/summaries/{summary['summary_id']}/text")
    assert resp.status_code == 503 and "niet beschikbaar" in resp.json()["error"]


def test_security_headers_on_api(server):
    for resp in (server.api("/api/v1/summaries"), server.api("/api/v1/summaries", token=False),
                 server.api("/api/v1/nothing-here")):
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"] == "no-referrer"
        assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
        assert resp.headers["Cache-Control"] == "no-store"


def test_healthz(server):
    resp = server.api("/healthz", token=False)
    assert resp.status_code == 200 and resp.json() == {"status": "ok", "database": "ok"}
