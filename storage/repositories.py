"""All repositories of one database, built in one place for the composition root."""
from __future__ import annotations

from dataclasses import dataclass

from storage.actors import ChapterRepository, LocalActorRepository
from storage.database import Database
from storage.social import FollowerRepository, FollowingRepository, OutboxRepository
from storage.users import UserRepository


@dataclass
class Repositories:
    database: Database
    actors: LocalActorRepository
    chapter: ChapterRepository
    users: UserRepository
    followers: FollowerRepository
    following: FollowingRepository
    outbox: OutboxRepository

    @classmethod
    def for_database(cls, database: Database) -> Repositories:
        return cls(
            database=database,
            actors=LocalActorRepository(database),
            chapter=ChapterRepository(database),
            users=UserRepository(database),
            followers=FollowerRepository(database),
            following=FollowingRepository(database),
            outbox=OutboxRepository(database),
        )
