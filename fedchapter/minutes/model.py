"""What a set of minutes is: the record of one meeting.

Plain data. The checks that give a secretary a helpful message (with the
dotted field path at fault) live in `validation`; the life cycle in
`workflow`; the one-paragraph text Mastodon shows in `summary`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from fedchapter.visibility import Visibility


class MinutesState(StrEnum):
    DRAFT = "draft"  # the minute-taker's working copy: secretaries only
    CIRCULATED = "circulated"  # sent round to members for comment
    APPROVED = "approved"  # approved, usually at the next meeting
    PUBLISHED = "published"  # on the site and federated, per its visibility


class Outcome(StrEnum):
    CARRIED = "carried"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    NOTED = "noted"


class DecidedBy(StrEnum):
    VOTE = "vote"  # counted: for, against, abstain
    UNANIMOUS = "unanimous"  # everyone present agreed (counts optional)
    CONSENSUS = "consensus"  # no vote taken, nobody blocked


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True)
class AgendaItem:
    title: str
    notes: str = ""  # Markdown


@dataclass(frozen=True)
class Decision:
    text: str
    outcome: Outcome
    decided_by: DecidedBy = DecidedBy.VOTE
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    # The short id of the proposal that was voted, when there was one.
    proposal: str | None = None

    @property
    def has_counts(self) -> bool:
        return self.votes_for is not None


@dataclass(frozen=True)
class ActionItem:
    text: str
    owner: str = ""  # a member's username, or a name
    due: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    # The action item (its key, see MinutesActionKey) this one continues, when
    # it was carried in from earlier minutes.
    carried_from: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status is ActionStatus.OPEN


@dataclass(frozen=True)
class NextMeeting:
    date: date
    time: str | None = None  # "18:30", local wall-clock time in the chapter's zone
    place: str = ""
    # The Event the next meeting is, when one was linked or created.
    event: str | None = None


@dataclass(frozen=True)
class MinutesContent:
    """Everything a secretary writes; one revision of the minutes."""

    title: str
    meeting_date: date
    attendance: int
    place: str = ""
    event: str | None = None  # the meeting's Event id, when there is one
    facilitator: str = ""
    minute_taker: str = ""
    present: tuple[str, ...] = ()  # usernames of members present
    agenda: tuple[AgendaItem, ...] = ()
    decisions: tuple[Decision, ...] = ()
    actions: tuple[ActionItem, ...] = ()
    next_meeting: NextMeeting | None = None
    visibility: Visibility = Visibility.PUBLIC
    language: str = "en"


@dataclass(frozen=True)
class Minutes:
    id: str
    content: MinutesContent
    state: MinutesState
    revision: int  # 1 for the first published text, +1 per correction
    author_user_id: int | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None

    @property
    def title(self) -> str:
        return self.content.title

    @property
    def visibility(self) -> Visibility:
        return self.content.visibility

    @property
    def is_published(self) -> bool:
        return self.state is MinutesState.PUBLISHED


@dataclass(frozen=True)
class Revision:
    """An earlier text of published minutes, kept when a correction replaced it."""

    minutes_id: str
    revision: int
    content: MinutesContent
    note: str
    edited_by: str
    created_at: datetime


@dataclass(frozen=True)
class OpenAction:
    """An open action item of earlier minutes, not yet carried forward."""

    key: str  # "MINUTES_ID:INDEX": stable while the minutes keep their actions
    minutes_id: str
    minutes_title: str
    meeting_date: date
    item: ActionItem


def action_key(minutes_id: str, index: int) -> str:
    return f"{minutes_id}:{index}"


def carried_forward(action: OpenAction) -> ActionItem:
    """The item as it appears in the next minutes: still open, pointing back."""
    return ActionItem(text=action.item.text, owner=action.item.owner, due=action.item.due,
                      status=ActionStatus.OPEN, carried_from=action.key)
