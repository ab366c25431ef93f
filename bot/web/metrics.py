"""Monitoring of the web app: ``GET /metrics`` (Prometheus text) and ``GET /readyz``.

- ``/healthz`` (bot/web/app.py) is liveness: the process answers (200 always).
- ``/readyz`` is readiness: 200 when the database answers, else 503 (a load balancer
  or Kubernetes then sends patients to another instance; never reaches a patient).
- ``/metrics``: turns of the patient chat (``POST /chat/api/message``) by outcome, their
  latency, crisis replies, summaries stored or queued, Rasa unavailable, outbox depth
  (see bot/runtime/metrics.py). Neither path is routed by the public proxy (deploy/nginx).
"""

from __future__ import annotations

import json

from sanic import Sanic

from bot.runtime.metrics import Metrics, instrument
from bot.web.chat import API_PATH


def register_metrics(app: Sanic) -> Metrics:
    settings = app.ctx.settings
    metrics = Metrics("web", data_dir=settings.data_dir)
    app.ctx.metrics = metrics

    def count_turn(request, resp, seconds: float) -> None:
        messages = None
        if resp.status == 200 and resp.body:
            try:
                messages = json.loads(resp.body)
            except ValueError:
                messages = None
        metrics.observe_reply(messages, seconds, status=resp.status)
        if resp.status == 200 and any(
            isinstance(m, dict) and (m.get("custom") or {}).get("error") == "unavailable"
            for m in messages or []
        ):
            metrics.delivery_failures.labels("rasa_unavailable").inc()

    instrument(app, metrics, path=API_PATH, database_url=settings.database_url, count=count_turn)
    return metrics
