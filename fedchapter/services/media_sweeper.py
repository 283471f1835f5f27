"""Removing the files of owners that are gone: deleted events, posts and
minutes, deleted remote replies, followed chapters' events removed or over.

A sweep run by the background workers rather than a step of each deleting
use case, because owners go in many places (an organiser's delete, the API,
a remote Delete, an actor's Delete taking its replies, remote events
expiring) that do not know about files, and an upload racing a delete can
add a row after the owner went; a sweep finds all of these the same way.

Nothing acknowledged is lost: a row is deleted only while its owner is
still gone (checked in the DELETE itself), and its bytes are removed only
after that deletion committed, when no row names them any more. A crash in
between leaves bytes without a row, never a row without bytes.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from fedchapter.media.model import MediaFile
from fedchapter.publishing import UnitOfWork
from fedchapter.services.media import MediaFiles

log = logging.getLogger(__name__)

SWEEP_EVERY = 3600.0  # seconds: a gone owner's files are not served anyway (docs/media.md)
PAUSE_AFTER_ERROR = 60.0
BATCH = 200


class OrphanRecords(Protocol):
    async def orphans(self, limit: int) -> list[MediaFile]: ...
    async def delete_orphan(self, media_id: str) -> bool: ...


class MediaSweeper:
    def __init__(self, records: OrphanRecords, files: MediaFiles, unit_of_work: UnitOfWork,
                 *, every: float = SWEEP_EVERY) -> None:
        self.records = records
        self.files = files
        self.unit_of_work = unit_of_work
        self.every = every

    async def sweep(self) -> int:
        """Remove every orphaned file; how many went."""
        removed = 0
        while True:
            batch = await self.records.orphans(BATCH)
            gone = 0
            for media in batch:
                async with self.unit_of_work.transaction():
                    deleted = await self.records.delete_orphan(media.id)
                if deleted:  # committed: no row names these bytes now
                    await self.files.remove(media.id)
                    gone += 1
            removed += gone
            # Another process may have taken this batch; stop when nothing moved.
            if len(batch) < BATCH or gone == 0:
                return removed

    async def run(self) -> None:
        while True:
            delay = self.every
            try:
                await self.sweep()
            except Exception:  # keep going: the next sweep tries again
                log.exception("the media sweep failed; trying again shortly")
                delay = PAUSE_AFTER_ERROR
            await asyncio.sleep(delay)
