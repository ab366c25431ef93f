"""Logging without patient text: an exception's message (and a validation error's, which
quotes the offending value) may contain what the patient typed, so failures are logged
with the exception type and the code location only."""

from __future__ import annotations

import logging
import traceback


def log_failure(logger: logging.Logger, what: str, exc: BaseException, *args) -> None:
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    logger.error(what + ": %s at %s", *args, type(exc).__name__, where or "?")
