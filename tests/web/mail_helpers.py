"""A chapter whose mail goes to a real SMTP server in the test process."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from fedchapter.roles import Role
from tests.support.instances import Instance, Network, make_chapter_folder
from tests.support.smtp import Mailbox

PASSWORD = "member password 1"


async def mailing_chapter(net: Network, mailbox: Mailbox, handle: str = "london") -> Instance:
    settings = await make_chapter_folder(net.root / handle, handle=handle, host=f"{handle}.test")
    settings = replace(settings, smtp_host=mailbox.host, smtp_port=mailbox.port, smtp_security="none",
                       mail_from=f"news@{handle}.test")
    return await net.start(settings)


async def add_member(instance: Instance, username: str, role: Role = Role.MEMBER) -> None:
    await instance.ctx.accounts.create_user(username, PASSWORD, role, username.title())


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def confirmed_address(instance: Instance, username: str, address: str, mailbox: Mailbox) -> None:
    """Gives ``username`` a confirmed address through the real mail round trip."""
    user = await instance.ctx.repos.users.by_username(username)
    assert user is not None
    before = len(mailbox.to(address))
    await instance.ctx.mail.accounts.request_confirmation(user, address)
    mail = (await mailbox.wait_for(address, before + 1))[-1]
    [link] = [url for url in mail.links() if "/account/email/confirm/" in url]
    response = await instance.client.get(path_of(link))
    assert response.status_code == 200, response.text
