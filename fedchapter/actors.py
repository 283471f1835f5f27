"""Actors as the domain knows them: our own (the chapter's Group, the instance
Application, members' Persons) and remote ones (a Mastodon account, another
chapter). Plain data; the ActivityStreams shapes live in ``federation``."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit


class LocalActorKind(enum.StrEnum):
    GROUP = "group"
    APPLICATION = "application"
    PERSON = "person"


# The instance actor's username; nobody else may take it. (Actor URLs live
# under /actors/, so other names cannot collide with routes.)
RESERVED_USERNAMES = frozenset({"instance"})


@dataclass(frozen=True)
class LocalActor:
    id: int
    username: str
    kind: LocalActorKind
    display_name: str
    summary: str
    public_key_pem: str
    private_key_pem: str
    created_at: datetime


@dataclass(frozen=True)
class RemoteActor:
    """What we keep of an actor on another server (cached, refreshed when old)."""

    id: str
    type: str
    inbox: str
    public_key_id: str
    public_key_pem: str
    fetched_at: datetime
    preferred_username: str | None = None
    name: str | None = None
    shared_inbox: str | None = None
    url: str | None = None
    icon_url: str | None = None
    followers: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.id).netloc

    @property
    def handle(self) -> str | None:
        if not self.preferred_username:
            return None
        return f"@{self.preferred_username}@{self.host}"

    @property
    def display_name(self) -> str:
        return self.name or self.preferred_username or self.id

    @property
    def delivery_inbox(self) -> str:
        """One POST per server: the shared inbox when the server offers one."""
        return self.shared_inbox or self.inbox
