"""The inbox as a peer meets it: 202 for a verified activity, a clear 4xx or
503 for everything else, and nothing stored unless it was accepted."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from fedchapter.clock import utc_now
from federation.signatures import sign_request
from tests.support.federation import wait_until_drained
from tests.support.instances import Instance, Network
from tests.support.signed_posts import activity_from, group_key, inbox_count, post_signed


@pytest.fixture
async def paris(net: Network) -> Instance:
    return await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")


async def test_a_signed_follow_is_stored_answered_202_and_processed(london: Instance, paris: Instance) -> None:
    follow = activity_from(paris, "Follow", london.ctx.urls.actor("london"))
    response = await post_signed(paris, london, follow, path="/actors/london/inbox")
    assert response.status_code == 202
    await wait_until_drained(london, paris)
    row = await london.ctx.repos.inbox.by_activity_id(follow["id"])
    assert row is not None and (row.state, row.type, row.actor_id) == ("done", "Follow", follow["actor"])
    assert row.local_actor_id == (await london.ctx.chapter()).actor_id


async def test_a_redelivery_changes_nothing(london: Instance, paris: Instance) -> None:
    follow = activity_from(paris, "Follow", london.ctx.urls.actor("london"))
    assert (await post_signed(paris, london, follow)).status_code == 202
    await wait_until_drained(london, paris)
    accepts_before = await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM outbox WHERE type = 'Accept'")
    assert (await post_signed(paris, london, follow)).status_code == 202
    await wait_until_drained(london, paris)
    row = await london.ctx.repos.inbox.by_activity_id(follow["id"])
    assert row is not None and (row.state, row.redelivered) == ("done", 1)
    assert await inbox_count(london) == 1
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM outbox WHERE type = 'Accept'") == accepts_before


async def test_an_unknown_type_is_recorded_as_ignored(london: Instance, paris: Instance) -> None:
    odd = activity_from(paris, "EmojiReact", london.ctx.urls.actor("london"), content="🔥")
    assert (await post_signed(paris, london, odd)).status_code == 202
    await wait_until_drained(london)
    row = await london.ctx.repos.inbox.by_activity_id(odd["id"])
    assert row is not None and row.state == "ignored" and "EmojiReact" in (row.error or "")


# Refusals: each answered, none stored ------------------------------------------------


async def _refused(response_status: int, london: Instance, expected: int) -> None:
    assert response_status == expected
    assert await inbox_count(london) == 0


async def test_unsigned(london: Instance, paris: Instance) -> None:
    response = await post_signed(paris, london, activity_from(paris, "Follow", "x"), sign=False)
    await _refused(response.status_code, london, 401)
    assert "not signed" in response.json()["error"]


async def test_badly_signed(london: Instance, paris: Instance) -> None:
    activity = activity_from(paris, "Follow", london.ctx.urls.actor("london"))
    body = json.dumps(activity).encode()
    response = await post_signed(paris, london, body=body, extra_headers={
        "Signature": f'keyId="{paris.ctx.urls.actor("paris")}#main-key",algorithm="rsa-sha256",'
                     f'headers="(request-target) host date digest",signature="{"A" * 344}"'})
    await _refused(response.status_code, london, 401)


async def test_signed_by_a_key_that_does_not_match(london: Instance, paris: Instance, net: Network) -> None:
    rome = await net.chapter("rome", name="Rome Chapter", timezone="Europe/Rome")
    rome_key = await group_key(rome)
    # Rome's key, but claiming to be Paris's key id: the signature cannot verify.
    forged = type(rome_key)(key_id=paris.ctx.urls.key_id(paris.ctx.urls.actor("paris")),
                            actor_id=rome_key.actor_id, private_key=rome_key.private_key)
    response = await post_signed(paris, london, activity_from(paris, "Follow", "x"), key=forged)
    await _refused(response.status_code, london, 401)


async def test_a_stale_date_is_a_replay(london: Instance, paris: Instance) -> None:
    response = await post_signed(paris, london, activity_from(paris, "Follow", "x"),
                                 now=utc_now() - timedelta(hours=2))
    await _refused(response.status_code, london, 401)
    assert "too old" in response.json()["error"]


async def test_a_digest_that_does_not_match_the_body(london: Instance, paris: Instance) -> None:
    activity = activity_from(paris, "Follow", london.ctx.urls.actor("london"))
    tampered = dict(activity, object="http://london.test/actors/admin")
    response = await post_signed(paris, london, tampered, signed_body=json.dumps(activity).encode())
    await _refused(response.status_code, london, 401)
    assert "Digest" in response.json()["error"]


async def test_a_key_owned_by_another_actor_than_the_activitys(london: Instance, paris: Instance, net: Network) -> None:
    rome = await net.chapter("rome", name="Rome Chapter", timezone="Europe/Rome")
    # Validly signed by Rome, but the activity claims to come from Paris.
    response = await post_signed(rome, london, activity_from(paris, "Follow", london.ctx.urls.actor("london")))
    await _refused(response.status_code, london, 401)
    assert "does not belong" in response.json()["error"]


async def test_rfc9421_is_answered_401_so_senders_fall_back(london: Instance, paris: Instance) -> None:
    response = await post_signed(paris, london, activity_from(paris, "Follow", "x"), sign=False, extra_headers={
        "Signature-Input": 'sig1=("@method" "@target-uri");keyid="k"', "Signature": "sig1=:AAAA:"})
    await _refused(response.status_code, london, 401)


async def test_oversized(london: Instance, paris: Instance) -> None:
    activity = activity_from(paris, "Create", {"type": "Note", "content": "x" * 1_100_000})
    await _refused((await post_signed(paris, london, activity)).status_code, london, 413)


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"type": "Follow"}', b'"a string"',
                                  b'{"id": "http://paris.test/a", "type": "Follow"}',
                                  b'{"id": "http://elsewhere.test/a", "type": "Follow", "actor": "http://paris.test/actors/paris"}'])
async def test_malformed(london: Instance, paris: Instance, body: bytes) -> None:
    await _refused((await post_signed(paris, london, body=body)).status_code, london, 400)


async def test_a_blocked_actor_and_a_blocked_domain(london: Instance, paris: Instance) -> None:
    await london.ctx.federation.blocks.block_actor(paris.ctx.urls.actor("paris"))
    response = await post_signed(paris, london, activity_from(paris, "Follow", london.ctx.urls.actor("london")))
    await _refused(response.status_code, london, 403)
    await london.ctx.federation.blocks.unblock_actor(paris.ctx.urls.actor("paris"))
    await london.ctx.federation.blocks.block_domain("paris.test")
    response = await post_signed(paris, london, activity_from(paris, "Follow", london.ctx.urls.actor("london")))
    await _refused(response.status_code, london, 403)


async def test_backpressure_answers_503_with_retry_after(net: Network) -> None:
    london = await net.chapter("london", run_workers=False)
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    london.ctx.inbox.intake.backlog_limit = 1
    first = await post_signed(paris, london, activity_from(paris, "Follow", london.ctx.urls.actor("london")))
    assert first.status_code == 202
    second = await post_signed(paris, london, activity_from(paris, "Follow", london.ctx.urls.actor("london")))
    assert second.status_code == 503 and second.headers["retry-after"].isdigit()
    assert await inbox_count(london) == 1


async def test_an_unknown_actor_inbox_is_404(london: Instance, paris: Instance) -> None:
    response = await post_signed(paris, london, activity_from(paris, "Follow", "x"), path="/actors/nobody/inbox")
    assert response.status_code == 404


async def test_an_inbound_activity_restores_a_failing_server_and_releases_its_queue(
    london: Instance, paris: Instance
) -> None:
    hosts = london.ctx.repos.delivery_hosts
    for day in range(3):
        await hosts.record_failure("paris.test", utc_now() - timedelta(days=3 - day), unavailable_after_days=3,
                                   pause_after_failures=10, pause=timedelta(seconds=60))
    state = await hosts.get("paris.test")
    assert state is not None and not state.available
    response = await post_signed(paris, london, activity_from(paris, "Follow", london.ctx.urls.actor("london")))
    assert response.status_code == 202
    state = await hosts.get("paris.test")
    assert state is not None and state.available and state.failure_days == 0
    await wait_until_drained(london, paris)
    # The Accept it was owed went out at once.
    assert await london.ctx.database.fetchvalue(
        "SELECT state FROM deliveries WHERE host = 'paris.test'") == "delivered"


# Host and malformed input (issue 13.4, 13.5) ---------------------------------------


async def test_a_request_signed_for_another_host_is_refused(london: Instance, paris: Instance) -> None:
    activity = activity_from(paris, "Follow", london.ctx.urls.actor("london"))
    body = json.dumps(activity).encode()
    # Signed (validly) for rome.test's inbox, then replayed to ours with its signed Host.
    signed = sign_request("POST", "http://rome.test/inbox", key=await group_key(paris), body=body)
    response = await london.client.post("/inbox", content=body, headers=signed)
    await _refused(response.status_code, london, 401)
    assert "signed for host" in response.json()["error"]


async def test_the_host_check_ignores_case_and_default_port(london: Instance, paris: Instance) -> None:
    activity = activity_from(paris, "Follow", london.ctx.urls.actor("london"))
    body = json.dumps(activity).encode()
    signed = sign_request("POST", "http://LONDON.test:80/inbox", key=await group_key(paris), body=body)
    response = await london.client.post("/inbox", content=body, headers=signed)
    assert response.status_code == 202


def _wrapped(paris: Instance, object_json: bytes) -> bytes:
    activity = activity_from(paris, "Create", "PLACEHOLDER")
    return json.dumps(activity).encode().replace(b'"PLACEHOLDER"', object_json)


@pytest.mark.parametrize("depth", [100, 1_000, 100_000])
async def test_deep_nesting_unsigned_is_400(london: Instance, paris: Instance, depth: int) -> None:
    body = _wrapped(paris, b"[" * depth + b"]" * depth)
    response = await post_signed(paris, london, body=body, sign=False)
    await _refused(response.status_code, london, 400)
    assert "nested" in response.json()["error"]


@pytest.mark.parametrize(("object_json", "reason"), [
    (b'{"type": "Note", "content": "\\ud800"}', "surrogate"),
    (b'{"type": "Note", "\\udfff": 1}', "surrogate"),
    (b'{"type": "Note", "n": ' + b"9" * 5_000 + b"}", "4300"),
    (b'{"type": "Note", "n": NaN}', "NaN"),
])
async def test_signed_but_not_text_is_400(london: Instance, paris: Instance, object_json: bytes, reason: str) -> None:
    response = await post_signed(paris, london, body=_wrapped(paris, object_json))
    await _refused(response.status_code, london, 400)
    assert reason in response.json()["error"]
