"""Reject: a peer refused a Follow we sent."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.handlers.follow_answers import settle_follow


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    if not await settle_follow(ctx, activity, "rejected"):
        raise Ignored("it rejects nothing we sent")
