"""Care-team pages: login with session cookie, CSRF, list, detail, exports, audit, logout."""
import re

from tests.web.helpers import PASSWORD, needs_summary_text

XSS = '<script>alert("x")</script>'


def _cookie_line(browser, name):
    lines = [c for c in browser.set_cookies if c.startswith(name + "=")]
    assert lines, f"no Set-Cookie for {name}"
    return lines[-1]


def test_pages_need_login(server):
    browser = server.browser()
    summary, _ = server.add("employee")
    for path in ("/zorgteam/", f"/zorgteam/samenvatting/{summary['summary_id']}",
                 f"/zorgteam/samenvatting/{summary['summary_id']}/pdf", "/zorgteam/audit"):
        resp = browser.get(path)
        assert resp.status_code == 303 and resp.headers["Location"] == "/zorgteam/inloggen"
    assert browser.get("/careteam").headers["Location"] == "/zorgteam/"


def test_login_page_is_dutch_and_sets_csrf_cookie(server):
    browser = server.browser()
    resp = browser.get("/zorgteam/inloggen")
    assert resp.status_code == 200 and 'lang="nl"' in resp.text
    assert "Gebruikersnaam" in resp.text and "Wachtwoord" in resp.text
    line = _cookie_line(browser, "wi_csrf")
    assert "HttpOnly" in line and "SameSite=Strict" in line and "Secure" in line


def test_login_without_or_with_wrong_csrf_is_rejected(server):
    browser = server.browser()
    browser.get("/zorgteam/inloggen")
    resp = browser.post("/zorgteam/inloggen", data={"username": "anna", "password": PASSWORD})
    assert resp.status_code == 403 and "verlopen" in resp.text
    resp = browser.post("/zorgteam/inloggen", data={"username": "anna", "password": PASSWORD,
                                                    "csrf_token": "vervalst"})
    assert resp.status_code == 403 and "wi_session" not in browser.cookies
    other = server.browser()  # a token from another visitor does not fit this cookie
    resp = browser.post("/zorgteam/inloggen", data={"username": "anna", "password": PASSWORD,
                                                    "csrf_token": other.csrf()})
    assert resp.status_code == 403


def test_wrong_password_is_refused_and_audited(server):
    browser = server.browser()
    resp = browser.login(password="fout wachtwoord")
    assert resp.status_code == 401 and "klopt niet" in resp.text
    assert "wi_session" not in browser.cookies
    entries = server.repo.audit_entries(action="login")
    assert (entries[0].actor, entries[0].detail) == ("user:anna", "mislukt")


def test_login_list_detail_logout(server):
    quiet, _ = server.add("job_seeker")
    urgent, _ = server.add("employee")
    browser = server.browser()
    resp = browser.login()
    assert resp.status_code == 303 and resp.headers["Location"] == "/zorgteam/"
    line = _cookie_line(browser, "wi_session")
    assert "HttpOnly" in line and "SameSite=Strict" in line and "Secure" in line and "Max-Age=" in line
    assert server.repo.audit_entries(action="login")[0].detail == "gelukt"

    page = browser.get("/zorgteam/")
    assert page.status_code == 200 and "Ingelogd als anna" in page.text
    assert page.text.index(urgent["summary_id"]) < page.text.index(quiet["summary_id"])
    assert "Aandacht" in page.text
    assert server.repo.audit_entries(action="list")[0].actor == "user:anna"

    filtered = browser.get("/zorgteam/", params={"afspraak": "POLI-REU-0412"})
    assert urgent["summary_id"] in filtered.text and quiet["summary_id"] not in filtered.text
    assert quiet["summary_id"] not in browser.get("/zorgteam/", params={"datum": "2001-01-01"}).text
    assert quiet["summary_id"] in browser.get("/zorgteam/", params={"alle": "1"}).text

    detail = browser.get(f"/zorgteam/samenvatting/{urgent['summary_id']}")
    assert detail.status_code == 200
    assert "Verpleegkundige op een afdeling interne geneeskunde" in detail.text
    assert "Nu (gedeeltelijk) ziek gemeld" in detail.text and "Ergotherapie" in detail.text
    for kind in ("pdf", "fhir", "text", "html"):
        assert f"/zorgteam/samenvatting/{urgent['summary_id']}/{kind}" in detail.text
    views = server.repo.audit_entries(summary_id=urgent["summary_id"], action="view")
    assert views[0].actor == "user:anna"
    assert browser.get("/zorgteam/samenvatting/nope").status_code == 404

    audit = browser.get("/zorgteam/audit", params={"samenvatting": urgent["summary_id"]})
    assert audit.status_code == 200 and "bekeken" in audit.text

    assert browser.post("/zorgteam/uitloggen").status_code == 403  # no CSRF token
    token = re.search(r'name="csrf_token" value="([^"]+)"', detail.text).group(1)
    resp = browser.post("/zorgteam/uitloggen", data={"csrf_token": token})
    assert resp.status_code == 303 and "uit=1" in resp.headers["Location"]
    assert "wi_session" not in browser.cookies
    assert browser.get("/zorgteam/").status_code == 303
    assert server.repo.audit_entries(action="logout")[0].actor == "user:anna"


