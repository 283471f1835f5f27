"""The proposal repository in a real SQLite file."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from fedchapter.proposals.model import ChapterResult, Method, ProposalOffer, Status, Vote, VoteChannel
from fedchapter.proposals.rules import Quorum, Threshold
from fedchapter.proposals.tally import tally
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.proposals import ProposalRepository
from tests.fedchapter.proposals.proposal_helpers import NOW, proposal


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[ProposalRepository]:
    database = await open_database(database_for(tmp_path / "chapter.sqlite3"))
    yield ProposalRepository(database)
    await database.close()


def vote(voter: str, *choices: str, minutes: int = 0) -> Vote:
    return Vote(voter=voter, choices=choices, channel=VoteChannel.SITE, cast_at=NOW + timedelta(minutes=minutes))


async def test_a_proposal_round_trips(repository: ProposalRepository) -> None:
    stv = replace(proposal(Method.STV, ("Ann", "Bo", "Cy"), seats=2, quorum=Quorum.parse("25%"),
                           proposal_id="stv1"), share_with=("http://paris.test/actors/paris",), hide_results=True)
    await repository.add(stv)
    assert await repository.get("stv1") == stv
    yes_no = proposal(Method.YES_NO, threshold=Threshold.TWO_THIRDS, proposal_id="yn1")
    await repository.add(yes_no)
    assert await repository.get("yn1") == yes_no
    assert await repository.get("missing") is None


async def test_votes_are_one_per_member_and_logged(repository: ProposalRepository) -> None:
    await repository.add(proposal(Method.YES_NO))
    await repository.put_vote("p1", vote("alice", "yes"), "cast")
    await repository.put_vote("p1", vote("alice", "no", minutes=5), "changed")
    await repository.put_vote("p1", vote("bob", "yes", minutes=6), "cast")
    assert [(v.voter, v.choices) for v in await repository.votes("p1")] == [("alice", ("no",)), ("bob", ("yes",))]
    assert (await repository.vote_of("p1", "alice")) == vote("alice", "no", minutes=5)
    log = await repository.vote_log("p1")
    assert [(entry.voter, entry.action) for entry in log] == [("alice", "cast"), ("alice", "changed"), ("bob", "cast")]


async def test_a_poll_vote_note_is_remembered_once(repository: ProposalRepository) -> None:
    await repository.add(proposal(Method.YES_NO))
    assert await repository.remember_vote_note("https://m.example/users/a#votes/1", "p1", "a", NOW)
    assert not await repository.remember_vote_note("https://m.example/users/a#votes/1", "p1", "a", NOW)


async def test_dirty_counts_wait_for_their_batch_interval(repository: ProposalRepository) -> None:
    await repository.add(proposal(Method.YES_NO))
    assert await repository.dirty_ids(NOW) == []
    await repository.put_vote("p1", vote("alice", "yes"), "cast")
    assert await repository.dirty_ids(NOW) == ["p1"]  # never sent: due at once
    closes_at, oldest, never_sent = await repository.next_deadlines()
    assert (closes_at, oldest, never_sent) == (NOW + timedelta(days=7), None, True)
    await repository.mark_counts_published("p1", NOW)
    await repository.put_vote("p1", vote("bob", "no"), "cast")
    assert await repository.dirty_ids(NOW - timedelta(seconds=60)) == []
    assert await repository.dirty_ids(NOW) == ["p1"]
    assert (await repository.next_deadlines())[1:] == (NOW, False)


async def test_closing_freezes_the_result_once(repository: ProposalRepository) -> None:
    open_proposal = proposal(Method.YES_NO)
    await repository.add(open_proposal)
    result = tally(open_proposal, [vote("alice", "yes")], 4)
    assert await repository.set_closed("p1", NOW, result)
    assert not await repository.set_closed("p1", NOW, result)
    stored = await repository.get("p1")
    assert stored is not None and stored.status is Status.CLOSED and stored.result == result
    assert await repository.open_ids_due(NOW + timedelta(days=30)) == []
    await repository.set_decided("p1", "Carried.")
    decided = await repository.get("p1")
    assert decided is not None and (decided.status, decided.outcome_statement) == (Status.DECIDED, "Carried.")


async def test_offers_and_chapter_results(repository: ProposalRepository) -> None:
    offer = ProposalOffer(question_id="http://london.test/proposals/x", origin_chapter="http://london.test/actors/london",
                          title="Join the campaign", body="Shall we?", method=Method.YES_NO,
                          options=("yes", "no", "abstain"), closes_at=NOW + timedelta(days=3), received_at=NOW,
                          quorum=Quorum(voters=3))
    await repository.add_offer(offer)
    await repository.add_offer(offer)  # delivered twice: still one offer
    assert await repository.offers() == [offer]
    adopted = replace(proposal(Method.YES_NO, proposal_id="local"), adopted_from=offer.question_id,
                      origin_chapter=offer.origin_chapter)
    await repository.add(adopted)
    # Adopted offers stay listed, with the proposal that adopted them (docs/interfaces.md).
    assert await repository.offers() == [offer]
    assert await repository.adopted_ids() == {offer.question_id: "local"}
    assert await repository.by_adopted_from(offer.question_id) == adopted
    result = ChapterResult(chapter="http://paris.test/actors/paris", outcome="passed", counts={"yes": 2},
                           voters=2, quorum_met=True, reported_at=NOW)
    await repository.put_chapter_result("local", result)
    await repository.put_chapter_result("local", replace(result, voters=3))
    assert await repository.chapter_results("local") == [replace(result, voters=3)]


def _offer_with_tally(updated: str | None, *, final: bool = False, title: str = "Join the campaign") -> ProposalOffer:
    return ProposalOffer(question_id="http://london.test/proposals/x", origin_chapter="http://london.test/actors/london",
                         title=title, body="Shall we?", method=Method.YES_NO, options=("yes", "no", "abstain"),
                         closes_at=NOW + timedelta(days=3), received_at=NOW,
                         tally={"outcome": "passed", "final": final, "updated": updated})


async def kept_tally(repository: ProposalRepository) -> dict[str, object] | None:
    kept = await repository.offer("http://london.test/proposals/x")
    assert kept is not None
    return kept.tally


async def test_an_offer_keeps_the_newest_tally_whatever_order_the_updates_are_stored_in(
    repository: ProposalRepository,
) -> None:
    await repository.add_offer(_offer_with_tally("2026-05-01T10:00:00.000002Z"))
    # An Update overtaken on the way: its title is kept, its older tally is not.
    await repository.add_offer(_offer_with_tally("2026-05-01T12:00:00.000001+02:00", title="Renamed"))
    assert (await kept_tally(repository) or {})["updated"] == "2026-05-01T10:00:00.000002Z"
    assert (await repository.offer("http://london.test/proposals/x")).title == "Renamed"  # type: ignore[union-attr]
    # An Update without a tally keeps the one there; one without `updated` replaces one not final.
    await repository.add_offer(replace(_offer_with_tally(None), tally=None))
    assert (await kept_tally(repository) or {})["updated"] == "2026-05-01T10:00:00.000002Z"
    await repository.add_offer(_offer_with_tally(None))
    assert (await kept_tally(repository) or {})["updated"] is None
    # A final tally gives way only to a final one.
    await repository.add_offer(_offer_with_tally("2026-05-01T11:00:00Z", final=True))
    await repository.add_offer(_offer_with_tally("2026-05-01T12:00:00Z"))
    assert await kept_tally(repository) == {"outcome": "passed", "final": True, "updated": "2026-05-01T11:00:00Z"}
    await repository.add_offer(_offer_with_tally("2026-05-01T12:00:00Z", final=True))
    assert (await kept_tally(repository) or {})["updated"] == "2026-05-01T12:00:00Z"


async def test_updates_stored_at_once_by_several_workers_never_go_back_in_time(
    repository: ProposalRepository,
) -> None:
    # On PostgreSQL these run on several connections at once, as inbox workers would.
    stamps = [f"2026-05-01T10:00:{second:02d}.000000Z" for second in range(12)]
    await repository.add_offer(_offer_with_tally(stamps[0]))
    await asyncio.gather(*(repository.add_offer(_offer_with_tally(stamp)) for stamp in reversed(stamps)))
    assert (await kept_tally(repository) or {})["updated"] == stamps[-1]
