"""Use cases of pictures and documents: attach an upload to its owner (an
event's poster, a post's photo, a PDF to minutes or an event), remove it,
read it back for whoever may see its owner, and keep a copy of a remote
picture (a reply's) so pages never hot-link another server.

Nothing is stored before the whole upload is checked (fedchapter.media.processing);
the bytes go to the media store first and the row after, so a row never
names missing bytes, and bytes whose row failed are removed again. The row
and the owner's Update are one transaction.
"""
from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import N_, NotFound, ValidationError
from fedchapter.media.model import (
    ROLES_OF,
    SINGLE_ROLES,
    MediaFile,
    MediaKind,
    MediaOwner,
    MediaRole,
    OwnerKind,
)
from fedchapter.media.processing import EncodedImage, check_pdf, encode_image
from fedchapter.publishing import UnitOfWork
from fedchapter.readers import Reader
from fedchapter.tokens import new_short_id

MAX_ALT = 1_500  # Mastodon's limit for a description
MAX_TITLE = 200
DOCUMENT_VARIANT = "document.pdf"


class MediaRecords(Protocol):
    async def add(self, media: MediaFile) -> None: ...
    async def get(self, media_id: str) -> MediaFile | None: ...
    async def of_owner(self, owner: MediaOwner) -> list[MediaFile]: ...
    async def of_owners(self, kind: OwnerKind, ids: list[str]) -> list[MediaFile]: ...
    async def by_source(self, source_url: str) -> MediaFile | None: ...
    async def rename(self, media_id: str, name: str) -> bool: ...
    async def delete(self, media_id: str) -> bool: ...


class MediaFiles(Protocol):
    """Where the bytes are: a local folder now, an S3-compatible store later."""

    async def put(self, key: str, data: bytes) -> None: ...
    async def get(self, key: str) -> bytes | None: ...
    async def remove(self, media_id: str) -> None: ...


class MediaOwners(Protocol):
    async def check_visible(self, owner: MediaOwner, reader: Reader) -> None:
        """Raise NotFound unless ``reader`` may see the owner (and so its files)."""

    async def republish(self, owner: MediaOwner) -> None:
        """Send followers the owner again (an Update), now with its files."""


# (url, byte limit) → the body, fetched through the federation's guarded client.
FetchRemote = Callable[[str, int], Awaitable[bytes]]


@dataclass(frozen=True)
class MediaLimits:
    image_bytes: int = 10_000_000
    document_bytes: int = 20_000_000


def _alt_text(alt: str) -> str:
    text = " ".join(alt.split())
    if not text:
        raise ValidationError("alt", N_("Describe the picture for people who cannot see it."))
    if len(text) > MAX_ALT:
        raise ValidationError("alt", N_("The description is too long: at most %(limit)s characters."),
                              limit=str(MAX_ALT))
    return text


def _document_title(title: str, filename: str) -> str:
    text = " ".join(title.split()) or " ".join(filename.rsplit(".", 1)[0].split()) or "Document"
    if len(text) > MAX_TITLE:
        raise ValidationError("title", N_("The title is too long: at most %(limit)s characters."),
                              limit=str(MAX_TITLE))
    return text


def _download_name(filename: str, title: str) -> str:
    """A safe name to download as: letters, digits, dashes; always .pdf."""
    base = filename.rsplit(".", 1)[0] if filename else title
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in base).strip("-")[:80]
    return f"{safe or 'document'}.pdf"


