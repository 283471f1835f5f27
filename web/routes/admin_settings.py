"""/admin: the chapter's public profile and admission policy."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

import federation.to_as.chapter_profile  # noqa: F401  (registers the Update(Group) converter)
from fedchapter.chapter import Openness, ProfileChange
from fedchapter.errors import ValidationError
from fedchapter.publishing import Change, Verb
from fedchapter.roles import Permission
from web.auth import require_permission
from web.context import context_of
from web.forms import field, flash, read_form
from web.i18n import gettext_for
from web.routes.actors import member_count
from web.templating import render

MAX_NAME = 100
MAX_SUMMARY = 2000


async def settings_page(request: Request) -> Response:
    await require_permission(request, Permission.ADMINISTER)
    return render(request, "admin/settings.html", {"openness_choices": [o.value for o in Openness]})


async def settings_submit(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.ADMINISTER)
    form = await read_form(request)
    ctx = context_of(request)
    try:
        name = field(form, "name", limit=MAX_NAME, required=True)
        summary = field(form, "summary", limit=MAX_SUMMARY, one_line=False)
        openness = form.get("openness") or ""
        if openness not in {o.value for o in Openness}:
            raise ValidationError("openness", "choose open, moderated or invite only")
    except ValidationError as error:
        context = {"openness_choices": [o.value for o in Openness], "error": error.message,
                   "error_field": error.field}
        return render(request, "admin/settings.html", context, 422)
    chapter = await ctx.chapter()
    async with ctx.database.transaction():
        await ctx.repos.actors.update_profile(chapter.actor_id, display_name=name, summary=summary)
        await ctx.repos.chapter.update_policy(
            openness=openness, approve_followers=form.get("approve_followers") == "on"
        )
        ctx.forget_chapter()
        # Followers' servers cache the group's name and summary: tell them, in the same transaction.
        change = ProfileChange(await ctx.chapter_actor(), await ctx.chapter(), await member_count(ctx))
        await ctx.extras["federation"].publisher.publish(Change(Verb.UPDATE, change))
    flash(request, _("The settings are saved."))
    return RedirectResponse("/admin", status_code=303)


routes = [
    Route("/admin", settings_page, methods=["GET"]),
    Route("/admin", settings_submit, methods=["POST"]),
]
