"""The running chapter as the routes see it: the composition root's typed
``ChapterServices``, built once and entered in the app's lifespan, reachable
as ``request.app.state.ctx``."""
from __future__ import annotations

from starlette.requests import Request

from fedchapter.cli.chapter_services import ChapterServices

# The routes' name for it.
AppContext = ChapterServices


def context_of(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]
