"""Mastodon-style poll votes from a peer on a yes-no proposal: counted when
the peer's actor was made a member with `POST /api/v1/members`, refused when
it is not a member.  Each scenario has its own proposal."""

from __future__ import annotations

import pytest
from content import close_proposal, open_proposal

pytestmark = pytest.mark.interop


def option_counts(entry: dict) -> dict[str, int]:
    """Counts the peer read from a Question it received."""
    obj = entry["object"]
    if "options" in obj:  # Fedify's vocabulary
        return {option["name"]: option["count"] for option in obj["options"]}
    options = obj["oneOf"] if isinstance(obj["oneOf"], list) else [obj["oneOf"]]
    return {option["name"]: option["replies"]["totalItems"] for option in options}


def test_a_members_vote_is_counted(peer, chapter):
    chapter.add_member(peer.actor)  # by actor URL: may now vote from its own server
    proposal = open_proposal(chapter, f"Members vote ({peer.kind})")

    votes = peer.vote(proposal["ap_id"], "yes")
    assert votes["owner"] == chapter.actor  # the Question's attributedTo
    assert chapter.inbox_row(votes["votes"][0]["id"])["state"] == "done"

    result = close_proposal(chapter, proposal)["result"]
    assert result["counts"] == {"yes": 1, "no": 0, "abstain": 0}
    assert result["voters"] == 1


def test_the_voter_sees_the_new_counts(peer, chapter):
    """The chapter sends Update(Question) with the new counts to its voters
    (and followers), as Mastodon does; the peer's library reads the counts."""
    chapter.add_member(peer.actor)
    proposal = open_proposal(chapter, f"Counts update ({peer.kind})")
    since = peer.mark()

    peer.vote(proposal["ap_id"], "no")
    # Sent promptly today; if fedchapter starts batching updates as Mastodon
    # does (minutes), this wait has to grow.
    update = peer.wait_for(type="Update", object_id=proposal["ap_id"], since=since,
                           match=lambda entry: option_counts(entry).get("no") == 1)
    assert option_counts(update) == {"yes": 0, "no": 1, "abstain": 0}


def test_a_non_members_vote_is_not_counted(stranger, chapter):
    proposal = open_proposal(chapter, f"Non-member vote ({stranger.kind})")

    votes = stranger.vote(proposal["ap_id"], "yes")
    row = chapter.inbox_row(votes["votes"][0]["id"])
    # Received and verified, then refused as a vote; never a failure.
    assert row["state"] == "ignored", row

    result = close_proposal(chapter, proposal)["result"]
    assert result["counts"] == {"yes": 0, "no": 0, "abstain": 0}
    assert result["voters"] == 0
