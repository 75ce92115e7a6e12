"""`omov credentials`: the credential authority's steps, on its own machine.

    keygen    make the authority's key pair (the public key goes in the manifest)
    generate  make one secret code per member of a roll CSV: a private CSV of
              codes for mailing, and the signed public credential roll (6.3)
    mail      email every member their code
    revoke    during voting, replace lost codes: a signed revocation (6.4) and new codes

The server only ever sees the public roll, so it cannot vote for anyone.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from omov.commands.credentials_mail import configure_mail
from omov.crypto.credentials import (
    credential_secret,
    new_code,
    normalise_code,
    public_credential,
    sign_roll,
)
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point, Scalar, base_mult
from omov.crypto.transcript import SystemRng
from omov.record.board import is_utc_time
from omov.record.election import revocation_body
from omov.record.errors import RecordError
from omov.record.manifest import parse_manifest
from omov.record.roll import MAX_REASON
from omov.spreadsheet import unguard
from omov.trustee_files import (
    CommandError,
    body_of,
    read_json,
    refuse_overwrite,
    say,
    warn,
    write_json,
)

NAME = "credentials"
HELP = "The credential authority: make its key, the members' voting codes and the public roll."

AUTHORITY_FORMAT = "omov-credential-authority/1"
PRIVATE_COLUMNS = ("member", "email", "name", "code")
# Spreadsheet programs run cells that start with these as formulas.
_FORMULA_PREFIXES = ("=", "+", "-", "@")
_EMAIL = re.compile(r"\A[^@\s]+@[^@\s]+\.[^@\s]+\Z")


def configure(parser: argparse.ArgumentParser) -> None:
    steps = parser.add_subparsers(dest="step", metavar="STEP", required=True)

    keygen = steps.add_parser("keygen", help="make the authority's key pair")
    keygen.add_argument("--out", required=True, help="the authority key file to create (secret)")
    keygen.set_defaults(step_run=run_keygen)

    generate = steps.add_parser("generate", help="make the codes and the signed public roll")
    generate.add_argument("--manifest", required=True, help="the election manifest (JSON)")
    generate.add_argument(
        "--roll", required=True, help="CSV of eligible members: member[, email, name]"
    )
    generate.add_argument(
        "--private-out", required=True, help="CSV of member, email, name, code (secret)"
    )
    generate.add_argument("--public-out", required=True, help="the credential roll to publish")
    generate.add_argument("--authority-key", required=True, help="the authority key file")
    generate.set_defaults(step_run=run_generate)

    configure_mail(steps.add_parser("mail", help="email every member their code"))

    revoke = steps.add_parser("revoke", help="replace lost codes during voting (a revocation)")
    revoke.add_argument("--manifest", required=True, help="the election manifest (JSON)")
    revoke.add_argument("--authority-key", required=True, help="the authority key file")
    revoke.add_argument("--fingerprint", required=True,
                        help="the election fingerprint (hex, from the open entry)")
    revoke.add_argument("--private", required=True, help="the private CSV made by `generate`")
    revoke.add_argument("--member", required=True, action="append", metavar="ID",
                        help="a member whose code is lost (repeat for several)")
    revoke.add_argument("--reason", required=True,
                        help="why, published on the board (1-500 characters)")
    revoke.add_argument("--requested-at", metavar="TIME",
                        help="when the member asked for it, UTC such as 2026-12-01T14:05:00Z; "
                             "leave out for a revocation the member did not ask for (then the "
                             "reason alone justifies it)")
    revoke.add_argument("--out", required=True, help="the signed revocation file to upload")
    revoke.add_argument("--private-out", required=True,
                        help="CSV of the members' new codes, for `mail` (secret)")
    revoke.set_defaults(step_run=run_revoke)


def run(args: argparse.Namespace) -> int:
    try:
        result: int = args.step_run(args)
    except CommandError as error:
        warn(f"omov credentials {args.step}: {error}")
        return 2
    except ProtocolError as error:
        warn(f"omov credentials {args.step}: {error}")
        return 1
    return result


def run_keygen(args: argparse.Namespace) -> int:
    refuse_overwrite(args.out)
    secret = SystemRng().scalar()
    public = base_mult(secret)
    write_json(
        args.out,
        {"format": AUTHORITY_FORMAT, "secret_key": secret.hex(), "public_key": public.hex()},
        private=True,
    )
    say(f"Wrote the credential authority's key to {args.out}; keep it secret and backed up.")
    say("Public key for the manifest (credential_authority.public_key):")
    say(public.hex())
    return 0


def read_authority_key(path: str) -> tuple[Scalar, Point]:
    """The authority's secret `a` and public key `CA` from its key file."""
    key = read_json(path, "authority key")
    if not isinstance(key, dict) or key.get("format") != AUTHORITY_FORMAT:
        raise CommandError(f"{path} is not an omov credential authority key file")
    try:
        secret = Scalar.from_hex(key.get("secret_key"), field="secret_key")
        public = Point.from_hex(key.get("public_key"), field="public_key")
    except ProtocolError as error:
        raise CommandError(f"{path} is damaged: {error}") from None
    if base_mult(secret) != public:
        raise CommandError(f"{path} is damaged: its public key does not match its secret key")
    return secret, public


@dataclass(frozen=True)
class RollMember:
    line: int
    member: str
    email: str
    name: str


