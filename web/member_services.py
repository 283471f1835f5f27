"""The membership services, wired from the app context once per app.

They are plain objects over the repositories, kept in ``ctx.extras`` so every
route, the API and the tests use the same ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fedchapter.services.login import LoginService
from fedchapter.services.member_directory import ChapterMembers
from fedchapter.services.membership import MembershipService
from fedchapter.services.remote_members import ActorResolver, RemoteMemberService
from fedchapter.services.roles import RoleService
from web.context import AppContext

_KEY = "membership_services"
# The federation core's runtime (federation.runtime.Federation): we share its
# actor resolver, so one actor cache and one HTTP client serve both.
FEDERATION_KEY = "federation"


@dataclass(frozen=True)
class MemberServices:
    logins: LoginService
    membership: MembershipService
    roles: RoleService
    remote_members: RemoteMemberService
    # federation.members.MemberDirectory and the proposals' VotingMembers.
    directory: ChapterMembers


def _resolver(ctx: AppContext) -> ActorResolver | None:
    federation: Any = ctx.extras.get(FEDERATION_KEY)
    return getattr(federation, "resolver", None)


def install_member_services(ctx: AppContext) -> MemberServices:
    """Called in the lifespan: builds the services and tells the federation
    publisher who the members are, so members-only items reach remote members."""
    services = member_services(ctx)
    federation: Any = ctx.extras.get(FEDERATION_KEY)
    if federation is not None:
        federation.publisher.members = services.directory
    return services


def member_services(ctx: AppContext) -> MemberServices:
    found = ctx.extras.get(_KEY)
    if isinstance(found, MemberServices):
        return found
    repos = ctx.repos
    roles = RoleService(repos.users, repos.remote_members, repos.role_terms, repos.database)
    services = MemberServices(
        logins=LoginService(ctx.accounts, repos.users, repos.login_failures, repos.password_changes),
        membership=MembershipService(
            ctx.accounts, repos.chapter, repos.join_requests, repos.invitations, roles, repos.database
        ),
        roles=roles,
        remote_members=RemoteMemberService(_resolver(ctx), repos.remote_members, roles, repos.database),
        directory=member_directory(ctx),
    )
    ctx.extras[_KEY] = services
    return services


def member_directory(ctx: AppContext) -> ChapterMembers:
    """Usable on its own (no await) where the federation core builds its publisher."""
    return ChapterMembers(ctx.repos.users, ctx.repos.remote_members, ctx.urls.actor)
