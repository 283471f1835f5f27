"""The inbox worker, its handler registry and one handler module per activity type."""
