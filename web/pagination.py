"""The one way every ``/api/v1`` list pages: ``limit`` (default 50, at most
500) and ``offset`` in, ``{"items": [...], "next": URL or null}`` out.

``next`` is this very request's URL (its other query parameters kept) with
the offset moved on by ``limit``, and it is given only when a further item
really exists: routes ask their service for one item more than they show
(:meth:`Page.fetch`) or slice a list they already hold (:meth:`Page.window`).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse

from fedchapter.errors import N_, ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000

T = TypeVar("T")

# What the OpenAPI document says every list route takes.
LIST_PARAMETERS: list[dict[str, Any]] = [
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
    {"name": "offset", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
]


def _whole_number(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationError(name, N_("%(name)s must be a whole number from %(low)s to %(high)s"),
                              name=name, low=low, high=high)
    return int(raw)


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int

    @property
    def fetch(self) -> int:
        """How many to ask a service for: one more than shown tells whether a next page exists."""
        return self.limit + 1

    def window(self, everything: Sequence[T]) -> tuple[list[T], bool]:
        """This page of a list held whole, and whether more follow."""
        return list(everything[self.offset:self.offset + self.limit]), len(everything) > self.offset + self.limit

    def trim(self, fetched: Sequence[T]) -> tuple[list[T], bool]:
        """This page of ``fetch`` items asked from ``offset``, and whether more follow."""
        return list(fetched[:self.limit]), len(fetched) > self.limit


def page_of(request: Request) -> Page:
    """``limit`` and ``offset`` of the query; a bad value is a 422 naming it."""
    return Page(
        limit=_whole_number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_whole_number(request, "offset", 0, 0, MAX_OFFSET),
    )


def list_answer(
    request: Request, page: Page, items: Sequence[T], more: bool,
    to_json: Callable[[T], Any] | None = None, **extra: Any,
) -> JSONResponse:
    """``{"items", "next", **extra}`` for one page."""
    following = None
    if more:
        following = str(request.url.include_query_params(limit=page.limit, offset=page.offset + page.limit))
    shown = [to_json(item) for item in items] if to_json is not None else list(items)
    return JSONResponse({**extra, "items": shown, "next": following})


def sliced_answer(request: Request, everything: Sequence[T], to_json: Callable[[T], Any] | None = None,
                  **extra: Any) -> JSONResponse:
    """A whole list a service gave, answered a page at a time."""
    page = page_of(request)
    items, more = page.window(everything)
    return list_answer(request, page, items, more, to_json, **extra)
