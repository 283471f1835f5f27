"""The app factory: one Starlette app per chapter. Its lifespan enters the
chapter the composition root builds (``fedchapter.cli.composition``): web
receives built services and only routes."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from fedchapter.cli.chapter_services import ChapterServices
from fedchapter.settings import Settings, require_session_secret
from web.context import AppContext
from web.errors import EXCEPTION_HANDLERS
from web.language_cookie import LanguageCookieMiddleware
from web.observability import ObservabilityMiddleware
from web.page_cache import PageCache, PageCacheMiddleware
from web.page_layer import PageLayerMiddleware
from web.password_gate import PasswordGateMiddleware
from web.api_writes import ApiWritesAreJsonMiddleware
from web.request_limits import RequestLimitsMiddleware
from web.uploads import FORM_MARGIN as UPLOAD_FORM_MARGIN
from web.security_headers import SecurityHeadersMiddleware
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
from web.routes import media
from web.routes import network_pages, networks_api
from web.routes import event_admission, event_admission_api, events, events_api, feeds
from web.routes import account_mail, admin_mail, bulletins
from web.routes import (
    account,
    admin_blocks,
    admin_deliveries,
    admin_followers,
    admin_members,
    admin_moderation,
    admin_roles,
    admin_settings,
    api_followers,
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
    admin_deliveries, admin_moderation, admin_followers, api_members, api_followers,
    proposals_api, proposals, networks_api, network_pages,
    media,
    minutes_api, minutes_editing, minutes_pages, posts_api, posts_pages, comments_api, comments_pages,
    feed,
    events_api, event_admission_api, event_admission, events, feeds,
    account_mail, admin_mail, bulletins,
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
    chosen = (request.query_params.get("lang") or request.cookies.get("lang")
              or getattr(request.state, "remembered_language", None))  # a member's, see web/language_cookie.py
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in SUPPORTED_LANGUAGES:
            return tag
    return default if default in SUPPORTED_LANGUAGES else "en"


OpenChapter = Callable[[], AbstractAsyncContextManager[ChapterServices]]


def create_app(settings: Settings, open_chapter: OpenChapter) -> Starlette:
    """``open_chapter`` builds the running chapter (the composition root's
    ``running_chapter``, bound to these settings)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_chapter() as ctx:
            app.state.ctx = ctx
            yield

    routes = [route for module in ROUTE_MODULES for route in module.routes]
    page_cache = PageCache()
    routes.append(Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"))
    middleware = [
        # Request ids, latency and the probes (/healthz, /metrics): around everything.
        Middleware(ObservabilityMiddleware),
        # Outermost: every answer, the limits' own refusals included, carries the headers.
        Middleware(SecurityHeadersMiddleware),
        # Anonymous GETs of public pages from memory, until a write or a second passes.
        Middleware(PageCacheMiddleware, cache=page_cache),
        Middleware(RequestLimitsMiddleware, max_upload_bytes=max(
            settings.media_image_max_bytes, settings.media_document_max_bytes) + UPLOAD_FORM_MARGIN),
        # Inbox POSTs (server to server) skip what only people's requests need.
        Middleware(PageLayerMiddleware, page_middleware=[
            Middleware(ApiWritesAreJsonMiddleware),
            Middleware(
                SessionMiddleware,
                # No fallback: a server without its own secret refuses to start.
                secret_key=require_session_secret(settings),
                session_cookie="fedchapter_session",
                max_age=14 * 24 * 3600,
                same_site="lax",
                https_only=settings.scheme == "https",
            ),
            Middleware(LanguageCookieMiddleware),
            Middleware(PageGlobalsMiddleware),
            Middleware(PasswordGateMiddleware),
        ]),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=middleware,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    )
    app.state.templates = build_environment()
    app.state.settings = settings
    app.state.page_cache = page_cache
    return app
