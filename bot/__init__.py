"""Dutch work-and-health intake assistant: domain logic independent of Rasa."""
