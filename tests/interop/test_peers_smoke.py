"""The two peers against each other, no fedchapter involved.

These prove the peers and their helpers work on this machine (loopback, plain
http, no internet), so a failing fedchapter scenario is about fedchapter.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from peerlib import HOST, verify

pytestmark = pytest.mark.interop


def acct(peer) -> str:
    return "acct:" + peer.handle.lstrip("@")


def as_list(value) -> list:
    """JSON-LD compaction turns a one-element array into a plain value."""
    return value if isinstance(value, list) else [] if value is None else [value]


def test_webfinger_discovery_both_ways(fedify_peer, bovine_peer):
    found = fedify_peer.webfinger(acct(bovine_peer))
    assert found["actor"] == bovine_peer.actor
    assert found["jrd"]["subject"] == acct(bovine_peer)

    found = bovine_peer.webfinger(acct(fedify_peer))
    assert found["actor"] == fedify_peer.actor


def test_fedify_follows_bovine_and_is_accepted(fedify_peer, bovine_peer):
    since_f, since_b = fedify_peer.mark(), bovine_peer.mark()

    follow = fedify_peer.follow(bovine_peer.handle)  # by handle, via WebFinger
    assert follow["target"] == bovine_peer.actor

    got = bovine_peer.wait_for(type="Follow", id=follow["id"], since=since_b)
    assert got["parsed_ok"], got["error"]
    assert got["actor"] == fedify_peer.actor
    # Fedify knocks with RFC 9421 first; bovine 0.5.19 cannot verify Fedify's
    # RFC 9421 signature (it does not know the @target-uri component) and
    # answers 401, so Fedify double-knocks with draft-cavage, which works.
    assert got["signature"] == "draft-cavage"

    accept = fedify_peer.wait_for(type="Accept", since=since_f)
    assert accept["parsed_ok"], accept["error"]
    assert accept["actor"] == bovine_peer.actor
    assert accept["object_type"] == "Follow"
    assert accept["signature"] == "draft-cavage"  # bovine signs draft-cavage only
    assert fedify_peer.following()[bovine_peer.actor]["state"] == "accepted"
    assert fedify_peer.actor in bovine_peer.followers()
    assert fedify_peer.spec(bovine_peer.origin) == "draft-cavage-http-signatures-12"
    assert any("double-knocking" in record["message"] for record in fedify_peer.logs())


def test_bovine_follows_fedify_and_is_accepted(fedify_peer, bovine_peer):
    since_f, since_b = fedify_peer.mark(), bovine_peer.mark()

    follow = bovine_peer.follow(fedify_peer.handle)
    assert follow["target"] == fedify_peer.actor

    got = fedify_peer.wait_for(type="Follow", id=follow["id"], since=since_f)
    assert got["parsed_ok"], got["error"]
    assert got["signature"] == "draft-cavage"
    assert bovine_peer.actor in fedify_peer.followers()

    accept = bovine_peer.wait_for(type="Accept", since=since_b)
    assert accept["parsed_ok"], accept["error"]
    assert accept["object_type"] == "Follow"
    assert fedify_peer.actor in bovine_peer.following()


def test_posts_reach_followers_and_replies_reach_authors(fedify_peer, bovine_peer):
    # Mutual follows (idempotent if the tests above already ran).
    fedify_peer.follow(bovine_peer.actor)
    bovine_peer.follow(fedify_peer.actor)
    fedify_peer.wait_for(type="Accept", actor=bovine_peer.actor)
    bovine_peer.wait_for(type="Accept", actor=fedify_peer.actor)
    since_f, since_b = fedify_peer.mark(), bovine_peer.mark()

    note_f = fedify_peer.post("<p>hello from fedify</p>")
    got = bovine_peer.wait_for(type="Create", object_id=note_f["object"], since=since_b)
    assert got["parsed_ok"], got["error"]
    assert got["object_type"] == "Note"

    note_b = bovine_peer.post("<p>hello from bovine</p>")
    got = fedify_peer.wait_for(type="Create", object_id=note_b["object"], since=since_f)
    assert got["parsed_ok"], got["error"]
    assert got["object"]["content"] == "<p>hello from bovine</p>"

    # A reply goes to the replied object's owner, found by a signed fetch.
    reply = fedify_peer.reply(note_b["object"], "<p>a reply</p>")
    got = bovine_peer.wait_for(type="Create", object_id=reply["object"], since=since_b)
    assert got["object"]["inReplyTo"] == note_b["object"]

    reply = bovine_peer.reply(note_f["object"], "<p>a reply back</p>")
    got = fedify_peer.wait_for(type="Create", object_id=reply["object"], since=since_f)
    assert got["parsed_ok"], got["error"]
    assert got["object"]["inReplyTo"] == note_f["object"]


@pytest.mark.parametrize("sender_kind", ["bovine", "fedify"])
def test_delete_reaches_the_addressee(fedify_peer, bovine_peer, sender_kind):
    sender, receiver = (bovine_peer, fedify_peer) if sender_kind == "bovine" \
        else (fedify_peer, bovine_peer)
    since = receiver.mark()
    note = sender.post("<p>soon gone</p>", to=[receiver.actor])
    receiver.wait_for(type="Create", object_id=note["object"], since=since)

    deleted = sender.delete(note["object"])
    got = receiver.wait_for(type="Delete", object_id=note["object"], since=since)
    assert got["parsed_ok"], got["error"]
    assert got["id"] == deleted["id"]


EVENT = {
    "type": "Event",
    "name": "Chapter meeting",
    "summary": "Tue 24 Jun 18:30 BST – Birkbeck, London",
    "content": "<p>Monthly meeting.</p>",
    "startTime": "2025-06-24T18:30:00+01:00",
    "endTime": "2025-06-24T20:00:00+01:00",
    "location": {"type": "Place", "name": "Birkbeck",
                 "address": "Malet St, London WC1E 7HX"},
}

QUESTION = {
    "type": "Question",
    "name": "Adopt the budget?",
    "content": "<p>Adopt the budget?</p>",
    "endTime": "2030-01-01T00:00:00Z",
    "oneOf": [
        {"type": "Note", "name": name, "replies": {"type": "Collection", "totalItems": 0}}
        for name in ("yes", "no", "abstain")
    ],
}


@pytest.mark.parametrize("sender_kind", ["bovine", "fedify"])
def test_event_and_question_vote_and_join(fedify_peer, bovine_peer, sender_kind):
    """An Event and a Question published by one peer, parsed by the other,
    which then votes Mastodon-style and RSVPs with Join: the same helpers
    the fedchapter scenarios use."""
    sender, receiver = (bovine_peer, fedify_peer) if sender_kind == "bovine" \
        else (fedify_peer, bovine_peer)
    since_r, since_s = receiver.mark(), sender.mark()

    event = sender.create(EVENT, to=[receiver.actor])
    got = receiver.wait_for(type="Create", object_id=event["object"], since=since_r)
    assert got["parsed_ok"], got["error"]
    assert got["object_type"] == "Event"
    assert got["name"] == "Chapter meeting"
    if receiver is fedify_peer:  # parsed by Fedify's vocabulary
        assert got["object"]["startTime"] == "2025-06-24T17:30:00Z"
        assert got["object"]["location"] == {"type": "Place", "name": "Birkbeck"}

    question = sender.create(QUESTION, to=[receiver.actor])
    got = receiver.wait_for(type="Create", object_id=question["object"], since=since_r)
    assert got["parsed_ok"], got["error"]
    assert got["object_type"] == "Question"
    if receiver is fedify_peer:  # Fedify's vocabulary exposes the options
        assert [o["name"] for o in got["object"]["options"]] == ["yes", "no", "abstain"]

    votes = receiver.vote(question["object"], "yes")
    assert votes["owner"] == sender.actor
    vote = sender.wait_for(type="Create", object_id=votes["votes"][0]["object"], since=since_s)
    assert vote["parsed_ok"], vote["error"]
    assert vote["object"]["name"] == "yes"
    assert vote["object"]["inReplyTo"] == question["object"]
    assert as_list(vote["object"]["to"]) == [sender.actor]

    join = receiver.join(event["object"])
    got = sender.wait_for(type="Join", id=join["id"], since=since_s)
    assert got["parsed_ok"], got["error"]
    assert got["object_id"] == event["object"]


def test_signed_fetch_both_ways(fedify_peer, bovine_peer):
    # bovine-herd refuses unsigned GETs; Fedify's signed fetch gets through.
    unsigned = httpx.get(bovine_peer.actor, headers={"accept": "application/activity+json"},
                         trust_env=False, verify=verify())
    assert unsigned.status_code == 401

    fetched = fedify_peer.fetch(bovine_peer.actor)
    assert fetched["parsed_ok"], fetched["error"]
    assert fetched["object"]["type"] == "Person"
    assert fetched["object"]["id"] == bovine_peer.actor

    note = fedify_peer.post("<p>fetch me</p>")
    fetched = bovine_peer.fetch(note["object"])
    assert fetched["document"]["id"] == note["object"]
    assert fetched["document"]["type"] == "Note"


def test_fedify_peer_records_what_it_refuses(fedify_peer):
    """An unsigned delivery is refused with 401 and still shows up in
    received(), with the reason, so a scenario can tell "not delivered"
    from "delivered but refused"."""
    since = fedify_peer.mark()
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "http://127.0.0.1:9/unsigned-create",
        "type": "Create",
        "actor": "http://127.0.0.1:9/users/nobody",
        "object": {"type": "Note", "id": "http://127.0.0.1:9/notes/1", "content": "hi"},
    }
    response = httpx.post(fedify_peer.inbox, json=activity, trust_env=False, verify=verify(),
                          headers={"content-type": "application/activity+json"})
    assert response.status_code == 401
    got = fedify_peer.wait_for(id=activity["id"], since=since, timeout=5)
    assert got["parsed_ok"] is False
    assert got["error"].startswith("HTTP 401")
    assert got["signature"] is None


def test_fedify_needs_inline_contexts_offline(fedify_peer):
    """Why fedchapter's own JSON-LD terms must be an inline context: offline,
    Fedify can resolve only the contexts it ships, so a document naming any
    other remote context URL does not parse (and would not, either, on a
    server that cannot reach that URL)."""
    docs = {
        "/remote-context": ["https://www.w3.org/ns/activitystreams",
                            "https://fedchapter.invalid/ns"],
        "/inline-context": ["https://www.w3.org/ns/activitystreams",
                            {"fc": "https://fedchapter.invalid/ns#", "quorum": "fc:quorum"}],
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"@context": docs[self.path], "type": "Note", "content": "x",
                               "id": f"http://{HOST}:{port}{self.path}", "quorum": 3}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/activity+json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((HOST, 0), Handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        inline = fedify_peer.fetch(f"http://{HOST}:{port}/inline-context")
        assert inline["parsed_ok"], inline["error"]
        remote = fedify_peer.fetch(f"http://{HOST}:{port}/remote-context")
        assert not remote["parsed_ok"]
        assert "fedchapter.invalid/ns" in remote["error"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
