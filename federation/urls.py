"""Every URL we mint, built in one place (as Mastodon does).

An object has one URL for both browsers and servers (content negotiation), so
the ActivityPub id is also the HTML address.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, unquote, urlsplit


class UrlKind(StrEnum):
    """What one of our URLs names: the first segment of its path."""

    ACTOR = "actors"
    INSTANCE_ACTOR = "actor"
    EVENT = "events"
    MINUTES = "minutes"
    POST = "posts"
    PROPOSAL = "proposals"
    COMMENT = "comments"
    ACTIVITY = "activities"


@dataclass(frozen=True)
class LocalUrl:
    """One of our URLs, read back: ``/events/abc/replies`` is
    ``LocalUrl(UrlKind.EVENT, "abc", "replies")``."""

    kind: UrlKind
    # The short id or the username ("" for the instance actor).
    id: str
    # What follows the id ("inbox", "replies"...), "" for the thing itself.
    rest: str = ""

    @property
    def is_object(self) -> bool:
        """The object itself, not a collection or file under it."""
        return self.rest == ""


@dataclass(frozen=True)
class Urls:
    base_url: str

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def absolute(self, path: str) -> str:
        return self.base_url + path

    # Actors -----------------------------------------------------------------
    def actor(self, username: str) -> str:
        return self.absolute(f"/actors/{quote(username)}")

    def instance_actor(self) -> str:
        return self.absolute("/actor")

    def inbox(self, username: str) -> str:
        return self.actor(username) + "/inbox"

    def instance_inbox(self) -> str:
        return self.instance_actor() + "/inbox"

    def outbox(self, username: str) -> str:
        return self.actor(username) + "/outbox"

    def followers(self, username: str) -> str:
        return self.actor(username) + "/followers"

    def following(self, username: str) -> str:
        return self.actor(username) + "/following"

    def members(self, username: str) -> str:
        return self.actor(username) + "/members"

    def moderators(self, username: str) -> str:
        return self.actor(username) + "/moderators"

    def events_collection(self, username: str) -> str:
        return self.actor(username) + "/events"

    def key_id(self, actor_url: str) -> str:
        return actor_url + "#main-key"

    def shared_inbox(self) -> str:
        return self.absolute("/inbox")

    # Objects ----------------------------------------------------------------
    def event(self, event_id: str) -> str:
        return self.absolute(f"/events/{event_id}")

    def event_ics(self, event_id: str) -> str:
        return self.event(event_id) + ".ics"

    def minutes(self, minutes_id: str) -> str:
        return self.absolute(f"/minutes/{minutes_id}")

    def post(self, post_id: str) -> str:
        return self.absolute(f"/posts/{post_id}")

    def media(self, media_id: str, variant: str) -> str:
        """One stored file of a picture or document (web/routes/media.py)."""
        return self.absolute(f"/media/{media_id}/{variant}")

    def proposal(self, proposal_id: str) -> str:
        return self.absolute(f"/proposals/{proposal_id}")

    def comment(self, comment_id: str) -> str:
        return self.absolute(f"/comments/{comment_id}")

    def replies(self, object_url: str) -> str:
        return object_url + "/replies"

    def activity(self, activity_id: str) -> str:
        return self.absolute(f"/activities/{activity_id}")

    def is_local(self, url: str) -> bool:
        return url == self.base_url or url.startswith(self.base_url + "/")

    def parse(self, url: object) -> LocalUrl | None:
        """The one reader of our own URLs: which of our things ``url`` names,
        or None for a remote URL, one with a query or fragment, or a path we
        never mint. Every inbox handler, finder and route asks this instead
        of slicing prefixes by hand."""
        if not isinstance(url, str) or not self.is_local(url) or "?" in url or "#" in url:
            return None
        segments = url[len(self.base_url) + 1:].split("/")
        try:
            kind = UrlKind(segments[0])
        except ValueError:
            return None
        if kind is UrlKind.INSTANCE_ACTOR:
            rest = "/".join(segments[1:])
            return LocalUrl(kind, "", rest)
        if len(segments) < 2 or not segments[1]:
            return None
        short_id = unquote(segments[1])
        rest = "/".join(segments[2:])
        # Ids we mint never hold a dot; a suffix such as ".ics" names a file.
        if kind is not UrlKind.ACTOR and "." in short_id:
            short_id, _, suffix = short_id.partition(".")
            rest = rest or f".{suffix}"
        if not short_id or "/" in short_id:
            return None
        return LocalUrl(kind, short_id, rest)

    def id_of(self, url: object, kind: UrlKind) -> str | None:
        """The short id when ``url`` is exactly one of our objects of ``kind``."""
        parsed = self.parse(url)
        if parsed is None or parsed.kind is not kind or not parsed.is_object:
            return None
        return parsed.id

    def thread_context(self, object_url: str) -> str:
        """FEP-7888: the collection of a thread (the object and its comments),
        the `context` and `conversation` of everything in it."""
        return object_url + "/context"
