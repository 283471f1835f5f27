"""The port through which the domain announces what it published, changed or
removed. The federation layer implements it (turning each change into an
activity, an outbox row and delivery rows); the domain never knows how.

A service calls ``publish`` inside the same database transaction as the
change itself, so a change is never stored without its deliveries queued, nor
queued without being stored.
"""
from __future__ import annotations

import enum
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Protocol

from fedchapter.visibility import Visibility


class Verb(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class Change:
    verb: Verb
    # The domain object: an Event, Minutes, Proposal, Comment, Post...
    subject: object
    # PUBLIC goes to followers and the public collection; MEMBERS only to
    # member actors (local and remote), never to followers.
    visibility: Visibility = Visibility.PUBLIC
    # Further actors to address (a reply's author, chapters a proposal is shared with).
    recipients: tuple[str, ...] = field(default=())


class Publisher(Protocol):
    async def publish(self, change: Change) -> None: ...


class UnitOfWork(Protocol):
    """A database transaction: everything inside commits together or not at all."""

    def transaction(self) -> AbstractAsyncContextManager[object]: ...
