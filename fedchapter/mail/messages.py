"""Building a message: a plain-text part and an HTML part, and for anything
sent to a list the RFC 8058 one-click unsubscribe headers.

Headers are set through ``email.message.EmailMessage``, whose default policy
refuses a CR or LF in a header value; addresses were already checked by
:func:`fedchapter.mail.addresses.check_address`, so that is a second line.
"""
from __future__ import annotations

import html as html_escapes
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

MAX_SUBJECT = 200


@dataclass(frozen=True)
class Sender:
    name: str
    address: str

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


@dataclass(frozen=True)
class Mail:
    """A message ready for the queue: the envelope and the RFC 5322 text."""
    recipient: str
    subject: str
    text: str  # the whole message, CRLF line ends


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    return " ".join(text.split())[:limit]


def build_mail(
    sender: Sender,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    *,
    now: datetime,
    unsubscribe_url: str | None = None,
) -> Mail:
    message = EmailMessage()
    local, _, domain = sender.address.rpartition("@")
    message["From"] = Address(display_name=one_line(sender.name, 100), username=local, domain=domain)
    message["To"] = recipient
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.domain)
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url is not None:
        # RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" to the URL.
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return Mail(recipient=recipient, subject=one_line(subject), text=message.as_string(policy=SMTP))


def html_page(title: str, body_html: str, footer_html: str = "", language: str = "") -> str:
    """A minimal HTML document around already-safe HTML (mail clients ignore
    most CSS; what is here survives the strictest of them)."""
    footer = f'<hr><p style="font-size:small;color:#555">{footer_html}</p>' if footer_html else ""
    lang = f' lang="{html_escapes.escape(language, quote=True)}"' if language else ""
    return (
        f"<!DOCTYPE html>\n<html{lang}><head><meta charset=\"utf-8\">"
        f"<title>{html_escapes.escape(title)}</title></head>"
        f"<body style=\"font-family:sans-serif;max-width:40em\">{body_html}{footer}</body></html>\n"
    )


def link(url: str, label: str) -> str:
    return f'<a href="{html_escapes.escape(url, quote=True)}">{html_escapes.escape(label)}</a>'
