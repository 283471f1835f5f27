"""Who may see a published item: shared by events, minutes and proposals."""

from __future__ import annotations

from enum import StrEnum


class Visibility(StrEnum):
    PUBLIC = "public"
    # Members-only items are never delivered to, nor shown to, non-members.
    MEMBERS = "members"

    @property
    def is_public(self) -> bool:
        return self is Visibility.PUBLIC
