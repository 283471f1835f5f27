"""The demo chapter shows the community side too: a bulletin in the public
archive, a draft, an invitation link and an application waiting for an admin."""
from __future__ import annotations

from pathlib import Path

import httpx

from fedchapter.cli.composition import chapter_app
from fedchapter.cli.demo import build_demo


async def test_the_demo_has_a_bulletin_an_invitation_and_an_application(tmp_path: Path) -> None:
    settings = await build_demo(tmp_path, "http://127.0.0.1:8000")
    app = chapter_app(settings, run_workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as client:
            archive = (await client.get("/bulletins")).text
        assert "Rally, budget and the international conference" in archive
        assert "December: reading group" not in archive  # a draft is not public

        ctx = app.state.ctx
        [sent] = await ctx.mail.bulletins.archive()
        assert sent.recipients == 6  # the admin and the five members, each with a confirmed address
        [application] = await ctx.members.membership.pending()
        assert "tenants' union rally" in application.message
        [invitation] = await ctx.members.membership.list_invitations()
        assert invitation.max_uses == 20
