"""``fedchapter user add|disable|enable`` and ``fedchapter token create``."""
from __future__ import annotations

import argparse
import asyncio

from fedchapter.cli.common import add_data_option, opened, settings_for
from fedchapter.roles import Role
from fedchapter.services.access import AccessService
from fedchapter.services.accounts import AccountService
from federation.keys import generate_rsa_keypair


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    user = subparsers.add_parser("user", help="manage local accounts")
    add_data_option(user)
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION")
    user_commands.required = True
    add = user_commands.add_parser("add", help="add a local account")
    add_data_option(add)
    add.add_argument("--username", required=True)
    add.add_argument("--password", required=True)
    add.add_argument("--display-name", default=None)
    add.add_argument("--role", default="member", choices=[role.value for role in Role])
    add.set_defaults(handler=run_user_add)
    for action, help_text in (("disable", "stop an account logging in; ends its sessions and API tokens"),
                              ("enable", "let a disabled account log in again")):
        command = user_commands.add_parser(action, help=help_text)
        add_data_option(command)
        command.add_argument("username")
        command.set_defaults(handler=run_user_access, access_action=action)

    token = subparsers.add_parser("token", help="manage API tokens")
    add_data_option(token)
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION")
    token_commands.required = True
    create = token_commands.add_parser("create", help="print a new API token for a user")
    add_data_option(create)
    create.add_argument("--username", required=True)
    create.set_defaults(handler=run_token_create)


def run_user_add(args: argparse.Namespace) -> int:
    settings = settings_for(args)

    async def add() -> None:
        async with opened(settings) as repos:
            accounts = AccountService(repos.actors, repos.users, generate_rsa_keypair)
            await accounts.create_user(args.username, args.password, Role(args.role), args.display_name)

    asyncio.run(add())
    return 0


def run_user_access(args: argparse.Namespace) -> int:
    settings = settings_for(args)

    async def change() -> None:
        async with opened(settings) as repos:
            access = AccessService(repos.users)
            if args.access_action == "disable":
                await access.disable(args.username)
            else:
                await access.enable(args.username)

    asyncio.run(change())
    return 0


def run_token_create(args: argparse.Namespace) -> int:
    settings = settings_for(args)

    async def create() -> str:
        async with opened(settings) as repos:
            accounts = AccountService(repos.actors, repos.users, generate_rsa_keypair)
            return await accounts.create_token(args.username)

    print(asyncio.run(create()))
    return 0
