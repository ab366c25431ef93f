"""Serve only the chat blueprint (bot/web/chat.py) in a minimal Sanic app, for the tests.

    python tests/browser/serve_chat.py --port 8099 --rasa-url http://127.0.0.1:5005

The real web app (bot/web/app.py) registers the same blueprint next to the care-team pages.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sanic import Sanic  # noqa: E402

from bot.settings import Settings  # noqa: E402
from bot.web.chat import create_chat_blueprint  # noqa: E402


def build_app(rasa_url: str, rasa_timeout: float) -> Sanic:
    settings = Settings(
        data_dir=ROOT / "var" / "browser-tests",
        database_url="sqlite://",
        web_host="127.0.0.1",
        web_port=0,
        rasa_url=rasa_url,
        retention_days=30,
        session_secret=None,
    )
    app = Sanic("chat_browser_tests")
    app.config.ACCESS_LOG = False
    app.blueprint(create_chat_blueprint(settings, rasa_timeout=rasa_timeout))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the chat blueprint for tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rasa-url", required=True)
    parser.add_argument("--rasa-timeout", type=float, default=20.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    app = build_app(args.rasa_url, args.rasa_timeout)
    app.run(host=args.host, port=args.port, access_log=False, debug=False, workers=1)


if __name__ == "__main__":
    main()