class MediaService:
    def __init__(
        self,
        records: MediaRecords,
        files: MediaFiles,
        owners: MediaOwners,
        unit_of_work: UnitOfWork,
        *,
        limits: MediaLimits = MediaLimits(),
        fetch_remote: FetchRemote | None = None,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = new_short_id,
    ) -> None:
        self.records = records
        self.files = files
        self.owners = owners
        self.unit_of_work = unit_of_work
        self.limits = limits
        self.fetch_remote = fetch_remote
        self.clock = clock
        self.new_id = new_id

    # -- uploads ---------------------------------------------------------

    async def add_image(self, owner: MediaOwner, role: MediaRole, data: bytes, *, alt: str,
                        reader: Reader) -> MediaFile:
        """A picture for ``owner`` (a poster replaces the one before); published with it."""
        self._check_role(owner, role, MediaKind.IMAGE)
        await self.owners.check_visible(owner, reader)
        alt_text = _alt_text(alt)
        encoded = await asyncio.to_thread(encode_image, data, limit=self.limits.image_bytes)
        return await self._store_image(owner, role, encoded, alt_text, source_url=None)

    async def add_document(self, owner: MediaOwner, data: bytes, *, title: str, filename: str,
                           reader: Reader) -> MediaFile:
        """A PDF attached to ``owner``; published with it."""
        self._check_role(owner, MediaRole.DOCUMENT, MediaKind.DOCUMENT)
        await self.owners.check_visible(owner, reader)
        name = _document_title(title, filename)
        checked = await asyncio.to_thread(check_pdf, data, limit=self.limits.document_bytes)
        media = MediaFile(
            id=self.new_id(), kind=MediaKind.DOCUMENT, owner=owner, role=MediaRole.DOCUMENT,
            media_type=checked.media_type, name=name, width=None, height=None, blurhash="",
            variants=(DOCUMENT_VARIANT,), size=len(data), created_at=self.clock(),
            filename=_download_name(filename, name),
        )
        await self.files.put(media.key(DOCUMENT_VARIANT), data)
        await self._commit(media)
        return media

    def _check_role(self, owner: MediaOwner, role: MediaRole, kind: MediaKind) -> None:
        if role not in ROLES_OF[owner.kind] or (kind is MediaKind.DOCUMENT) != (role is MediaRole.DOCUMENT):
            raise ValidationError("role", N_("This kind of file cannot be attached here."))

    async def _store_image(self, owner: MediaOwner, role: MediaRole, encoded: EncodedImage, name: str,
                           *, source_url: str | None) -> MediaFile:
        """Cached remote pictures (``source_url``) are not published: nothing of ours changed."""
        width, height, largest = encoded.variants[-1]
        media = MediaFile(
            id=self.new_id(), kind=MediaKind.IMAGE, owner=owner, role=role, media_type=encoded.media_type,
            name=name, width=width, height=height, blurhash=encoded.blurhash,
            variants=tuple(f"{w}.{encoded.extension}" for w, _, _ in encoded.variants),
            size=len(largest), created_at=self.clock(), source_url=source_url,
        )
        for variant, (_, _, data) in zip(media.variants, encoded.variants, strict=True):
            await self.files.put(media.key(variant), data)
        await self._commit(media, publish=source_url is None)
        return media

    async def _commit(self, media: MediaFile, *, publish: bool = True) -> None:
        """The row, the retirement of the file it replaces and the owner's Update,
        in one transaction; the bytes of a failed row (or a replaced file) removed after."""
        replaced: list[MediaFile] = []
        try:
            async with self.unit_of_work.transaction():
                await self.records.add(media)
                if media.role in SINGLE_ROLES:
                    for older in await self.records.of_owner(media.owner):
                        if older.role is media.role and older.id != media.id:
                            await self.records.delete(older.id)
                            replaced.append(older)
                if publish:
                    await self.owners.republish(media.owner)
        except BaseException:
            await self.files.remove(media.id)
            raise
        for older in replaced:
            await self.files.remove(older.id)

    async def remove(self, media_id: str, owner: MediaOwner, reader: Reader) -> None:
        media = await self.records.get(media_id)
        if media is None or media.owner != owner:
            raise NotFound("no such file")
        await self.owners.check_visible(owner, reader)
        async with self.unit_of_work.transaction():
            await self.records.delete(media.id)
            await self.owners.republish(owner)
        await self.files.remove(media.id)

    # -- reading ---------------------------------------------------------

    async def of_owner(self, owner: MediaOwner) -> list[MediaFile]:
        """Every file of ``owner``, oldest first (callers have checked the owner is visible)."""
        return await self.records.of_owner(owner)

    async def of_owners(self, kind: OwnerKind, ids: list[str]) -> dict[str, list[MediaFile]]:
        """The files of several owners of one kind (a thread's replies), by owner id."""
        found: dict[str, list[MediaFile]] = {}
        for media in await self.records.of_owners(kind, ids):
            found.setdefault(media.owner.id, []).append(media)
        return found

    async def open(self, media_id: str, variant: str, reader: Reader) -> tuple[MediaFile, bytes]:
        """One stored variant, if ``reader`` may see the file's owner; NotFound otherwise."""
        media = await self.records.get(media_id)
        if media is None or variant not in media.variants:
            raise NotFound("no such file")
        await self.owners.check_visible(media.owner, reader)
        data = await self.files.get(media.key(variant))
        if data is None:
            raise NotFound("no such file")
        return media, data

    # -- remote pictures -------------------------------------------------

    async def cache_remote_image(self, owner: MediaOwner, url: str, *, alt: str) -> MediaFile:
        """Our own copy of a remote picture: fetched (size-limited, through the
        address guard), re-encoded like an upload. Each URL is fetched once per
        owner; an edit that only changed its description changes our copy's."""
        _check_remote(owner)
        if not url.startswith(("https://", "http://")):
            raise ValidationError("url", N_("Only http and https addresses are fetched."))
        text = " ".join(alt.split())[:MAX_ALT]
        existing = next((m for m in await self.records.of_owner(owner) if m.source_url == url), None)
        if existing is not None:
            if existing.name != text:
                await self.records.rename(existing.id, text)
                existing = dataclasses.replace(existing, name=text)
            return existing
        if self.fetch_remote is None:
            raise ValidationError("url", N_("Remote files are not fetched here."))
        data = await self.fetch_remote(url, self.limits.image_bytes)
        encoded = await asyncio.to_thread(encode_image, data, limit=self.limits.image_bytes, field="url")
        media = await self._store_image(owner, MediaRole.ATTACHMENT, encoded, text, source_url=url)
        if owner.kind is OwnerKind.REMOTE_EVENT:
            # An event has one picture: the copy of the one it carried before goes.
            for older in await self.records.of_owner(owner):
                if older.id != media.id:
                    async with self.unit_of_work.transaction():
                        await self.records.delete(older.id)
                    await self.files.remove(older.id)
        return media

    async def drop_remote_except(self, owner: MediaOwner, urls: set[str]) -> int:
        """A remote object was edited: our copies of pictures it no longer
        carries go (each row first, its bytes once that committed). How many went."""
        _check_remote(owner)
        dropped = 0
        for media in await self.records.of_owner(owner):
            if media.source_url in urls:
                continue
            async with self.unit_of_work.transaction():
                deleted = await self.records.delete(media.id)
            if deleted:
                await self.files.remove(media.id)
                dropped += 1
        return dropped


def _check_remote(owner: MediaOwner) -> None:
    if owner.kind not in (OwnerKind.COMMENT, OwnerKind.REMOTE_EVENT):
        raise ValidationError("owner", N_("This kind of file cannot be attached here."))
