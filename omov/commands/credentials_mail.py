"""`omov credentials mail`: email every member their voting code from the
credential authority's own machine, so that the codes never pass through the
voting server."""

from __future__ import annotations

import argparse
import csv
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from omov.commands.election_code import COMPARE, election_code_and_close
from omov.crypto.credentials import normalise_code
from omov.crypto.errors import ProtocolError
from omov.trustee_files import CommandError, say, warn

PRIVATE_COLUMNS = ("member", "email", "name", "code")
WITH_ELECTION_CODE = (*PRIVATE_COLUMNS, "election_code")


def configure_mail(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("private_csv", metavar="PRIVATE.csv", help="made by `generate`")
    parser.add_argument(
        "--record", required=True,
        help="the election record after the key ceremony (.omov.jsonl); it is verified",
    )
    parser.add_argument(
        "--public-roll",
        help="the public roll `generate` wrote (--public-out); default: the one on the record",
    )
    parser.add_argument("--smtp-host", help="the mail server that sends the letters")
    parser.add_argument(
        "--via-omov", metavar="URL",
        help="instead of a mail server, deliver to the development mailbox of the omov "
        "demo at URL (e.g. http://127.0.0.1:8000): for trying a ballot out, never real codes",
    )
    parser.add_argument(
        "--smtp-port", type=int, default=None, help="default 587 with --starttls, else 25"
    )
    parser.add_argument(
        "--starttls", action="store_true", help="upgrade the connection with STARTTLS"
    )
    parser.add_argument("--user", help="SMTP user name")
    parser.add_argument("--password-file", help="file whose first line is the SMTP password")
    parser.add_argument("--from", dest="sender", required=True, help="the sender's address")
    parser.add_argument("--election-title", required=True)
    parser.add_argument("--vote-url",
                        help="the ballot's booth, where members vote (linked in the message)")
    parser.add_argument("--time-zone", default="UTC",
                        help="the zone the letter gives the closing time in, as the site "
                        "shows it (e.g. Europe/London); default UTC")
    parser.add_argument("--dry-run", action="store_true", help="print the messages, send nothing")
    parser.add_argument(
        "--start-at", type=int, default=0, metavar="N",
        help="skip the first N letters (to go on after an interrupted run)",
    )
    parser.set_defaults(step_run=run_mail)


@dataclass(frozen=True)
class CodeLetter:
    member: str
    email: str
    name: str
    code: str
    election_code: str = ""


def read_private_csv(path: str) -> tuple[list[CodeLetter], list[str]]:
    """The letters to send, and the members who have no email address.

    The file may carry an election_code column (the browser page writes one).
    Raises CommandError naming every row whose code is damaged.
    """
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) not in (PRIVATE_COLUMNS, WITH_ELECTION_CODE):
                raise CommandError(
                    f"{path} must have the columns {', '.join(PRIVATE_COLUMNS)} "
                    "(as `omov credentials generate` writes it)"
                )
            letters: list[CodeLetter] = []
            no_email: list[CodeLetter] = []
            problems: list[str] = []
            for row in reader:
                try:
                    code = normalise_code(row["code"] or "")
                except ProtocolError as error:
                    problems.append(f"line {reader.line_num}: {error}")
                    continue
                letter = CodeLetter(row["member"], row["email"], row["name"], code,
                                    row.get("election_code") or "")
                (letters if letter.email else no_email).append(letter)
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from None
    if problems:
        raise CommandError(f"{path} has damaged codes:\n  " + "\n  ".join(problems))
    return letters, [letter.member for letter in no_email]


def grouped(code: str) -> str:
    """The 20-symbol code in its four groups of five, for reading."""
    return "-".join(code[i : i + 5] for i in range(0, 20, 5))


def compose(letter: CodeLetter, sender: str, title: str, vote_url: str | None,
            election: str, closes: str) -> EmailMessage:
    """The plain-text message that gives one member their code and how to use it,
    with the election code the booth must show (``election``) and when voting
    closes (``closes``, in words)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = letter.email
    message["Subject"] = f"Your voting code: {title}"
    message["Message-ID"] = make_msgid()
    where = f"in the booth:\n\n    {vote_url}\n" if vote_url else (
        "on the organisation's voting page.\n")
    greeting = f"Dear {letter.name}," if letter.name else "Dear member,"
    message.set_content(
        f"""{greeting}

You are on the roll of eligible voters for:

    {title}

Your personal voting code is:

    {grouped(letter.code)}

The election code is:

    {election}

{COMPARE}

Voting closes {closes}. When voting opens, vote {where}
When you cast your ballot your browser asks for this voting code and uses it
to sign your ballot on your own device: the code is never sent to the voting
server, and nobody, not even the server's administrators, can vote for you
without it.

