"""Create: a new remote object, handed to the feature that receives its type."""
from __future__ import annotations

from federation.inbox.activity import ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.objects import trusted_object
from federation.inbox.receivers import offer_created


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    obj = await trusted_object(ctx, activity)
    await offer_created(ctx, activity, obj)
