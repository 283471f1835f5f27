"""Minutes as an ActivityStreams Article.

Mastodon shows an Article's name, summary and link, never its content: the
summary states the attendance, the decisions and the next meeting. The
structured record travels under our namespace (`fc:`) for servers that know it.
"""
from __future__ import annotations

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.minutes.document import minutes_html
from fedchapter.minutes.model import Minutes
from fedchapter.minutes.serialize import action_to_dict, decision_to_dict, next_meeting_to_dict
from fedchapter.minutes.summary import minutes_summary
from federation.to_as.record import article
from federation.to_as.registry import ConversionContext


def _structured(ctx: ConversionContext, minutes: Minutes) -> dict[str, Any]:
    content = minutes.content
    next_meeting: dict[str, Any] | None = None
    if content.next_meeting is not None:
        next_meeting = next_meeting_to_dict(content.next_meeting)
        if content.next_meeting.event:
            next_meeting["event"] = ctx.urls.event(content.next_meeting.event)
    return {
        "fc:meetingDate": content.meeting_date.isoformat(),
        "fc:attendance": content.attendance,
        "fc:decisions": [
            {key: value for key, value in decision_to_dict(decision).items() if value is not None}
            for decision in content.decisions
        ],
        "fc:actions": [
            {key: value for key, value in action_to_dict(item).items() if value is not None}
            for item in content.actions
        ],
        "fc:nextMeeting": next_meeting,
        "fc:revision": minutes.revision,
    }


def minutes_to_as(minutes: Minutes, ctx: ConversionContext) -> dict[str, Any]:
    content = minutes.content
    object_url = ctx.urls.minutes(minutes.id)
    published = minutes.published_at or minutes.created_at
    document = article(
        ctx,
        object_url=object_url,
        name=content.title,
        content_html=minutes_html(content, ctx.timezone, content.language),
        summary=minutes_summary(content, ctx.timezone, content.language),
        language=content.language,
        published=to_iso(published),
        updated=to_iso(minutes.updated_at) if minutes.revision > 1 else None,
    )
    if content.event:
        # The meeting these minutes record. Not `context`: that is the
        # minutes' own thread (FEP-7888), which their comments share.
        document["fc:meeting"] = ctx.urls.event(content.event)
    document.update(_structured(ctx, minutes))
    return document
