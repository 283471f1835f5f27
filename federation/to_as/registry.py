"""Which function turns a domain object into its ActivityStreams object.

The table is built once by the composition root (``federation.to_as.table``)
and handed to the publisher and the routes that serve documents; the
converter is found by the object's class (or a base class).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fedchapter.actors import LocalActor
from fedchapter.media.model import MediaFile
from fedchapter.visibility import Visibility
from federation.urls import Urls


@dataclass(frozen=True)
class ConversionContext:
    urls: Urls
    # The actor publishing (the chapter's Group) and its URL.
    actor: LocalActor
    actor_url: str
    language: str
    timezone: str
    visibility: Visibility
    # The subject's pictures and documents (federation.media looks them up).
    media: tuple[MediaFile, ...] = ()


Converter = Callable[[Any, ConversionContext], dict[str, Any]]


@dataclass(frozen=True)
class Converters:
    by_type: Mapping[type, Converter]

    def converter_for(self, subject: object) -> Converter:
        for klass in type(subject).__mro__:
            converter = self.by_type.get(klass)
            if converter is not None:
                return converter
        raise LookupError(f"no ActivityStreams converter for {type(subject).__name__}")

    def convert(self, subject: object, conversion: ConversionContext) -> dict[str, Any]:
        return dict(self.converter_for(subject)(subject, conversion))