Keep this code secret. Nobody from the organisation will ever ask you for it.
You may vote again until voting closes; only your last ballot counts. If you
lose the code, or think someone else has seen it, reply to this message to
have it replaced.

This message was sent by the independent credential authority ({sender}),
not by the voting server.
"""
    )
    return message


def run_mail(args: argparse.Namespace) -> int:
    letters, no_email = read_private_csv(args.private_csv)
    if no_email:
        warn(
            f"{len(no_email)} member(s) have no email address; give them their codes another "
            "way: " + ", ".join(no_email)
        )
    if not 0 <= args.start_at <= len(letters):
        raise CommandError(f"--start-at must be between 0 and {len(letters)}")
    pending = letters[args.start_at :]
    if (args.smtp_host is None) == (args.via_omov is None):
        raise CommandError("give --smtp-host (a mail server) or --via-omov URL (a demo), "
                           "not both")
    election = _checked_election_code(args, letters)
    if args.dry_run:
        for letter in pending:
            say(compose(letter, args.sender, args.election_title, args.vote_url,
                        *election).as_string())
            say("-" * 72)
        say(f"Dry run: {len(pending)} message(s) not sent.")
        return 0
    failed = (_deliver_all(args, pending, election) if args.via_omov
              else _send_all(args, pending, election))
    say(f"Sent {len(pending) - len(failed)} of {len(pending)} message(s).")
    for address, reason in failed:
        warn(f"not sent to {address}: {reason}")
    return 1 if failed else 0


def _checked_election_code(args: argparse.Namespace,
                           letters: list[CodeLetter]) -> tuple[str, str]:
    """The election code computed here, and the closing time; refuses a private file
    that names another election code."""
    election, closes = election_code_and_close(args.record, args.public_roll, args.time_zone)
    differing = [letter.member for letter in letters
                 if letter.election_code and letter.election_code != election]
    if differing:
        raise CommandError(
            f"the election code in {args.private_csv} is not {election}, the one computed "
            "from the record and the public roll (members " + ", ".join(differing) + ")"
        )
    return election, closes


def _password(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read password file {path}: {error}") from None
    return lines[0] if lines else ""


def _send_all(
    args: argparse.Namespace, letters: list[CodeLetter], election: tuple[str, str]
) -> list[tuple[str, str]]:
    """Send one message per letter over one connection; return the refused ones.

    If the connection fails, say how far it got so that a second run with
    `--start-at` sends the rest and nobody gets their code twice.
    """
    password = _password(args.password_file)
    if (args.user is None) != (password is None):
        raise CommandError("give both --user and --password-file, or neither")
    port = args.smtp_port or (587 if args.starttls else 25)
    failed: list[tuple[str, str]] = []
    done = args.start_at
    try:
        with smtplib.SMTP(args.smtp_host, port, timeout=60) as smtp:
            if args.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if args.user is not None and password is not None:
                smtp.login(args.user, password)
            for letter in letters:
                message = compose(letter, args.sender, args.election_title, args.vote_url,
                                  *election)
                try:
                    smtp.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                    failed.append((letter.email, str(error)))
                done += 1
    except (OSError, smtplib.SMTPException) as error:
        resume = f"; run again with --start-at {done} to send the rest" if done else ""
        raise CommandError(
            f"mail server {args.smtp_host}:{port}: {error} "
            f"(after {done} of {args.start_at + len(letters)} letters{resume})"
        ) from None
    return failed


def _deliver_all(
    args: argparse.Namespace, letters: list[CodeLetter], election: tuple[str, str]
) -> list[tuple[str, str]]:
    """Posts each letter to the demo's development mailbox; returns the refused ones."""
    target = args.via_omov.rstrip("/") + "/dev/mailbox/deliver/"
    failed: list[tuple[str, str]] = []
    done = args.start_at
    for letter in letters:
        message = compose(letter, args.sender, args.election_title, args.vote_url, *election)
        request = urllib.request.Request(
            target, data=message.as_bytes(), method="POST",
            headers={"Content-Type": "message/rfc822"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60):
                pass
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise CommandError(
                    f"{target} does not exist: --via-omov needs an omov demo "
                    "(debug mode), which has a development mailbox"
                ) from None
            failed.append((letter.email, f"HTTP {error.code}: {error.read()[:200]!r}"))
        except (OSError, urllib.error.URLError) as error:
            resume = f"; run again with --start-at {done} to send the rest" if done else ""
            raise CommandError(f"{target}: {error} (after {done} of "
                               f"{args.start_at + len(letters)} letters{resume})") from None
        done += 1
    return failed
