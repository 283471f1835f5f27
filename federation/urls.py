"""Every URL we mint, built in one place (as Mastodon does).

An object has one URL for both browsers and servers (content negotiation), so
the ActivityPub id is also the HTML address.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit


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
