"""Chapters for tests: real data folders in tmp_path, real SQLite, the real app.

``Network`` runs several chapters in one process; an httpx transport routes
each request to the app whose host it names, so federation between them is
real HTTP in every respect but the socket.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette

from fedchapter.chapter import Openness
from fedchapter.cli.init import create_chapter_async
from fedchapter.settings import Settings, load_settings
from federation.inbox.dispatch import InboxDispatch
from federation.to_as.registry import Converters
from tests.support import postgres
from tests.support.keys import pooled_keypair
from fedchapter.cli.composition import chapter_app
from web.context import AppContext

ADMIN_PASSWORD = "correct horse battery"


async def make_chapter_folder(
    folder: Path,
    *,
    handle: str = "london",
    host: str = "london.test",
    name: str = "London Chapter",
    timezone: str = "Europe/London",
    openness: Openness = Openness.MODERATED,
    network: bool = False,
) -> Settings:
    await create_chapter_async(
        folder,
        base_url=f"http://{host}",
        handle=handle,
        name=name,
        summary=f"The {name} of an international organisation for a participatory society.",
        timezone=timezone,
        openness=openness,
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
        dev=True,
        network=network,
        make_keypair=pooled_keypair,
        # FEDCHAPTER_TEST_DATABASE=postgresql: each chapter in its own schema.
        database_url=postgres.new_database_url() if postgres.on_postgres() else "",
    )
    return load_settings(folder, environ={})


async def loopback_resolver(host: str, port: int) -> list[str]:
    """Test hosts (london.test...) are in-process apps: let the SSRF guard see loopback (dev mode allows it)."""
    return ["127.0.0.1"]


class HostRoutingTransport(httpx.AsyncBaseTransport):
    """Sends each request to the in-process app serving its host."""

    def __init__(self) -> None:
        self.apps: dict[str, httpx.ASGITransport] = {}

    def add(self, host: str, app: Starlette) -> None:
        self.apps[host] = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self.apps.get(request.url.netloc.decode("ascii"))
        if transport is None:
            raise httpx.ConnectError(f"no test instance at {request.url.netloc!r}", request=request)
        return await transport.handle_async_request(request)


@dataclass
class Instance:
    settings: Settings
    app: Starlette
    client: httpx.AsyncClient

    @property
    def ctx(self) -> AppContext:
        return self.app.state.ctx  # type: ignore[no-any-return]

    @property
    def host(self) -> str:
        return urlsplit(self.settings.base_url).netloc


class Network:
    """Several chapters in one process, reaching each other through the transport."""

    def __init__(self, root: Path, stack: AsyncExitStack) -> None:
        self.root = root
        self.stack = stack
        self.transport = HostRoutingTransport()
        self.instances: dict[str, Instance] = {}

    async def chapter(
        self,
        handle: str,
        *,
        run_workers: bool = True,
        converters: Converters | None = None,
        inbox_dispatch: InboxDispatch | None = None,
        **options: object,
    ) -> Instance:
        """A new chapter; ``converters`` and ``inbox_dispatch`` replace the built
        tables where a test stands in for a feature."""
        host = str(options.pop("host", f"{handle}.test"))
        settings = await make_chapter_folder(self.root / handle, handle=handle, host=host, **options)  # type: ignore[arg-type]
        return await self.start(settings, run_workers=run_workers, converters=converters,
                                inbox_dispatch=inbox_dispatch)

    async def start(
        self,
        settings: Settings,
        *,
        run_workers: bool = True,
        converters: Converters | None = None,
        inbox_dispatch: InboxDispatch | None = None,
    ) -> Instance:
        app = chapter_app(
            settings, http_transport=self.transport, address_resolver=loopback_resolver,
            run_workers=run_workers, converters=converters, inbox_dispatch=inbox_dispatch,
        )
        await self.stack.enter_async_context(app.router.lifespan_context(app))
        host = urlsplit(settings.base_url).netloc
        self.transport.add(host, app)
        client = httpx.AsyncClient(transport=self.transport, base_url=settings.base_url)
        self.stack.push_async_callback(client.aclose)
        instance = Instance(settings=settings, app=app, client=client)
        self.instances[host] = instance
        return instance


@asynccontextmanager
async def network(root: Path) -> AsyncIterator[Network]:
    async with AsyncExitStack() as stack:
        yield Network(root, stack)
