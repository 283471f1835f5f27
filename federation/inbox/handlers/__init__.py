"""One module per incoming activity type, each with ``async def handle(ctx, activity)``."""
