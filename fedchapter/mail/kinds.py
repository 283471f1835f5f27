"""The kinds of mail a member can choose to receive, and what they get when
they have not chosen."""
from __future__ import annotations

import enum


class MailKind(enum.StrEnum):
    BULLETIN = "bulletin"
    PROPOSAL_OPENED = "proposal_opened"
    PROPOSAL_CLOSING = "proposal_closing"  # closing in 24 hours and not yet voted
    MINUTES_FOR_APPROVAL = "minutes_for_approval"
    ACTION_ASSIGNED = "action_assigned"
    RSVP_CHANGED = "rsvp_changed"
    ROLE_TERM_ENDING = "role_term_ending"  # an office held ends within two weeks
    # Not a kind of news but how it arrives: notifications gathered into one
    # mail a day instead of one mail each.
    DIGEST = "digest"


NOTIFICATION_KINDS: tuple[MailKind, ...] = (
    MailKind.PROPOSAL_OPENED,
    MailKind.PROPOSAL_CLOSING,
    MailKind.MINUTES_FOR_APPROVAL,
    MailKind.ACTION_ASSIGNED,
    MailKind.RSVP_CHANGED,
    MailKind.ROLE_TERM_ENDING,
)

# Bulletins and the few notifications that need acting on are on until a
# member turns them off; the rest are asked for.
DEFAULTS: dict[MailKind, bool] = {
    MailKind.BULLETIN: True,
    MailKind.PROPOSAL_OPENED: False,
    MailKind.PROPOSAL_CLOSING: True,
    MailKind.MINUTES_FOR_APPROVAL: False,
    MailKind.ACTION_ASSIGNED: True,
    MailKind.RSVP_CHANGED: True,
    MailKind.ROLE_TERM_ENDING: True,
    MailKind.DIGEST: False,
}


def parse_kind(text: str) -> MailKind | None:
    try:
        return MailKind(text)
    except ValueError:
        return None
