"""The files that go out with a published object: the publisher and the
routes that serve our objects look them up here before converting, and pass
them to the converters in ``ConversionContext.media``."""
from __future__ import annotations

from typing import Protocol

from fedchapter.errors import N_, ValidationError
from fedchapter.media.model import MediaFile, MediaOwner
from fedchapter.media.owners import media_owner_of
from federation.safe_http import FederationClient, FetchError


class MediaRecordStore(Protocol):
    async def of_owner(self, owner: MediaOwner) -> list[MediaFile]: ...


class MediaAttachments:
    def __init__(self, records: MediaRecordStore | None = None) -> None:
        self.records = records

    async def of(self, subject: object) -> tuple[MediaFile, ...]:
        owner = media_owner_of(subject)
        if owner is None or self.records is None:
            return ()
        return tuple(await self.records.of_owner(owner))


NO_MEDIA = MediaAttachments()


class RemoteMediaFetcher:
    """How the media service fetches a remote picture: through the federation
    client's address guard (no private or loopback address, every redirect
    checked), http(s) only, at most ``limit`` bytes."""

    def __init__(self, client: FederationClient) -> None:
        self.client = client

    async def __call__(self, url: str, limit: int) -> bytes:
        try:
            return await self.client.get_bytes(url, max_bytes=limit)
        except FetchError as error:
            raise ValidationError("url", N_("The file could not be fetched: %(reason)s."),
                                  reason=error.reason) from None
