"""Persistent storage: summaries, audit log, care-team accounts, API tokens, retention.

Public entry points:

- ``bot.storage.db``: engines, sessions, ``migrate(url)``.
- ``bot.storage.repository.Repository``: all reads and writes.
- ``bot.storage.outbox.save_summary_or_queue``: what the assistant calls after consent.
- ``bot.storage.retention``: deleting old data and tracker events.

Our tables are prefixed ``wi_`` so they never clash with Rasa's tracker table ``events``.
"""
