"""Monitoring of the web app: ``GET /metrics`` (Prometheus text) and ``GET /readyz``.

- ``/healthz`` (bot/web/app.py) is liveness: the process answers (200 always).
- ``/readyz`` is readiness: 200 when the database answers, else 503 (a load balancer
  or Kubernetes then sends patients to another instance; never reaches a patient).
- ``/metrics``: turns of the patient chat (``POST /chat/api/message``) by outcome, their
  latency, crisis replies, summaries stored or queued, Rasa unavailable, outbox depth
  (see bot/metrics.py). Neither path is routed by the public proxy (deploy/nginx).
"""
from __future__ import annotations

import json
import time

from sanic import Sanic, response

from bot.metrics import CONTENT_TYPE, Metrics, database_ready
from bot.web import run_sync
from bot.web.chat import API_PATH


def register_metrics(app: Sanic) -> Metrics:
    settings = app.ctx.settings
    metrics = Metrics("web", data_dir=settings.data_dir)
    app.ctx.metrics = metrics

    async def start_timer(request) -> None:
        if request.path == API_PATH and request.method == "POST":
            request.ctx.turn_started = time.perf_counter()

    async def count_turn(request, resp) -> None:
        started = getattr(request.ctx, "turn_started", None)
        if started is None:
            return
        seconds = time.perf_counter() - started
        messages = None
        if resp.status == 200 and resp.body:
            try:
                messages = json.loads(resp.body)
            except ValueError:
                messages = None
        metrics.observe_reply(messages, seconds, status=resp.status)
        if resp.status == 200 and any(
                isinstance(m, dict) and (m.get("custom") or {}).get("error") == "unavailable"
                for m in messages or []):
            metrics.delivery_failures.labels("rasa_unavailable").inc()

    async def metrics_view(request):
        return response.raw(metrics.exposition(), content_type=CONTENT_TYPE,
                            headers={"Cache-Control": "no-store"})

    async def readyz(request):
        ready = await run_sync(database_ready, settings.database_url)
        return response.json({"status": "ready" if ready else "database unavailable"},
                             status=200 if ready else 503)

    app.register_middleware(start_timer, "request")
    app.register_middleware(count_turn, "response")
    app.add_route(metrics_view, "/metrics", methods=["GET"], name="metrics")
    app.add_route(readyz, "/readyz", methods=["GET"], name="readyz")
    return metrics
