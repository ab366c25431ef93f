"""The intake engine: questions, routing, operations, prompts, hand-off."""
