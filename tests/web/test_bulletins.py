"""Bulletins: written, previewed and sent by the secretary to members,
supporters and subscribers (double opt-in), each mail with RFC 8058 one-click
unsubscribe; the archive is a page, a federated Article and in the Atom feed.
The mail goes through a real SMTP server (aiosmtpd) in the test process."""
from __future__ import annotations

import json
import re

import httpx

from fedchapter.roles import Role
from tests.support.instances import Instance, Network
from tests.support.smtp import Mailbox, Received
from tests.support.web_forms import csrf_token, log_in, post_form
from tests.web.mail_helpers import (
    PASSWORD,
    add_member,
    confirmed_address,
    mailing_chapter,
    path_of,
)

BODY = "Our **spring assembly** is on 12 April.\n\nRead [the agenda](https://london.test/minutes).\n"


async def _subscribe(instance: Instance, address: str) -> httpx.Response:
    token = await csrf_token(instance.client, "/bulletins")
    return await instance.client.post("/bulletins/subscribe", data={"email": address, "csrf_token": token})


async def _chapter_with_readers(net: Network, mailbox: Mailbox) -> Instance:
    london = await mailing_chapter(net, mailbox)
    for username, role in (("sec", Role.SECRETARY), ("pat", Role.MEMBER), ("sam", Role.SUPPORTER),
                           ("lee", Role.MEMBER)):
        await add_member(london, username, role)
        await confirmed_address(london, username, f"{username}@example.org", mailbox)
    lee = await london.ctx.repos.users.by_username("lee")
    assert lee is not None
    await london.ctx.mail.preferences.choose(lee, ["proposal_closing"])  # no bulletin for lee
    # A subscriber without an account, double opt-in.
    assert (await _subscribe(london, "Reader@Example.net")).status_code == 200
    [confirmation] = await mailbox.wait_for("reader@example.net")
    assert confirmation.message["Subject"] == "Confirm your subscription to London Chapter"
    [link] = [url for url in confirmation.links() if "/bulletins/confirm/" in url]
    assert (await london.client.get(path_of(link))).status_code == 200
    assert (await london.client.get(path_of(link))).status_code == 400  # single use
    # One who never confirms receives nothing but the confirmation.
    assert (await _subscribe(london, "lazy@example.net")).status_code == 200
    await mailbox.wait_for("lazy@example.net")
    return london


async def _write_and_send(london: Instance, title: str) -> str:
    await log_in(london.client, "sec", PASSWORD)
    response = await post_form(london.client, "/bulletins/new", {"title": title, "body": BODY}, page="/bulletins/new")
    assert response.status_code == 303
    preview = await london.client.get(response.headers["location"])
    assert preview.status_code == 200
    assert "<strong>spring assembly</strong>" in preview.text
    bulletin_id = response.headers["location"].split("/")[2]
    sent = await post_form(london.client, f"/bulletins/{bulletin_id}/send", {},
                           page=f"/bulletins/{bulletin_id}/preview")
    assert sent.status_code == 303 and sent.headers["location"].startswith("/posts/")
    london.client.cookies.clear()
    return sent.headers["location"]


def _check_bulletin_mail(mail: Received, title: str, post_url: str) -> str:
    message = mail.message
    assert message["Subject"] == f"London Chapter: {title}"
    assert message["From"].addresses[0].addr_spec == "news@london.test"
    unsubscribe = re.fullmatch(r"<(http://london\.test/unsubscribe/[^>]+)>", message["List-Unsubscribe"])
    assert unsubscribe, message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = mail.text(), mail.html()
    assert "Our **spring assembly** is on 12 April." in text
    assert post_url in text and unsubscribe[1] in text
    assert "<strong>spring assembly</strong>" in html
    assert 'href="https://london.test/minutes"' in html
    assert f'href="{unsubscribe[1]}"' in html and f'href="{post_url}"' in html
    return unsubscribe[1]


