"""What a patient's message means: one interpretation step (interpreter.py) with a fixed
priority — safety, language, navigation, answer(s), question(s), not understood — and
the helpers it uses. docs/architecture.md explains the order."""