def read_roll_csv(path: str) -> list[RollMember]:
    """The roll CSV's rows; raises CommandError listing every bad row and why."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read roll {path}: {error}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in reader.fieldnames or []]
    if "member" not in columns:
        raise CommandError(f"{path} needs a 'member' column (a membership number or email)")
    reader.fieldnames = columns
    members: list[RollMember] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"line {line}: more cells than columns")
            continue
        # The server's electors file guards formula-like cells (omov.spreadsheet).
        cells = {key: unguard((value or "").strip()) for key, value in row.items()}
        member = RollMember(line, cells["member"], cells.get("email", ""), cells.get("name", ""))
        problem = _row_problem(member)
        identity = member.member.casefold()
        if problem is None and identity in first_line:
            problem = f"member {member.member!r} is already on line {first_line[identity]}"
        if problem is not None:
            problems.append(f"line {line}: {problem}")
            continue
        first_line[identity] = line
        members.append(member)
    if problems:
        raise CommandError(f"{path} has {len(problems)} bad row(s):\n  " + "\n  ".join(problems))
    if not members:
        raise CommandError(f"{path} lists no members")
    return members


def _row_problem(member: RollMember) -> str | None:
    if not member.member:
        return "the member column is empty"
    if member.email and not _EMAIL.match(member.email):
        return f"{member.email!r} is not an email address"
    cells = (("member", member.member), ("email", member.email), ("name", member.name))
    for column, value in cells:
        if value.startswith(_FORMULA_PREFIXES):
            return f"the {column} starts with {value[0]!r}, which spreadsheets run as a formula"
    return None


def _manifest_and_key(args: argparse.Namespace) -> tuple[bytes, Scalar]:
    """The manifest's digest and the authority's secret key, checked to belong together."""
    try:
        manifest = parse_manifest(body_of(read_json(args.manifest, "manifest"), "manifest"), None)
    except RecordError as error:
        raise CommandError(f"the manifest is not valid: {error}") from None
    secret, public = read_authority_key(args.authority_key)
    if manifest.authority_key != public:
        raise CommandError(
            "the manifest names another credential authority key than "
            f"{args.authority_key}: this key cannot sign for this election"
        )
    return manifest.digest, secret


def run_generate(args: argparse.Namespace) -> int:
    manifest_digest, secret = _manifest_and_key(args)
    members = read_roll_csv(args.roll)
    refuse_overwrite(args.private_out)
    refuse_overwrite(args.public_out)
    rows = []
    credentials = []
    for member in members:
        code = new_code()
        credentials.append(public_credential(credential_secret(manifest_digest, code)))
        rows.append((member.member, member.email, member.name, code))
    roll = sign_roll(manifest_digest, secret, credentials, SystemRng())
    if len(roll["credentials"]) != len(members):
        raise CommandError("two members drew the same credential; run the command again")
    _write_private_csv(args.private_out, rows)
    write_json(args.public_out, roll)
    say(f"Made {len(rows)} voting codes.")
    say(f"Private (mail, then keep offline): {args.private_out}")
    say(f"Publish the credential roll: {args.public_out}")
    return 0


def _write_private_csv(path: str, rows: list[tuple[str, str, str, str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PRIVATE_COLUMNS)
    writer.writerows(rows)
    try:
        target = Path(path)
        target.touch(mode=0o600, exist_ok=False)
        target.write_text(out.getvalue(), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror}") from None


def read_private_codes(path: str) -> dict[str, tuple[str, str, str, str]]:
    """The private CSV's rows (member, email, name, code) keyed by casefolded member."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != PRIVATE_COLUMNS:
                raise CommandError(f"{path} must have the columns {', '.join(PRIVATE_COLUMNS)} "
                                   "(as `omov credentials generate` writes it)")
            rows: dict[str, tuple[str, str, str, str]] = {}
            for row in reader:
                if None in row or None in row.values():
                    raise CommandError(f"{path} line {reader.line_num}: wrong number of cells")
                rows[row["member"].casefold()] = (
                    row["member"], row["email"], row["name"], row["code"]
                )
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from None
    return rows


def run_revoke(args: argparse.Namespace) -> int:
    manifest_digest, secret = _manifest_and_key(args)
    try:
        election = bytes.fromhex(args.fingerprint)
    except ValueError:
        election = b""
    if len(election) != 32:
        raise CommandError("--fingerprint must be 64 hexadecimal characters (the open entry's)")
    codes = read_private_codes(args.private)
    unknown = [m for m in args.member if m.casefold() not in codes]
    if unknown:
        raise CommandError(f"not in {args.private}: {', '.join(unknown)}")
    refuse_overwrite(args.out)
    refuse_overwrite(args.private_out)
    revoked = []
    added = []
    rows = []
    for name in dict.fromkeys(m.casefold() for m in args.member):
        member, email, full_name, code = codes[name]
        try:
            old = normalise_code(code)
        except ProtocolError as error:
            raise CommandError(f"the code of member {member!r} is damaged: {error}") from None
        revoked.append(public_credential(credential_secret(manifest_digest, old)))
        fresh = new_code()
        added.append(public_credential(credential_secret(manifest_digest, fresh)))
        rows.append((member, email, full_name, fresh))
    if not args.reason.strip() or len(args.reason) > MAX_REASON:
        raise CommandError(f"--reason must say why, in 1-{MAX_REASON} characters")
    if args.requested_at is not None and not is_utc_time(args.requested_at):
        raise CommandError("--requested-at must be a UTC time such as 2026-12-01T14:05:00Z")
    body = revocation_body(election, revoked, added, args.reason, secret, SystemRng(),
                           requested_at=args.requested_at)
    write_json(args.out, body)
    _write_private_csv(args.private_out, rows)
    say(f"Revoked {len(rows)} credential(s) and made their new codes.")
    say(f"Upload on the credential authority's page: {args.out}")
    say(f"Mail the new codes, then keep the file offline: {args.private_out}")
    return 0
