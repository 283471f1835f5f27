"""Publish N small public notes from a chapter's data folder, through the real
publisher, as a feature would (used by the end-to-end test while the chapter's
server may be running or stopped).

    python -m tests.e2e.publish_notes DATA_DIR COUNT
"""
from __future__ import annotations

import asyncio
import sys
from functools import partial
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fedchapter.publishing import Change, Verb
from fedchapter.settings import load_settings
from fedchapter.services.member_directory import ChapterMembers
from federation.runtime import Federation
from federation.to_as.registry import ConversionContext, Converters
from federation.urls import UrlKind, Urls
from storage.migrations import open_database
from storage.repositories import Repositories


@dataclass(frozen=True)
class Notice:
    number: int


def notice_to_as(notice: Notice, ctx: ConversionContext) -> dict[str, Any]:
    return {"id": ctx.urls.post(f"e2e-{notice.number}"), "type": "Note",
            "content": f"<p>notice {notice.number}</p>", "attributedTo": ctx.actor_url}


async def publish(data_dir: Path, count: int) -> None:
    settings = load_settings(data_dir)
    database = await open_database(settings.database_target)
    try:
        repos = Repositories.for_database(database)
        urls = Urls(settings.base_url)
        members = ChapterMembers(repos.users, repos.remote_members, urls.actor,
                                 partial(urls.id_of, kind=UrlKind.ACTOR))
        federation = await Federation.build(
            settings, repos, members=members, converters=Converters({Notice: notice_to_as})
        )
        for number in range(count):
            await federation.publisher.publish(Change(Verb.CREATE, Notice(number)))
        await federation.aclose()
    finally:
        await database.close()


if __name__ == "__main__":
    asyncio.run(publish(Path(sys.argv[1]), int(sys.argv[2])))
