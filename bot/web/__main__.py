"""Serve the web app: ``python -m bot.web`` on WEB_HOST:WEB_PORT (default 127.0.0.1:8080).

Runs the database migrations first unless WEB_SKIP_MIGRATE=1.
"""
from __future__ import annotations

import logging
import os

from bot.settings import get_settings


def main() -> None:
    settings = get_settings()
    if os.environ.get("WEB_SKIP_MIGRATE", "0") != "1":
        from bot.storage.db import migrate

        migrate(settings.database_url)
    from bot.web.app import create_app

    app = create_app(settings)
    logging.getLogger(__name__).info("care-team web app on http://%s:%d", settings.web_host,
                                     settings.web_port)
    app.run(host=settings.web_host, port=settings.web_port, workers=1, access_log=False,
            debug=False, auto_reload=False, motd=False)


if __name__ == "__main__":
    main()
