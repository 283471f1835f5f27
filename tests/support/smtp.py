"""A real SMTP server in the test process (aiosmtpd, on its own thread and
port): mail tests read what arrived over the wire, headers and parts."""
from __future__ import annotations

import asyncio
import email
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None, "no text part"
        return str(part.get_content())

    def html(self) -> str:
        part = self.message.get_body(("html",))
        assert part is not None, "no HTML part"
        return str(part.get_content())

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"]+", self.text())


@dataclass
class Mailbox:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, tuple[int, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:
        if address in self.refuse:
            code, text = self.refuse[address]
            return f"{code} {text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        message = email.message_from_bytes(content, policy=default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [mail for mail in self.received if address in mail.recipients]

    async def wait_for(self, address: str, count: int = 1, timeout: float = 10.0) -> list[Received]:
        """The mail ``address`` received, once there are ``count`` of them."""
        for _ in range(int(timeout / 0.05)):
            found = self.to(address)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"{address} received {len(self.to(address))} mails, expected {count}")

    async def wait_for_subject(self, address: str, part: str, timeout: float = 10.0) -> Received:
        """The one mail to ``address`` whose subject contains ``part``, once it arrived."""
        for _ in range(int(timeout / 0.05)):
            found = [mail for mail in self.to(address) if part in str(mail.message["Subject"])]
            assert len(found) <= 1, f"{address} received {len(found)} mails about {part!r}"
            if found:
                return found[0]
            await asyncio.sleep(0.05)
        raise AssertionError(f"{address} received no mail about {part!r}")


def _authenticate(user: str, password: str) -> Any:
    def check(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
        good = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
        return AuthResult(success=good, handled=False)
    return check


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(*, user: str | None = None, password: str | None = None) -> Iterator[Mailbox]:
    mailbox = Mailbox("127.0.0.1", _free_port())
    options: dict[str, Any] = {}
    if user is not None and password is not None:
        options = {"authenticator": _authenticate(user, password), "auth_require_tls": False,
                   "auth_required": True}
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port, **options)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