def test_patient_text_is_escaped_on_the_detail_page(server):
    summary, _ = server.add("employee", how_is_work=XSS, occupation=f"Kok {XSS}",
                            patient_questions=[XSS])
    browser = server.browser()
    browser.login()
    page = browser.get(f"/zorgteam/samenvatting/{summary['summary_id']}").text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    listing = browser.get("/zorgteam/").text
    assert "<script>" not in listing


@needs_summary_text
def test_escaped_in_html_export_too(server):
    summary, _ = server.add("employee", how_is_work=XSS)
    browser = server.browser()
    browser.login()
    resp = browser.get(f"/zorgteam/samenvatting/{summary['summary_id']}/html")
    assert resp.status_code == 200 and "<script>" not in resp.text


@needs_summary_text
def test_exports_from_the_pages_are_audited(server):
    summary, _ = server.add("self_employed")
    browser = server.browser()
    browser.login()
    text = browser.get(f"/zorgteam/samenvatting/{summary['summary_id']}/text")
    assert text.status_code == 200 and text.headers["Content-Type"] == "text/plain; charset=utf-8"
    pdf = browser.get(f"/zorgteam/samenvatting/{summary['summary_id']}/pdf")
    assert pdf.content.startswith(b"%PDF")
    exports = server.repo.audit_entries(summary_id=summary["summary_id"], action="export")
    assert sorted(e.detail for e in exports) == ["pdf", "text"]
    assert all(e.actor == "user:anna" for e in exports)


def test_care_team_can_delete_with_csrf(server):
    summary, _ = server.add("job_seeker")
    browser = server.browser()
    browser.login()
    page = browser.get(f"/zorgteam/samenvatting/{summary['summary_id']}").text
    path = f"/zorgteam/samenvatting/{summary['summary_id']}/verwijderen"
    assert browser.post(path).status_code == 403
    assert server.repo.get_summary(summary["summary_id"]) is not None
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert browser.post(path, data={"csrf_token": token}).status_code == 303
    assert server.repo.get_summary(summary["summary_id"]) is None
    entry = server.repo.audit_entries(summary_id=summary["summary_id"], action="delete")[0]
    assert entry.actor == "user:anna"


def test_deactivated_user_loses_session(server):
    server.repo.create_user("tijdelijk", PASSWORD)
    browser = server.browser()
    assert browser.login("tijdelijk").status_code == 303
    assert browser.get("/zorgteam/").status_code == 200
    server.repo.set_user_active("tijdelijk", False)
    assert browser.get("/zorgteam/").status_code == 303


def test_forged_session_cookie_is_ignored(server):
    browser = server.browser()
    browser.cookies["wi_session"] = "eyJ1IjoiYW5uYSIsImV4cCI6OTk5OTk5OTk5OX0.vervalst"
    assert browser.get("/zorgteam/").status_code == 303


def test_security_headers_on_pages_and_static(server):
    browser = server.browser()
    for path in ("/zorgteam/inloggen", "/static/careteam/careteam.css", "/bestaat-niet"):
        resp = browser.get(path)
        csp = resp.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"] == "no-referrer"
        assert resp.headers["X-Frame-Options"] == "DENY"
    assert browser.get("/bestaat-niet").status_code == 404
    assert "text/css" in browser.get("/static/careteam/careteam.css").headers["Content-Type"]


def test_login_throttle(server):
    browser = server.browser()
    for _ in range(5):
        assert browser.login("bert", "fout").status_code == 401
    resp = browser.login("bert", "fout")
    assert resp.status_code == 429 and "Te veel" in resp.text
    assert server.browser().login().status_code == 303  # others can still log in
