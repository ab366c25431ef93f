"""Rasa's own command line with the project's marker conditions registered.

    python -m bot.analytics.rasa_cli evaluate markers all results/funnel/markers.csv \
        --config markers --endpoints "$RASA_ENDPOINTS" --domain domain.yml

is ``rasa evaluate markers`` (every option of it) for markers/, which uses the
conditions of bot/analytics/conditions.py.
"""

from __future__ import annotations

import bot.analytics.conditions  # noqa: F401  (registers the conditions)


def main() -> None:
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
