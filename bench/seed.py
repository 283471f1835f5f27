"""Followers for the fan-out, written straight into a chapter's database
through ``FollowerRepository.upsert`` while the server is stopped (5,000
Follow handshakes over HTTP would take longer than the benchmark itself).

Run: ``python -m bench.seed --data DIR --servers FILE --per-server 10``
(``FILE``: one sink base URL per line, e.g. ``http://127.0.0.7:40123``).
Every follower lives on a sink server that offers a shared inbox, so a
public post makes one delivery per server.
"""
from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from fedchapter.settings import load_settings
from storage.actors import ChapterRepository
from storage.migrations import open_database
from storage.social import FollowerRepository


async def add_followers(data: Path, servers: list[str], per_server: int) -> int:
    settings = load_settings(data)
    database = await open_database(settings.database_target)
    try:
        profile = await ChapterRepository(database).get()
        if profile is None:
            raise SystemExit(f"{data} has no chapter")
        followers = FollowerRepository(database)
        added = 0
        async with database.transaction():  # one commit, not 5,000
            for server in servers:
                for number in range(per_server):
                    actor_id = f"{server}/users/follower{number}"
                    await followers.upsert(
                        profile.actor_id, actor_id=actor_id, inbox=f"{actor_id}/inbox",
                        shared_inbox=f"{server}/inbox", follow_activity_id=f"{actor_id}/follows/1",
                        state="accepted",
                    )
                    added += 1
        return added
    finally:
        await database.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--servers", type=Path, required=True)
    parser.add_argument("--per-server", type=int, default=10)
    args = parser.parse_args()
    servers = [line.strip().rstrip("/") for line in args.servers.read_text().splitlines() if line.strip()]
    print(asyncio.run(add_followers(args.data, servers, args.per_server)))


if __name__ == "__main__":
    main()
