"""`omov organiser EMAIL`: appoint an organiser from the operator's shell.

A fresh installation has nobody who may manage the roll; this gives the first
organiser (or a later one) the role and prints a sign-in link for them.
"""

from __future__ import annotations

import argparse
import datetime
import sys

NAME = "organiser"
HELP = "Make a member an organiser (adding them to the roll if needed) and print a sign-in link."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email", help="the organiser's email address")
    parser.add_argument("--name", help="their name, if they are not on the roll yet")
    parser.add_argument("--number", help="their membership number, if not on the roll yet")


def run(args: argparse.Namespace) -> int:
    from omov.web.bootstrap import migrate, setup_django

    setup_django()
    migrate()
    from omov.accounts.actions import appoint_organiser

    try:
        member, link = appoint_organiser(
            email=args.email, name=args.name, membership_number=args.number,
            joined_on=datetime.date.today(),
        )
    except ValueError as problem:
        print(f"omov organiser: {problem}", file=sys.stderr)
        return 2
    print(f"{member.name} <{member.email}> is an organiser. Sign-in link (valid 30 minutes):")
    print(link)
    return 0
