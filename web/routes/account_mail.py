"""An account's email address (added, confirmed by a mailed link) and the
password reset for those who forgot theirs (a mailed single-use link)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import Conflict, ValidationError
from fedchapter.mail.addresses import raw_address
from fedchapter.passwords import MAX_PASSWORD_LENGTH
from fedchapter.services.account_mail import AccountMailService, InvalidLink
from web.auth import current_user, require_user
from web.context import context_of
from web.form_errors import plain_message
from web.forms import field, flash, read_form
from web.i18n import gettext_for
from web.templating import render


def _service(request: Request) -> AccountMailService:
    return context_of(request).mail.accounts


async def email_submit(request: Request) -> Response:
    _ = gettext_for(request)
    user = await require_user(request)
    form = await read_form(request)
    try:
        # Unstripped: the address checker refuses a newline anywhere in it.
        raw = raw_address(form.get("email"))
        address = await _service(request).request_confirmation(user, raw)
    except ValidationError as error:
        flash(request, _("That address cannot be used: %(reason)s", reason=plain_message(request, error)), "error")
        return RedirectResponse("/account", status_code=303)
    except Conflict:
        flash(request, _("That address cannot be used: another account has it."), "error")
        return RedirectResponse("/account", status_code=303)
    flash(request, _("We sent a link to %(address)s. Follow it to confirm the address.", address=address))
    return RedirectResponse("/account", status_code=303)


async def email_remove(request: Request) -> Response:
    _ = gettext_for(request)
    user = await require_user(request)
    await read_form(request)
    await _service(request).remove_address(user)
    flash(request, _("Your email address is removed: the chapter sends you no more mail."))
    return RedirectResponse("/account", status_code=303)


async def mail_choices_submit(request: Request) -> Response:
    _ = gettext_for(request)
    user = await require_user(request)
    form = await read_form(request)
    await context_of(request).mail.preferences.choose(user, form.getlist("kind"))
    flash(request, _("Your choices are saved."))
    return RedirectResponse("/account", status_code=303)


async def email_confirm(request: Request) -> Response:
    _ = gettext_for(request)
    try:
        _user_id, address = await _service(request).confirm(str(request.path_params["token"]))
    except (InvalidLink, Conflict) as error:
        message = _("This link is not valid any more; it may have been used or be too old.") \
            if isinstance(error, InvalidLink) else _("Another account confirmed this address in the meantime.")
        return render(request, "mail/message.html", {"title": _("Confirm your address"), "message": message}, 400)
    return render(request, "mail/message.html", {
        "title": _("Confirm your address"),
        "message": _("Thank you: %(address)s is confirmed.", address=address),
    })


async def reset_request_page(request: Request) -> Response:
    return render(request, "mail/reset_request.html", {})


async def reset_request_submit(request: Request) -> Response:
    _ = gettext_for(request)
    form = await read_form(request)
    try:
        # Unstripped: the address checker refuses a newline anywhere in it.
        raw = raw_address(form.get("email"))
        await _service(request).request_reset(raw)
    except ValidationError as error:
        return render(request, "mail/reset_request.html", {"error": plain_message(request, error)}, 422)
    # The same answer for every address: the form does not say who has an account.
    return render(request, "mail/message.html", {
        "title": _("Reset your password"),
        "message": _("If an account has this address (or name) and a confirmed email address, we sent it a link"
                     " to choose a new password. The link works once, for an hour."),
    })


async def reset_page(request: Request) -> Response:
    _ = gettext_for(request)
    token = str(request.path_params["token"])
    try:
        user = await _service(request).reset_target(token)
    except InvalidLink:
        return _invalid_reset(request)
    return render(request, "mail/reset.html", {"token": token, "username": user.username})


async def reset_submit(request: Request) -> Response:
    _ = gettext_for(request)
    token = str(request.path_params["token"])
    form = await read_form(request)
    service = _service(request)
    try:
        await service.reset_password(
            token,
            field(form, "new_password", limit=MAX_PASSWORD_LENGTH, required=True, one_line=False),
            field(form, "new_password_again", limit=MAX_PASSWORD_LENGTH, required=True, one_line=False),
        )
    except InvalidLink:
        return _invalid_reset(request)
    except ValidationError as error:
        user = await service.reset_target(token)
        return render(request, "mail/reset.html", {"token": token, "username": user.username,
                                                   "error": plain_message(request, error)}, 422)
    if await current_user(request) is not None:
        request.session.clear()  # that session ended with the change
    flash(request, _("Your password is changed. Log in with the new one."))
    return RedirectResponse("/login", status_code=303)


def _invalid_reset(request: Request) -> Response:
    _ = gettext_for(request)
    return render(request, "mail/message.html", {
        "title": _("Reset your password"),
        "message": _("This link is not valid any more; it may have been used or be too old."),
        "retry": "/password-reset",
    }, 400)


routes = [
    Route("/account/email", email_submit, methods=["POST"]),
    Route("/account/email/remove", email_remove, methods=["POST"]),
    Route("/account/mail-choices", mail_choices_submit, methods=["POST"]),
    Route("/account/email/confirm/{token}", email_confirm, methods=["GET"]),
    Route("/password-reset", reset_request_page, methods=["GET"]),
    Route("/password-reset", reset_request_submit, methods=["POST"]),
    Route("/password-reset/{token}", reset_page, methods=["GET"]),
    Route("/password-reset/{token}", reset_submit, methods=["POST"]),
]
