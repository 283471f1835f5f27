"""Setting up a new chapter: its Group actor, the instance actor and the first admin."""
from __future__ import annotations

from typing import Protocol

from fedchapter.accounts import User, check_username
from fedchapter.actors import LocalActor, LocalActorKind
from fedchapter.chapter import Openness
from fedchapter.errors import N_, ValidationError
from fedchapter.roles import Role
from fedchapter.services.accounts import AccountService, LocalActorStore

INSTANCE_ACTOR_USERNAME = "instance"


class ChapterStore(Protocol):
    async def create(self, *, actor_id: int, instance_actor_id: int, openness: str) -> None: ...


async def set_up_chapter(
    *,
    actors: LocalActorStore,
    chapter: ChapterStore,
    accounts: AccountService,
    handle: str,
    name: str,
    summary: str,
    admin_username: str,
    admin_password: str,
    openness: Openness = Openness.MODERATED,
) -> tuple[LocalActor, LocalActor, User]:
    """Create the Group, the instance Application and the first admin account."""
    name = name.strip()
    if not name:
        raise ValidationError("name", N_("the chapter needs a name"))
    check_username(handle, field="handle")
    if admin_username == handle:
        raise ValidationError("admin_username", N_("the admin's username must differ from the chapter's handle"))
    public_pem, private_pem = accounts.make_keypair()
    group = await actors.add(
        username=handle,
        kind=LocalActorKind.GROUP,
        display_name=name[:100],
        summary=summary.strip()[:2000],
        public_key_pem=public_pem,
        private_key_pem=private_pem,
    )
    public_pem, private_pem = accounts.make_keypair()
    instance = await actors.add(
        username=INSTANCE_ACTOR_USERNAME,
        kind=LocalActorKind.APPLICATION,
        display_name=f"{name[:80]} (server)",
        public_key_pem=public_pem,
        private_key_pem=private_pem,
    )
    await chapter.create(actor_id=group.id, instance_actor_id=instance.id, openness=openness.value)
    admin = await accounts.create_user(admin_username, admin_password, Role.ADMIN)
    return group, instance, admin
