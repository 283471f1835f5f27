"""/admin: the chapter's public profile and admission policy."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.chapter import Openness
from fedchapter.errors import ValidationError
from fedchapter.roles import Permission
from web.auth import require_permission
from web.context import context_of
from web.forms import field, flash, read_form
from web.i18n import gettext_for
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
    await ctx.chapter_settings.update(
        name=name, summary=summary, openness=Openness(openness),
        approve_followers=form.get("approve_followers") == "on",
    )
    flash(request, _("The settings are saved."))
    return RedirectResponse("/admin", status_code=303)


routes = [
    Route("/admin", settings_page, methods=["GET"]),
    Route("/admin", settings_submit, methods=["POST"]),
]
