"""The words around a bulletin (its footer, the subscription confirmation),
in the recipient's language: a member's chosen language, a subscriber's the
chapter's (we know nothing else of them). The bulletin itself is what the
secretary wrote and is sent as written.

Marked with ``N_`` for the catalog in web/locale (babel.cfg extracts
fedchapter/); the composition root hands in the catalogs, as for the
notifications (fedchapter/mail/wording.py).
"""
from __future__ import annotations

import gettext
import html

from fedchapter.mail.messages import html_page, link
from fedchapter.mail.wording import N_

_READ_ONLINE = N_("Read it online")
_FOOTER_TEXT = N_("Read it online: %(url)s\nYou receive the bulletin of %(chapter)s. Unsubscribe: %(unsubscribe)s")
_FOOTER_HTML = N_("You receive the bulletin of %(chapter)s.")
_UNSUBSCRIBE = N_("Unsubscribe")

_CONFIRM_SUBJECT = N_("Confirm your subscription to %(chapter)s")
_CONFIRM_LEAD = N_("Someone (we hope you) asked to receive the bulletin of %(chapter)s at %(address)s.")
_CONFIRM_WITHIN = N_("To confirm, open this link within a week:")
_CONFIRM_LINK = N_("Yes, send me the bulletin")
_CONFIRM_IGNORE = N_("If it was not you, ignore this mail: you will not hear from us again.")


def bulletin_mail(t: gettext.NullTranslations, language: str, *, chapter: str, title: str, body: str,
                  body_html: str, online: str, unsubscribe: str) -> tuple[str, str, str]:
    """(subject, text, html) of one recipient's copy of a bulletin."""
    _ = t.gettext
    subject = f"{chapter}: {title}"
    footer = _(_FOOTER_TEXT) % {"url": online, "chapter": chapter, "unsubscribe": unsubscribe}
    text = f"{title}\n{'=' * min(len(title), 70)}\n\n{body}\n\n-- \n{footer}\n"
    page = html_page(
        title, f"<h1>{html.escape(title)}</h1>\n{body_html}",
        f"{link(online, _(_READ_ONLINE))} · {html.escape(_(_FOOTER_HTML) % {'chapter': chapter})}"
        f" {link(unsubscribe, _(_UNSUBSCRIBE))}",
        language=language,
    )
    return subject, text, page


def subscription_mail(t: gettext.NullTranslations, language: str, *, chapter: str, address: str,
                      url: str) -> tuple[str, str, str]:
    """(subject, text, html) of the double opt-in confirmation."""
    _ = t.gettext
    subject = _(_CONFIRM_SUBJECT) % {"chapter": chapter}
    lead = _(_CONFIRM_LEAD) % {"chapter": chapter, "address": address}
    text = f"{lead}\n\n{_(_CONFIRM_WITHIN)}\n\n{url}\n\n{_(_CONFIRM_IGNORE)}\n"
    page = html_page(subject, f"<p>{html.escape(lead)}</p><p>{link(url, _(_CONFIRM_LINK))}</p>"
                              f"<p>{html.escape(_(_CONFIRM_IGNORE))}</p>", language=language)
    return subject, text, page
