"""Patches of Rasa internals, in plain sight (issue 11): applied only by ``apply()``,
which the Rasa server runs once when it loads our REST channel (bot/runtime/channels.py), and
only on the Rasa version they were written and measured for.

- ``speed_up_action_validation``: Rasa 3.6 validates every action server response with
  ``jsonschema.validate``, which re-checks the schema itself against the JSON Schema
  meta-schema on every call (about 15 ms of CPU per turn with jsonschema 4.17, a third
  of the Rasa server's work per turn). The validator is now built once.
- ``speed_up_event_lookup``: loading a tracker from the SQL tracker store turns every
  stored event into an object through ``Event.resolve_by_type``, which walks all
  ``Event`` subclasses for every event (about 6 ms per turn late in a 24-turn intake).
  Found classes are now cached.
- ``deduplicate_retries`` (bot/intake/retries.py): a retried message whose answer was already
  applied gets the same replies again instead of being applied twice.
Behaviour is unchanged otherwise (tests/faults/test_rest_channel_units.py); measured in
docs/benchmarks.md. Re-check all three before a Rasa upgrade.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

logger = logging.getLogger(__name__)
SUPPORTED_RASA = ("3.6.",)


class UnsupportedRasa(RuntimeError):
    """The installed Rasa is not the version these patches were written for."""


def apply(version: Optional[str] = None) -> List[str]:
    """Apply every patch once; the names of those applied now. Refuses an unknown Rasa."""
    if version is None:
        import rasa

        version = rasa.__version__
    if not version.startswith(SUPPORTED_RASA):
        raise UnsupportedRasa(
            f"bot/runtime/rasa_patches.py is written for Rasa {SUPPORTED_RASA}, not {version}: "
            "re-check the patches before upgrading"
        )
    from bot.intake.retries import deduplicate_retries

    applied = [
        name
        for name, patch in (
            ("action_validation", speed_up_action_validation),
            ("event_lookup", speed_up_event_lookup),
            ("deduplicate_retries", deduplicate_retries),
        )
        if patch()
    ]
    if applied:
        logger.info("Rasa %s patched: %s", version, ", ".join(applied))
    return applied


def speed_up_action_validation() -> bool:
    """Validate action server responses with a validator built once (see above)."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    original = getattr(RemoteAction, "_validate_action_result", None)
    if original is None or getattr(original, "_werk_cached", False):
        return False
    spec = RemoteAction.action_response_format_spec()
    cls = validator_for(spec)
    cls.check_schema(spec)
    validator = cls(spec)

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))  # what jsonschema.validate raises
        if error is None:
            return True
        return original(self, result)  # invalid: Rasa's own path raises its usual error

    _validate_action_result._werk_cached = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result
    return True


def speed_up_event_lookup() -> bool:
    """Cache ``Event.resolve_by_type`` for the event types it finds (see above)."""
    from rasa.shared.core.events import Event

    original = Event.__dict__.get("resolve_by_type")
    lookup = original.__func__ if isinstance(original, staticmethod) else None
    if lookup is None or getattr(lookup, "_werk_cached", False):
        return False
    found: Dict[str, type] = {}

    def resolve_by_type(type_name: str, default: Optional[type] = None) -> Optional[type]:
        cls = found.get(type_name)
        if cls is None:
            cls = lookup(type_name, default)  # unknown types: Rasa's default or ValueError
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    resolve_by_type._werk_cached = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)
    return True
