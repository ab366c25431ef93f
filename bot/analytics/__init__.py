"""Analytics over stored conversations: Rasa markers (markers/) and the completion funnel."""
