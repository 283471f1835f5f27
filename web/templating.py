"""Jinja templates with the i18n extension, so every string is translatable
from the start. Templates live in ``web/templates`` and extend ``base.html``."""
from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

TEMPLATE_DIR = Path(__file__).parent / "templates"
LOCALE_DIR = Path(__file__).parent / "locale"
SUPPORTED_LANGUAGES = ("en", "de")


def build_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return environment


def translations_for(language: str) -> gettext.NullTranslations:
    return gettext.translation("messages", localedir=LOCALE_DIR, languages=[language], fallback=True)


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    environment: jinja2.Environment = request.app.state.templates
    language = getattr(request.state, "language", "en")
    translations = translations_for(language)
    page = environment.get_template(template)
    values = {"request": request, "language": language, **getattr(request.state, "page_globals", {}), **context}
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return HTMLResponse(page.render(values), status_code=status_code)
