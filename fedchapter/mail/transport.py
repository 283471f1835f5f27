"""Handing one message over: to an SMTP server (smtplib, in a thread so the
event loop never waits on the network) or, with no server set, to a file in
the data folder.

smtplib rather than aiosmtplib: one message at a time from one worker needs
no extra dependency, and a thread per send is cheap at a chapter's volume.
"""
from __future__ import annotations

import asyncio
import enum
import smtplib
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

SMTP_TIMEOUT = 30.0


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # the server or the network failed for now
    FINAL = "final"  # the server refused this message for good (a 5xx)


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    error: str | None = None


class MailTransport(Protocol):
    async def send(self, mail_id: int, sender: str, recipient: str, message: str) -> SendResult: ...


@dataclass(frozen=True)
class SmtpTransport:
    host: str
    port: int
    security: str  # "starttls", "tls" or "none"
    user: str = ""
    password: str = ""
    timeout: float = SMTP_TIMEOUT
    # Tests trust their own certificate; production uses the system's.
    tls_context: ssl.SSLContext | None = None

    async def send(self, mail_id: int, sender: str, recipient: str, message: str) -> SendResult:
        return await asyncio.to_thread(self._send, sender, recipient, message)

    def _send(self, sender: str, recipient: str, message: str) -> SendResult:
        context = self.tls_context or ssl.create_default_context()
        try:
            client: smtplib.SMTP
            if self.security == "tls":
                client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=context)
                if self.user:
                    client.login(self.user, self.password)
                client.sendmail(sender, [recipient], message.encode("utf-8"))
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            return _judged(code, text)
        except smtplib.SMTPResponseException as error:
            return _judged(error.smtp_code, error.smtp_error)
        except (OSError, smtplib.SMTPException) as error:
            return SendResult(Outcome.RETRY, f"{type(error).__name__}: {error}"[:500])
        return SendResult(Outcome.SENT)


def _judged(code: int, text: bytes | str) -> SendResult:
    detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    error = f"{code} {detail}"[:500]
    # 4xx is "try later" in SMTP; a 5xx will not change by trying again
    # (except a failed login, which an admin fixes in the settings).
    if 500 <= code < 600 and code != 535:
        return SendResult(Outcome.FINAL, error)
    return SendResult(Outcome.RETRY, error)


@dataclass(frozen=True)
class FolderTransport:
    """No mail server: each message becomes ``<id>.eml`` in the folder."""
    folder: Path

    async def send(self, mail_id: int, sender: str, recipient: str, message: str) -> SendResult:
        try:
            await asyncio.to_thread(self._write, mail_id, message)
        except OSError as error:
            return SendResult(Outcome.RETRY, f"{type(error).__name__}: {error}"[:500])
        return SendResult(Outcome.SENT)

    def _write(self, mail_id: int, message: str) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self.folder / f"{mail_id:08d}.eml"
        partial = target.with_suffix(".part")
        partial.write_text(message, encoding="utf-8", newline="")
        partial.replace(target)  # a reader never sees half a message

    def path_of(self, mail_id: int) -> Path:
        return self.folder / f"{mail_id:08d}.eml"
