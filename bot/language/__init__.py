"""Dutch language: answer parsing, extractors, spaCy pipeline, readability."""
