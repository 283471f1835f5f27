"""Jinja templates with the i18n extension, so every string is translatable
from the start. Templates live in ``web/templates`` and extend ``base.html``."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from fedchapter.roles import Permission, can
from web.auth import csrf_token
from web.charts import TEMPLATE_FUNCTIONS
from web.forms import take_flashes
from web.i18n import LANGUAGE_NAMES, LOCALE_DIR, SUPPORTED_LANGUAGES, install_filters, translations_for

TEMPLATE_DIR = Path(__file__).parent / "templates"
__all__ = ["LOCALE_DIR", "SUPPORTED_LANGUAGES", "build_environment", "render", "translations_for"]


def build_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    install_filters(environment)
    environment.globals.update(TEMPLATE_FUNCTIONS)  # the SVG charts (web/charts.py)
    return environment


def _page_extras(request: Request) -> dict[str, Any]:
    """What base.html needs on every page: who is logged in, the CSRF token
    (made only when a form asks for it, so anonymous visitors get no cookie),
    the messages carried over from the previous page, the chapter's zone."""
    settings = getattr(request.app.state, "settings", None)
    user = getattr(request.state, "user", None)
    return {
        "current_user": user,
        # {% if may('manage_members') %}: the nav and pages ask roles.py, like the routes.
        "may": lambda permission: user is not None and can(user.role, Permission(permission)),
        "csrf_token": lambda: csrf_token(request),
        "flashes": take_flashes(request),
        "timezone": getattr(settings, "timezone", "UTC"),
        "language_names": LANGUAGE_NAMES,
    }


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    environment: jinja2.Environment = request.app.state.templates
    language = getattr(request.state, "language", "en")
    translations = translations_for(language)
    page = environment.get_template(template)
    values = {
        "request": request,
        "language": language,
        **_page_extras(request),
        **getattr(request.state, "page_globals", {}),
        **context,
    }
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return HTMLResponse(page.render(values), status_code=status_code)
