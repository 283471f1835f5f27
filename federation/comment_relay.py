"""Comments on the fediverse: a local member's comment goes out as their own
Create(Note), and the chapter relays every accepted comment to its audience
(followers for public objects, members for members-only ones) per FEP-1b12.

Relaying sends both ``Announce(Create(note))`` and ``Announce(note)``, as
Lemmy does: Mastodon and Pleroma show only an Announce of an embedded object,
Lemmy and group-aware servers expect the Announce of the activity.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from fedchapter.actors import LocalActor
from fedchapter.clock import to_iso
from fedchapter.comments import Comment
from fedchapter.publishing import Change, Verb
from fedchapter.visibility import Visibility
from federation.local_actors import local_actor_url
from federation.publisher import FederationPublisher
from federation.vocabulary import PUBLIC, context


async def chapter_group(publisher: FederationPublisher) -> LocalActor:
    profile = await publisher.chapter.get()
    group = None if profile is None else await publisher.actors.by_id(profile.actor_id)
    if group is None:
        raise RuntimeError("the database has no chapter actor")
    return group


class CommentRelay:
    """Announces comments (and their removal) from the chapter's Group."""

    def __init__(self, publisher: FederationPublisher) -> None:
        self.publisher = publisher

    async def _audience(self, group: LocalActor, visibility: Visibility) -> tuple[list[str], list[str], list[str]]:
        """(to, cc, member actor ids to deliver to)."""
        if visibility is Visibility.PUBLIC:
            return [PUBLIC], [self.publisher.urls.followers(group.username)], []
        members = await self.publisher.members.member_actor_ids()
        return members, [], members

    async def announce(self, inner: dict[str, Any], visibility: Visibility, *, author: str | None = None) -> None:
        """Send ``Announce(inner)`` from the Group to the object's audience (and its author)."""
        group = await chapter_group(self.publisher)
        to, cc, members = await self._audience(group, visibility)
        embedded = {key: value for key, value in inner.items() if key != "@context"}
        activity = {
            "@context": context(),
            "id": self.publisher.outbound.new_activity_id(),
            "type": "Announce",
            "actor": local_actor_url(self.publisher.urls, group),
            "published": to_iso(self.publisher.clock()),
            "to": to,
            "cc": cc,
            "object": embedded,
        }
        public = visibility is Visibility.PUBLIC
        inboxes = await self.publisher.followers.delivery_inboxes(group.id) if public else []
        recipients = [*members, *([author] if author else [])]
        await self.publisher.outbound.send(activity, group, recipients, inboxes=inboxes, public=public)

    async def relay_created(self, create: dict[str, Any], note: dict[str, Any], visibility: Visibility) -> None:
        author = note.get("attributedTo") if isinstance(note.get("attributedTo"), str) else None
        await self.announce(create, visibility, author=author)
        await self.announce(note, visibility, author=author)


class RecordPublisher:
    """The Publisher the minutes, posts and comments services are given.

    Minutes and posts pass straight to the federation publisher (a Create,
    Update or Delete by the Group). A local comment is published by its
    author's Person and then relayed; the removal of a remote comment by a
    moderator is announced by the Group, which does not own it.
    """

    def __init__(self, publisher: FederationPublisher, relay: CommentRelay) -> None:
        self.publisher = publisher
        self.relay = relay

    async def publish(self, change: Change) -> None:
        if not isinstance(change.subject, Comment):
            await self.publisher.publish(change)
            return
        async with self.publisher.database.transaction():
            await self._publish_comment(change.subject, change)

    async def _publish_comment(self, comment: Comment, change: Change) -> None:
        group = await chapter_group(self.publisher)
        group_url = local_actor_url(self.publisher.urls, group)
        if not comment.is_local:
            if change.verb is Verb.DELETE:
                removal = {
                    "id": self.publisher.outbound.new_activity_id(), "type": "Delete",
                    "actor": group_url, "object": comment.ap_id,
                }
                await self.relay.announce(removal, change.visibility, author=comment.author.actor_id)
            return
        username = unquote(comment.author.actor_id.rsplit("/", 1)[-1])
        person = await self.publisher.actors.by_username(username)
        if person is None or self.publisher.urls.actor(username) != comment.author.actor_id:
            raise LookupError(f"no local actor for {comment.author.actor_id}")
        addressed = Change(change.verb, comment, visibility=change.visibility,
                           recipients=(group_url, *change.recipients))
        activity = await self.publisher.publish_as(person, addressed)
        if change.verb is Verb.CREATE:
            await self.relay.relay_created(activity, activity["object"], change.visibility)
        else:
            await self.relay.announce(activity, change.visibility)
