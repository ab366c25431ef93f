"""Running it: settings, Rasa glue, action server, metrics, CLI."""
