"""``fedchapter doctor``'s checks one by one, against a chapter in this
process (tests/e2e/test_doctor.py runs the command against a real server)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from email.utils import format_datetime

import pytest

from fedchapter.cli.doctor import (
    Outcome,
    check_base_url,
    check_clock,
    diagnose,
    key_problem,
)
from fedchapter.clock import to_iso, utc_now
from federation.keys import generate_rsa_keypair
from storage.sqlite_owner import Machine, record_owner
from tests.support.instances import Instance, Network


def _by_name(outcomes: list[Outcome]) -> dict[str, Outcome]:
    return {outcome.name: outcome for outcome in outcomes}


async def test_a_sound_chapter_passes_every_check_but_the_clock_without_a_date(
    net: Network, london: Instance
) -> None:
    outcomes = _by_name(await diagnose(london.settings, transport=net.transport))
    assert [name for name, outcome in outcomes.items() if not outcome.ok] == ["clock"]
    assert outcomes["webfinger"].line() == (
        "webfinger: ok (acct:london@london.test -> http://london.test/actors/london)")
    assert outcomes["keys"].ok and outcomes["queues"].ok and outcomes["database"].ok
    # In-process apps send no Date header (uvicorn adds it for real servers).
    assert outcomes["clock"].line() == "clock: FAIL: no Date header to compare with (the answer had none)"


async def test_webfinger_fails_clearly_when_nothing_answers(net: Network, london: Instance) -> None:
    outcomes = _by_name(await diagnose(replace(london.settings, base_url="http://nowhere.test", dev=True),
                                       transport=net.transport))
    assert outcomes["webfinger"].line().startswith("webfinger: FAIL: nothing answers at http://nowhere.test")
    assert outcomes["clock"].line() == "clock: FAIL: no Date header to compare with (WebFinger did not answer)"


async def test_a_key_that_does_not_match_its_public_key_fails(net: Network, london: Instance) -> None:
    other_public, _ = generate_rsa_keypair()
    actor_id = (await london.ctx.chapter()).actor_id
    await london.ctx.database.execute("UPDATE local_actors SET public_key_pem = ? WHERE id = ?",
                                      (other_public, actor_id))
    outcomes = _by_name(await diagnose(london.settings, transport=net.transport))
    assert outcomes["keys"].line() == (
        "keys: FAIL: the chapter's private key does not match its public key (peers could not verify what it signs)")


def test_key_problems_are_named() -> None:
    public, private = generate_rsa_keypair()
    assert key_problem(private, public) is None
    assert key_problem("garbage", public) == "private key does not load"
    assert key_problem(private, "garbage") == "public key does not load"


async def test_a_schema_newer_than_this_code_fails(net: Network, london: Instance) -> None:
    await london.ctx.database.execute(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (9999, 'future', '2030-01-01')")
    outcomes = _by_name(await diagnose(london.settings, transport=net.transport))
    assert outcomes["database"].line().startswith("database: FAIL: the schema is newer than this fedchapter")
    assert not outcomes["keys"].ok and not outcomes["queues"].ok


async def test_an_inbox_row_nobody_processes_fails_the_queues(net: Network) -> None:
    rome = await net.chapter("rome", run_workers=False)
    old = to_iso(utc_now() - timedelta(hours=2))
    await rome.ctx.database.execute(
        "INSERT INTO inbox (activity_id, actor_id, type, payload, received_at)"
        " VALUES ('http://far.test/1', 'http://far.test/a', 'Like', '{}', ?)", (old,))
    outcomes = _by_name(await diagnose(rome.settings, transport=net.transport))
    line = outcomes["queues"].line()
    assert line.startswith("queues: FAIL: 1 inbox activities waiting, the oldest for 2h 0m")
    assert "is a worker running" in line


@pytest.mark.parametrize(("base_url", "reason"), [
    ("https://localhost", "localhost is not a public name"),
    ("https://10.1.2.3", "10.1.2.3 is not a public address"),
    ("http://chapter.example.org", "base URL must use https"),
])
async def test_a_base_url_peers_cannot_use_fails(london: Instance, base_url: str, reason: str) -> None:
    settings = replace(london.settings, base_url=base_url, dev=False)
    with pytest.raises(Exception, match=reason):
        await check_base_url(settings)


async def test_the_clock_is_compared_with_the_date_header() -> None:
    assert (await check_clock(format_datetime(utc_now(), usegmt=True))).startswith("within 60s")
    with pytest.raises(Exception, match=r"clock is \+30\ds off"):
        await check_clock(format_datetime(utc_now() - timedelta(seconds=300), usegmt=True))


async def test_a_sqlite_database_of_another_machine_fails(net: Network, london: Instance) -> None:
    record_owner(london.settings.data_dir, Machine("other-box", "0" * 32))
    line = _by_name(await diagnose(london.settings, transport=net.transport))["database"].line()
    if london.settings.on_postgres:
        assert line.startswith("database: ok")  # any machine may share a PostgreSQL chapter
    else:
        assert line.startswith("database: FAIL: ") and "belongs to machine 'other-box'" in line
