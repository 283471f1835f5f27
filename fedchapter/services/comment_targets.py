"""What comments may hang under, and with which audience: an event, a set of
minutes, a news post or a proposal, found by its short id. The federation
core's ``UrlTargetFinder`` reads our URL and asks the lookup of its kind."""
from __future__ import annotations

from typing import Protocol, TypeVar

from fedchapter.comments import CommentTarget
from fedchapter.events.model import Event
from fedchapter.minutes.model import Minutes, MinutesState
from fedchapter.posts import Post
from fedchapter.proposals.model import Proposal, Status
from fedchapter.readers import Reader
from fedchapter.services.minutes import may_read
from fedchapter.visibility import Visibility


T_co = TypeVar("T_co", covariant=True)


class _Store(Protocol[T_co]):
    async def get(self, short_id: str, /) -> T_co | None: ...


class RecordTargets:
    def __init__(
        self,
        events: _Store[Event],
        minutes: _Store[Minutes],
        posts: _Store[Post],
        proposals: _Store[Proposal],
    ) -> None:
        self.events = events
        self.minutes_store = minutes
        self.posts = posts
        self.proposals = proposals

    async def event(self, event_id: str, ap_id: str) -> CommentTarget | None:
        event = await self.events.get(event_id)
        if event is None:
            return None
        return CommentTarget(ap_id=ap_id, kind="event", title=event.title, visibility=event.visibility)

    async def minutes(self, minutes_id: str, ap_id: str) -> CommentTarget | None:
        """Comments hang under circulated (members) and published minutes."""
        minutes = await self.minutes_store.get(minutes_id)
        if minutes is None or not may_read(Reader(is_member=True), minutes):
            return None
        visibility = minutes.visibility if minutes.state is MinutesState.PUBLISHED else Visibility.MEMBERS
        return CommentTarget(ap_id=ap_id, kind="minutes", title=minutes.title, visibility=visibility)

    async def post(self, post_id: str, ap_id: str) -> CommentTarget | None:
        post = await self.posts.get(post_id)
        if post is None:
            return None
        return CommentTarget(ap_id=ap_id, kind="post", title=post.title, visibility=post.visibility)

    async def proposal(self, proposal_id: str, ap_id: str) -> CommentTarget | None:
        """The discussion hangs under open and closed proposals; a draft is discussed among members."""
        proposal = await self.proposals.get(proposal_id)
        if proposal is None:
            return None
        visibility = Visibility.MEMBERS if proposal.status is Status.DRAFT else Visibility.PUBLIC
        return CommentTarget(ap_id=ap_id, kind="proposal", title=proposal.title, visibility=visibility)
