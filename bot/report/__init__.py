"""What the care team gets: signals, summary, text, FHIR."""
