"""Bulletins on the site: the public archive with its subscribe form (double
opt-in), the secretary's draft, preview and send, and the one-click
unsubscribe every list mail links to (RFC 8058)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import Conflict, ValidationError
from fedchapter.mail.addresses import raw_address
from fedchapter.mail.model import BulletinState
from fedchapter.roles import Permission, can
from fedchapter.services.account_mail import InvalidLink
from fedchapter.services.bulletins import BulletinService, parse_draft
from web.auth import current_user, require_permission
from web.context import context_of
from web.form_errors import plain_message
from web.forms import flash, read_form
from web.i18n import gettext_for, ngettext_for
from web.templating import render

MAX_UNSUBSCRIBE_FORM = 200


def _service(request: Request) -> BulletinService:
    return context_of(request).mail.bulletins


async def archive(request: Request) -> Response:
    user = await current_user(request)
    service = _service(request)
    may_write = user is not None and can(user.role, Permission.PUBLISH_POSTS)
    return render(request, "bulletins/archive.html", {
        "bulletins": await service.archive(),
        "drafts": await service.drafts() if may_write else [],
        "may_write": may_write,
    })


async def subscribe(request: Request) -> Response:
    _ = gettext_for(request)
    form = await read_form(request)
    try:
        # Unstripped: the address checker refuses a newline anywhere in it.
        await _service(request).subscribe(raw_address(form.get("email")))
    except ValidationError as error:
        flash(request, _("That address cannot be used: %(reason)s", reason=plain_message(request, error)), "error")
        return RedirectResponse("/bulletins", status_code=303)
    # The same answer whether or not the address is subscribed already.
    return render(request, "mail/message.html", {
        "title": _("Subscribe to the bulletin"),
        "message": _("Almost done: we sent a link to the address. Follow it to confirm that you want the bulletin."),
    })


async def confirm(request: Request) -> Response:
    _ = gettext_for(request)
    try:
        address = await _service(request).confirm_subscription(str(request.path_params["token"]))
    except InvalidLink:
        return render(request, "mail/message.html", {
            "title": _("Subscribe to the bulletin"),
            "message": _("This link is not valid any more; it may have been used or be too old."),
        }, 400)
    return render(request, "mail/message.html", {
        "title": _("Subscribe to the bulletin"),
        "message": _("Thank you: %(address)s will receive the bulletin.", address=address),
    })


async def new_bulletin(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_POSTS)
    return render(request, "bulletins/form.html", {"values": {"title": "", "body": ""}, "action": "/bulletins/new"})


async def create_bulletin(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_POSTS)
    form = await read_form(request)
    values = {"title": form.get("title") or "", "body": form.get("body") or ""}
    try:
        bulletin = await _service(request).draft(parse_draft(values["title"], values["body"]), user.id)
    except ValidationError as error:
        return render(request, "bulletins/form.html", {"values": values, "error": error,
                                                       "action": "/bulletins/new"}, 422)
    return RedirectResponse(f"/bulletins/{bulletin.id}/preview", status_code=303)


async def preview(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_POSTS)
    service = _service(request)
    bulletin = await service.get(str(request.path_params["id"]))
    return render(request, "bulletins/preview.html", {
        "bulletin": bulletin,
        "body_html": service.preview_html(bulletin),
        "recipients": len(await service.recipients()),
        "values": {"title": bulletin.title, "body": bulletin.body},
        "action": f"/bulletins/{bulletin.id}/edit",
        "sent": bulletin.state is BulletinState.SENT,
    })


async def edit(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_POSTS)
    form = await read_form(request)
    bulletin_id = str(request.path_params["id"])
    values = {"title": form.get("title") or "", "body": form.get("body") or ""}
    try:
        await _service(request).edit(bulletin_id, parse_draft(values["title"], values["body"]))
    except ValidationError as error:
        return render(request, "bulletins/form.html", {"values": values, "error": error,
                                                       "action": f"/bulletins/{bulletin_id}/edit"}, 422)
    return RedirectResponse(f"/bulletins/{bulletin_id}/preview", status_code=303)


async def send(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.PUBLISH_POSTS)
    await read_form(request)
    try:
        bulletin = await _service(request).send(str(request.path_params["id"]))
    except Conflict:
        flash(request, _("This bulletin was sent already."), "error")
        return RedirectResponse("/bulletins", status_code=303)
    ngettext = ngettext_for(request)
    flash(request, ngettext("The bulletin is published and on its way to %(num)s address.",
                            "The bulletin is published and on its way to %(num)s addresses.", bulletin.recipients))
    return RedirectResponse(f"/posts/{bulletin.post_id}", status_code=303)


async def unsubscribe_page(request: Request) -> Response:
    _ = gettext_for(request)
    token = str(request.path_params["token"])
    try:
        found = context_of(request).mail.unsubscribing.read(token)
    except ValidationError:
        return _forged(request)
    return render(request, "bulletins/unsubscribe.html", {"token": token, "address": found.address,
                                                          "kind": found.kind, "done": False})


async def unsubscribe(request: Request) -> Response:
    """RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" here, with no
    cookie and no CSRF token; the signed token in the path is the credential."""
    await read_form(request, csrf=False)
    token = str(request.path_params["token"])
    try:
        found = await context_of(request).mail.unsubscribing.unsubscribe(token)
    except ValidationError:
        return _forged(request)
    return render(request, "bulletins/unsubscribe.html", {"token": token, "address": found.address,
                                                          "kind": found.kind, "done": True})


def _forged(request: Request) -> Response:
    _ = gettext_for(request)
    return render(request, "mail/message.html", {
        "title": _("Unsubscribe"),
        "message": _("This unsubscribe link is not valid. Use the link from the mail exactly as it is."),
    }, 400)


routes = [
    Route("/bulletins", archive, methods=["GET"]),
    Route("/bulletins/subscribe", subscribe, methods=["POST"]),
    Route("/bulletins/confirm/{token}", confirm, methods=["GET"]),
    Route("/bulletins/new", new_bulletin, methods=["GET"]),
    Route("/bulletins/new", create_bulletin, methods=["POST"]),
    Route("/bulletins/{id}/preview", preview, methods=["GET"]),
    Route("/bulletins/{id}/edit", edit, methods=["POST"]),
    Route("/bulletins/{id}/send", send, methods=["POST"]),
    Route("/unsubscribe/{token}", unsubscribe_page, methods=["GET"]),
    Route("/unsubscribe/{token}", unsubscribe, methods=["POST"]),
]
