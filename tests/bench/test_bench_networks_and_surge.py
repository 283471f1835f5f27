"""The networks and follower-surge scenarios of the benchmark: the stand-in
chapters speak the network's formats, and the surge's figures say whether
the issue's goals were met. No servers and no timing: ``make bench`` runs
the scenarios themselves."""
from __future__ import annotations

from typing import Any

from bench.network_peers import Counters, StandIns, make_chapters, report_note
from bench.scenarios.surge import figures_of
from federation.from_as.proposals import ours
from federation.integrity import assertion_key, key_id, verify
from federation.remote_actors import parse_actor

NETWORK = "http://127.0.0.1:8000/actors/alliance"
QUESTION = "http://127.0.0.1:8000/proposals/abc"


def test_each_stand_in_chapter_is_a_group_on_its_own_server() -> None:
    chapters = make_chapters(2, [40001, 40002])
    assert [chapter.actor for chapter in chapters] == [
        "http://127.0.0.1:40001/actors/c0", "http://127.0.0.1:40002/actors/c1",
        "http://127.0.0.2:40001/actors/c2", "http://127.0.0.2:40002/actors/c3"]
    actor = parse_actor(chapters[0].document(), fetched_from=chapters[0].actor)
    assert (actor.type, actor.id) == ("Group", chapters[0].actor)


def test_a_stand_in_report_carries_a_proof_the_network_can_check() -> None:
    [chapter] = make_chapters(1, [40001])
    note = report_note(chapter, QUESTION, NETWORK)
    assert (note["attributedTo"], note["inReplyTo"], ours(note, "result")["voters"]) == (chapter.actor, QUESTION, 3)
    verify(note, assertion_key(chapter.document(), key_id(chapter.actor)))


def test_the_stand_ins_count_what_the_network_sends() -> None:
    [chapter] = make_chapters(1, [40001])
    chapter.join_id = f"{chapter.actor}/activities/join"
    standins = StandIns([chapter], NETWORK)
    standins.receive(chapter, {"type": "Accept", "object": {"id": chapter.join_id, "type": "Join"}})
    report = report_note(chapter, QUESTION, NETWORK)
    for _ in range(2):  # the same relay twice shows as a duplicate
        standins.receive(chapter, {"type": "Announce", "object": report})
    standins.receive(chapter, {"type": "Update", "object": {"type": "Question", "fc:tally": {"chapters": [{}, {}]}}})
    stats = standins.counters.stats()
    assert (stats["accepted"], stats["relayed"], stats["relayed_duplicates"]) == (1, 1, 1)
    assert (stats["tally_updates"], stats["largest_tally"]) == (1, 2)
    assert Counters().stats()["relayed_min_per_chapter"] == 0


def surge_result(**changes: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "follows": 5000, "servers": 500, "seconds": 60.0, "statuses": {202: 5000}, "no_answer": 0,
        "follow_p99_ms": 80, "accepts": 5000, "seconds_to_last_accept": 61.0, "server_cpu_seconds": 45.0,
        "event": {"queued_to_servers": 500, "servers_within_30s": 500, "seconds_to_all": 1.2,
                  "seconds_to_all_exact": 1.25},
    }
    result.update(changes)
    return result


def test_a_surge_meeting_the_goals_is_reported_met_against_the_ceiling() -> None:
    figures = {figure.name: figure for figure in figures_of(surge_result(), {"best": 800.0})}
    accepted = figures["surge: last Accept after the last Follow was due"]
    assert (accepted.value, accepted.met) == (1.0, True)
    event = figures["surge: the event's deliveries/s right after the surge"]
    assert (event.value, event.ceiling, event.ratio) == (400.0, 800.0, 0.5)
    assert all(figure.met for figure in figures.values())


def test_503s_late_accepts_and_a_starved_event_miss_the_goals() -> None:
    figures = figures_of(surge_result(
        statuses={202: 3816, 503: 1184}, no_answer=1184, accepts=3816, seconds_to_last_accept=135.0,
        event={"queued_to_servers": 500, "servers_within_30s": 382, "seconds_to_all": None,
               "seconds_to_all_exact": None},
    ), None)
    assert figures[0].note.startswith("503: 1,184; no answer: 0;")
    missed = {figure.name for figure in figures if not figure.met}
    assert missed == {
        "surge: 5,000 Follows from 500 servers, answered 202",
        "surge: last Accept after the last Follow was due",
        "surge: the event right after reached its servers within 30 s",
        "surge: the event's deliveries/s right after the surge",
    }
