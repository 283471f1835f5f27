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

from fedchapter.services.accounts import AccountService
from fedchapter.settings import Settings
from federation.keys import generate_rsa_keypair
from federation.urls import Urls
from storage.migrations import open_database
from storage.repositories import Repositories
from web.context import AppContext
from web.errors import EXCEPTION_HANDLERS
from web.routes import actors, discovery, home
from web.templating import SUPPORTED_LANGUAGES, build_environment

STATIC_DIR = Path(__file__).parent / "static"

# Each feature contributes a route table; order matters only for overlapping paths.
ROUTE_MODULES = (discovery, actors, home)


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
    run_workers: bool = True,
) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = await open_database(settings.database_path)
        repos = Repositories.for_database(database)
        ctx = AppContext(
            settings=settings,
            database=database,
            repos=repos,
            urls=Urls(settings.base_url),
            accounts=AccountService(repos.actors, repos.users, generate_rsa_keypair),
            http_transport=http_transport,
        )
        ctx.extras["run_workers"] = run_workers
        app.state.ctx = ctx
        try:
            yield
        finally:
            await database.close()

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
        Middleware(PageGlobalsMiddleware),
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
