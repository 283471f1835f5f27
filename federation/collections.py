"""Paginated OrderedCollections (outbox, followers, following, replies...).

The collection itself carries ``totalItems`` and a ``first`` page link; pages
are numbered from 1 and carry ``next``/``prev`` and ``partOf``. Items are
either embedded objects or ids, as the caller gives them.
"""
from __future__ import annotations

from typing import Any

from federation.vocabulary import AS_CONTEXT

PAGE_SIZE = 20


def ordered_collection(collection_id: str, total: int, *, first_page: bool = True) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": total,
    }
    if first_page:
        document["first"] = f"{collection_id}?page=1"
        if total > 0:
            last = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
            document["last"] = f"{collection_id}?page={last}"
    return document


def ordered_collection_page(
    collection_id: str, page: int, items: list[Any], total: int
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": f"{collection_id}?page={page}",
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "totalItems": total,
        "orderedItems": items,
    }
    if page * PAGE_SIZE < total:
        document["next"] = f"{collection_id}?page={page + 1}"
    if page > 1:
        document["prev"] = f"{collection_id}?page={page - 1}"
    return document


def page_bounds(page: int) -> tuple[int, int]:
    """(limit, offset) for a 1-based page number."""
    return PAGE_SIZE, (page - 1) * PAGE_SIZE
