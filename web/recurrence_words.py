"""A recurring event's rule in words, in the page's language: "Last Tuesday
of every month, 18:30" rather than ``FREQ=MONTHLY;BYDAY=-1TU``.

Weekday and month names and the time come from Babel (CLDR); the sentences
are gettext messages, counts go through ngettext. A rule outside the shapes
below (rare: hand-written RRULEs) is still said in words as far as it goes,
then the rule itself is shown.
"""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list

from fedchapter.errors import ValidationError
from fedchapter.events.recurrence import RecurrenceRule, parse_rrule
from fedchapter.events.timefmt import babel_locale
from fedchapter.events import zones
from web.i18n import N_, translations_for

_DAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
ORDINALS = {
    1: N_("First %(weekday)s of every month"),
    2: N_("Second %(weekday)s of every month"),
    3: N_("Third %(weekday)s of every month"),
    4: N_("Fourth %(weekday)s of every month"),
    5: N_("Fifth %(weekday)s of every month"),
    -1: N_("Last %(weekday)s of every month"),
    -2: N_("Second-to-last %(weekday)s of every month"),
}


def _weekday(code: str, locale: str) -> str:
    return str(babel_locale(locale).days["format"]["wide"][_DAY_INDEX[code]])


def _and(items: list[str], locale: str) -> str:
    return format_list(items, locale=babel_locale(locale))


def _pattern(rule: RecurrenceRule, start_local: datetime, language: str) -> str | None:
    """The sentence without the time, or None when the rule has no plain wording."""
    t = translations_for(language)
    n = rule.interval
    if rule.bysetpos or rule.bymonth and rule.freq != "YEARLY":
        return None
    if rule.freq == "DAILY" and not (rule.byday or rule.bymonthday):
        return t.ngettext("Every day", "Every %(num)d days", n) % {"num": n}
    if rule.freq == "WEEKLY" and not rule.bymonthday:
        days = [code for _, code in rule.byday] or [list(_DAY_INDEX)[start_local.weekday()]]
        names = _and([_weekday(code, language) for code in days], language)
        return t.ngettext("Every %(weekdays)s", "Every %(num)d weeks on %(weekdays)s", n) % {
            "num": n, "weekdays": names}
    if rule.freq == "MONTHLY" and n == 1 and len(rule.byday) == 1 and rule.byday[0][0] in ORDINALS:
        ordinal, code = rule.byday[0]
        assert ordinal is not None
        return t.gettext(ORDINALS[ordinal]) % {"weekday": _weekday(code, language)}
    if rule.freq == "MONTHLY" and not rule.byday and len(rule.bymonthday) <= 1:
        day = rule.bymonthday[0] if rule.bymonthday else start_local.day
        if day < 0:
            return None
        return t.ngettext("Every month on day %(day)d", "Every %(num)d months on day %(day)d", n) % {
            "num": n, "day": day}
    if rule.freq == "YEARLY" and not rule.byday and n == 1:
        return t.gettext("Every year on %(date)s") % {
            "date": format_skeleton("MMMMd", start_local, locale=babel_locale(language))}
    return None


def _until_date(rule: RecurrenceRule, timezone: str) -> date | None:
    return None if rule.until_utc is None else zones.to_local(rule.until_utc, timezone).date()


def recurrence_in_words(rrule: str, start_local: datetime, timezone: str, language: str) -> str:
    """"Last Tuesday of every month, 18:30", "Every Wednesday, 19:00, 6 times",
    "Every day, 08:00, until 31 Dec 2026"; the rule itself when it has no plain wording."""
    t = translations_for(language)
    try:
        rule = parse_rrule(rrule, timezone=timezone)
    except ValidationError:
        return rrule
    pattern = _pattern(rule, start_local, language)
    if pattern is None:
        return t.gettext("Repeats by the rule %(rule)s") % {"rule": rrule}
    at = format_time(start_local, "short", locale=babel_locale(language)).replace("\u202f", " ")
    text = t.gettext("%(pattern)s, %(time)s") % {"pattern": pattern, "time": at}
    if rule.count is not None:
        text += ", " + t.ngettext("once", "%(num)d times", rule.count) % {"num": rule.count}
    until = _until_date(rule, timezone)
    if until is not None:
        text += ", " + t.gettext("until %(date)s") % {"date": format_date(until, "medium", locale=babel_locale(language))}
    return text
