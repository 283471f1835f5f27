"""Event join modes from the site and the API: "organiser approves" keeps
each request (a remote Join or a member's RSVP) until an organiser answers it
on the event's participants page or through the API, and the remote
participant hears an Accept or a Reject; "invited only" takes invited people
(local or remote) and refuses others with the reason."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.federation.mastodon_peer import MastodonPeer, eventually, processed
from tests.federation.test_events_federation import (
    LONDON_INBOX,
    event_body,
    mobilizon_join,
)
from tests.support.events import facilitator, publish_event
from tests.support.instances import Instance, Network
from tests.support.record import PASSWORD, bearer
from tests.support.web_forms import log_in, post_form


async def test_an_organiser_answers_requests_through_the_api(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    ann, ben = peer.add_account("ann"), peer.add_account("ben")
    event = await publish_event(london, event_body(join_mode="restricted"))
    for number, (name, actor) in enumerate((("ann", ann), ("ben", ben)), start=1):
        join = mobilizon_join("join", actor, event["ap_id"], number)
        await peer.send(name, join, LONDON_INBOX)
        assert await processed(london, join["id"]) == "done"
    assert not peer.activities("Accept", "Join") and not peer.activities("Reject", "Join")

    organiser = await facilitator(london)
    base = f"/api/v1/events/{event['id']}/requests"
    waiting = (await london.client.get(base, headers=organiser)).json()["items"]
    assert {item["participant"] for item in waiting} == {ann, ben}

    accepted = await london.client.post(f"{base}/accept", json={"participant": ann}, headers=organiser)
    assert accepted.status_code == 200 and accepted.json()["answer"] == "accepted"
    refused = await london.client.post(f"{base}/refuse", json={"participant": ben}, headers=organiser)
    assert refused.status_code == 200
    await eventually(lambda: peer.activities("Accept", "Join") and peer.activities("Reject", "Join"),
                     "both answers arrive")
    assert peer.activities("Accept", "Join")[0]["object"]["actor"] == ann
    assert peer.activities("Reject", "Join")[0]["object"]["id"] == f"{ben}/join/event/2"
    assert (await london.client.get(f"/api/v1/events/{event['id']}")).json()["participant_count"] == 1

    gone = await london.client.post(f"{base}/accept", json={"participant": ben}, headers=organiser)
    assert gone.status_code == 404 and "withdrawn" in gone.json()["error"]
    again = await london.client.post(f"{base}/refuse", json={"participant": ann}, headers=organiser)
    assert again.status_code == 409 and "already accepted" in again.json()["error"]
    member = await bearer(london, "mia", Role.MEMBER)
    assert (await london.client.get(base, headers=member)).status_code == 403
    await log_in(london.client, "mia", PASSWORD)
    assert (await london.client.get(f"/events/{event['id']}/participants")).status_code == 403


async def test_a_members_request_is_answered_on_the_participants_page(london: Instance) -> None:
    event = await publish_event(london, event_body(join_mode="restricted"))
    await london.ctx.accounts.create_user("mia", PASSWORD, Role.MEMBER)
    await log_in(london.client, "mia", PASSWORD)
    await post_form(london.client, f"/events/{event['id']}/rsvp", {"status": "going"}, page=f"/events/{event['id']}")
    assert "waiting for an organiser" in (await london.client.get(f"/events/{event['id']}")).text

    await facilitator(london)
    london.client.cookies.clear()  # mia's session ends; the organiser logs in
    await log_in(london.client, "tom", PASSWORD)
    show = (await london.client.get(f"/events/{event['id']}")).text
    assert f'href="/events/{event["id"]}/participants"' in show
    page = f"/events/{event['id']}/participants"
    assert "mia" in (await london.client.get(page)).text
    answered = await post_form(london.client, f"/events/{event['id']}/requests",
                               {"participant": london.ctx.urls.actor("mia"), "answer": "accept"}, page=page)
    assert answered.status_code == 303
    assert "Nobody is waiting." in (await london.client.get(page)).text
    assert (await london.client.get(f"/api/v1/events/{event['id']}")).json()["participant_count"] == 1
    again = await post_form(london.client, f"/events/{event['id']}/requests",
                            {"participant": london.ctx.urls.actor("mia"), "answer": "refuse"}, page=page)
    assert again.status_code == 409


async def test_invited_only_takes_the_invited_and_refuses_others(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    ann, eve = peer.add_account("ann"), peer.add_account("eve")
    event = await publish_event(london, event_body(join_mode="invite"))
    organiser = await facilitator(london)
    invitations = f"/api/v1/events/{event['id']}/invitations"
    invited = await london.client.post(invitations, json={"actor": ann}, headers=organiser)
    assert invited.status_code == 201 and invited.json()["invitee"] == ann
    assert (await london.client.post(invitations, json={"actor": "tom"}, headers=organiser)).status_code == 201

    for number, (name, actor) in enumerate((("ann", ann), ("eve", eve)), start=1):
        join = mobilizon_join("join", actor, event["ap_id"], number)
        await peer.send(name, join, LONDON_INBOX)
        assert await processed(london, join["id"]) == "done"
    await eventually(lambda: peer.activities("Accept", "Join") and peer.activities("Reject", "Join"),
                     "ann is accepted, eve refused")
    assert peer.activities("Accept", "Join")[0]["object"]["actor"] == ann
    refusal = peer.activities("Reject", "Join")[0]
    assert refusal["object"]["actor"] == eve and "invitation only" in refusal["summary"]

    # A member who was not invited is refused with the reason; the invited organiser may come.
    member = await bearer(london, "mia", Role.MEMBER)
    refused = await london.client.post(f"/api/v1/events/{event['id']}/rsvp", json={"status": "going"}, headers=member)
    assert refused.status_code == 409 and "invitation only" in refused.json()["error"]
    going = await london.client.post(f"/api/v1/events/{event['id']}/rsvp", json={"status": "going"},
                                     headers=organiser)
    assert going.status_code == 200 and going.json()["participant_count"] == 2

    listed = (await london.client.get(invitations, headers=organiser)).json()
    assert {item["invitee"] for item in listed["items"]} == {ann, london.ctx.urls.actor("tom")}
    assert (await london.client.delete(f"{invitations}?invitee={ann}", headers=organiser)).status_code == 204
    assert (await london.client.delete(f"{invitations}?invitee={ann}", headers=organiser)).status_code == 404


async def test_inviting_an_unknown_actor_is_422_and_stores_nothing(net: Network, london: Instance) -> None:
    MastodonPeer(net)
    event = await publish_event(london, event_body(join_mode="invite"))
    organiser = await facilitator(london)
    invitations = f"/api/v1/events/{event['id']}/invitations"
    for reference in ("http://mastodon.test/users/nobody", "nobody", "@nobody@london.test", "not@an@address"):
        response = await london.client.post(invitations, json={"actor": reference}, headers=organiser)
        assert response.status_code == 422, reference
        assert response.json()["field"] == "actor" and response.json()["error"]
    assert (await london.client.get(invitations, headers=organiser)).json()["items"] == []

    page = f"/events/{event['id']}/participants"
    await log_in(london.client, "tom", PASSWORD)
    shown = await post_form(london.client, f"/events/{event['id']}/invitations", {"actor": "nobody"}, page=page)
    assert shown.status_code == 422 and "no account named nobody" in shown.text
    assert await london.ctx.events.admission.invitations_of(event["id"]) == []
