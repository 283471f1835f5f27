"""/admin/blocks: block an abusive account or a whole server, and undo it.
Blocking goes through the federation core's BlockService, which also drops
their follows and cancels what was queued for them."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import N_, ValidationError
from fedchapter.roles import Permission
from federation.blocks import BlockService
from web.auth import require_permission
from web.context import context_of
from web.form_errors import plain_message
from web.forms import field, flash, read_form
from web.i18n import gettext_for
from web.templating import render

MAX_TARGET = 500
MAX_REASON = 500
KINDS = ("actor", "domain")


def _block_service(request: Request) -> BlockService:
    return context_of(request).federation.blocks


async def blocks_page(request: Request, status: int = 200, **extra: object) -> Response:
    await require_permission(request, Permission.MODERATE)
    blocks = await context_of(request).federation.blocks.all()
    return render(request, "admin/blocks.html", {"blocks": blocks, "limits": {"target": MAX_TARGET,
                                                                              "reason": MAX_REASON}, **extra}, status)


async def blocks_get(request: Request) -> Response:
    return await blocks_page(request)


async def block(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MODERATE)
    form = await read_form(request)
    service = _block_service(request)
    try:
        kind = form.get("kind") or ""
        if kind not in KINDS:
            raise ValidationError("kind", N_("choose an account or a server"))
        target = field(form, "target", limit=MAX_TARGET, required=True)
        reason = field(form, "reason", limit=MAX_REASON)
        if kind == "actor":
            await service.block_actor(target, reason)
        else:
            target = await service.block_domain(target, reason)
    except ValidationError as error:
        return await blocks_page(request, 422, error=plain_message(request, error), error_field=error.field,
                                 values={"target": (form.get("target") or "")[:MAX_TARGET],
                                         "reason": (form.get("reason") or "")[:MAX_REASON]})
    flash(request, _("%(target)s is blocked.", target=target))
    return RedirectResponse("/admin/blocks", status_code=303)


async def unblock(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MODERATE)
    form = await read_form(request)
    service = _block_service(request)
    target = field(form, "target", limit=MAX_TARGET, required=True)
    if form.get("kind") == "domain":
        await service.unblock_domain(target)
    else:
        await service.unblock_actor(target)
    flash(request, _("%(target)s is no longer blocked.", target=target))
    return RedirectResponse("/admin/blocks", status_code=303)


routes = [
    Route("/admin/blocks", blocks_get, methods=["GET"]),
    Route("/admin/blocks", block, methods=["POST"]),
    Route("/admin/blocks/remove", unblock, methods=["POST"]),
]
