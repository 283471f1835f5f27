"""Proposals to and from ActivityStreams, checked against Mastodon's own shapes."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from fedchapter.actors import LocalActor, LocalActorKind
from fedchapter.proposals.model import ChapterDecision, Method, PollSnapshot, Status
from fedchapter.proposals.rules import Quorum, Threshold
from fedchapter.proposals.tally import tally
from fedchapter.visibility import Visibility
from federation.from_as.proposals import read_chapter_result, read_offer, read_poll_vote
from federation.to_as.proposals import decision_to_as, poll_to_as
from federation.to_as.registry import ConversionContext
from federation.urls import Urls
from federation.vocabulary import EXTENSION_TERMS
from tests.fedchapter.proposals.proposal_helpers import NOW, proposal, votes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "proposals"
URLS = Urls("http://london.test")
CHAPTER = LocalActor(id=1, username="london", kind=LocalActorKind.GROUP, display_name="London Chapter", summary="",
                     public_key_pem="", private_key_pem="", created_at=NOW)
CONVERSION = ConversionContext(urls=URLS, actor=CHAPTER, actor_url=URLS.actor("london"), language="en",
                               timezone="Europe/London", visibility=Visibility.PUBLIC)


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())  # type: ignore[no-any-return]


def test_our_question_has_the_shape_mastodon_writes() -> None:
    mastodon = fixture("mastodon_question.json")
    poll = proposal(Method.SINGLE, ("Tuesday", "Thursday"))
    ours = poll_to_as(PollSnapshot(proposal=poll, counts={"Tuesday": 6, "Thursday": 4}, voters=10), CONVERSION)
    for key in ("id", "type", "attributedTo", "content", "contentMap", "endTime", "votersCount", "oneOf",
                "published", "url", "to", "cc", "sensitive"):
        assert key in ours, key
    assert "closed" not in ours  # only once closed
    assert ours["oneOf"] == mastodon["oneOf"]
    assert EXTENSION_TERMS["votersCount"] == "toot:votersCount"


def test_a_closed_ranked_proposal_carries_our_namespace_fields() -> None:
    ranked = replace(proposal(Method.STV, ("Ann", "Bo", "Cy"), seats=2, quorum=Quorum(voters=3)),
                     status=Status.CLOSED, closed_at=NOW + timedelta(days=1))
    ranked = replace(ranked, result=tally(ranked, votes((2, ("Ann", "Bo")), (1, ("Cy",))), 5))
    document = poll_to_as(PollSnapshot(proposal=ranked, counts={"Ann": 2, "Bo": 0, "Cy": 1}, voters=3), CONVERSION)
    assert (document["fc:method"], document["fc:seats"], document["fc:quorum"], document["fc:stvRule"]) == ("stv", 2, 3, "scottish")
    assert document["closed"] == "2026-06-02T12:00:00Z"
    assert document["fc:result"]["outcome"] == "elected"
    assert "Vote on the chapter's site" in document["content"]


def test_a_mastodon_vote_is_read_as_a_poll_vote() -> None:
    activity = fixture("mastodon_vote.json")
    note = {**activity["object"], "inReplyTo": URLS.proposal("abc123")}
    vote = read_poll_vote(URLS, note)
    assert vote is not None
    assert (vote.proposal_id, vote.option, vote.voter) == ("abc123", "Tuesday", "https://mastodon.social/users/alice")
    assert vote.note_id == "https://mastodon.social/users/alice#votes/389574"
    # A reply with text is a comment; a vote on someone else's poll is not ours.
    assert read_poll_vote(URLS, {**note, "content": "<p>I vote Tuesday because…</p>"}) is None
    assert read_poll_vote(URLS, activity["object"]) is None


def test_a_mastodon_poll_is_not_a_shared_proposal() -> None:
    assert read_offer(fixture("mastodon_question.json"), NOW) is None


def test_our_question_reads_back_as_an_offer() -> None:
    shared = replace(proposal(Method.YES_NO, threshold=Threshold.TWO_THIRDS, quorum=Quorum.parse("40%")),
                     body="We join the **national** day of action.")
    document = poll_to_as(PollSnapshot(proposal=shared, counts=None, voters=0), CONVERSION)
    offer = read_offer(document, NOW)
    assert offer is not None
    assert (offer.question_id, offer.origin_chapter, offer.method) == (URLS.proposal("p1"), URLS.actor("london"), Method.YES_NO)
    assert (offer.options, offer.threshold, offer.quorum) == (("yes", "no", "abstain"), Threshold.TWO_THIRDS, Quorum.parse("40%"))
    assert offer.title == "A proposal" and offer.body == "We join the national day of action."
    assert offer.closes_at == shared.closes_at


def test_a_decision_reads_back() -> None:
    adopted = replace(proposal(Method.YES_NO), status=Status.CLOSED, closed_at=NOW)
    result = tally(adopted, votes((2, ("yes",)), (1, ("no",))), 3)
    origin = Urls("http://paris.test")
    note = decision_to_as(ChapterDecision(proposal=adopted, origin_question=origin.proposal("q1"),
                                          origin_chapter=origin.actor("paris"), result=result), CONVERSION)
    assert note["type"] == "Note" and note["to"] == [origin.actor("paris")]
    assert read_poll_vote(origin, note) is None  # a decision is not a vote
    found = read_chapter_result(origin, note)
    assert found is not None
    proposal_id, chapter, reported = found
    assert (proposal_id, chapter) == ("q1", URLS.actor("london"))
    assert (reported["outcome"], reported["counts"], reported["voters"]) == ("passed", {"yes": 2, "no": 1, "abstain": 0}, 3)
