"""The words of the mails that belong to an account (address confirmation,
password reset), in the recipient's language.

The messages are marked with ``N_`` for the catalog in web/locale (babel.cfg
extracts this file); the composition root hands in the catalogs, so the
domain never imports the web layer. Without them, mail is in English.
"""
from __future__ import annotations

import gettext
import html
from collections.abc import Callable

from fedchapter.mail.messages import html_page, link

Catalogs = Callable[[str], gettext.NullTranslations]


def N_(message: str) -> str:  # noqa: N802 - the name pybabel looks for
    return message


def english(language: str) -> gettext.NullTranslations:
    return gettext.NullTranslations()


_CONFIRM_SUBJECT = N_("Confirm your address for %(chapter)s")
_CONFIRM_TEXT = N_("Hello %(name)s,\n\nplease confirm that %(address)s is your address for %(chapter)s by opening"
                   " this link within two days:\n\n%(url)s\n\nIf you did not ask for this, ignore this mail:"
                   " nothing changes.\n")
_CONFIRM_LEAD = N_("Please confirm that this is your address for %(chapter)s:")
_CONFIRM_LINK = N_("Confirm my address")
_IGNORE = N_("If you did not ask for this, ignore this mail: nothing changes.")

_RESET_SUBJECT = N_("Reset your password for %(chapter)s")
_RESET_TEXT = N_("Hello %(name)s,\n\nsomeone (we hope you) asked to reset the password of your account"
                 " %(username)s on %(chapter)s. Choose a new password within an hour here:\n\n%(url)s\n\n"
                 "The link works once. If you did not ask, ignore this mail: your password stays as it is.\n")
_RESET_LEAD = N_("Someone (we hope you) asked to reset the password of your account %(username)s on %(chapter)s.")
_RESET_LINK = N_("Choose a new password")
_RESET_ONCE = N_("The link works once, for an hour. If you did not ask, ignore this mail:"
                 " your password stays as it is.")


def confirmation_mail(t: gettext.NullTranslations, language: str, *, name: str, address: str, chapter: str,
                      url: str) -> tuple[str, str, str]:
    """(subject, text, html) of the mail that confirms an address."""
    _ = t.gettext
    subject = _(_CONFIRM_SUBJECT) % {"chapter": chapter}
    text = _(_CONFIRM_TEXT) % {"name": name, "address": address, "chapter": chapter, "url": url}
    page = html_page(subject, f"<p>{html.escape(_(_CONFIRM_LEAD) % {'chapter': chapter})}</p>"
                              f"<p>{link(url, _(_CONFIRM_LINK))}</p><p>{html.escape(_(_IGNORE))}</p>",
                     language=language)
    return subject, text, page


def reset_mail(t: gettext.NullTranslations, language: str, *, name: str, username: str, chapter: str,
               url: str) -> tuple[str, str, str]:
    """(subject, text, html) of the mail with a password reset link."""
    _ = t.gettext
    subject = _(_RESET_SUBJECT) % {"chapter": chapter}
    text = _(_RESET_TEXT) % {"name": name, "username": username, "chapter": chapter, "url": url}
    page = html_page(subject, f"<p>{html.escape(_(_RESET_LEAD) % {'username': username, 'chapter': chapter})}</p>"
                              f"<p>{link(url, _(_RESET_LINK))}</p><p>{html.escape(_(_RESET_ONCE))}</p>",
                     language=language)
    return subject, text, page
