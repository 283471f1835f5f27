"""Writing minutes on the site (secretaries): a new draft with the open action
items of earlier minutes carried in, corrections, the workflow buttons
(circulate, approve, publish) and deletion. Every form carries a CSRF token."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter import input as fields
from fedchapter.errors import ValidationError
from fedchapter.minutes.model import MinutesState, OpenAction, carried_forward
from fedchapter.minutes.serialize import action_to_dict, content_to_dict
from fedchapter.minutes.validation import parse_minutes
from fedchapter.readers import Reader
from fedchapter.roles import Permission
from web.auth import require_permission
from web.context import context_of
from web.forms import flash, read_form
from web.i18n import gettext_for
from web.form_errors import form_errors
from web.minutes_form import body_for_validation, form_values, locate, on_form, read_minutes_form, rows_to_show
from web.readers import reader_for
from web.templating import render

MORE_ROWS = 5


def _form_page(
    request: Request, values: dict[str, Any], *, action: str, carried: list[OpenAction],
    error: ValidationError | None = None, extra_rows: int = 3, editing_published: bool = False,
) -> Response:
    # Every problem beside its field, the typed values kept (rows included).
    errors = form_errors(request, error, locate) if error else None
    return render(request, "minutes/form.html", {
        "values": values,
        "rows": rows_to_show(values, extra=extra_rows),
        "form_action": action,
        "carried": carried,
        "errors": errors,
        "editing_published": editing_published,
    }, status_code=422 if error else 200)


async def new_minutes(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    carried = await ctx.records.minutes.actions_to_carry()
    values: dict[str, Any] = {
        "visibility": "public", "language": ctx.settings.language, "present": [],
        "actions": [action_to_dict(carried_forward(action)) for action in carried],
        "next_meeting": {},
    }
    return _form_page(request, values, action="/minutes/new", carried=carried)


async def _submitted(request: Request) -> tuple[dict[str, Any], str]:
    form = await read_minutes_form(request)
    return form_values(form), form.get("intent", "save")


async def create_minutes(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    values, intent = await _submitted(request)
    carried = await ctx.records.minutes.actions_to_carry()
    if intent == "more_rows":
        return _form_page(request, values, action="/minutes/new", carried=carried, extra_rows=MORE_ROWS)
    body, positions = body_for_validation(values)
    try:
        content = parse_minutes(body, default_language=ctx.settings.language)
        minutes = await ctx.records.minutes.create(
            content, author_user_id=user.id, state=MinutesState.DRAFT
        )
    except ValidationError as error:
        return _form_page(request, values, action="/minutes/new", carried=carried,
                          error=on_form(error, positions))
    flash(request, gettext_for(request)("The draft is saved. Circulate it to members when it is ready."))
    return RedirectResponse(f"/minutes/{minutes.id}", status_code=303)


async def edit_minutes(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    service = ctx.records.minutes
    minutes = await service.get(request.path_params["id"], await reader_for(request))
    values = {**content_to_dict(minutes.content), "note": ""}
    values["next_meeting"] = values["next_meeting"] or {}
    return _form_page(request, values, action=f"/minutes/{minutes.id}/edit",
                      carried=await service.actions_to_carry(excluding=minutes.id),
                      editing_published=minutes.is_published)


async def save_minutes(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    service = ctx.records.minutes
    minutes = await service.get(request.path_params["id"], await reader_for(request))
    values, intent = await _submitted(request)
    page = {"action": f"/minutes/{minutes.id}/edit", "editing_published": minutes.is_published,
            "carried": await service.actions_to_carry(excluding=minutes.id)}
    if intent == "more_rows":
        return _form_page(request, values, extra_rows=MORE_ROWS, **page)
    body, positions = body_for_validation(values)
    try:
        content = parse_minutes(body, default_language=ctx.settings.language)
        note = fields.text(values.get("note"), "note", limit=500)
        await service.correct(minutes.id, content, editor=user.username, note=note)
    except ValidationError as error:
        return _form_page(request, values, error=on_form(error, positions), **page)
    _ = gettext_for(request)
    flash(request, _("The correction is published.") if minutes.is_published else _("The minutes are saved."))
    return RedirectResponse(f"/minutes/{minutes.id}", status_code=303)


async def change_state(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    form = await read_form(request)
    service = ctx.records.minutes
    minutes = await service.get(request.path_params["id"], await reader_for(request))
    changed = await service.advance(minutes.id, fields.choice(form.get("state"), "state", MinutesState))
    _ = gettext_for(request)
    messages = {
        MinutesState.CIRCULATED: _("The minutes are circulated to members."),
        MinutesState.APPROVED: _("The minutes are approved."),
        MinutesState.PUBLISHED: _("The minutes are published."),
    }
    flash(request, messages.get(changed.state, ""))
    return RedirectResponse(f"/minutes/{minutes.id}", status_code=303)


async def delete_minutes(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    await read_form(request)
    service = ctx.records.minutes
    reader: Reader = await reader_for(request)
    minutes = await service.get(request.path_params["id"], reader)
    await service.delete(minutes.id)
    flash(request, gettext_for(request)("The minutes are deleted."))
    return RedirectResponse("/minutes", status_code=303)


routes = [
    Route("/minutes/new", new_minutes, methods=["GET"]),
    Route("/minutes/new", create_minutes, methods=["POST"]),
    Route("/minutes/{id}/edit", edit_minutes, methods=["GET"]),
    Route("/minutes/{id}/edit", save_minutes, methods=["POST"]),
    Route("/minutes/{id}/state", change_state, methods=["POST"]),
    Route("/minutes/{id}/delete", delete_minutes, methods=["POST"]),
]
