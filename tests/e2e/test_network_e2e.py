"""A network and its chapters as real ``fedchapter serve`` processes on
127.0.0.1. The first test, with two chapters: the chapters affiliate (``fedchapter affiliate``), the network's
admin accepts them, puts a question to the chapters (`scope: "chapters"`),
each chapter adopts it, votes and reports a signed result, and the network's
tally shows both reports verified; each chapter also holds the other's report
as the network relayed it, its proof checked there.

The second, with four chapters (issue 15, "Done when"): three are accepted
(Leeds with weight 3), Bath refused; a network event reaches a member's
network calendar naming the chapter's representative; two questions are decided by the chapters with different
methods, Hull reports after the network's close, and the tally under both
rules is right at the network and, through Update(Question), at every member;
a forged report from Bath changes nothing; York, a third chapter, holds the
others' relayed reports verified and refuses one relayed with a changed
count; a network-wide member ballot counts each member once, one who changed
her vote and who votes again through a second chapter included; after Hull
leaves, the next question is neither queued for it nor received.

Every wait is bounded; every process is killed at teardown.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from federation.signatures import load_signing_key, sign_request
from tests.e2e.test_two_chapters import Chapter, finish, free_port, start, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def network(tmp_path: Path) -> Iterator[tuple[Chapter, Chapter, Chapter]]:
    alliance = Chapter("alliance", tmp_path / "alliance", free_port())
    leeds = Chapter("leeds", tmp_path / "leeds", free_port())
    york = Chapter("york", tmp_path / "york", free_port())
    finish(*(chapter.cli("init", "--base-url", chapter.base_url, "--handle", chapter.handle, "--name",
                         chapter.handle.title(), "--admin-password", "a long password", "--dev",
                         *(["--network"] if chapter is alliance else []))
             for chapter in (alliance, leeds, york)))
    try:
        yield alliance, leeds, york
    finally:
        for chapter in (alliance, leeds, york):
            chapter.stop(kill=True)


def admin(chapter: Chapter) -> dict[str, str]:
    [token] = finish(chapter.cli("token", "create", "--username", "admin"))
    return {"Authorization": f"Bearer {token}"}


def api(chapter: Chapter, verb: str, path: str, headers: dict[str, str], **body: Any) -> Any:
    response = httpx.request(verb, chapter.base_url + path, headers=headers, timeout=10,
                             json=body if body else None)
    assert response.status_code in (200, 201), f"{verb} {path}: {response.status_code} {response.text}"
    return response.json()


def actor(chapter: Chapter) -> str:
    return f"{chapter.base_url}/actors/{chapter.handle}"


def test_chapters_affiliate_decide_and_the_network_tallies_their_verified_reports(
    network: tuple[Chapter, Chapter, Chapter],
) -> None:
    alliance, leeds, york = network
    start(alliance, leeds, york)
    tokens = {chapter.handle: admin(chapter) for chapter in (alliance, leeds, york)}

    # Both chapters ask; the network's admin accepts them (Leeds with three delegates).
    assert finish(leeds.cli("affiliate", alliance.address), york.cli("affiliate", actor(alliance))) == [
        actor(alliance), actor(alliance)]

    def requests() -> dict[str, dict[str, Any]]:
        return {item["actor"]: item for item in
                api(alliance, "GET", "/api/v1/network/chapters", tokens["alliance"])["items"]}

    wait_for(lambda: set(requests()) == {actor(leeds), actor(york)}, "both requests to reach the network")
    for chapter, weight in ((leeds, 3), (york, 1)):
        request = requests()[actor(chapter)]
        api(alliance, "POST", f"/api/v1/network/chapters/{request['id']}/accept", tokens["alliance"])
        api(alliance, "PATCH", f"/api/v1/network/chapters/{request['id']}", tokens["alliance"], weight=weight)
    for chapter in (leeds, york):
        wait_for(lambda chapter=chapter: [item["status"] for item in
                                          api(chapter, "GET", "/api/v1/affiliations", tokens[chapter.handle])["items"]]
                 == ["member"], f"{chapter.handle} to learn it is a member")

    closes_at = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    proposal = api(alliance, "POST", "/api/v1/proposals", tokens["alliance"], title="Founding convention",
                   body="Move towards a founding convention?", method="yes-no", closes_at=closes_at,
                   scope="chapters", network_rule="delegates")
    assert set(proposal["share_with"]) == {actor(leeds), actor(york)}

    # Each chapter adopts the offer by its own means, its admin votes, and it closes its vote.
    def offer(chapter: Chapter) -> dict[str, Any] | None:
        items = api(chapter, "GET", "/api/v1/proposals/offers", tokens[chapter.handle])["items"]
        return next((item for item in items if item["question"] == proposal["ap_id"]), None)

    for chapter, means, choice in ((leeds, {"method": "consent"}, "agree"), (york, {}, "no")):
        wait_for(lambda chapter=chapter: offer(chapter) is not None, f"the proposal to reach {chapter.handle}")
        assert offer(chapter)["scope"] == "chapters"  # type: ignore[index]
        local = api(chapter, "POST", "/api/v1/proposals/adopt", tokens[chapter.handle],
                    question=proposal["ap_id"], **means)
        api(chapter, "POST", f"/api/v1/proposals/{local['id']}/vote", tokens[chapter.handle], choice=choice)
        api(chapter, "POST", f"/api/v1/proposals/{local['id']}/close", tokens[chapter.handle])

    def result() -> dict[str, Any]:
        return api(alliance, "GET", f"/api/v1/proposals/{proposal['id']}", tokens["alliance"])["result"]

    wait_for(lambda: len(result()["chapters"]) == 2, "both chapters' reports to reach the network", timeout=30)
    tally = result()
    rows = {row["chapter"]: row for row in tally["chapters"]}
    assert (rows[actor(leeds)]["outcome"], rows[actor(leeds)]["weight"], rows[actor(leeds)]["verified"]) == (
        "passed", 3, True)
    assert (rows[actor(york)]["outcome"], rows[actor(york)]["weight"], rows[actor(york)]["verified"]) == (
        "rejected", 1, True)
    assert tally["pending"] == [] and tally["weighted"] == {"passed": 3, "rejected": 1, "blocked": 0, "no-quorum": 0}
    assert (tally["network_rule"], tally["outcome"]) == ("delegates", "passed")
    # Each report URL serves the chapter's signed Note.
    note = httpx.get(rows[actor(york)]["report"], headers={"Accept": "application/activity+json"}, timeout=5).json()
    assert note["proof"]["verificationMethod"] == f"{actor(york)}#ed25519-key"

    # The network relayed each report to the other chapter, which checked its proof itself.
    for chapter, other in ((leeds, york), (york, leeds)):
        wait_for(lambda chapter=chapter, other=other: [
            (report["chapter"], report["verified"]) for report in (offer(chapter) or {}).get("reports", [])
        ] == [(actor(other), True)], f"{other.handle}'s report to reach {chapter.handle}", timeout=30)


@pytest.fixture
def alliance_of_four(tmp_path: Path) -> Iterator[tuple[Chapter, ...]]:
    """A network and four chapters, initialised side by side."""
    chapters = tuple(Chapter(handle, tmp_path / handle, free_port())
                     for handle in ("alliance", "leeds", "york", "hull", "bath"))
    finish(*(chapter.cli("init", "--base-url", chapter.base_url, "--handle", chapter.handle, "--name",
                         chapter.handle.title(), "--admin-password", "a long password", "--dev",
                         *(["--network"] if chapter.handle == "alliance" else []))
             for chapter in chapters))
    try:
        yield chapters
    finally:
        for chapter in chapters:
            chapter.stop(kill=True)


def post_as(sender: Chapter, username: str, target: Chapter, verb: str, obj: dict[str, Any], name: str) -> None:
    """``username``'s actor on ``sender`` (its Group or a member) posts ``verb`` of
    ``obj`` to ``target``'s inbox, HTTP-signed with that actor's own key."""
    [(pem,)] = sender.query(f"SELECT private_key_pem FROM local_actors WHERE username = '{username}'")
    me = f"{sender.base_url}/actors/{username}"
    activity = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{sender.base_url}/activities/{name}",
                "type": verb, "actor": me, "object": obj, "to": [actor(target)]}
    body = json.dumps(activity).encode()
    url = f"{target.base_url}/inbox"
    headers = sign_request("POST", url, key=load_signing_key(f"{me}#main-key", me, str(pem)), body=body,
                           extra_headers={"Content-Type": "application/activity+json"})
    response = httpx.post(url, content=body, headers=headers, timeout=10)
    assert response.status_code in (200, 202), response.text


def forge_report(sender: Chapter, network: Chapter, question: str) -> None:
    """The sender (not offered the question) posts a report anyway, signed with its own key."""
    me = actor(sender)
    note = {"id": f"{sender.base_url}/proposals/forged/decision", "type": "Note", "attributedTo": me,
            "inReplyTo": question, "content": "<p>passed</p>", "to": [actor(network)],
            "fc:result": {"outcome": "passed", "counts": {"yes": 99, "no": 0, "abstain": 0}, "voters": 99,
                          "quorum_met": True}}
    post_as(sender, sender.handle, network, "Create", note, "forged")


def refused(chapter: Chapter, sender: str, reason: str) -> bool:
    """Whether ``chapter``'s inbox holds a row from ``sender`` ignored with ``reason``."""
    return bool(chapter.query(f"SELECT 1 FROM inbox WHERE actor_id = '{sender}' AND state = 'ignored'"
                              f" AND error LIKE '%{reason}%'"))


