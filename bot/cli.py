"""The `umkm` command: serve, chat, migrate, seed-demo and the tools a newcomer can run before any chat."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot import cli_consultants, cli_run, cli_tools
from bot.cli_base import COMMANDS
from bot.settings import ConfigurationError, load_settings
from core.i18n import _


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    root = argparse.ArgumentParser(prog="umkm", description="Rumah UMKM chatbot")
    sub = root.add_subparsers(dest="command", required=True)
    cli_run.add_parsers(sub)
    cli_tools.add_parsers(sub)
    cli_consultants.add_parsers(sub)
    from bot.admin.cli import add_parsers as add_admin_commands

    add_admin_commands(sub)
    profile = sub.add_parser("profile", help="kabupaten profiles")
    profile_actions = profile.add_subparsers(dest="profile_command", required=True)
    profile_check = profile_actions.add_parser(
        "check", help="check a profile TOML file (every problem at once) before setting UMKM_PROFILE"
    )
    profile_check.add_argument("file", metavar="FILE", help="the profile file, e.g. /etc/umkm/lebak.toml")
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `umkm` console script."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "profile":  # needs no configuration: the operator is preparing one
        from bot.cli_profile import check

        return check(args.file)
    try:
        settings = load_settings()
    except ConfigurationError as error:
        print(_("Invalid configuration: {error}").format(error=error), file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args, settings)
    except BrokenPipeError:  # e.g. `umkm simulate ... | head`: the reader left, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
