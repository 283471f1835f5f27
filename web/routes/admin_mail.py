"""/admin/mail: the outgoing-mail queue (what waits, what was sent, what
failed and why), and each message as it was or will be sent. With no SMTP
server set, this is where an admin reads the mail the chapter "sent"."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import NotFound
from fedchapter.roles import Permission
from web.auth import require_permission
from web.context import context_of
from web.forms import flash, read_form
from web.i18n import gettext_for
from web.templating import render

RECENT_LIMIT = 100


def _mail_id(request: Request) -> int:
    raw = str(request.path_params["mail_id"])
    if not raw.isdigit() or len(raw) > 12:
        raise NotFound("no such mail")
    return int(raw)


async def mail_page(request: Request) -> Response:
    await require_permission(request, Permission.ADMINISTER)
    ctx = context_of(request)
    return render(request, "admin/mail.html", {
        "counts": await ctx.mail.outbox.counts(),
        "mails": await ctx.mail.outbox.recent(RECENT_LIMIT),
        "folder": ctx.mail.folder,
    })


async def mail_message(request: Request) -> Response:
    await require_permission(request, Permission.ADMINISTER)
    mail = await context_of(request).mail.outbox.get(_mail_id(request))
    if mail is None:
        raise NotFound("no such mail")
    # Plain text, never rendered: the message is shown exactly as it is sent.
    return PlainTextResponse(mail.message, headers={"Content-Disposition": "inline"})


async def mail_retry(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.ADMINISTER)
    await read_form(request)
    ctx = context_of(request)
    if await ctx.mail.outbox.retry_now(_mail_id(request)):
        flash(request, _("The mail is queued again."))
    return RedirectResponse("/admin/mail", status_code=303)


routes = [
    Route("/admin/mail", mail_page, methods=["GET"]),
    Route("/admin/mail/{mail_id}", mail_message, methods=["GET"]),
    Route("/admin/mail/{mail_id}/retry", mail_retry, methods=["POST"]),
]
