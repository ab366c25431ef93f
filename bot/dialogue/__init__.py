"""One message in, one reply out: interpretation and replies."""
