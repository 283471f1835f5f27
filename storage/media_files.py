"""Where media bytes live: a folder in the data folder (``<data>/media``).

One implementation of ``fedchapter.services.media.MediaFiles``; an
S3-compatible store would be another, chosen by a setting (docs/media.md).
Keys are "<id>/<variant>" made by us; anything else is refused so that no
key can name a path outside the folder.
"""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from pathlib import Path

_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}/[a-z0-9]{1,16}\.[a-z]{2,4}$")
_PREFIX = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _checked(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError(f"not a media key: {key!r}")
    return key


class LocalMediaFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _write(self, key: str, data: bytes) -> None:
        target = self.folder / _checked(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, key: str) -> bytes | None:
        try:
            return (self.folder / _checked(key)).read_bytes()
        except FileNotFoundError:
            return None

    def _remove(self, prefix: str) -> None:
        if not _PREFIX.match(prefix):
            raise ValueError(f"not a media id: {prefix!r}")
        shutil.rmtree(self.folder / prefix, ignore_errors=True)

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, key, data)

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._read, key)

    async def remove(self, media_id: str) -> None:
        await asyncio.to_thread(self._remove, media_id)
