"""Who receives members-only items: the membership feature's directory
(``fedchapter.services.member_directory.ChapterMembers``) implements it."""
from __future__ import annotations

from typing import Protocol


class MemberDirectory(Protocol):
    async def member_actor_ids(self) -> list[str]:
        """The actor ids of current members, local and remote (local ones are skipped for delivery)."""
        ...
