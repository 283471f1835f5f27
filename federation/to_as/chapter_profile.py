"""The chapter's own Group actor as the object of an Update, after an admin
edited its name, summary or admission policy."""
from __future__ import annotations

from typing import Any

from fedchapter.chapter import ProfileChange
from federation.to_as.actors import group_to_as
from federation.to_as.registry import ConversionContext


def profile_change_to_as(change: ProfileChange, ctx: ConversionContext) -> dict[str, Any]:
    return group_to_as(ctx.urls, change.group, change.profile, member_count=change.member_count,
                       language=ctx.language)
