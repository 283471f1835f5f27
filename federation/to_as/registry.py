"""Which function turns a domain object into its ActivityStreams object.

Each feature registers its converter once, at import time::

    from federation.to_as.registry import register_converter
    register_converter(Event, event_to_as)   # (Event, ConversionContext) -> dict

The publisher looks the converter up by the object's class (or a base class).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fedchapter.actors import LocalActor
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


Converter = Callable[[Any, ConversionContext], dict[str, Any]]

AS_CONVERTERS: dict[type, Converter] = {}


def register_converter(subject_type: type, converter: Converter) -> None:
    AS_CONVERTERS[subject_type] = converter


def converter_for(subject: object) -> Converter:
    for klass in type(subject).__mro__:
        converter = AS_CONVERTERS.get(klass)
        if converter is not None:
            return converter
    raise LookupError(f"no ActivityStreams converter registered for {type(subject).__name__}")
