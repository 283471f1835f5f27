"""A stand-in for a feature's object receiver: records what it was handed."""
from __future__ import annotations

from typing import Any

from federation.inbox.activity import ReceivedActivity
from federation.inbox.context import InboxContext


class RecordingReceiver:
    def __init__(self) -> None:
        self.created: list[dict[str, Any]] = []
        self.updated: list[dict[str, Any]] = []
        self.deleted: list[str] = []

    async def create(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        self.created.append(obj)
        return True

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        self.updated.append(obj)
        return True

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool:
        self.deleted.append(object_id)
        return True
