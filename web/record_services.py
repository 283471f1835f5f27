"""The services of the chapter's record (minutes, news posts, comments),
wired from the app context once per app and kept in ``ctx.extras``.

They publish through the federation core's publisher (comments by their
author, relayed by the chapter), inside the same transaction as their
writes; the inbox reaches the comment service and the relay through
``InboxContext.services``. Importing this module registers the converters
and the Note receiver with the federation core.
"""
from __future__ import annotations

from dataclasses import dataclass

import federation.inbox.comments as comment_receiver
import federation.to_as.comments
import federation.to_as.minutes
import federation.to_as.posts  # noqa: F401  (registers the converters)
from fedchapter.services.comments import CommentService
from fedchapter.services.minutes import MinutesService
from fedchapter.services.posts import PostService
from federation.comment_relay import CommentRelay, RecordPublisher
from web.comment_targets import UrlTargetFinder
from web.context import AppContext
from web.minutes_meetings import MeetingEvents
from web.readers import is_member_actor

_KEY = "record_services"


@dataclass(frozen=True)
class RecordServices:
    minutes: MinutesService
    posts: PostService
    comments: CommentService
    relay: CommentRelay


def _build(ctx: AppContext) -> RecordServices:
    repos, federation_publisher = ctx.repos, ctx.federation.publisher
    relay = CommentRelay(federation_publisher)
    publisher = RecordPublisher(federation_publisher, relay)
    meetings = MeetingEvents(ctx)

    async def is_member(actor_id: str) -> bool:
        return await is_member_actor(ctx, actor_id)

    return RecordServices(
        minutes=MinutesService(repos.minutes, publisher, repos.database,
                               event_exists=meetings.exists, schedule_meeting=meetings.schedule),
        posts=PostService(repos.posts, publisher, repos.database),
        comments=CommentService(
            repos.comments, UrlTargetFinder(ctx), publisher, repos.database,
            comment_url=ctx.urls.comment, is_member=is_member,
        ),
        relay=relay,
    )


def install_record_services(ctx: AppContext) -> RecordServices:
    """Build the services and hand the inbox what it needs (called in the lifespan)."""
    services = _build(ctx)
    ctx.extras[_KEY] = services
    inbox_services = ctx.federation.inbox_context.services
    inbox_services[comment_receiver.COMMENTS_SERVICE] = services.comments
    inbox_services[comment_receiver.COMMENT_RELAY] = services.relay
    return services


def record_services(ctx: AppContext) -> RecordServices:
    found = ctx.extras.get(_KEY)
    return found if isinstance(found, RecordServices) else install_record_services(ctx)
