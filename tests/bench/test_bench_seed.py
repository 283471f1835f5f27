"""The fan-out's followers are written straight into a chapter's database, on
whatever database the chapter uses (the bench seeds before every fan-out)."""
from __future__ import annotations

from pathlib import Path

from bench.seed import add_followers
from fedchapter.cli.init import create_chapter_async
from fedchapter.settings import load_settings
from storage.migrations import open_database
from tests.support.keys import pooled_keypair


async def test_seeding_adds_accepted_followers_on_each_server(tmp_path: Path) -> None:
    await create_chapter_async(tmp_path, base_url="http://127.0.0.1:8000", handle="london", name="London",
                               summary="", timezone="Europe/London", admin_username="admin",
                               admin_password="a long enough password", dev=True, make_keypair=pooled_keypair)
    servers = ["http://127.0.0.7:40123", "http://127.0.0.8:40123"]
    assert await add_followers(tmp_path, servers, 3) == 6
    database = await open_database(load_settings(tmp_path, environ={}).database_target)
    try:
        rows = await database.fetchall("SELECT shared_inbox, state FROM followers")
    finally:
        await database.close()
    assert sorted({(row[0], row[1]) for row in rows}) == [
        ("http://127.0.0.7:40123/inbox", "accepted"), ("http://127.0.0.8:40123/inbox", "accepted")]
    assert len(rows) == 6
