"""The contract of every ``/api/v1`` route, by method and path: what it
does, the body it takes (the same ``fedchapter`` body descriptions that check
requests, see ``web.api_operation.checked_body``), what it answers on success,
whether it pages. ``/api/v1/openapi.json`` is generated from this table, and
tests/web/test_openapi.py keeps it and the routing table equal both ways."""
from __future__ import annotations

from fedchapter.bodies import (
    AFFILIATION_BODY,
    COMMENT_BODY,
    HIDDEN_BODY,
    LOCK_BODY,
    MEMBER_CHAPTER_CHANGES,
    POST_BODY,
    REMOTE_MEMBER_BODY,
)
from fedchapter.events.bodies import (
    EVENT_BODY,
    EVENT_CHANGES,
    INVITATION_BODY,
    OCCURRENCE_BODY,
    PARTICIPANT_BODY,
    RSVP_BODY,
)
from fedchapter.minutes.bodies import MINUTES_BODY, STATE_BODY
from fedchapter.proposals.bodies import (
    ADOPT_BODY,
    BALLOT_BODY,
    DECISION_BODY,
    PROPOSAL_BODY,
)
from web.api_operation import Operation, query_parameter, read, write

_SCOPE = query_parameter("scope", "network adds the followed chapters' events", choices=("local", "network"))

