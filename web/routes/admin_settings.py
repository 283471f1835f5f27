"""/admin: the chapter's public profile and admission policy."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.chapter import Openness
from fedchapter.errors import N_, ValidationError
from fedchapter.roles import Permission
from federation.relay_gate import RelayReplies
from web.auth import require_permission
from web.context import context_of
from web.form_errors import plain_message
from web.forms import field, flash, read_form
from web.i18n import gettext_for
from web.templating import render

# Relays of one remote actor's replies per hour: beyond this a flood is not amplification-worthy.
MAX_RELAYS_PER_HOUR = 1000
MAX_NAME = 100
MAX_SUMMARY = 2000


async def _form_context(request: Request) -> dict[str, object]:
    relay_replies, relays_per_actor_hour = await context_of(request).chapter_settings.relay_policy()
    return {"openness_choices": [o.value for o in Openness], "relay_choices": [r.value for r in RelayReplies],
            "relay_replies": relay_replies, "relays_per_actor_hour": relays_per_actor_hour,
            "max_relays": MAX_RELAYS_PER_HOUR}


async def settings_page(request: Request) -> Response:
    await require_permission(request, Permission.ADMINISTER)
    return render(request, "admin/settings.html", await _form_context(request))


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
            raise ValidationError("openness", N_("choose open, moderated or invite only"))
        # A form without the relay fields (an older page, a script) keeps them as they are.
        current_relays, current_cap = await ctx.chapter_settings.relay_policy()
        relay_replies = form.get("relay_replies", current_relays)
        if relay_replies not in {r.value for r in RelayReplies}:
            raise ValidationError("relay_replies", N_("choose whose replies the chapter passes on"))
        raw_cap = str(form.get("relays_per_actor_hour", current_cap)).strip()
        if not raw_cap.isdigit() or not 1 <= int(raw_cap) <= MAX_RELAYS_PER_HOUR:
            raise ValidationError("relays_per_actor_hour",
                                  N_("give a whole number from 1 to %(max_relays_per_hour)s"),
                                  max_relays_per_hour=MAX_RELAYS_PER_HOUR)
    except ValidationError as error:
        context = {**await _form_context(request), "error": plain_message(request, error), "error_field": error.field}
        return render(request, "admin/settings.html", context, 422)
    await ctx.chapter_settings.update(
        name=name, summary=summary, openness=Openness(openness),
        approve_followers=form.get("approve_followers") == "on",
        relay_replies=relay_replies, relays_per_actor_hour=int(raw_cap),
    )
    flash(request, _("The settings are saved."))
    return RedirectResponse("/admin", status_code=303)


routes = [
    Route("/admin", settings_page, methods=["GET"]),
    Route("/admin", settings_submit, methods=["POST"]),
]
