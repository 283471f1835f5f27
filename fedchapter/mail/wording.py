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
    return _account_mail(t, language, url, (_CONFIRM_SUBJECT, _CONFIRM_TEXT, _CONFIRM_LEAD, _CONFIRM_LINK, _IGNORE),
                         {"name": name, "address": address, "chapter": chapter, "url": url})


def reset_mail(t: gettext.NullTranslations, language: str, *, name: str, username: str, chapter: str,
               url: str) -> tuple[str, str, str]:
    """(subject, text, html) of the mail with a password reset link."""
    return _account_mail(t, language, url, (_RESET_SUBJECT, _RESET_TEXT, _RESET_LEAD, _RESET_LINK, _RESET_ONCE),
                         {"name": name, "username": username, "chapter": chapter, "url": url})


def _account_mail(t: gettext.NullTranslations, language: str, url: str, wording: tuple[str, str, str, str, str],
                  values: dict[str, str]) -> tuple[str, str, str]:
    """(subject, text, html) from the five messages of one kind of account mail.

    Both kinds share one shape: a subject, a plain-text body, and an HTML page
    of a lead sentence, the link and a closing note. The closing note is not
    %-formatted (it has no placeholders, and a translated "%" must not break it).
    """
    _ = t.gettext
    subject_msg, text_msg, lead_msg, link_msg, closing_msg = wording
    subject = _(subject_msg) % values
    text = _(text_msg) % values
    page = html_page(subject, f"<p>{html.escape(_(lead_msg) % values)}</p>"
                              f"<p>{link(url, _(link_msg))}</p><p>{html.escape(_(closing_msg))}</p>",
                     language=language)
    return subject, text, page
