"""Checks of the content: citations, review records, FAQ review."""
