"""Using the site as a browser does: read the CSRF token from a page, post
forms with it, log in through the login form."""
from __future__ import annotations

import re

import httpx

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def csrf_token(client: httpx.AsyncClient, page: str = "/login") -> str:
    response = await client.get(page)
    return csrf_from(response.text)


async def post_form(
    client: httpx.AsyncClient, path: str, data: dict[str, str], *, page: str = "/account"
) -> httpx.Response:
    """Post ``data`` with the session's CSRF token, taken from ``page``."""
    return await client.post(path, data={**data, "csrf_token": await csrf_token(client, page)})


async def log_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    token = await csrf_token(client, "/login")
    return await client.post("/login", data={"username": username, "password": password, "csrf_token": token})
