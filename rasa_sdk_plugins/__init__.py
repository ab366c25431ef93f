"""rasa-sdk discovers its plugins in a top-level package of this name (rasa_sdk/plugin.py);
ours guards the action server (see actions/server_security.py)."""
from actions.server_security import init_hooks  # noqa: F401
