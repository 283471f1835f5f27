"""Minutes: the structured record of a meeting, its life cycle and its action items."""
