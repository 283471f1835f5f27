"""The demo chapter's community side: confirmed email addresses, a bulletin in
the archive and one drafted, an invitation link and a pending application, so
`make run` shows the admin and secretary pages with something on them.

It runs inside the demo's composition (the CLI is the composition root), with
the same services the site uses; mail goes to the data folder's mail folder."""
from __future__ import annotations

from fedchapter.cli.chapter_services import ChapterServices
from fedchapter.clock import utc_now
from fedchapter.services.bulletins import parse_draft

DEMO_DOMAIN = "example.org"

SENT_BULLETIN = (
    "Rally, budget and the international conference",
    "Thank you to the fourteen of you who came to the general meeting.\n\n"
    "- **Rally with the tenants' union** on Saturday: meet at the Hackney Town Hall steps at 11.\n"
    "- **Participatory budget**: the proposal is open for your consent on the site until next week.\n"
    "- **International conference**: we elected our two delegates by STV; the stage table is online.\n\n"
    "See you at the next meeting, last Tuesday of the month at Birkbeck.",
)
DRAFT_BULLETIN = (
    "December: reading group and the end-of-year social",
    "The reading group meets on Thursdays in December. The social is at the Lamb if the poll agrees.",
)


async def add_demo_community(ctx: ChapterServices, usernames: list[str], password: str) -> None:
    now = utc_now()
    users = {name: await ctx.repos.users.by_username(name) for name in usernames}
    for name, user in users.items():
        assert user is not None, name
        await ctx.repos.account_emails.set(user.id, f"{name}@{DEMO_DOMAIN}", now)
    secretary, admin = users["maya"], users["admin"]
    assert secretary is not None and admin is not None

    bulletins = ctx.mail.bulletins
    sent = await bulletins.draft(parse_draft(*SENT_BULLETIN), secretary.id)
    await bulletins.send(sent.id)
    await bulletins.draft(parse_draft(*DRAFT_BULLETIN), secretary.id)

    await ctx.members.membership.create_invitation(
        admin, note="For the people who signed up at the rally stall", max_uses=20, valid_days=30)
    await ctx.members.membership.join(
        username="amara", password=password, display_name="Amara Diallo",
        message="I met Priya at the tenants' union rally and would like to help with the leafleting.")
