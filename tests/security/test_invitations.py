"""Finding 2: anyone who could open the public chat could file summaries under somebody
else's appointment code, and the care team could not tell them apart."""
from __future__ import annotations

import json
import uuid

from tests.security.conftest import custom, finish_intake, login
from tests.support.stack import http


def api(stack, token, path):
    status, body, _ = http("GET", f"{stack.careteam_url}{path}",
                           headers={"Authorization": f"Bearer {token}"})
    return status, body


def test_summary_without_invitation_is_not_under_the_appointment_and_marked(stack, read_token):
    code = f"AFS-{uuid.uuid4().hex[:8]}"
    sender, replies = finish_intake(stack, {"channel": "tablet", "appointment_code": code})
    summary_id = custom(replies, "summary_id")
    assert summary_id

    status, body = api(stack, read_token, f"/api/v1/summaries?appointment_code={code}")
    assert status == 200 and json.loads(body)["count"] == 0  # never under the appointment
    status, body = api(stack, read_token, "/api/v1/summaries")
    item = next(s for s in json.loads(body)["summaries"] if s["summary_id"] == summary_id)
    assert item["verified"] is False and item["appointment_code"] is None
    assert item["channel"] == "home"  # a claimed tablet without enrolment is not a tablet
    status, body = api(stack, read_token, f"/api/v1/summaries/{summary_id}")
    summary = json.loads(body)
    assert summary["verified"] is False and summary["context"]["appointment_code"] is None
    assert summary["claimed_appointment_code"] == code
    status, body = api(stack, read_token, f"/api/v1/summaries/{summary_id}/text")
    assert "NIET GEVERIFIEERD" in body.decode()
    status, body = api(stack, read_token, f"/api/v1/summaries/{summary_id}/pdf")
    assert status == 200 and body.startswith(b"%PDF")

    browser = login(stack)
    page = browser.get("/zorgteam/?alle=1").text
    row = page[page.index(f"/zorgteam/samenvatting/{summary_id}") - 1500:page.index(f"/zorgteam/samenvatting/{summary_id}")]
    assert "Niet geverifieerd" in row
    assert "Niet geverifieerd" in browser.get(f"/zorgteam/samenvatting/{summary_id}").text
    assert summary_id not in browser.get(f"/zorgteam/?alle=1&afspraak={code}").text


def test_only_a_valid_invitation_files_under_the_appointment_once(stack, read_token):
    code = f"AFS-{uuid.uuid4().hex[:8]}"
    invitation = stack.cli("create-invitation", code, "--days", "1").strip()
    _, replies = finish_intake(stack, {"channel": "home", "invitation": invitation})
    first = custom(replies, "summary_id")
    # the same code again, from another conversation: single use
    _, replies = finish_intake(stack, {"channel": "home", "invitation": invitation})
    second = custom(replies, "summary_id")
    # a made-up code
    _, replies = finish_intake(stack, {"channel": "home", "invitation": "AAAA-BBBB-CCCC"})
    third = custom(replies, "summary_id")

    status, body = api(stack, read_token, f"/api/v1/summaries?appointment_code={code}")
    listed = [s["summary_id"] for s in json.loads(body)["summaries"]]
    assert listed == [first]
    summary = json.loads(api(stack, read_token, f"/api/v1/summaries/{first}")[1])
    assert summary["verified"] is True and summary["context"]["appointment_code"] == code
    for other in (second, third):  # no valid invitation, no claimed code: the patient's own copy only
        assert other and api(stack, read_token, f"/api/v1/summaries/{other}")[0] == 404


def test_hospital_system_creates_invitations_with_the_right_scope_only(stack, read_token):
    writer = stack.cli("create-token", f"epd-{uuid.uuid4().hex[:6]}", "--scope", "invitations:write",
                       "--days", "30").strip().splitlines()[-1]
    url = f"{stack.careteam_url}/api/v1/invitations"
    body = {"appointment_code": "AFS-API-1", "expires_in_hours": 48}
    assert http("POST", url, body)[0] == 401
    status, raw, _ = http("POST", url, body, headers={"Authorization": f"Bearer {read_token}"})
    assert status == 403 and "bevoegdheid" in json.loads(raw)["error"]
    status, raw, _ = http("POST", url, body, headers={"Authorization": f"Bearer {writer}"})
    assert status == 201
    created = json.loads(raw)
    assert created["link"] == "/#uitnodiging=" + created["code"]
    # a writer cannot read summaries
    assert api(stack, writer, "/api/v1/summaries")[0] == 403
    status, raw, _ = http("POST", url, {"appointment_code": "<script>"},
                          headers={"Authorization": f"Bearer {writer}"})
    assert status == 400 and "afspraakcode" in json.loads(raw)["error"]
    listing = stack.cli("list-tokens")
    assert "laatst gebruikt nooit" not in [line for line in listing.splitlines() if "epd-" in line][0]


def test_care_team_page_creates_an_invitation(stack):
    browser = login(stack, "bert")
    from tests.security.conftest import csrf_of

    page = browser.get("/zorgteam/uitnodigingen").text
    resp = browser.post("/zorgteam/uitnodigingen", data={"afspraak": "AFS-PAGE-1", "dagen": "3",
                                                         "csrf_token": csrf_of(page)})
    assert resp.status_code == 200 and "AFS-PAGE-1" in resp.text and "#uitnodiging=" in resp.text


def test_public_link_files_nothing_for_the_care_team(stack, read_token):
    _, replies = finish_intake(stack, {"channel": "home"})
    summary_id = custom(replies, "summary_id")
    assert summary_id and custom(replies, "patient_key")  # the patient's own copy
    assert api(stack, read_token, f"/api/v1/summaries/{summary_id}")[0] == 404
    assert summary_id not in api(stack, read_token, "/api/v1/summaries")[1].decode()


def test_enrolled_tablet_is_the_only_tablet(stack):
    from tests.security.conftest import csrf_of
    from tests.web.helpers import Browser

    admin = login(stack)
    page = admin.get("/zorgteam/tablets").text
    enrolled = admin.post("/zorgteam/tablets", data={"naam": "wachtkamer-1", "csrf_token": csrf_of(page)})
    token = enrolled.text.split('class="code">')[1].split("<")[0]
    assert login(stack, "bert").get("/zorgteam/tablets").status_code == 403  # administrators only

    tablet = Browser(stack.web_url)
    form = tablet.get("/kiosk/inschrijven").text
    assert tablet.post("/kiosk/inschrijven", data={"code": "fout", "csrf_token": csrf_of(form)}).status_code == 400
    assert tablet.post("/kiosk/inschrijven", data={"code": token, "csrf_token": csrf_of(form)}).status_code == 303
    assert "wi_tablet" in tablet.cookies
    _, replies = finish_intake(stack, {"channel": "tablet"}, cookies={"wi_tablet": tablet.cookies["wi_tablet"]})
    summary_id = custom(replies, "summary_id")
    import sqlalchemy as sa

    engine = sa.create_engine(stack.db_url)
    with engine.connect() as conn:
        channel = conn.execute(sa.text("select channel from wi_summaries where id = :i"),
                               {"i": summary_id}).scalar()
    engine.dispose()
    assert channel == "tablet"
