"""What the mail services keep: queued messages, mail tokens, subscribers,
bulletins, notifications."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class MailState(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class OutgoingMail:
    id: int
    kind: str
    recipient: str
    subject: str
    state: MailState
    attempts: int
    next_try_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    message: str


class TokenPurpose(enum.StrEnum):
    RESET = "reset"
    CONFIRM_EMAIL = "confirm_email"
    SUBSCRIBE = "subscribe"


@dataclass(frozen=True)
class UsedToken:
    purpose: TokenPurpose
    user_id: int | None
    address: str


class BulletinState(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"


@dataclass(frozen=True)
class Bulletin:
    id: str
    title: str
    body: str  # Markdown
    author_user_id: int | None
    state: BulletinState
    post_id: str | None
    recipients: int
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class Recipient:
    """Someone a mail goes to: a member's confirmed address or a subscriber's."""
    address: str
    user_id: int | None = None
    name: str = ""


@dataclass(frozen=True)
class Notification:
    """One thing a member is told about."""
    user_id: int
    kind: str
    subject_key: str  # what it is about (a proposal id...), for telling it once
    title: str
    url: str
