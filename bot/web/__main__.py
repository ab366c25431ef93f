"""Serve one of the two web listeners (docs/security.md):

    python -m bot.web              patient chat + own copy   WEB_HOST:WEB_PORT (127.0.0.1:8080)
    python -m bot.web careteam     care-team pages + API     CARETEAM_HOST:CARETEAM_PORT (127.0.0.1:8081)

Runs the database migrations first unless WEB_SKIP_MIGRATE=1.
"""

from __future__ import annotations

import logging
import os
import sys

from bot.runtime.settings import get_settings


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    surface = argv[0] if argv else "patient"
    if surface not in ("patient", "careteam"):
        sys.exit("usage: python -m bot.web [patient|careteam]")
    settings = get_settings()
    if os.environ.get("WEB_SKIP_MIGRATE", "0") != "1":
        from bot.storage.db import migrate

        migrate(settings.database_url)
    from bot.web.app import create_careteam_app, create_patient_app

    if surface == "careteam":
        app = create_careteam_app(settings)
        host, port = settings.careteam_host, settings.careteam_port
    else:
        app = create_patient_app(settings)
        host, port = settings.web_host, settings.web_port
    logging.getLogger(__name__).info("%s web app on http://%s:%d", surface, host, port)
    app.run(host=host, port=port, workers=1, access_log=False, debug=False, auto_reload=False, motd=False)


if __name__ == "__main__":
    main()
