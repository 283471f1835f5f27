"""Publish N small public notes from a chapter's data folder, through the real
publisher, as a feature would (used by the end-to-end test while the chapter's
server may be running or stopped).

    python -m tests.e2e.publish_notes DATA_DIR COUNT
"""
from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fedchapter.publishing import Change, Verb
from fedchapter.settings import load_settings
from federation.runtime import Federation
from federation.to_as.registry import ConversionContext, register_converter
from storage.migrations import open_database
from storage.repositories import Repositories


@dataclass(frozen=True)
class Notice:
    number: int


def notice_to_as(notice: Notice, ctx: ConversionContext) -> dict[str, Any]:
    return {"id": ctx.urls.post(f"e2e-{notice.number}"), "type": "Note",
            "content": f"<p>notice {notice.number}</p>", "attributedTo": ctx.actor_url}


async def publish(data_dir: Path, count: int) -> None:
    register_converter(Notice, notice_to_as)
    settings = load_settings(data_dir)
    database = await open_database(settings.database_path)
    try:
        federation = await Federation.build(settings, Repositories.for_database(database))
        for number in range(count):
            await federation.publisher.publish(Change(Verb.CREATE, Notice(number)))
        await federation.aclose()
    finally:
        await database.close()


if __name__ == "__main__":
    asyncio.run(publish(Path(sys.argv[1]), int(sys.argv[2])))