def test_four_chapters_weighted_tally_late_report_forgery_leaving_and_the_network_calendar(
    alliance_of_four: tuple[Chapter, ...],
) -> None:
    alliance, leeds, york, hull, bath = alliance_of_four
    members = (leeds, york, hull)
    start(*alliance_of_four)
    tokens = {chapter.handle: admin(chapter) for chapter in alliance_of_four}

    # All four ask; the network takes three (Leeds with three delegates) and refuses Bath.
    finish(*(chapter.cli("affiliate", actor(alliance)) for chapter in (*members, bath)))

    def requests() -> dict[str, dict[str, Any]]:
        return {item["actor"]: item for item in
                api(alliance, "GET", "/api/v1/network/chapters", tokens["alliance"])["items"]}

    def affiliation(chapter: Chapter) -> dict[str, Any]:
        [item] = api(chapter, "GET", "/api/v1/affiliations", tokens[chapter.handle])["items"]
        return item  # type: ignore[no-any-return]

    wait_for(lambda: len(requests()) == 4, "four requests to reach the network")
    for chapter, weight in ((leeds, 3), (york, 1), (hull, 1)):
        request = requests()[actor(chapter)]
        api(alliance, "POST", f"/api/v1/network/chapters/{request['id']}/accept", tokens["alliance"])
        api(alliance, "PATCH", f"/api/v1/network/chapters/{request['id']}", tokens["alliance"], weight=weight)
    api(alliance, "POST", f"/api/v1/network/chapters/{requests()[actor(bath)]['id']}/reject", tokens["alliance"])
    for chapter, status in ((leeds, "member"), (york, "member"), (hull, "member"), (bath, "rejected")):
        wait_for(lambda chapter=chapter, status=status: affiliation(chapter)["status"] == status,
                 f"{chapter.handle} to learn it is {status}")

    # A network event reaches a member chapter's network calendar (Leeds follows the network),
    # naming Leeds's representative: Ada, who holds its facilitator office.
    finish(leeds.cli("user", "add", "--username", "ada", "--password", "a long password", "--role", "facilitator"))
    year = datetime.now(UTC).year + 1
    event = api(alliance, "POST", "/api/v1/events", tokens["alliance"], title="Coordination call",
                start=f"{year}-07-01T15:00", end=f"{year}-07-01T16:00", timezone="UTC",
                online_url="https://meet.example.org/call", description="One representative per chapter.")

    def network_calendar(chapter: Chapter) -> dict[str, list[str] | None]:
        """Each event in the chapter's network calendar with who represents the chapter there."""
        response = httpx.get(f"{chapter.base_url}/api/v1/events", params={"scope": "network"}, timeout=5)
        assert response.status_code == 200, response.text
        return {item["ap_id"]: item.get("representatives") for item in response.json()["items"]}

    # Two questions to the chapters, one combined by delegates and one by chapters.
    closes_at = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    proposals = {rule: api(alliance, "POST", "/api/v1/proposals", tokens["alliance"], title=f"Convention ({rule})",
                           body="Move towards a founding convention?", method="yes-no", closes_at=closes_at,
                           scope="chapters", network_rule=rule)
                 for rule in ("delegates", "chapters")}
    for proposal in proposals.values():
        assert set(proposal["share_with"]) == {actor(chapter) for chapter in members}

    def offer(chapter: Chapter, question: str) -> dict[str, Any] | None:
        items = api(chapter, "GET", "/api/v1/proposals/offers", tokens[chapter.handle])["items"]
        return next((item for item in items if item["question"] == question), None)

    def adopt(chapter: Chapter, question: str, **means: Any) -> str:
        wait_for(lambda: offer(chapter, question) is not None, f"{question} to reach {chapter.handle}")
        return str(api(chapter, "POST", "/api/v1/proposals/adopt", tokens[chapter.handle],
                       question=question, **means)["id"])

    def vote_and_close(chapter: Chapter, local_id: str, choice: str) -> None:
        api(chapter, "POST", f"/api/v1/proposals/{local_id}/vote", tokens[chapter.handle], choice=choice)
        api(chapter, "POST", f"/api/v1/proposals/{local_id}/close", tokens[chapter.handle])

    # Leeds decides by consent, York by yes-no; Hull adopts in time but reports late.
    hull_copies = {}
    for rule, proposal in proposals.items():
        vote_and_close(leeds, adopt(leeds, proposal["ap_id"], method="consent"), "agree")
        vote_and_close(york, adopt(york, proposal["ap_id"]), "no")
        hull_copies[rule] = adopt(hull, proposal["ap_id"])

    def result(rule: str) -> dict[str, Any]:
        return api(alliance, "GET", f"/api/v1/proposals/{proposals[rule]['id']}", tokens["alliance"])["result"]

    for rule in proposals:
        wait_for(lambda rule=rule: len(result(rule)["chapters"]) == 2, f"two reports on the {rule} question",
                 timeout=30)
        assert result(rule)["pending"] == [actor(hull)]
    assert network_calendar(leeds)[event["ap_id"]] == ["ada"]
    # The network learns it too (Leeds's signed Join of the event): its event lists Ada for Leeds.
    wait_for(lambda: (actor(leeds), "ada") in {
        (item["chapter"], item["name"])
        for item in api(alliance, "GET", f"/api/v1/events/{event['id']}", tokens["alliance"])["representatives"]
    }, "the network to learn Leeds's representative")

    # A forged report from the refused chapter changes nothing.
    forge_report(bath, alliance, proposals["delegates"]["ap_id"])
    wait_for(lambda: refused(alliance, actor(bath), "not offered"), "the network to refuse Bath's report")
    assert actor(bath) not in {row["chapter"] for row in result("delegates")["chapters"]}

    # The network closes; Hull's first report comes after the close and still counts.
    for rule, proposal in proposals.items():
        api(alliance, "POST", f"/api/v1/proposals/{proposal['id']}/close", tokens["alliance"])
        vote_and_close(hull, hull_copies[rule], "no")
    for rule in proposals:
        wait_for(lambda rule=rule: len(result(rule)["chapters"]) == 3, f"Hull's late report on {rule}", timeout=30)
    delegates, chapters = result("delegates"), result("chapters")
    assert (delegates["final"], delegates["pending"]) == (True, [])
    assert delegates["weighted"] == chapters["weighted"] == {"passed": 3, "rejected": 2, "blocked": 0,
                                                              "no-quorum": 0}
    assert (delegates["network_rule"], delegates["outcome"]) == ("delegates", "passed")
    assert (chapters["network_rule"], chapters["outcome"]) == ("chapters", "rejected")

    # Every member chapter holds the final tally the network's Update(Question) carried.
    for chapter in members:
        for rule, outcome in (("delegates", "passed"), ("chapters", "rejected")):
            def final(chapter: Chapter = chapter, rule: str = rule) -> dict[str, Any] | None:
                tally = (offer(chapter, proposals[rule]["ap_id"]) or {}).get("tally")
                return tally if tally and tally["final"] and len(tally["chapters"]) == 3 else None

            wait_for(lambda final=final: final() is not None, f"the final {rule} tally at {chapter.handle}",
                     timeout=30)
            tally = final()
            assert tally is not None and (tally["outcome"], tally["pending"]) == (outcome, [])
            assert {row["chapter"]: row["weight"] for row in tally["chapters"]} == {
                actor(leeds): 3, actor(york): 1, actor(hull): 1}

    # A third chapter checks a relayed result itself: York holds Leeds's and Hull's
    # reports as the network relayed them, each proof checked at York ...
    def relayed_to_york() -> dict[str, dict[str, Any]]:
        return {report["chapter"]: report
                for report in (offer(york, proposals["delegates"]["ap_id"]) or {}).get("reports", [])}

    wait_for(lambda: set(relayed_to_york()) == {actor(leeds), actor(hull)}, "both reports relayed to York",
             timeout=30)
    leeds_report = relayed_to_york()[actor(leeds)]
    assert (leeds_report["outcome"], leeds_report["verified"], leeds_report["relayed_by"]) == (
        "passed", True, actor(alliance))
    # ... and refuses Leeds's signed Note relayed with its count changed, whoever relays it.
    note = httpx.get(leeds_report["report"], headers={"Accept": "application/activity+json"}, timeout=5).json()
    assert note["fc:result"]["outcome"] == "passed"
    tampered = {**note, "fc:result": {**note["fc:result"], "outcome": "rejected",
                                      "counts": {"agree": 0, "abstain": 0, "disagree": 9, "block": 0}}}
    post_as(alliance, alliance.handle, york, "Announce", tampered, "tampered-relay")
    wait_for(lambda: refused(york, actor(alliance), "does not verify"), "York to refuse the tampered count")
    assert relayed_to_york()[actor(leeds)]["outcome"] == "passed"

    # A network-wide member ballot: each chapter opens its copy; members vote where they belong.
    ballot = api(alliance, "POST", "/api/v1/proposals", tokens["alliance"], title="Founding convention",
                 body="Should we hold a founding convention?", method="yes-no", closes_at=closes_at,
                 scope="members")

    def opened(chapter: Chapter) -> str:
        wait_for(lambda: (offer(chapter, ballot["ap_id"]) or {}).get("adopted") is not None,
                 f"{chapter.handle} to open its copy of the members ballot")
        return str(offer(chapter, ballot["ap_id"])["adopted"])  # type: ignore[index]

    copies = {chapter.handle: opened(chapter) for chapter in members}
    ada = {"Authorization": f"Bearer {finish(leeds.cli('token', 'create', '--username', 'ada'))[0]}"}
    ada_actor = f"{leeds.base_url}/actors/ada"

    def vote(chapter: Chapter, headers: dict[str, str], choice: str) -> None:
        api(chapter, "POST", f"/api/v1/proposals/{copies[chapter.handle]}/vote", headers, choice=choice)

    vote(leeds, tokens["leeds"], "yes")
    vote(leeds, ada, "yes")
    vote(york, tokens["york"], "no")
    vote(hull, tokens["hull"], "yes")

    def members_result() -> dict[str, Any]:
        return api(alliance, "GET", f"/api/v1/proposals/{ballot['id']}", tokens["alliance"])["result"]

    wait_for(lambda: members_result()["voters"] == 4, "four ballots at the network", timeout=30)
    # Ada changes her mind at Leeds: the network replaces her ballot, still one voter.
    vote(leeds, ada, "no")
    wait_for(lambda: members_result()["counts"] == {"yes": 2, "no": 2, "abstain": 0}, "Ada's changed ballot",
             timeout=30)
    # Ada is a member of York too, through the same fediverse account, and votes
    # there from Leeds (a poll vote signed by her): York counts her and forwards
    # her ballot, and the network refuses it, already counting her through Leeds.
    api(york, "POST", "/api/v1/members", tokens["york"], actor=ada_actor, role="member")
    york_question = f"{york.base_url}/proposals/{copies['york']}"
    post_as(leeds, "ada", york, "Create", {
        "id": f"{ada_actor}/votes/1", "type": "Note", "attributedTo": ada_actor, "name": "yes",
        "inReplyTo": york_question, "to": [actor(york)]}, "ada-votes-at-york")
    wait_for(lambda: refused(alliance, actor(york), f"already counted through {actor(leeds)}"),
             "the network to refuse Ada's second ballot, through York", timeout=30)
    api(alliance, "POST", f"/api/v1/proposals/{ballot['id']}/close", tokens["alliance"])
    final_count = members_result()
    assert (final_count["final"], final_count["voters"], final_count["counts"]) == (
        True, 4, {"yes": 2, "no": 2, "abstain": 0})
    assert final_count["by_chapter"] == {actor(leeds): 2, actor(york): 1, actor(hull): 1}

    # Hull leaves; the next question goes to Leeds and York only, and never reaches Hull.
    api(hull, "DELETE", f"/api/v1/affiliations/{affiliation(hull)['id']}", tokens["hull"])
    wait_for(lambda: requests()[actor(hull)]["status"] == "left", "the network to learn Hull left")
    later = api(alliance, "POST", "/api/v1/proposals", tokens["alliance"], title="Next step",
                body="Hold the convention in spring?", method="yes-no", closes_at=closes_at, scope="chapters")
    assert set(later["share_with"]) == {actor(leeds), actor(york)}
    for chapter in (leeds, york):
        wait_for(lambda chapter=chapter: offer(chapter, later["ap_id"]) is not None,
                 f"the next question to reach {chapter.handle}")
    assert offer(hull, later["ap_id"]) is None
    assert not hull.query(f"SELECT 1 FROM inbox WHERE payload LIKE '%{later['ap_id']}%'")
    # Nor did the network queue it for Hull (every delivery of the question is queued by now).
    assert not alliance.query(
        "SELECT 1 FROM deliveries JOIN outbox ON outbox.activity_id = deliveries.activity_id"
        f" WHERE outbox.object_id = '{later['ap_id']}'"
        f" AND (deliveries.target LIKE '{hull.base_url}/%' OR deliveries.inbox LIKE '{hull.base_url}/%')")
    assert alliance.query(
        "SELECT 1 FROM deliveries JOIN outbox ON outbox.activity_id = deliveries.activity_id"
        f" WHERE outbox.object_id = '{later['ap_id']}'"
        f" AND (deliveries.target LIKE '{leeds.base_url}/%' OR deliveries.inbox LIKE '{leeds.base_url}/%')")
