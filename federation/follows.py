"""Follows both ways, as one service the inbox handlers, the CLI and the admin
pages share.

- Someone follows one of our actors: a follower row and an ``Accept``
  (embedding their Follow) sent at once, or a 'pending' row when the chapter
  approves followers by hand; then ``approve`` / ``reject``.
- The chapter follows someone (``follow``): a 'pending' following row and a
  ``Follow``; their Accept or Reject settles it; ``unfollow`` sends Undo.
"""
from __future__ import annotations

from typing import Any, Protocol

from fedchapter.actors import LocalActor, LocalActorKind, RemoteActor
from fedchapter.errors import N_, Conflict, NotFound, ValidationError
from fedchapter.queue_states import FollowState
from federation.local_actors import chapter_actor, local_actor_url
from federation.outbound import Outbound
from federation.ports import FederationStores, FollowerRow
from federation.urls import Urls
from federation.vocabulary import AS_CONTEXT


class FollowTargetResolver(Protocol):
    async def get(self, actor_id: str, *, refresh: bool = False) -> RemoteActor: ...

    async def by_handle(self, handle: str) -> RemoteActor: ...


def _embedded(activity: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in activity.items() if key != "@context"}


class FollowService:
    def __init__(
        self, *, stores: FederationStores, resolver: FollowTargetResolver, outbound: Outbound, urls: Urls
    ) -> None:
        self.stores = stores
        self.resolver = resolver
        self.outbound = outbound
        self.urls = urls

    async def _chapter_actor(self) -> LocalActor:
        return await chapter_actor(self.stores.chapter, self.stores.actors)

    # Others following us ---------------------------------------------------

    async def receive_follow(self, local_actor: LocalActor, follower: RemoteActor, follow: dict[str, Any]) -> str:
        """Record a Follow of ``local_actor``; answer it unless approval is manual. Returns the state."""
        profile = await self.stores.chapter.get()
        manual = (
            local_actor.kind is LocalActorKind.GROUP and profile is not None and profile.approve_followers
        )
        existing = await self.stores.followers.get(local_actor.id, follower.id)
        already = existing is not None and existing.state == FollowState.ACCEPTED
        state = FollowState.ACCEPTED if not manual or already else FollowState.PENDING
        async with self.stores.database.transaction():
            await self.stores.followers.upsert(
                local_actor.id, actor_id=follower.id, inbox=follower.inbox,
                shared_inbox=follower.shared_inbox, follow_activity_id=str(follow["id"]), state=state.value,
            )
            if state is FollowState.ACCEPTED:
                # Also for a repeated Follow: the peer may have missed our first Accept.
                await self._send_answer(local_actor, follower.id, follow, "Accept")
        return state

    async def approve(self, follower_actor_id: str, local_actor: LocalActor | None = None) -> None:
        actor, row = await self._request(follower_actor_id, local_actor)
        async with self.stores.database.transaction():
            await self.stores.followers.upsert(
                actor.id, actor_id=row.actor_id, inbox=row.inbox, shared_inbox=row.shared_inbox,
                follow_activity_id=row.follow_activity_id, state=FollowState.ACCEPTED.value,
            )
            await self._answer_stored_follow(actor, row, "Accept")

    async def reject(self, follower_actor_id: str, local_actor: LocalActor | None = None) -> None:
        """Refuse a pending request (or remove a follower) and tell them."""
        actor, row = await self._request(follower_actor_id, local_actor)
        async with self.stores.database.transaction():
            await self.stores.followers.remove(actor.id, row.actor_id)
            await self._answer_stored_follow(actor, row, "Reject")

    # The admin's list of requests: named by number ---------------------------

    async def followers(self, state: FollowState, *, limit: int, offset: int) -> list[FollowerRow]:
        """The chapter's followers in ``state``, oldest first."""
        actor = await self._chapter_actor()
        return await self.stores.followers.listing(actor.id, state.value, limit=limit, offset=offset)

    async def answer_request(self, number: int, *, accept: bool) -> FollowerRow:
        """Accept or reject the chapter's follow request ``number``. A request
        that was withdrawn (Undo), blocked or already answered is refused
        with the reason, and nothing is sent."""
        actor = await self._chapter_actor()
        row = await self.stores.followers.by_number(actor.id, number)
        if row is None:
            raise NotFound(f"there is no follow request {number}: it was withdrawn or already answered")
        if row.state != FollowState.PENDING:
            raise Conflict(f"{row.actor_id} already follows the chapter; the request was answered")
        if accept:
            await self.approve(row.actor_id, actor)
        else:
            await self.reject(row.actor_id, actor)
        return row

    async def _request(self, follower_actor_id: str, local_actor: LocalActor | None) -> tuple[LocalActor, FollowerRow]:
        actor = local_actor or await self._chapter_actor()
        row = await self.stores.followers.get(actor.id, follower_actor_id)
        if row is None:
            raise NotFound(f"no follow request from {follower_actor_id}")
        return actor, row

    async def _answer_stored_follow(self, actor: LocalActor, follower: FollowerRow, verb: str) -> None:
        # Their Follow, rebuilt from what we stored: its id is what they match our answer by.
        follow = {"id": follower.follow_activity_id, "type": "Follow", "actor": follower.actor_id,
                  "object": local_actor_url(self.urls, actor)}
        await self._send_answer(actor, follower.actor_id, follow, verb)

    async def _send_answer(self, actor: LocalActor, follower_id: str, follow: dict[str, Any], verb: str) -> None:
        answer = self._activity(verb, actor, _embedded(follow), follower_id)
        await self.outbound.send(answer, actor, [follower_id])

    def _activity(self, verb: str, actor: LocalActor, obj: Any, addressee: str) -> dict[str, Any]:
        return {
            "@context": AS_CONTEXT,
            "id": self.outbound.new_activity_id(),
            "type": verb,
            "actor": local_actor_url(self.urls, actor),
            "object": obj,
            "to": [addressee],
        }

    # Us following others ---------------------------------------------------

    async def resolve(self, target: str) -> RemoteActor:
        """``@name@host``, ``name@host`` or an actor URL to the remote actor."""
        target = target.strip()
        if target.startswith(("http://", "https://")):
            if self.urls.is_local(target):
                raise ValidationError("target", N_("that is one of this server's own actors"))
            return await self.resolver.get(target)
        if "@" not in target.lstrip("@"):
            raise ValidationError("target", N_("give @name@host or an actor URL"))
        actor = await self.resolver.by_handle(target)
        if self.urls.is_local(actor.id):
            raise ValidationError("target", N_("that is one of this server's own actors"))
        return actor

    async def follow(self, target: str) -> str:
        """The chapter follows ``target``; returns the followed actor's id."""
        followed = await self.resolve(target)
        actor = await self._chapter_actor()
        follow = self._activity("Follow", actor, followed.id, followed.id)
        async with self.stores.database.transaction():
            await self.stores.following.add(actor.id, followed.id, follow["id"])
            await self.outbound.send(follow, actor, [followed.id])
        return followed.id

    async def unfollow(self, actor_id: str) -> None:
        actor = await self._chapter_actor()
        followed = await self.stores.following.get(actor.id, actor_id)
        if followed is None:
            raise NotFound(f"the chapter does not follow {actor_id}")
        # The Follow as we sent it: its id is what they match the Undo by.
        follow = {"id": followed.follow_activity_id, "type": "Follow",
                  "actor": local_actor_url(self.urls, actor), "object": actor_id}
        undo = self._activity("Undo", actor, follow, actor_id)
        async with self.stores.database.transaction():
            await self.stores.following.remove(actor.id, actor_id)
            await self.outbound.send(undo, actor, [actor_id])
