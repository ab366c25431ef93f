"""The FHIR endpoints of the care-team web app (real app in a subprocess, SQLite) and the
MedMij-style Task flow end to end: the hospital POSTs a Task, the patient redeems the
code and consents, the Task is completed with the QuestionnaireResponse on its output
and everything lands on the hospital's FHIR server (Medplum, loopback) once;
declined and expired Tasks say so."""
import copy
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests

from bot import content
from bot.report import fhir
from bot.report.fhir import delivery
from bot.storage import db, invitations
from bot.storage.models import FhirTask, utcnow
from bot.storage.outbox import save_summary_or_queue
from bot.storage.repository import Repository
from tests.fhir import profiles
from tests.fhir.conftest import PORT_BASE, ROOT, FhirTestServer
from tests.web.helpers import PASSWORD, Browser

BSN = "urn:oid:2.16.840.1.113883.2.4.6.3"
HOSPITAL_TASKS = "https://ziekenhuis.example.nl/fhir/NamingSystem/task"
APP_PORT = PORT_BASE + 30


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data = tmp_path_factory.mktemp("fhir-api")
    url = f"sqlite:///{data / 'werkintake.db'}"
    db.migrate(url)
    repo = Repository(url)
    token = repo.create_token("epd", scopes=("summaries:read", "invitations:write"))
    repo.create_user("anna", PASSWORD)
    reader = repo.create_token("lezer")
    record = FhirTestServer(PORT_BASE + 15, "--token", "dossier-token").start()
    env = {k: v for k, v in os.environ.items() if k not in ("WERK_CONFIG", "TRACKER_DATABASE_URL")}
    env.update({"DATABASE_URL": url, "WERK_DATA_DIR": str(data), "CARETEAM_PORT": str(APP_PORT),
                "CARETEAM_HOST": "127.0.0.1", "WEB_SESSION_SECRET": secrets.token_hex(32),
                "WEB_SKIP_MIGRATE": "1", "WEB_MAINTENANCE_INTERVAL": "0.3", "PYTHONPATH": str(ROOT),
                "WERK_FHIR_PUSH_URL": record.base, "WERK_FHIR_PUSH_TOKEN": "dossier-token",
                "RASA_TELEMETRY_ENABLED": "false"})
    log = open(data / "web.log", "w")
    app = subprocess.Popen([sys.executable, "-m", "bot.web", "careteam"], cwd=ROOT, env=env,
                           stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{APP_PORT}"
    for _ in range(300):
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        app.kill()
        pytest.fail((data / "web.log").read_text())
    yield {"base": base, "url": url, "token": token, "reader": reader, "record": record, "data": data}
    app.terminate()
    app.wait(timeout=15)
    record.stop()
    db.dispose_engines()


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def hospital_task(value, appointment="AFS-2026-0042", end=None):
    task = {"resourceType": "Task", "status": "requested", "intent": "order",
            "identifier": [{"system": HOSPITAL_TASKS, "value": value}],
            "for": {"identifier": {"system": BSN, "value": "999911120"}},
            "requester": {"display": "Polikliniek Cardiologie"},
            "input": [{"type": {"coding": [{"system": fhir.code_system_url("task"), "code": "appointment"}]},
                       "valueString": appointment}]}
    if end:
        task["restriction"] = {"period": {"end": end}}
    return task


def post_task(stack, body, token=None):
    resp = requests.post(stack["base"] + "/fhir/Task", json=body, headers=auth(token or stack["token"]), timeout=10)
    if resp.status_code == 201:
        stack.setdefault("tasks", []).append(resp.json())
    return resp


def output(task, code):
    return next(o for o in task.get("output", []) if o["type"]["coding"][0]["code"] == code)


# --------------------------------------------------------------------------- definitions

def test_definitions_are_published_at_their_canonical_urls(stack):
    base = stack["base"] + "/fhir"
    q = requests.get(f"{base}/Questionnaire/werk-intake", timeout=10)
    assert q.status_code == 200 and q.headers["Content-Type"].startswith("application/fhir+json")
    assert q.json() == fhir.questionnaire()
    by_url = requests.get(f"{base}/Questionnaire", params={"url": fhir.questionnaire_url() + "|1.0"}, timeout=10).json()
    assert by_url["total"] == 1
    systems = {o["valueCoding"]["system"] for i in q.json()["item"] for o in i.get("answerOption", [])}
    choice = [q for q in content.questions() if q["answer_type"] in ("choice", "multi_choice")]
    assert len(systems) == len(choice) >= 13  # one per choice question
    for system in systems:
        found = requests.get(f"{base}/CodeSystem", params={"url": system}, timeout=10).json()
        assert found["total"] == 1 and found["entry"][0]["resource"]["url"] == system
        tail = system.rsplit("/", 1)[1]
        assert requests.get(f"{base}/CodeSystem/{tail}", timeout=10).json()["url"] == system
    package = requests.get(f"{base}/Questionnaire/werk-intake/$package", timeout=10).json()
    assert package["type"] == "collection"
    assert {e["resource"]["url"] for e in package["entry"]} >= systems | {fhir.questionnaire_url()}
    assert requests.get(f"{base}/metadata", timeout=10).json()["resourceType"] == "CapabilityStatement"
    missing = requests.get(f"{base}/CodeSystem/bestaat-niet", timeout=10)
    assert missing.status_code == 404 and "bestaat niet" in missing.json()["issue"][0]["diagnostics"]


# --------------------------------------------------------------------------- Task flow

def test_task_completed_with_the_response_and_pushed_into_the_record(stack):
    created = post_task(stack, hospital_task("T-1"))
    assert created.status_code == 201, created.text
    task = created.json()
    assert task["status"] == "ready" and task["for"]["identifier"]["value"] == "999911120"
    code = output(task, "invitation-code")["valueString"]
    assert output(task, "invitation-link")["valueString"].endswith(code)

    conversation = "conv-task-1"
    assert invitations.redeem(code, conversation, url=stack["url"]) is not None
    seen = requests.get(stack["base"] + f"/fhir/Task/{task['id']}", headers=auth(stack["token"]), timeout=10).json()
    assert seen["status"] == "in-progress" and "output" not in seen  # the code is shown once

    state = copy.deepcopy(dict(profiles.state_profiles())["employee_long_absence"])
    summary = profiles.summary_of("employee_long_absence", state)
    summary.update(summary_id="sum-task-1", conversation_id=conversation, care_team=True, verified=True)
    os.environ["WERK_FHIR_PUSH_URL"] = stack["record"].base  # this process queues, the app sends
    try:
        save_summary_or_queue(summary, answers=state["answers"], url=stack["url"])
    finally:
        del os.environ["WERK_FHIR_PUSH_URL"]

    done = requests.get(stack["base"] + f"/fhir/Task/{task['id']}", headers=auth(stack["token"]), timeout=10).json()
    assert done["status"] == "completed"
    ref = output(done, "questionnaire-response")["valueReference"]
    assert ref["reference"].endswith("/QuestionnaireResponse/sum-task-1")
    qr = requests.get(stack["base"] + "/fhir/QuestionnaireResponse/sum-task-1", headers=auth(stack["reader"]), timeout=10)
    assert qr.status_code == 200
    assert qr.json()["subject"]["identifier"] == {"system": BSN, "value": "999911120"}

    for _ in range(100):  # the app's background round delivers it
        if (delivery.state("sum-task-1", stack["url"]) or {}).get("status") == "delivered":
            break
        time.sleep(0.1)
    assert delivery.state("sum-task-1", stack["url"])["status"] == "delivered"
    api = requests.get(stack["base"] + "/api/v1/summaries/sum-task-1/delivery", headers=auth(stack["reader"]), timeout=10)
    assert api.json()["fhir_delivery"]["status_nl"] == "In het dossier gezet"
    listed = requests.get(stack["base"] + "/api/v1/summaries", headers=auth(stack["reader"]), timeout=10).json()
    assert {s["summary_id"]: s["fhir_delivery"] for s in listed["summaries"]}["sum-task-1"] == "delivered"
    browser = Browser(stack["base"])
    browser.login()
    page = browser.get("/zorgteam/samenvatting/sum-task-1")
    assert page.status_code == 200 and "In het dossier gezet" in page.text
    record = stack["record"]
    tasks = record.search("Task", token="dossier-token", identifier=f"{HOSPITAL_TASKS}|T-1")
    assert len(tasks) == 1 and tasks[0]["status"] == "completed"
    stored_qr = record.search("QuestionnaireResponse", token="dossier-token")
    assert len(stored_qr) == 1
    assert output(tasks[0], "questionnaire-response")["valueReference"]["reference"] == f"QuestionnaireResponse/{stored_qr[0]['id']}"


def test_declined_task_says_so(stack, monkeypatch):
    from bot.intake.handoff import StorageHandoff
    from bot.runtime.settings import get_settings

    task = post_task(stack, hospital_task("T-2")).json()
    code = output(task, "invitation-code")["valueString"]
    invitations.redeem(code, "conv-task-2", url=stack["url"])
    monkeypatch.setenv("DATABASE_URL", stack["url"])
    monkeypatch.setenv("WERK_DATA_DIR", str(stack["data"]))
    StorageHandoff(get_settings()).forget("conv-task-2")
    seen = requests.get(stack["base"] + f"/fhir/Task/{task['id']}", headers=auth(stack["token"]), timeout=10).json()
    assert seen["status"] == "rejected" and "geen toestemming" in seen["statusReason"]["text"]
    assert "output" not in seen


def test_expired_task_says_so(stack):
    task = post_task(stack, hospital_task("T-3")).json()
    with db.session_scope(stack["url"]) as s:  # time passes: the invitation's end is reached
        s.get(FhirTask, task["id"]).expires_at = utcnow() - timedelta(minutes=1)
    seen = requests.get(stack["base"] + f"/fhir/Task/{task['id']}", headers=auth(stack["token"]), timeout=10).json()
    assert seen["status"] == "cancelled" and "verlopen" in seen["statusReason"]["text"]


@pytest.mark.parametrize("body,message", [
    ("geen json", "FHIR Task als JSON"),
    ({"resourceType": "Patient"}, "resourceType Task"),
    ({**hospital_task("T-4"), "authoredOn": "gisteren"}, "geen geldige FHIR-resource"),
    ({**hospital_task("T-4b"), "status": "completed"}, "requested"),
    ({**hospital_task("T-5"), "for": {}}, "Task.for"),
    ({**hospital_task("T-6"), "input": []}, "appointment"),
    (hospital_task("T-7", appointment="afspraak met spaties"), "afspraakcode"),
    (hospital_task("T-8", end="volgende week"), "restriction.period.end"),
])
def test_bad_tasks_get_a_dutch_operation_outcome(stack, body, message):
    kwargs = {"data": body} if isinstance(body, str) else {"json": body}
    resp = requests.post(stack["base"] + "/fhir/Task", headers=auth(stack["token"]), timeout=10, **kwargs)
    assert resp.status_code == 400
    assert resp.json()["resourceType"] == "OperationOutcome"
    assert message in resp.json()["issue"][0]["diagnostics"]


def test_tokens_and_scopes(stack):
    assert requests.post(stack["base"] + "/fhir/Task", json=hospital_task("T-9"), timeout=10).status_code == 401
    assert post_task(stack, hospital_task("T-9"), token=stack["reader"]).status_code == 403
    assert requests.get(stack["base"] + "/fhir/QuestionnaireResponse/x", timeout=10).status_code == 401
    unknown = requests.get(stack["base"] + "/fhir/QuestionnaireResponse/bestaat-niet", headers=auth(stack["reader"]), timeout=10)
    assert unknown.status_code == 404


def test_what_the_api_serves_passes_the_validators(stack, node):
    """Every Task state served (ready with the code, in-progress, completed, rejected,
    cancelled), the CapabilityStatement, the package and a QuestionnaireResponse: 0 errors
    from Medplum's validator and the FHIRPath.js invariants."""
    served = list(stack["tasks"])
    for task in stack["tasks"]:
        served.append(requests.get(stack["base"] + f"/fhir/Task/{task['id']}", headers=auth(stack["token"]), timeout=10).json())
    assert {t["status"] for t in served} == {"ready", "completed", "rejected", "cancelled"}
    for path in ("/fhir/metadata", "/fhir/Questionnaire/werk-intake/$package"):
        served.append(requests.get(stack["base"] + path, timeout=10).json())
    served.append(requests.get(stack["base"] + "/fhir/QuestionnaireResponse/sum-task-1", headers=auth(stack["reader"]), timeout=10).json())
    report = node("validate", {"resources": served})
    assert report["medplum"]["errors"] == 0 and report["invariants"]["errors"] == 0, report["details"][:3]
    assert report["invariants"]["unevaluable"] == 0
