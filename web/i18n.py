"""Translations (gettext catalogs compiled from ``web/locale``) and dates and
times formatted with Babel for the page's language in the chapter's zone.

Templates use ``{{ _('...') }}`` and the filters ``when``, ``day`` and
``clock``; Python code that builds a message for a page uses ``gettext_for``.
"""
from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_date, format_datetime, format_time
from starlette.requests import Request

LOCALE_DIR = Path(__file__).parent / "locale"
SUPPORTED_LANGUAGES = ("en", "de")
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}


def N_(message: str) -> str:  # noqa: N802 - the name pybabel looks for
    """Marks a string for extraction where it is defined; translated where shown."""
    return message


# Role names as people read them (templates use the role_name macro instead).
ROLE_LABELS = {
    "admin": N_("Admin"),
    "secretary": N_("Secretary"),
    "facilitator": N_("Facilitator"),
    "member": N_("Member"),
    "supporter": N_("Supporter"),
}


@lru_cache(maxsize=len(SUPPORTED_LANGUAGES) + 1)
def translations_for(language: str) -> gettext.NullTranslations:
    return gettext.translation("messages", localedir=LOCALE_DIR, languages=[language], fallback=True)


def gettext_for(request: Request) -> Callable[..., str]:
    """``_`` for Python code: ``_("Welcome, %(name)s", name=...)`` like the templates' newstyle."""
    translations = translations_for(getattr(request.state, "language", "en"))

    def translate(message: str, **values: Any) -> str:
        text = translations.gettext(message)
        return text % values if values else text

    return translate


def ngettext_for(request: Request) -> Callable[..., str]:
    """``ngettext`` for Python code: the form for ``n``, with ``%(num)s`` set to it."""
    translations = translations_for(getattr(request.state, "language", "en"))

    def translate(singular: str, plural: str, n: int, **values: Any) -> str:
        return translations.ngettext(singular, plural, n) % {"num": n, **values}

    return translate


def _zone(context: Any) -> ZoneInfo:
    try:
        return ZoneInfo(str(context.get("timezone") or "UTC"))
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


@jinja2.pass_context
def when(context: Any, moment: datetime | None, style: str = "medium") -> str:
    """Date and time in the chapter's zone, in the page's language."""
    if moment is None:
        return ""
    zone = _zone(context)
    language = context.get("language", "en")
    if style != "medium":
        return format_datetime(_aware(moment, zone), style, tzinfo=zone, locale=language)
    # Date, hours and minutes, and the zone named: "3 Dec 2026, 08:56 GMT". Seconds
    # mean nothing to a reader, and a time without its zone is ambiguous across chapters.
    local = _aware(moment, zone).astimezone(zone)
    date_part = format_date(local.date(), "medium", locale=language)
    time_part = format_time(local, "short", tzinfo=zone, locale=language)
    return f"{date_part}, {time_part} {local.tzname()}"


@jinja2.pass_context
def day(context: Any, moment: datetime | date | None, style: str = "medium") -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        zone = _zone(context)
        moment = _aware(moment, zone).astimezone(zone).date()
    return format_date(moment, style, locale=context.get("language", "en"))


@jinja2.pass_context
def clock(context: Any, moment: datetime | None, style: str = "short") -> str:
    if moment is None:
        return ""
    zone = _zone(context)
    return format_time(_aware(moment, zone), style, tzinfo=zone, locale=context.get("language", "en"))


@jinja2.pass_context
def overdue(context: Any, due: date | None) -> bool:
    """A due date before today in the chapter's zone (due today is not late yet)."""
    if due is None:
        return False
    return due < datetime.now(_zone(context)).date()


def install_filters(environment: jinja2.Environment) -> None:
    environment.filters["when"] = when
    environment.filters["day"] = day
    environment.filters["clock"] = clock
    environment.filters["overdue"] = overdue
    from web.category_names import category_filter  # it imports N_ from here

    environment.filters["category_name"] = category_filter
