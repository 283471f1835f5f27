"""The app factory: one Starlette app per chapter, its lifespan opening the
database and starting the workers, its routes joined from the route modules."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from fedchapter.settings import Settings
from federation.address_guard import Resolver
from web.context import AppContext
from web.errors import EXCEPTION_HANDLERS
from web.lifecycle import running_chapter
from web.language_cookie import LanguageCookieMiddleware
from web.password_gate import PasswordGateMiddleware
from web.routes import activities, actors, discovery, home, inbox, openapi
from web.routes import (
    comments_api,
    comments_pages,
    feed,
    minutes_api,
    minutes_editing,
    minutes_pages,
    posts_api,
    posts_pages,
)
from web.routes import proposals, proposals_api
from web.routes import events, events_api, feeds
from web.routes import (
    account,
    admin_blocks,
    admin_deliveries,
    admin_members,
    admin_moderation,
    admin_roles,
    admin_settings,
    api_members,
    join,
    login,
    members,
)
from web.templating import SUPPORTED_LANGUAGES, build_environment

STATIC_DIR = Path(__file__).parent / "static"

# Each feature contributes a route table; order matters only for overlapping paths.
ROUTE_MODULES = (
    discovery, actors, inbox, activities, home, openapi,
    login, account, join, members, admin_settings, admin_members, admin_roles, admin_blocks,
    admin_deliveries, admin_moderation, api_members,
    proposals_api, proposals,
    minutes_api, minutes_editing, minutes_pages, posts_api, posts_pages, comments_api, comments_pages,
    feed,
    events_api, events, feeds,
)


class PageGlobalsMiddleware:
    """Chooses the page language and provides the chapter's name to templates."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            ctx: AppContext = scope["app"].state.ctx
            state = scope.setdefault("state", {})
            state["language"] = choose_language(request, ctx.settings.language)
            chapter = await ctx.chapter()
            state["page_globals"] = {
                "chapter": chapter,
                "chapter_handle": ctx.settings.chapter_handle,
                "base_url": ctx.settings.base_url,
                # Dates on pages are shown in the chapter's zone unless a page says otherwise.
                "timezone": ctx.settings.timezone,
            }
        await self.app(scope, receive, send)


def choose_language(request: Request, default: str) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in SUPPORTED_LANGUAGES:
            return tag
    return default if default in SUPPORTED_LANGUAGES else "en"


def create_app(
    settings: Settings,
    *,
    http_transport: httpx.AsyncBaseTransport | None = None,
    address_resolver: Resolver | None = None,
    run_workers: bool = True,
) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with running_chapter(
            settings, http_transport=http_transport, address_resolver=address_resolver, run_workers=run_workers
        ) as ctx:
            app.state.ctx = ctx
            yield

    routes = [route for module in ROUTE_MODULES for route in module.routes]
    routes.append(Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"))
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=settings.session_secret or "dev-only-secret",
            session_cookie="fedchapter_session",
            max_age=14 * 24 * 3600,
            same_site="lax",
            https_only=settings.scheme == "https",
        ),
        Middleware(LanguageCookieMiddleware),
        Middleware(PageGlobalsMiddleware),
        Middleware(PasswordGateMiddleware),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=middleware,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    )
    app.state.templates = build_environment()
    app.state.settings = settings
    return app
