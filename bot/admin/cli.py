"""`umkm admin add|list|disable|link`: admin accounts from the command line (the first account is made here)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli_base import CliError, command, friendly, in_db
from bot.clock import SystemClock
from bot.settings import Settings
from core.i18n import _

CLI_ACTOR = "cli"
DEMO_EMAIL = "admin@demo.local"


@command("admin")
@friendly
def run_admin(args: argparse.Namespace, settings: Settings) -> int:
    """Adds, lists and disables the accounts that sign in to /admin."""
    from bot.admin.accounts import AccountError, create, normal_email
    from storage import admins, audit

    async def add(session: Any) -> str:
        """Adds the account and prints its one-time password."""
        try:
            admin, password = await create(
                session=session,
                email=args.email or "",
                name=args.name or "",
                role=args.role,
                now=SystemClock().now(),
                by=CLI_ACTOR,
            )
        except AccountError as error:
            raise CliError(str(error)) from None
        text = _(
            "Account {id} added: {email} ({role}).\nOne-time password: {password}\n"
            "It is shown only now. Sign in at /admin/login."
        )
        return text.format(id=admin.id, email=admin.email, role=admin.role, password=password)

    async def listing(session: Any) -> str:
        """Lists the accounts."""
        lines = [
            _("{id}. {email} ({name}), {role}, {state}").format(
                id=admin.id,
                email=admin.email,
                name=admin.name,
                role=admin.role,
                state=_("account active") if admin.active else _("account disabled"),
            )
            for admin in await admins.list_admins(session=session)
        ]
        return "\n".join(lines) or _("No accounts yet. Add one with: {example}").format(example=EXAMPLE)

    async def disable(session: Any) -> str:
        """Disables the account."""
        admin = await admins.admin_by_email(session=session, email=normal_email(args.email or ""))
        if admin is None:
            raise CliError(
                _("There is no account for {email}. See: umkm admin list").format(email=args.email)
            )
        await admins.set_active(session=session, admin=admin, active=False)
        await audit.record(
            session=session,
            actor=CLI_ACTOR,
            action="admin.disable",
            now=SystemClock().now(),
            detail={"email": admin.email},
        )
        return _("Account {email} is disabled: it can no longer sign in.").format(email=admin.email)

    async def link(session: Any) -> str:
        """Prints a one-time code that links the admin's chat, for notices such as a finished broadcast."""
        from core.admin_link import new_code

        admin = await admins.admin_by_email(session=session, email=normal_email(args.email or ""))
        if admin is None or not admin.active:
            raise CliError(
                _("There is no active account for {email}. See: umkm admin list").format(email=args.email)
            )
        code = new_code()
        await admins.set_link_code(session=session, admin=admin, code=code)
        await audit.record(
            session=session,
            actor=CLI_ACTOR,
            action="admin.link_code",
            now=SystemClock().now(),
            detail={"email": admin.email},
        )
        return _(
            "Link code for {email}: {code}\nSend it to the bot on Telegram or WhatsApp from your own chat. "
            "It works once; notices (for example a finished broadcast) then arrive in that chat."
        ).format(email=admin.email, code=code)

    if args.admin_command in ("add", "disable", "link") and not args.email:
        raise CliError(_("Missing: --email. For example: {example}").format(example=EXAMPLE))
    work = {"add": add, "list": listing, "disable": disable, "link": link}[args.admin_command]
    print(in_db(settings, work))
    return 0


async def demo_admin(session: Any) -> str:
    """Adds the dev demo account once; returns a line with its password, or nothing when it exists."""
    from bot.admin.accounts import create
    from storage.admins import admin_by_email

    if await admin_by_email(session=session, email=DEMO_EMAIL) is not None:
        return ""
    _admin, password = await create(
        session=session,
        email=DEMO_EMAIL,
        name="Admin Demo",
        role="admin",
        now=SystemClock().now(),
        by=CLI_ACTOR,
    )
    return _("Demo admin (dev only): {email} / {password}").format(email=DEMO_EMAIL, password=password)


EXAMPLE = 'umkm admin add --name "Rina Marlina" --email rina@dinas.example.go.id --role admin'


def add_parsers(sub: Any) -> None:
    """The parsers of `umkm admin ...`, `umkm broadcast ...` and `umkm report`."""
    from bot.admin import broadcast_cli, report_cli

    broadcast_cli.add_parsers(sub)
    report_cli.add_parsers(sub)
    admin = sub.add_parser("admin", help="manage the accounts that sign in to /admin")
    actions = admin.add_subparsers(dest="admin_command", required=True)
    add = actions.add_parser("add", help="add an account and print its one-time password")
    add.add_argument("--name", help="full name, e.g. 'Rina Marlina'")
    add.add_argument("--email", help="the email to sign in with")
    add.add_argument("--role", default="admin", help="admin (everything, default) or viewer (read-only)")
    actions.add_parser("list", help="list accounts")
    disable = actions.add_parser("disable", help="stop an account from signing in")
    disable.add_argument("--email", help="the account's email")
    link = actions.add_parser("link", help="print a one-time code that links the admin's chat (for notices)")
    link.add_argument("--email", help="the account's email")
