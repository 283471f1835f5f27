"""The inbox's one dispatch table: every activity type we handle, every Undo
we honour and the receiver of every kind of object, listed here and built
once by the composition root (``fedchapter.cli.composition``)."""
from __future__ import annotations

from federation.inbox.comments import CommentReceiver
from federation.inbox.dispatch import InboxDispatch, ObjectKind
from federation.inbox.events import EventReceiver
from federation.inbox.network_ballots import NetworkBallotReceiver
from federation.inbox.handlers import (
    accept,
    announce,
    create,
    delete,
    follow,
    join,
    leave,
    like,
    reject,
    undo,
    update,
)
from federation.inbox.proposal_receivers import ProposalNoteReceiver, SharedQuestionReceiver


def build_inbox_dispatch() -> InboxDispatch:
    proposal_notes = ProposalNoteReceiver()
    return InboxDispatch(
        activities={
            "Follow": follow.handle,
            "Accept": accept.handle,
            "Reject": reject.handle,
            "Undo": undo.handle,
            "Create": create.handle,
            "Update": update.handle,
            "Delete": delete.handle,
            "Announce": announce.handle,
            "Join": join.handle,
            "Leave": leave.handle,
            "Like": like.handle,
        },
        undo={
            "Join": join.undo,
            "Like": like.undo,
        },
        objects={
            ObjectKind.EVENT: EventReceiver(),
            ObjectKind.SHARED_PROPOSAL: SharedQuestionReceiver(),
            ObjectKind.POLL_VOTE: proposal_notes,
            ObjectKind.CHAPTER_RESULT: proposal_notes,
            ObjectKind.NETWORK_BALLOT: NetworkBallotReceiver(),
            ObjectKind.COMMENT: CommentReceiver(),
        },
    )
