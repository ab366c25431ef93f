"""Push into the hospital's record, against a real FHIR server (Medplum's FhirRouter on
loopback, started here): nothing without a URL; down -> queued -> up -> delivered
exactly once; a lost answer is not duplicated (conditional creates); OAuth2 client
credentials; a permanent error stops retrying; the summary is never lost; read-back."""
import copy
from datetime import timedelta

import requests

from bot import content
from bot.report.fhir import delivery
from bot.storage import invitations
from bot.storage.models import utcnow
from bot.storage.outbox import save_summary_or_queue
from bot.storage.repository import Repository
from tests.fhir import profiles

BSN = "urn:oid:2.16.840.1.113883.2.4.6.3"
PATIENT = f"{BSN}|999911120"


def consented_summary(url, name="employee_long_absence", patient=PATIENT, conversation="conv-push-1"):
    """Invitation -> redeemed by a conversation -> the consented summary is stored."""
    code = invitations.create("AFS-2026-0042", patient, timedelta(days=1), "test", url=url)
    assert invitations.redeem(code, conversation, url=url) is not None
    state = copy.deepcopy(dict(profiles.state_profiles())[name])
    summary = profiles.summary_of(name, state)
    summary.update(summary_id=f"sum-{conversation}", conversation_id=conversation, care_team=True,
                   verified=True)
    summary_id, stored = save_summary_or_queue(summary, answers=state["answers"], url=url)
    assert stored
    return summary_id, state


def test_the_test_server_rejects_an_invalid_resource(fhir_server_factory):
    server = fhir_server_factory(0).start()
    bad = requests.post(f"{server.base}/Observation", json={
        "resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueFoo": 1}, timeout=10)
    assert bad.status_code == 400 and bad.json()["resourceType"] == "OperationOutcome"
    wrong_type = requests.post(f"{server.base}/QuestionnaireResponse", json={
        "resourceType": "QuestionnaireResponse", "status": 5}, timeout=10)
    assert wrong_type.status_code == 400
    good = requests.post(f"{server.base}/Observation", json={
        "resourceType": "Observation", "status": "final", "code": {"text": "x"}}, timeout=10)
    assert good.status_code == 201


def test_without_a_url_nothing_is_queued_or_sent(db_url, monkeypatch, fhir_server_factory):
    monkeypatch.delenv("WERK_FHIR_PUSH_URL", raising=False)
    server = fhir_server_factory(0).start()
    summary_id, _ = consented_summary(db_url)
    assert delivery.state(summary_id, db_url) is None
    assert delivery.deliver_pending(db_url).details == []
    assert requests.get(f"http://127.0.0.1:{server.port}/_test/requests", timeout=5).json() == {}


def test_down_queued_up_delivered_exactly_once(db_url, monkeypatch, fhir_server_factory):
    server = fhir_server_factory(1)
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", server.base)
    summary_id, state = consented_summary(db_url)
    assert delivery.state(summary_id, db_url)["status"] == "queued"

    first = delivery.deliver_pending(db_url)  # the server is down
    assert (first.delivered, first.retrying) == (0, 1)
    seen = delivery.state(summary_id, db_url)
    assert seen["status"] == "retrying" and seen["attempts"] == 1
    assert "niet bereikbaar" in seen["last_error"] and seen["status_nl"] == content.careteam_text("fhir_delivery.status.retrying")
    assert Repository(db_url).get_summary(summary_id) is not None  # never lost

    server.start()
    early = delivery.deliver_pending(db_url)  # not due yet (backoff)
    assert early.details == []
    later = utcnow() + delivery.backoff(1) + timedelta(seconds=1)
    done = delivery.deliver_pending(db_url, now=later)
    assert done.delivered == 1
    assert delivery.deliver_pending(db_url, now=later + timedelta(hours=2)).details == []
    final = delivery.state(summary_id, db_url)
    assert final["status"] == "delivered" and final["attempts"] == 2 and len(final["locations"]) == 3

    ident = f"https://werk-intake.example.nl/fhir/NamingSystem/summary-id|{summary_id}"
    responses = server.search("QuestionnaireResponse", identifier=ident)
    assert len(responses) == 1
    qr = responses[0]
    assert qr["subject"]["identifier"] == {"system": BSN, "value": "999911120"}
    assert qr["author"] == qr["subject"] and qr["status"] == "completed"
    asked_and_answered = [q for q in profiles.asked(state) if state["answers"].get(q) is not None]
    assert [i["linkId"] for i in qr["item"] if i["linkId"] != "returning_patient"] == asked_and_answered
    observations = server.search("Observation")
    assert len(observations) == 2
    by_code = {o["code"]["coding"][0]["code"]: o for o in observations}
    qr_ref = f"QuestionnaireResponse/{qr['id']}"
    assert by_code["364703007"]["derivedFrom"][0]["reference"] == qr_ref
    assert by_code["314845004"]["hasMember"][0]["reference"] == f"Observation/{by_code['364703007']['id']}"
    assert all(o["subject"] == qr["subject"] for o in observations)


def test_a_lost_answer_is_retried_without_duplicates(db_url, monkeypatch, fhir_server_factory):
    server = fhir_server_factory(2).start()
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", server.base)
    summary_id, _ = consented_summary(db_url)
    requests.post(f"http://127.0.0.1:{server.port}/_test/drop-next-response", timeout=5)
    assert delivery.deliver_pending(db_url).retrying == 1  # stored, but the answer was lost
    later = utcnow() + timedelta(hours=1)
    assert delivery.deliver_pending(db_url, now=later).delivered == 1
    assert len(server.search("QuestionnaireResponse")) == 1
    assert len(server.search("Observation")) == 2


