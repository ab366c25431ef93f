"""The action server with monitoring: ``python -m bot.runtime.action_server --actions actions``.

Same as ``python -m rasa_sdk`` (same arguments, same ``/webhook``, ``/health`` and
``/actions``), plus, attached through rasa_sdk's own plugin hook
(``attach_sanic_app_extensions``):

- ``GET /metrics``: Prometheus text. Per action call: turns by outcome, latency, NLU
  result of the patient's message (``nlu_fallback`` or understood: the fallback rate),
  crisis replies, summaries stored or queued, failed action calls, outbox depth.
- ``GET /readyz``: 200 when the database answers, else 503 (``/health`` stays liveness).
- Every ``ACTIONS_OUTBOX_INTERVAL`` seconds (default 60; 0 = off, when the web app
  shares the data directory and flushes it) summaries queued in this server's outbox
  while the database was down are stored (bot/storage/outbox.py).

Every patient turn in this assistant runs exactly one custom action (data/rules), so
one action call is one turn.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any

import pluggy
from sanic import Sanic

from bot.runtime.metrics import Metrics, instrument

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)
FALLBACK_INTENT = "nlu_fallback"


def _intent(action_call: Any) -> Any:
    try:
        return action_call["tracker"]["latest_message"]["intent"]["name"]
    except (KeyError, TypeError):
        return None


def attach(app: Sanic) -> Metrics:
    """Add /metrics, /readyz and the per-call counting to rasa_sdk's Sanic app."""
    from bot.runtime.settings import get_settings

    settings = get_settings()
    metrics = Metrics("actions", data_dir=settings.data_dir)
    app.ctx.metrics = metrics

    def count_call(request, resp, seconds: float) -> None:
        try:
            intent = _intent(request.json)
        except Exception:  # noqa: BLE001 - a body rasa_sdk could not read either
            intent = None
        if intent:
            metrics.nlu.labels("fallback" if intent == FALLBACK_INTENT else "understood").inc()
        if resp.status != 200:
            metrics.delivery_failures.labels("action_error").inc()
            metrics.observe_reply(None, seconds, status=resp.status)
            return
        try:
            body = json.loads(resp.body or b"{}")
        except ValueError:
            body = {}
        metrics.observe_reply(body.get("responses") if isinstance(body, dict) else None, seconds)

    instrument(app, metrics, path="/webhook", database_url=settings.database_url, count=count_call)
    interval = float(os.environ.get("ACTIONS_OUTBOX_INTERVAL", "60"))
    if interval > 0:

        def start_flush(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            # Not a lambda returning the task: Sanic awaits what a listener returns, and this
            # task never ends (startup would never finish, shutdown would not be graceful).
            app.ctx.outbox_flush = loop.create_task(_flush_loop(settings, interval))

        app.register_listener(start_flush, "after_server_start")
    return metrics


async def _flush_loop(settings, interval: float) -> None:
    from bot.storage.outbox import flush_outbox

    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(interval)
        try:
            result = await loop.run_in_executor(None, flush_outbox, settings.database_url, settings.data_dir)
            if result.flushed:
                logger.info("outbox: %d item(s) stored", result.flushed)
        except Exception:  # noqa: BLE001 - the database may still be down; next round
            logger.warning("outbox flush failed", exc_info=True)


class MonitoringPlugin:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        attach(app)


def main() -> None:
    from rasa_sdk.__main__ import main as rasa_sdk_main
    from rasa_sdk.plugin import plugin_manager

    manager = plugin_manager()
    if not any(isinstance(p, MonitoringPlugin) for p in manager.get_plugins()):
        manager.register(MonitoringPlugin())
    rasa_sdk_main()


if __name__ == "__main__":
    main()
