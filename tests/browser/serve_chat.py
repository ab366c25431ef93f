"""Serve the chat blueprint (bot/web/chat.py) for the browser tests.

    python tests/browser/serve_chat.py --port 8099 --rasa-url http://127.0.0.1:5005

By default only the blueprint, in a minimal Sanic app. With ``--full-app`` the real web app
(``bot.web.app.create_app``, care-team pages included, on a temporary SQLite database), to
check that the chat keeps its headers and stays cookie-free next to the other blueprints.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sanic import Sanic  # noqa: E402

from bot.runtime.settings import Settings  # noqa: E402
from bot.web.chat import create_chat_blueprint  # noqa: E402


def build_app(rasa_url: str, rasa_timeout: float, full_app: bool = False) -> Sanic:
    data_dir = Path(tempfile.mkdtemp(prefix="chat-browser-tests-"))
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'web.db'}",
        web_host="127.0.0.1",
        web_port=0,
        rasa_url=rasa_url,
        retention_days=30,
        session_secret="browser-tests-only-" + "x" * 16,
    )
    if full_app:
        return build_full_app(settings, rasa_timeout)
    app = Sanic("chat_browser_tests")
    app.config.ACCESS_LOG = False
    app.blueprint(create_chat_blueprint(settings, rasa_timeout=rasa_timeout))
    return app


def build_full_app(settings: Settings, rasa_timeout: float) -> Sanic:
    from bot.storage.db import migrate
    from bot.web.app import WebOptions, create_app

    migrate(settings.database_url)
    os.environ["CHAT_RASA_TIMEOUT"] = str(rasa_timeout)
    options = WebOptions(cookie_secure=False, maintenance_interval_s=0, retention_interval_s=0)
    return create_app(settings, options)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the chat blueprint for tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rasa-url", required=True)
    parser.add_argument("--rasa-timeout", type=float, default=20.0)
    parser.add_argument("--full-app", action="store_true", help="serve bot.web.app.create_app")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    app = build_app(args.rasa_url, args.rasa_timeout, args.full_app)
    app.run(host=args.host, port=args.port, access_log=False, debug=False, workers=1)


if __name__ == "__main__":
    main()