CONTRACT: dict[tuple[str, str], Operation] = {
    ("GET", "/api/v1/openapi.json"): read("This document"),
    # Events
    ("POST", "/api/v1/events"): write("Publish an event", EVENT_BODY, status=201),
    ("GET", "/api/v1/events"): read("Upcoming events", paged=True, query=(_SCOPE,)),
    ("GET", "/api/v1/events/{id}"): read("One event"),
    ("PATCH", "/api/v1/events/{id}"): write("Change an event (federates as Update)", EVENT_CHANGES),
    ("DELETE", "/api/v1/events/{id}"): write("Delete an event (federates as Delete)", status=204),
    ("POST", "/api/v1/events/{id}/cancel"): write("Cancel an event"),
    ("POST", "/api/v1/events/{id}/occurrences"): write("Cancel, move or restore one date of a series",
                                                      OCCURRENCE_BODY),
    ("POST", "/api/v1/events/{id}/rsvp"): write("Answer an event", RSVP_BODY),
    ("GET", "/api/v1/events/{id}/requests"): read("Requests waiting for an organiser", paged=True,
                                                  errors=(401, 403, 404, 422)),
    ("POST", "/api/v1/events/{id}/requests/accept"): write("Accept a request (a remote participant hears Accept)",
                                                           PARTICIPANT_BODY),
    ("POST", "/api/v1/events/{id}/requests/refuse"): write("Refuse a request (a remote participant hears Reject)",
                                                           PARTICIPANT_BODY),
    ("GET", "/api/v1/events/{id}/invitations"): read("Who is invited", paged=True, errors=(401, 403, 404, 422)),
    ("POST", "/api/v1/events/{id}/invitations"): write("Invite a member or a fediverse account", INVITATION_BODY,
                                                       status=201),
    ("DELETE", "/api/v1/events/{id}/invitations"): write(
        "Withdraw an invitation", status=204,
        query=(query_parameter("invitee", "the invitee's actor id", required=True),)),
    # Minutes
    ("POST", "/api/v1/minutes"): write("Record minutes", MINUTES_BODY, status=201),
    ("GET", "/api/v1/minutes"): read("The latest minutes", paged=True),
    ("GET", "/api/v1/minutes/actions"): read("Open actions to carry into the next minutes", paged=True,
                                             errors=(401, 403, 422)),
    ("GET", "/api/v1/minutes/actions/mine"): read("My open actions", paged=True, errors=(401, 422)),
    ("GET", "/api/v1/minutes/{id}"): read("One set of minutes"),
    ("PATCH", "/api/v1/minutes/{id}"): write("Correct minutes (the old revision is kept)", MINUTES_BODY),
    ("DELETE", "/api/v1/minutes/{id}"): write("Delete minutes", status=204),
    ("POST", "/api/v1/minutes/{id}/state"): write("Move minutes along their workflow", STATE_BODY),
    # News posts
    ("POST", "/api/v1/posts"): write("Publish a news post", POST_BODY, status=201),
    ("GET", "/api/v1/posts"): read("The latest news posts", paged=True),
    ("GET", "/api/v1/posts/{id}"): read("One news post"),
    ("PATCH", "/api/v1/posts/{id}"): write("Edit a news post", POST_BODY),
    ("DELETE", "/api/v1/posts/{id}"): write("Delete a news post", status=204),
    # Comments
    ("GET", "/api/v1/comments"): read(
        "Comments on one object, threaded (a page is a number of threads)", paged=True,
        query=(query_parameter("object", "the object's ActivityPub id", required=True),)),
    ("POST", "/api/v1/comments"): write("Comment", COMMENT_BODY, status=201),
    ("POST", "/api/v1/comments/lock"): write("Lock or unlock a thread", LOCK_BODY),
    ("DELETE", "/api/v1/comments/{id}"): write("Delete a comment", status=204),
    ("POST", "/api/v1/comments/{id}/hide"): write("Hide or show a comment", HIDDEN_BODY),
    # Proposals
    ("POST", "/api/v1/proposals"): write("Put a proposal", PROPOSAL_BODY, status=201),
    ("GET", "/api/v1/proposals"): read("Proposals", paged=True),
    ("GET", "/api/v1/proposals/offers"): read("Proposals other chapters shared with us", paged=True,
                                              errors=(401, 403, 422)),
    ("POST", "/api/v1/proposals/adopt"): write("Decide a shared proposal by our own means", ADOPT_BODY,
                                               status=201),
    ("GET", "/api/v1/proposals/{id}"): read("One proposal, with its result"),
    ("POST", "/api/v1/proposals/{id}/vote"): write("Vote", BALLOT_BODY),
    ("POST", "/api/v1/proposals/{id}/open"): write("Open a draft for votes"),
    ("POST", "/api/v1/proposals/{id}/close"): write("Close now; answers the result"),
    ("POST", "/api/v1/proposals/{id}/decide"): write("Record the outcome statement", DECISION_BODY),
    ("GET", "/api/v1/proposals/{id}/votes"): read("Who voted how (when the proposal shows it)", paged=True),
    # Members and followers
    ("GET", "/api/v1/members"): read("Members, local and remote, with roles", paged=True,
                                     errors=(401, 403, 422)),
    ("POST", "/api/v1/members"): write("Make a fediverse account a member", REMOTE_MEMBER_BODY, status=201),
    ("GET", "/api/v1/followers"): read(
        "The chapter's followers, or the follow requests waiting for an admin", paged=True,
        errors=(401, 403, 422),
        query=(query_parameter("state", "accepted (the default) or pending", choices=("accepted", "pending")),)),
    ("POST", "/api/v1/followers/{id}/accept"): write("Accept a follow request (the follower hears Accept)"),
    ("POST", "/api/v1/followers/{id}/reject"): write("Reject a follow request (the follower hears Reject)"),
    # Networks of chapters
    ("GET", "/api/v1/affiliations"): read("The networks this chapter belongs to or asked to join", paged=True,
                                          errors=(401, 403, 422)),
    ("POST", "/api/v1/affiliations"): write("Ask a network to take this chapter", AFFILIATION_BODY, status=201),
    ("DELETE", "/api/v1/affiliations/{id}"): write("Leave a network"),
    ("GET", "/api/v1/network/chapters"): read("A network's member chapters", paged=True, errors=(401, 403, 422)),
    ("POST", "/api/v1/network/chapters/{id}/accept"): write("Take a chapter into the network"),
    ("POST", "/api/v1/network/chapters/{id}/reject"): write("Refuse a chapter"),
    ("PATCH", "/api/v1/network/chapters/{id}"): write("A member chapter's weight and delegates",
                                                      MEMBER_CHAPTER_CHANGES),
}
