"""Our pictures and documents as ActivityStreams attachments.

Mastodon shows an object's `attachment` entries of type Image and Document
(it reads `mediaType`, `url`, `name` as the description, `width`/`height`
and `blurhash`); Mobilizon reads an Event's `image` as its banner
(docs/media.md). The URL is always our own copy.
"""
from __future__ import annotations

from typing import Any

from fedchapter.media.model import MediaFile, MediaRole
from federation.urls import Urls


def media_to_as(media: MediaFile, urls: Urls) -> dict[str, Any]:
    document: dict[str, Any] = {
        "type": "Image" if media.is_image else "Document",
        "mediaType": media.media_type,
        "url": urls.media(media.id, media.main_variant),
        "name": media.name,
    }
    if media.width is not None and media.height is not None:
        document["width"] = media.width
        document["height"] = media.height
    if media.blurhash:
        document["blurhash"] = media.blurhash
    return document


def attachments_to_as(files: tuple[MediaFile, ...], urls: Urls) -> list[dict[str, Any]]:
    """Pictures first (Mastodon previews the first), then documents."""
    ordered = sorted(files, key=lambda media: (not media.is_image, media.created_at))
    return [media_to_as(media, urls) for media in ordered]


def image_to_as(files: tuple[MediaFile, ...], urls: Urls, role: MediaRole) -> dict[str, Any] | None:
    """The object's one picture of ``role`` (a poster, a photo) as its `image`."""
    for media in files:
        if media.role is role and media.is_image:
            return media_to_as(media, urls)
    return None
