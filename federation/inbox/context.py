"""What an inbox handler gets: the repositories, the remote actor resolver,
signed fetching, sending (raw activities through ``outbound``, domain changes
through ``publisher``), the follow service, the settings, the dispatch table
and the features' services (``ctx.features.rsvps``), all typed and built once
by the composition root.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from fedchapter.actors import LocalActor, RemoteActor
from fedchapter.clock import utc_now
from fedchapter.services.media import MediaService
from fedchapter.services.affiliations import AffiliationService
from fedchapter.services.comments import CommentService
from fedchapter.services.member_directory import ChapterMembers
from fedchapter.services.network_ballots import NetworkBallotService
from fedchapter.services.network_chapters import NetworkChapterService
from fedchapter.services.network_events import NetworkEventService
from fedchapter.services.network_representatives import NetworkRepresentativeService
from fedchapter.services.proposals import ProposalService
from fedchapter.services.rsvps import RsvpService
from fedchapter.services.shared_proposals import SharedProposalService
from fedchapter.settings import Settings
from federation.comment_relay import CommentRelay
from federation.follows import FollowService
from federation.inbox.dispatch import InboxDispatch
from federation.local_actors import chapter_actor
from federation.outbound import Outbound
from federation.ports import FederationStores
from federation.publisher import FederationPublisher
from federation.urls import UrlKind, Urls


class ActorResolver(Protocol):
    async def get(self, actor_id: str, *, refresh: bool = False) -> RemoteActor: ...


class DocumentFetcher(Protocol):
    async def get_json(self, url: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class InboxServices:
    """The domain services the inbox handlers call, one field each."""

    comments: CommentService
    relay: CommentRelay
    proposals: ProposalService
    shared_proposals: SharedProposalService
    rsvps: RsvpService
    network_events: NetworkEventService
    members: ChapterMembers
    # Networks: our memberships (chapter side) and our member chapters (network side).
    affiliations: AffiliationService
    network_chapters: NetworkChapterService
    # Network side: members' ballots forwarded by the member chapters (scope members).
    network_ballots: NetworkBallotService
    # Network side: whom each member chapter sends to our meetings.
    network_representatives: NetworkRepresentativeService
    # Our own copies of remote replies' pictures (docs/media.md); None: links only.
    media: MediaService | None = None


@dataclass(frozen=True)
class InboxContext:
    settings: Settings
    urls: Urls
    stores: FederationStores
    resolver: ActorResolver
    fetcher: DocumentFetcher
    outbound: Outbound
    publisher: FederationPublisher
    follows: FollowService
    dispatch: InboxDispatch
    features: InboxServices
    clock: Callable[[], datetime] = utc_now

    async def chapter_actor(self) -> LocalActor:
        return await chapter_actor(self.stores.chapter, self.stores.actors)

    async def local_actor_at(self, url: str | None) -> LocalActor | None:
        """Our actor with this URL (a Group or Person; the instance actor is /actor)."""
        parsed = self.urls.parse(url)
        if parsed is None or not parsed.is_object:
            return None
        if parsed.kind is UrlKind.INSTANCE_ACTOR:
            profile = await self.stores.chapter.get()
            return None if profile is None else await self.stores.actors.by_id(profile.instance_actor_id)
        if parsed.kind is not UrlKind.ACTOR:
            return None
        return await self.stores.actors.by_username(parsed.id)
