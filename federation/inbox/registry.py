"""Incoming activity type -> the handler that processes it.

One handler module per type; a feature adds its own in one line, at import time::

    from federation.inbox.registry import INBOX_HANDLERS
    INBOX_HANDLERS["Join"] = join.handle   # async def handle(ctx, activity) -> None

A handler raises ``Ignored("why")`` for an activity it deliberately drops; any
other exception marks the row 'failed' with the error. Object types for
Create/Update/Delete are dispatched through ``federation.inbox.receivers``.
"""
from __future__ import annotations

from federation.inbox.handlers import accept, announce, create, delete, follow, reject, undo, update
from federation.inbox.receivers import InboxHandler

INBOX_HANDLERS: dict[str, InboxHandler] = {
    "Follow": follow.handle,
    "Accept": accept.handle,
    "Reject": reject.handle,
    "Undo": undo.handle,
    "Create": create.handle,
    "Update": update.handle,
    "Delete": delete.handle,
    "Announce": announce.handle,
}


def register_handler(activity_type: str, handler: InboxHandler) -> None:
    INBOX_HANDLERS[activity_type] = handler
