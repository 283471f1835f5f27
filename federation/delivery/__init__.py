"""The delivery worker and its retry policy."""
