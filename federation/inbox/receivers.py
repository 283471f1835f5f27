"""Second-level dispatch for Create, Update and Delete: the object's type
decides which feature receives it (events: Event; comments: Note replies;
proposals: Note votes and Question).

Several receivers may share a type (comments and votes are both Notes): they
are asked in the order they registered and the first to return True takes
the object. A feature registers once, at import time::

    from federation.inbox.receivers import register_receiver
    register_receiver("Event", EventReceiver())

Undo of something other than a Follow is dispatched on the undone activity's
type through ``UNDO_HANDLERS`` (``UNDO_HANDLERS["Like"] = undo_like``).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from federation.inbox.activity import Ignored, ReceivedActivity, type_of

if TYPE_CHECKING:
    from federation.inbox.context import InboxContext


class ObjectReceiver(Protocol):
    async def create(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        """A remote object arrived (Create, or relayed by Announce); True if taken."""
        ...

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool: ...

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool: ...


InboxHandler = Callable[["InboxContext", ReceivedActivity], Awaitable[None]]

OBJECT_RECEIVERS: dict[str, list[ObjectReceiver]] = {}
UNDO_HANDLERS: dict[str, InboxHandler] = {}


def register_receiver(object_type: str, receiver: ObjectReceiver, *, first: bool = False) -> None:
    """``first=True`` puts a narrow receiver ahead of broad ones whatever the
    import order (proposals' poll votes are Notes the comments would take)."""
    receivers = OBJECT_RECEIVERS.setdefault(object_type, [])
    if receiver not in receivers:
        if first:
            receivers.insert(0, receiver)
        else:
            receivers.append(receiver)


def receivers_for(object_type: str | None) -> list[ObjectReceiver]:
    return list(OBJECT_RECEIVERS.get(object_type or "", []))


def all_receivers() -> list[ObjectReceiver]:
    """Every receiver once (a Delete without a formerType may concern any of them)."""
    seen: list[ObjectReceiver] = []
    for receivers in OBJECT_RECEIVERS.values():
        seen.extend(receiver for receiver in receivers if receiver not in seen)
    return seen


async def offer_created(ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> None:
    """Hand a new remote object to the first feature that takes its type."""
    kind = type_of(obj)
    for receiver in receivers_for(kind):
        if await receiver.create(ctx, activity, obj):
            return
    raise Ignored(f"no feature takes a {kind}")
