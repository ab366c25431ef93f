"""Prometheus metrics and readiness shared by the web app and the action server.

Each process has its own registry (``prometheus_client.CollectorRegistry``), exposed
as text on ``GET /metrics`` (bot/web/metrics.py, bot/runtime/action_server.py). What is
counted where is listed in docs/deployment.md ("Monitoring").

Patient text is never a label: labels are fixed words (outcome, action, result).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # no *_created series: half the lines, nothing lost

# Seconds; a patient turn is ~30 ms alone and ~1 s at 20 conversations per Rasa server.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0)


def _crisis_texts() -> frozenset:
    from bot.knowledge import safety

    texts = {m.text for m in safety.crisis_messages(None)}
    texts |= {m.text for m in safety.crisis_messages("other")}
    return frozenset(t for t in texts if t)


def reply_facts(messages: Any) -> dict:
    """What a list of bot messages says about the turn: ``unavailable`` (the Dutch error
    reply), ``crisis`` (the fixed crisis answer), ``summary`` (None, "stored" or
    "queued": the consented summary went to the database or to the outbox)."""
    facts: Dict[str, Any] = {"unavailable": False, "crisis": False, "summary": None}
    if not isinstance(messages, list):
        return facts
    crisis = _crisis_texts()
    for message in messages:
        if not isinstance(message, dict):
            continue
        custom = message.get("custom") or message.get("json_message")
        if isinstance(custom, dict):
            if custom.get("error"):
                facts["unavailable"] = True
            if custom.get("summary_id"):
                facts["summary"] = "queued" if custom.get("queued") else "stored"
        if message.get("text") in crisis:
            facts["crisis"] = True
    return facts


class Metrics:
    """The metrics of one process; ``component`` is "web" or "actions"."""

    def __init__(self, component: str, data_dir: Optional[Path] = None):
        self.component = component
        self.registry = CollectorRegistry()
        r = self.registry
        self.turns = Counter(
            "werk_turns_total",
            "Patient turns answered, by outcome (ok, unavailable = the Dutch error reply, refused = 4xx)",
            ["outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "werk_turn_seconds",
            "Time to answer a patient turn (web: chat proxy round trip; actions: one action call)",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.crisis = Counter(
            "werk_crisis_replies_total",
            "Replies that carried the fixed crisis answer (113, 112, huisarts)",
            registry=r,
        )
        self.summaries = Counter(
            "werk_summaries_total",
            "Consented summaries, by result (stored in the database, queued in the outbox)",
            ["result"],
            registry=r,
        )
        self.delivery_failures = Counter(
            "werk_delivery_failures_total",
            "Things that did not reach their destination at "
            "once: rasa_unavailable (web: Rasa did not answer), summary_queued (database "
            "down, summary in the outbox), action_error (actions: an action call failed)",
            ["kind"],
            registry=r,
        )
        self.nlu = Counter(
            "werk_nlu_turns_total",
            "Turns by NLU result (fallback = below the confidence threshold; rate = fallback / all)",
            ["result"],
            registry=r,
        )
        self.outbox = Gauge(
            "werk_outbox_depth",
            "Summaries and deletion requests waiting in this process's file outbox",
            registry=r,
        )
        self.up_since = Gauge("werk_process_start_time_seconds", "Start time (Unix)", registry=r)
        self.up_since.set(time.time())
        self.data_dir = data_dir
        if data_dir is not None:
            self.outbox.set_function(lambda: outbox_depth(data_dir))
        # All label values exist from the start, so rates are 0 rather than absent.
        for outcome in ("ok", "unavailable", "refused"):
            self.turns.labels(outcome)
        for result in ("stored", "queued"):
            self.summaries.labels(result)
        for kind in ("rasa_unavailable", "summary_queued", "action_error"):
            self.delivery_failures.labels(kind)
        for result in ("understood", "fallback"):
            self.nlu.labels(result)

    def observe_reply(self, messages: Any, seconds: float, *, status: int = 200) -> None:
        """Count one answered turn from the bot messages that went back."""
        if status >= 400:
            self.turns.labels("refused" if status < 500 else "unavailable").inc()
            return
        facts = reply_facts(messages)
        self.turns.labels("unavailable" if facts["unavailable"] else "ok").inc()
        self.latency.observe(seconds)
        if facts["crisis"]:
            self.crisis.inc()
        if facts["summary"]:
            self.summaries.labels(facts["summary"]).inc()
            if facts["summary"] == "queued":
                self.delivery_failures.labels("summary_queued").inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


CONTENT_TYPE = CONTENT_TYPE_LATEST


def outbox_depth(data_dir: Path) -> int:
    from bot.storage.outbox import pending_files

    return len(pending_files(data_dir))


def database_ready(url: str) -> bool:
    """True when the database answers ``select 1`` (readiness probes)."""
    import sqlalchemy as sa

    from bot.storage.db import get_engine

    try:
        with get_engine(url).connect() as conn:
            conn.execute(sa.text("select 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


def instrument(
    app: Any, metrics: Metrics, *, path: str, database_url: str, count: Callable[[Any, Any, float], None]
) -> None:
    """Add ``GET /metrics``, ``GET /readyz`` (200 when the database answers, else 503)
    and a timer around ``POST path`` to a Sanic app; ``count(request, response,
    seconds)`` records each such call."""
    from sanic import response

    async def start_timer(request) -> None:
        if request.path == path and request.method == "POST":
            request.ctx.werk_started = time.perf_counter()

    async def finish(request, resp) -> None:
        started = getattr(request.ctx, "werk_started", None)
        if started is not None:
            count(request, resp, time.perf_counter() - started)

    async def metrics_view(request):
        return response.raw(
            metrics.exposition(), content_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"}
        )

    async def readyz(request):
        ready = await asyncio.get_running_loop().run_in_executor(None, database_ready, database_url)
        return response.json(
            {"status": "ready" if ready else "database unavailable"}, status=200 if ready else 503
        )

    app.register_middleware(start_timer, "request")
    app.register_middleware(finish, "response")
    app.add_route(metrics_view, "/metrics", methods=["GET"], name="metrics")
    app.add_route(readyz, "/readyz", methods=["GET"], name="readyz")


def sample(text: str, name: str, labels: Optional[dict] = None) -> Optional[float]:
    """The value of one sample in a Prometheus text exposition (tests, scripts)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and (labels is None or all(s.labels.get(k) == v for k, v in labels.items())):
                return s.value
    return None


def samples_named(text: str, names: Iterable[str]) -> List[str]:
    """Which of ``names`` appear in the exposition."""
    from prometheus_client.parser import text_string_to_metric_families

    seen = {s.name for f in text_string_to_metric_families(text) for s in f.samples}
    return [n for n in names if n in seen]
