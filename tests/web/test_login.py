"""Logging in and out: wrong passwords, lockouts that survive a restart,
forged CSRF tokens, expired sessions, where the login sends you."""
from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from fedchapter.login_throttle import FREE_FAILURES
from tests.support.instances import ADMIN_PASSWORD, Instance, Network
from tests.support.web_forms import csrf_token, log_in, post_form


async def test_login_with_the_right_password_opens_a_session(london: Instance) -> None:
    response = await log_in(london.client, "admin", ADMIN_PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    page = (await london.client.get("/")).text
    assert 'href="/account"' in page and "Log out" in page and 'href="/admin"' in page


async def test_wrong_password_and_unknown_user_get_the_same_answer(london: Instance) -> None:
    wrong = await log_in(london.client, "admin", "not the password")
    unknown = await log_in(london.client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match" in wrong.text and "do not match" in unknown.text
    assert "Log out" not in wrong.text


async def test_repeated_failures_from_one_address_wait_longer_and_longer(london: Instance) -> None:
    for _ in range(FREE_FAILURES):
        assert (await log_in(london.client, "admin", "guess")).status_code == 401
    locked = await log_in(london.client, "admin", "guess")
    assert locked.status_code == 429
    assert "try again in 1 minutes" in locked.text
    # Even the right password waits, from this address, until the wait ends.
    assert (await log_in(london.client, "admin", ADMIN_PASSWORD)).status_code == 429


def client_at(instance: Instance, address: str) -> httpx.AsyncClient:
    """Another browser, on another network address, talking to the same running app."""
    transport = httpx.ASGITransport(app=instance.app, client=(address, 50000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url=instance.settings.base_url)


async def test_a_stranger_guessing_cannot_lock_the_account_holder_out(london: Instance) -> None:
    async with client_at(london, "203.0.113.9") as attacker, client_at(london, "198.51.100.7") as admin:
        answers = [(await log_in(attacker, "admin", f"guess {n}")).status_code for n in range(20)]
        assert answers[:FREE_FAILURES] == [401] * FREE_FAILURES and set(answers[FREE_FAILURES:]) == {429}
        assert (await log_in(admin, "admin", ADMIN_PASSWORD)).status_code == 303
        assert (await admin.get("/account")).status_code == 200
        # The stranger is still waiting, even with the right password.
        assert (await log_in(attacker, "admin", ADMIN_PASSWORD)).status_code == 429


async def test_the_wait_is_stored_and_survives_a_restart(net: Network, london: Instance) -> None:
    for _ in range(FREE_FAILURES + 1):
        await log_in(london.client, "admin", "guess")
    restarted = await net.start(london.settings, run_workers=False)
    assert (await log_in(restarted.client, "admin", ADMIN_PASSWORD)).status_code == 429


@pytest.mark.parametrize("failures, wait_seconds", [(FREE_FAILURES + 1, 30), (FREE_FAILURES + 3, 120)])
async def test_the_wait_ends_after_its_time(london: Instance, failures: int, wait_seconds: int) -> None:

    logins = london.ctx.members.logins
    real_clock = logins.clock
    start = real_clock()
    for n in range(failures):  # each failure once the previous wait is over
        logins.clock = lambda n=n: start + timedelta(hours=n)
        await log_in(london.client, "admin", "guess")
    last = start + timedelta(hours=failures - 1)
    try:
        logins.clock = lambda: last + timedelta(seconds=wait_seconds - 1)
        assert (await log_in(london.client, "admin", ADMIN_PASSWORD)).status_code == 429
        logins.clock = lambda: last + timedelta(seconds=wait_seconds + 1)
        assert (await log_in(london.client, "admin", ADMIN_PASSWORD)).status_code == 303
    finally:
        logins.clock = real_clock


async def test_a_forged_csrf_token_is_refused(london: Instance) -> None:
    await csrf_token(london.client)
    response = await london.client.post(
        "/login", data={"username": "admin", "password": ADMIN_PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert "expired" in response.text


async def test_a_form_from_an_expired_session_is_refused(london: Instance) -> None:
    token = await csrf_token(london.client)
    fresh = httpx.AsyncClient(transport=london.client._transport, base_url=london.settings.base_url)
    async with fresh:
        response = await fresh.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD,
                                                     "csrf_token": token})
    assert response.status_code == 403


async def test_login_returns_to_the_page_asked_for_but_never_elsewhere(london: Instance) -> None:
    redirect = await london.client.get("/admin/members")
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/login?next=/admin/members"
    token = await csrf_token(london.client, "/login?next=/admin/members")
    response = await london.client.post("/login", data={
        "username": "admin", "password": ADMIN_PASSWORD, "csrf_token": token, "next": "/admin/members"})
    assert response.headers["location"] == "/admin/members"
    await post_form(london.client, "/logout", {})
    token = await csrf_token(london.client)
    response = await london.client.post("/login", data={
        "username": "admin", "password": ADMIN_PASSWORD, "csrf_token": token, "next": "//evil.example/"})
    assert response.headers["location"] == "/"


async def test_logout_ends_the_session(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    response = await post_form(london.client, "/logout", {})
    assert response.status_code == 303
    assert (await london.client.get("/account")).status_code == 303


async def test_an_oversized_password_is_refused_with_a_message(london: Instance) -> None:
    response = await log_in(london.client, "admin", "x" * 5000)
    assert response.status_code == 422
    assert "Enter your username and password" in response.text