async def test_a_bulletin_reaches_members_supporters_and_subscribers_and_unsubscribes_in_one_click(
    net: Network, mailbox: Mailbox
) -> None:
    london = await _chapter_with_readers(net, mailbox)
    post_path = await _write_and_send(london, "Spring bulletin")
    post_url = f"http://london.test{post_path}"
    links = {}
    for address in ("sec@example.org", "pat@example.org", "sam@example.org", "reader@example.net"):
        mail = await mailbox.wait_for_subject(address, "Spring bulletin")
        links[address] = _check_bulletin_mail(mail, "Spring bulletin", post_url)
    for address in ("lee@example.org", "lazy@example.net"):
        assert not [m for m in mailbox.to(address) if "Spring" in m.message["Subject"]], address

    # The archive: a public page, the post, the Atom feed, a federated Article.
    archive = await london.client.get("/bulletins")
    assert "Spring bulletin" in archive.text and f'href="{post_path}"' in archive.text
    assert "spring assembly" in (await london.client.get(post_path)).text
    assert "Spring bulletin" in (await london.client.get("/feed.atom")).text
    rows = await london.ctx.database.fetchall("SELECT payload FROM outbox WHERE type = 'Create'")
    objects = [json.loads(row["payload"])["object"] for row in rows]
    assert [o["type"] for o in objects if o.get("name") == "Spring bulletin"] == ["Article"]

    # A forged token changes nothing.
    forged = links["reader@example.net"].rsplit(".", 1)[0] + ".AAAA"
    answer = await london.client.post(path_of(forged), content=b"List-Unsubscribe=One-Click",
                                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400
    # Pat's valid signature on the reader's address.
    reader_token = links["reader@example.net"].split("/unsubscribe/")[1]
    pat_token = links["pat@example.org"].split("/unsubscribe/")[1]
    spliced = "/unsubscribe/" + reader_token.split(".")[0] + "." + pat_token.split(".")[1]
    assert (await london.client.post(path_of(spliced), content=b"List-Unsubscribe=One-Click",
                                     headers={"content-type": "application/x-www-form-urlencoded"})).status_code == 400
    assert await london.ctx.repos.subscribers.state_of("reader@example.net") == "active"

    # One click, as a mail client does it (RFC 8058): no cookie, no CSRF token.
    for address in ("reader@example.net", "pat@example.org"):
        async with httpx.AsyncClient(transport=net.transport, base_url="http://london.test") as client:
            page = await client.get(path_of(links[address]))
            assert page.status_code == 200 and address in page.text
            done = await client.post(path_of(links[address]), content=b"List-Unsubscribe=One-Click",
                                     headers={"content-type": "application/x-www-form-urlencoded"})
            assert done.status_code == 200 and "receives no more" in done.text
    assert await london.ctx.repos.subscribers.state_of("reader@example.net") == "unsubscribed"

    await _write_and_send(london, "Summer bulletin")
    await mailbox.wait_for_subject("sam@example.org", "Summer")
    for address in ("reader@example.net", "pat@example.org", "lee@example.org"):
        assert not [m for m in mailbox.to(address) if "Summer" in m.message["Subject"]], address


async def test_a_bulletin_is_sent_once_and_only_by_those_who_may(net: Network, mailbox: Mailbox) -> None:
    london = await mailing_chapter(net, mailbox)
    await add_member(london, "sec", Role.SECRETARY)
    await add_member(london, "pat", Role.MEMBER)
    await log_in(london.client, "pat", PASSWORD)
    assert (await london.client.get("/bulletins/new")).status_code == 403
    london.client.cookies.clear()
    await log_in(london.client, "sec", PASSWORD)
    bad = await post_form(london.client, "/bulletins/new", {"title": "two\nlines", "body": "x"}, page="/bulletins/new")
    assert bad.status_code == 422
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM bulletins") == 0
    created = await post_form(london.client, "/bulletins/new", {"title": "Once", "body": "Hello"}, page="/bulletins/new")
    bulletin_id = created.headers["location"].split("/")[2]
    page = f"/bulletins/{bulletin_id}/preview"
    assert (await post_form(london.client, f"/bulletins/{bulletin_id}/send", {}, page=page)).status_code == 303
    again = await post_form(london.client, f"/bulletins/{bulletin_id}/send", {}, page=page)
    assert again.status_code == 303 and again.headers["location"] == "/bulletins"
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM posts") == 1
    edit = await post_form(london.client, f"/bulletins/{bulletin_id}/edit", {"title": "Changed", "body": "x"}, page=page)
    assert edit.status_code == 409


async def test_subscribing_with_a_bad_address_stores_and_sends_nothing(net: Network, mailbox: Mailbox) -> None:
    london = await mailing_chapter(net, mailbox)
    for bad in ("reader@example.net\r\nBcc: victim@example.org", "reader@example.net\n", "reader"):
        response = await _subscribe(london, bad)
        assert response.status_code == 303
        assert "That address cannot be used" in (await london.client.get("/bulletins")).text
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM bulletin_subscribers") == 0
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM outgoing_mail") == 0
    # Asking again and again for an address sends at most three confirmations a day.
    for _ in range(5):
        await _subscribe(london, "reader@example.net")
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM outgoing_mail") == 3
