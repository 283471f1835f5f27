"""Comments on the fediverse: a local member's comment goes out as their own
Create(Note), and the chapter relays every accepted comment to its audience
(followers for public objects, members for members-only ones) per FEP-1b12.

Relaying sends both ``Announce(Create(note))`` and ``Announce(note)``, as
Lemmy does: Mastodon and Pleroma show only an Announce of an embedded object,
Lemmy and group-aware servers expect the Announce of the activity.

Remote replies pass a :class:`federation.relay_gate.RelayGate` first (who is
relayed, how often): one reply would otherwise become two deliveries per
follower inbox, for anyone on the fediverse (docs/security.md, Federation).
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
from federation.relay_gate import Admission, RelayGate, RelayReplies
from federation.vocabulary import PUBLIC, context


async def chapter_group(publisher: FederationPublisher) -> LocalActor:
    profile = await publisher.chapter.get()
    group = None if profile is None else await publisher.actors.by_id(profile.actor_id)
    if group is None:
        raise RuntimeError("the database has no chapter actor")
    return group


class CommentRelay:
    """Announces comments (and their removal) from the chapter's Group."""

    def __init__(self, publisher: FederationPublisher, gate: RelayGate) -> None:
        self.publisher = publisher
        self.gate = gate

    async def _audience(self, group: LocalActor, visibility: Visibility) -> tuple[list[str], list[str], list[str]]:
        """(to, cc, member actor ids to deliver to)."""
        if visibility is Visibility.PUBLIC:
            return [PUBLIC], [self.publisher.urls.followers(group.username)], []
        members = await self.publisher.members.member_actor_ids()
        return members, [], members

    async def announce(
        self, inner: dict[str, Any] | str, visibility: Visibility, *, author: str | None = None
    ) -> None:
        """Send ``Announce(inner)`` from the Group to the object's audience (and its author);
        ``inner`` is embedded, or given by its id alone."""
        group = await chapter_group(self.publisher)
        to, cc, members = await self._audience(group, visibility)
        embedded = inner if isinstance(inner, str) else {
            key: value for key, value in inner.items() if key != "@context"
        }
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

    # Remote replies: through the gate -------------------------------------

    async def admission(self, author_id: str) -> Admission:
        """Asked before a new remote reply is stored (a held one is stored hidden)."""
        return await self.gate.admit_reply(author_id)

    async def relay_remote_reply(
        self, create: dict[str, Any], note: dict[str, Any], visibility: Visibility, admission: Admission
    ) -> bool:
        """Relay a stored remote reply if the gate admitted it and its author is under the cap."""
        author, note_id = note.get("attributedTo"), note.get("id")
        if admission is not Admission.RELAY or not isinstance(author, str) or not isinstance(note_id, str):
            return False
        if not await self.gate.take(note_id, author):
            return False
        await self.relay_created(create, note, visibility)
        return True

    async def relay_remote_change(
        self, activity: dict[str, Any], note_id: str, visibility: Visibility, *, is_update: bool
    ) -> bool:
        """An Update (counted against the cap) or Delete of a remote reply:
        relayed only when the reply itself was."""
        actor = activity.get("actor")
        if not isinstance(actor, str) or not await self.gate.admit_change(note_id, actor, counted=is_update):
            return False
        await self.announce(activity, visibility)
        return True

    async def relay_approved(self, comment: Comment, visibility: Visibility) -> bool:
        """A moderator showed a held remote reply (``moderated`` chapters): relay
        it once, as an Announce of its id (the receiving servers fetch it)."""
        policy, _ = await self.gate.log.policy()
        if policy != RelayReplies.MODERATED or await self.gate.log.was_relayed(comment.ap_id):
            return False
        await self.gate.log.record(comment.ap_id, comment.author.actor_id, self.publisher.clock())
        await self.announce(comment.ap_id, visibility, author=comment.author.actor_id)
        return True


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
            elif change.verb is Verb.CREATE:  # a moderator showed a held reply
                await self.relay.relay_approved(comment, change.visibility)
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
