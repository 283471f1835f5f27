"""HTML forms: a bounded body, the CSRF check, fields with a maximum length,
and short messages carried to the next page (post, redirect, get).

Forms are ``application/x-www-form-urlencoded`` (no uploads), so we read the
body ourselves with a size limit instead of trusting a multipart parser.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request

from fedchapter.errors import N_, ValidationError
from web.api_support import read_body
from web.auth import check_csrf

# Well above the longest field a form may carry (a post's 100,000 characters,
# percent-encoded), so text that is too long reaches the field's own check and
# the form comes back with it and a message; only a body no form can need is
# refused outright (413).
MAX_FORM_BYTES = 512_000
FLASH_KEY = "flash"
MAX_FLASHES = 5

Form = ImmutableMultiDict[str, str]


async def read_form(request: Request, *, csrf: bool = True) -> Form:
    """The posted form, refused (403) when its CSRF token is not this session's."""
    body = await read_body(request, MAX_FORM_BYTES)
    try:
        # Strict: a percent-encoded lone surrogate or stray byte is refused
        # with a reason, not silently turned into U+FFFD and stored.
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(None, N_("the form could not be read; reload the page and try again")) from None
    form: Form = ImmutableMultiDict(pairs)
    if csrf:
        check_csrf(request, form)
    return form


def field(form: Form, name: str, *, limit: int, required: bool = False, one_line: bool = True) -> str:
    """A text field, stripped, within ``limit`` characters."""
    value = (form.get(name) or "").strip()
    if required and not value:
        raise ValidationError(name, N_("please fill this in"))
    if len(value) > limit:
        raise ValidationError(name, N_("this is too long: at most %(limit)s characters"), limit=limit)
    if one_line and ("\n" in value or "\r" in value):
        raise ValidationError(name, N_("this must be one line"))
    return value


def number(form: Form, name: str, *, low: int, high: int, default: int | None = None) -> int:
    raw = (form.get(name) or "").strip()
    if not raw and default is not None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationError(name, N_("enter a whole number from %(low)s to %(high)s"), low=low, high=high)
    return int(raw)


def flash(request: Request, message: str, kind: str = "notice") -> None:
    """A message for the next page this session shows (already translated)."""
    messages: list[Any] = list(request.session.get(FLASH_KEY) or [])
    messages.append([kind, message[:500]])
    request.session[FLASH_KEY] = messages[-MAX_FLASHES:]


def take_flashes(request: Request) -> list[tuple[str, str]]:
    if "session" not in request.scope:
        return []
    messages = request.session.pop(FLASH_KEY, None) or []
    return [(str(kind), str(text)) for kind, text in messages]