def test_oauth2_client_credentials(db_url, monkeypatch, fhir_server_factory):
    server = fhir_server_factory(3, "--client-id", "werk-intake", "--client-secret", "geheim").start()
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", server.base)
    monkeypatch.setenv("WERK_FHIR_PUSH_TOKEN_URL", f"http://127.0.0.1:{server.port}/oauth2/token")
    monkeypatch.setenv("WERK_FHIR_PUSH_CLIENT_ID", "werk-intake")
    monkeypatch.setenv("WERK_FHIR_PUSH_CLIENT_SECRET", "fout")
    summary_id, _ = consented_summary(db_url)
    assert delivery.deliver_pending(db_url).failed == 1  # a refused client is not retried
    assert "Tokenserver weigert" in delivery.state(summary_id, db_url)["last_error"]
    monkeypatch.setenv("WERK_FHIR_PUSH_CLIENT_SECRET", "geheim")
    assert delivery.retry(summary_id, db_url)
    assert delivery.deliver_pending(db_url).delivered == 1
    assert requests.get(f"{server.base}/QuestionnaireResponse", timeout=5).status_code == 401


def test_bearer_token_and_a_permanent_error(db_url, monkeypatch, fhir_server_factory):
    server = fhir_server_factory(4, "--token", "vast-token").start()
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", server.base)
    monkeypatch.setenv("WERK_FHIR_PUSH_TOKEN", "vast-token")
    summary_id, _ = consented_summary(db_url)
    assert delivery.deliver_pending(db_url).delivered == 1
    assert len(server.search("QuestionnaireResponse", token="vast-token")) == 1
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", f"http://127.0.0.1:{server.port}/geen-fhir")
    other, _ = consented_summary(db_url, conversation="conv-push-2")
    assert delivery.deliver_pending(db_url).failed == 1  # 404: retrying would not help
    assert delivery.state(other, db_url)["status"] == "failed"
    assert Repository(db_url).get_summary(other) is not None


def test_a_summary_without_a_patient_identifier_is_not_pushed(db_url, monkeypatch, fhir_server_factory):
    server = fhir_server_factory(0)
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", server.base)
    summary_id, _ = consented_summary(db_url, patient=None)
    assert delivery.state(summary_id, db_url) is None


def test_a_summary_from_the_file_outbox_is_queued_when_it_reaches_the_database(
        db_url, monkeypatch, fhir_server_factory, tmp_path):
    """Database down at consent: the summary waits in the file outbox; once flushed into
    the database it is queued for the record like any other."""
    from bot.storage.outbox import flush_outbox, queue_summary

    server = fhir_server_factory(5).start()
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", server.base)
    code = invitations.create("AFS-2026-0043", PATIENT, timedelta(days=1), "test", url=db_url)
    invitations.redeem(code, "conv-outbox", url=db_url)
    state = copy.deepcopy(dict(profiles.state_profiles())["temp_agency"])
    summary = profiles.summary_of("temp_agency", state)
    summary.update(summary_id="sum-outbox", conversation_id="conv-outbox", care_team=True, verified=True)
    queue_summary(summary, answers=state["answers"], data_dir=tmp_path / "data")
    assert delivery.state("sum-outbox", db_url) is None
    assert flush_outbox(db_url, tmp_path / "data").flushed == 1
    assert delivery.state("sum-outbox", db_url)["status"] == "queued"
    assert delivery.deliver_pending(db_url).delivered == 1
    assert len(server.search("QuestionnaireResponse")) == 1


def test_cli_fhir_push_retries_a_failed_delivery(db_url, monkeypatch, fhir_server_factory, capsys):
    from bot.runtime import cli

    server = fhir_server_factory(6).start()
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", f"http://127.0.0.1:{server.port}/geen-fhir")
    summary_id, _ = consented_summary(db_url)
    assert cli.main(["fhir-push"]) == 1 and delivery.state(summary_id, db_url)["status"] == "failed"
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", server.base)
    assert cli.main(["fhir-push", summary_id]) == 0
    assert "1 in het dossier gezet" in capsys.readouterr().out
    assert delivery.state(summary_id, db_url)["status"] == "delivered"


def test_retention_removes_old_tasks_and_delivery_states(db_url, monkeypatch, fhir_server_factory):
    from bot.report.fhir import tasks
    from bot.storage import db, retention
    from bot.storage.models import FhirDelivery, FhirTask

    server = fhir_server_factory(0)
    monkeypatch.setenv("WERK_FHIR_PUSH_URL", server.base)
    task = tasks.create_task({"resourceType": "Task", "status": "requested", "intent": "order",
                              "for": {"identifier": {"system": BSN, "value": "999911120"}},
                              "input": [{"type": {"coding": [{"code": "appointment"}]}, "valueString": "AFS-1"}]},
                             "token:epd", url=db_url)
    summary_id, _ = consented_summary(db_url)
    with db.session_scope(db_url) as s:
        assert s.get(FhirTask, task["id"]) is not None and s.get(FhirDelivery, summary_id) is not None
    later = utcnow() + timedelta(days=45)
    retention.purge_expired(db_url, 30, now=later, data_dir=None)
    with db.session_scope(db_url) as s:
        assert s.get(FhirTask, task["id"]) is None and s.get(FhirDelivery, summary_id) is None
