"""Dutch language pipeline (spaCy) and custom Rasa NLU components."""
