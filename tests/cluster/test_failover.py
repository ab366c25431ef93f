"""make test-cluster: the production topology on loopback, broken on purpose under load.

One Rasa server, then one action server, then one web app are killed (SIGKILL) and
Redis is restarted while 40 intakes run at 20 at a time through nginx: every intake
finishes, no 5xx reaches the patient (a Dutch "try again" at most, which the client
answers by sending the same message again, as a patient would), and PostgreSQL holds
exactly one summary per consented conversation.
"""
from __future__ import annotations

import json
import time
import uuid

import pytest

from bot.runtime.metrics import sample
from tests.support.stack import ROOT, http

pytestmark = pytest.mark.cluster
CONVERSATIONS, CONCURRENCY = 40, 20


def chat(cluster, sender: str, text: str, **metadata):
    body = {"sender": sender, "message": text}
    if metadata:
        body["metadata"] = metadata
    status, raw, _ = http("POST", f"{cluster.public_url}/chat/api/message", body)
    return status, json.loads(raw)


def test_every_service_is_healthy_and_only_patient_paths_are_public(cluster):
    for name, url in cluster.health_urls().items():
        assert http("GET", url)[0] == 200, name
    for i in range(2):
        assert http("GET", f"{cluster.url('web', i)}/healthz")[0] == 200
        assert http("GET", f"{cluster.url('actions', i)}/health")[0] == 200
    assert http("GET", f"{cluster.public_url}/")[0] == 200
    assert http("GET", f"{cluster.public_url}/kiosk")[0] == 200
    for path in ("/zorgteam/", "/api/v1/summaries", "/metrics", "/readyz", "/healthz"):
        assert http("GET", f"{cluster.public_url}{path}")[0] == 404, path
    # the care team has its own listener
    status, _, _ = http("GET", f"{cluster.url('careteam')}/zorgteam/inloggen")
    assert status == 200
    assert http("GET", f"{cluster.url('careteam')}/api/v1/summaries")[0] == 401


def test_each_conversation_sticks_to_one_rasa_server(cluster):
    from cluster_load import upstream_log

    senders = [str(uuid.uuid4()) for _ in range(12)]
    since = time.time() - 1
    for sender in senders:
        assert chat(cluster, sender, "/start", channel="home", appointment_code="A1")[0] == 200
        assert chat(cluster, sender, "ja ik werk")[0] == 200
        assert chat(cluster, sender, "ik ben kok")[0] == 200
    rows = [r for r in upstream_log(cluster, since) if r["conv"] in senders]
    assert len(rows) == 3 * len(senders)
    by_sender = {}
    for r in rows:
        by_sender.setdefault(r["conv"], set()).add(r["up"])
    assert all(len(ups) == 1 for ups in by_sender.values()), by_sender
    assert len({u for ups in by_sender.values() for u in ups}) == 2   # both servers get work


def test_a_retry_of_an_answered_message_is_not_applied_twice(cluster):
    sender = str(uuid.uuid4())
    assert chat(cluster, sender, "/start", channel="home", message_id="start-0001")[0] == 200
    status, first = chat(cluster, sender, "ja ik werk", message_id="answer-0001")
    assert status == 200 and question(first) == "occupation"
    # the reply was lost; the patient presses "Opnieuw proberen": same answer again
    status, again = chat(cluster, sender, "ja ik werk", message_id="answer-0001", retry=True)
    assert status == 200 and again == first
    status, nxt = chat(cluster, sender, "ik ben kok", message_id="answer-0002")
    assert question(nxt) == "employment_type"
    # a retry of a message that never arrived is processed as usual
    status, late = chat(cluster, sender, "in vaste dienst", message_id="answer-0003", retry=True)
    assert status == 200 and question(late) not in (None, "employment_type")


def question(replies):
    ids = [m["custom"]["question_id"] for m in replies if isinstance(m.get("custom"), dict)
           and "question_id" in m["custom"]]
    return ids[-1] if ids else None


def test_losing_an_instance_of_each_kind_loses_nothing(cluster):
    from cluster_load import run_failover

    report = run_failover(cluster, CONVERSATIONS, CONCURRENCY)
    out = ROOT / "results" / "cluster"
    out.mkdir(parents=True, exist_ok=True)
    (out / "failover.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    print("\nfailover:", json.dumps({k: report[k] for k in (
        "turns", "conversations", "errors", "http_5xx", "retries", "p50_ms", "p95_ms", "max_ms",
        "turns_per_s", "summaries_stored", "conversations_with_duplicates",
        "conversations_without_summary", "outbox_files", "events", "routing")}, default=str))
    assert report["ok"], report["problems"]
    assert report["http_5xx"] == 0
    assert report["summaries_stored"] == CONVERSATIONS
    assert report["conversations_with_duplicates"] == 0 and report["conversations_without_summary"] == 0
    assert report["outbox_files"] == 0
    routing = report["routing"]
    assert routing["conversations_on_two_servers_before_kill"] == 0
    assert routing["conversations_moved_off_killed_server"] > 0
    assert routing["served_by_killed_server_after_kill"] == 0

    # the survivors' metrics saw the load
    web = http("GET", f"{cluster.url('web', 1)}/metrics")[1].decode()
    actions = http("GET", f"{cluster.url('actions', 1)}/metrics")[1].decode()
    assert sample(web, "werk_turns_total", {"outcome": "ok"}) > 100
    assert sample(web, "werk_turn_seconds_count") >= sample(web, "werk_turns_total", {"outcome": "ok"})
    assert sample(web, "werk_summaries_total", {"result": "stored"}) > 0
    assert sample(web, "werk_outbox_depth") == 0
    assert sample(actions, "werk_nlu_turns_total", {"result": "understood"}) > 100
    assert sample(actions, "werk_nlu_turns_total", {"result": "fallback"}) is not None
    assert sample(actions, "werk_summaries_total", {"result": "queued"}) == 0
    assert sample(actions, "werk_crisis_replies_total") == 0
