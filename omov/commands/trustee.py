"""`omov trustee`: a trustee's steps of the key generation and the decryption, from files.

    keygen   draw the secrets; write the public commitment and an encrypted backup
    code     print the ceremony code (8.5) of the published commitments
    shares   deal one encrypted share to every other trustee, once the ceremony
             code the other trustees read out is the code of the commitments given
    check    open the shares sent to this trustee: store the final share, or
             write a complaint against each dealer whose share is wrong
    decrypt  write this trustee's partial decryption of the tally
    shuffle  shuffle a ranked question's rows (the input the server sent, checked
             against the record) and prove it
    decrypt-rankings  decrypt the last shuffle's rows of a ranked question

The board entries come from a record (`--record`) or, for the key generation,
from one JSON file per entry (`--manifest`, `--commitment`, `--shares`,
`--complaint`), as the web platform offers them for download; `decrypt` needs
the record, verifies it and prints its count code (9.4) first; every output is a JSON body to
publish (upload) as it is. The secrets never leave the backup file unencrypted.
A backup is checked against its trustee's published commitment whenever one is
given; a backup made on the trustee page (which holds no final share) decrypts
too: its share is computed from the record's shares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from omov.crypto.backup import decrypt_backup, encrypt_backup
from omov.crypto.decryption import parse_tally, partial_decrypt
from omov.crypto.dkg import commit, complain, deal_shares, open_share, receive_shares
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.dkg_review import KeyGeneration, review_key_generation
from omov.crypto.errors import InvalidShare, ProtocolError
from omov.crypto.group import base_mult
from omov.crypto.shuffle import ShuffleContext, prove_shuffle, rows_digest, shuffle_rows
from omov.crypto.threshold import evaluate_polynomial, finalise_share, joint_key, verification_key
from omov.crypto.transcript import SystemRng
from omov.record.ceremony_code import ceremony_code, same_code
from omov.record.count_code import count_code
from omov.record.errors import RecordError, RecordUnreadable
from omov.record.manifest import parse_manifest
from omov.record.mix_entries import decrypt_rows, ranked_decryption_bodies, rows_json
from omov.record.mix_record import MixRecord, MixRecordError, packed, read_mix_record, same_input
from omov.record.verifier import verify_record
from omov.trustee_files import (
    BoardInputs,
    CommandError,
    commitment_fingerprint,
    read_inputs,
    read_json,
    read_passphrase,
    refuse_overwrite,
    say,
    warn,
    write_json,
)

NAME = "trustee"
HELP = "A trustee's key-generation and decryption steps, run on the trustee's own machine."


def configure(parser: argparse.ArgumentParser) -> None:
    steps = parser.add_subparsers(dest="step", metavar="STEP", required=True)

    keygen = steps.add_parser("keygen", help="draw this trustee's secrets and commit to them")
    _board_options(keygen, entries=False)
    keygen.add_argument("--trustee", type=int, required=True, help="this trustee's number")
    keygen.add_argument("--commitment-out", required=True, help="commitment body to publish")
    _backup_options(keygen, "--backup-out", "encrypted backup of the secrets (new file)")
    keygen.set_defaults(step_run=run_keygen)

    code = steps.add_parser(
        "code", help="print the ceremony code of the commitments, to compare before dealing"
    )
    _board_options(code, entries=True)
    code.set_defaults(step_run=run_code)

    shares = steps.add_parser("shares", help="deal encrypted shares to the other trustees")
    _board_options(shares, entries=True)
    _backup_options(shares, "--backup", "this trustee's backup file")
    shares.add_argument("--out", required=True, help="shares body to publish")
    shares.add_argument(
        "--ceremony-code", metavar="CODE",
        help="the ceremony code the other trustees read out; shares are dealt only if it is "
        "the code of the commitments given here (asked for when omitted on a terminal)",
    )
    shares.set_defaults(step_run=run_shares)

    check = steps.add_parser(
        "check", help="open the shares sent to this trustee; keep the final share or complain"
    )
    _board_options(check, entries=True)
    _backup_options(check, "--backup", "this trustee's backup file (updated with the share)")
    check.add_argument(
        "--complaint-dir", default=".", help="where complaint bodies are written (default: .)"
    )
    check.set_defaults(step_run=run_check)

    decrypt = steps.add_parser("decrypt", help="partially decrypt the tally")
    _board_options(decrypt, entries=True)
    decrypt.add_argument(
        "--tally", help="refused: the tally is taken from --record and checked against its ballots"
    )
    decrypt.add_argument("--fingerprint", help="the election fingerprint (64 hex characters)")
    _backup_options(decrypt, "--backup", "this trustee's backup file")
    decrypt.add_argument("--out", required=True, help="partial decryption body to publish")
    decrypt.set_defaults(step_run=run_decrypt)

    shuffle = steps.add_parser(
        "shuffle", help="shuffle a ranked question's ballots, after checking the record")
    shuffle.add_argument("--record", required=True, help="the election record (.omov.jsonl)")
    shuffle.add_argument("--trustee", type=int, required=True, help="this trustee's number")
    shuffle.add_argument("--question", required=True, help="the ranked question's id, e.g. q2")
    shuffle.add_argument(
        "--input", help="the input the server's trustee page offers (input.json); it is "
        "shuffled only if it is exactly the record's current input")
    shuffle.add_argument("--out", required=True, help="the shuffle to upload (JSON)")
    shuffle.add_argument("--jobs", type=int, default=1, help="processes to use (default 1)")
    shuffle.set_defaults(step_run=run_shuffle)

    rankings = steps.add_parser(
        "decrypt-rankings", help="decrypt the shuffled rankings of a ranked question")
    rankings.add_argument("--record", required=True, help="the election record (.omov.jsonl)")
    rankings.add_argument("--question", required=True, help="the ranked question's id")
    _backup_options(rankings, "--backup", "this trustee's backup file")
    rankings.add_argument("--out", required=True, help="the ranked decryption to upload")
    rankings.add_argument("--jobs", type=int, default=1, help="processes to use (default 1)")
    rankings.set_defaults(step_run=run_decrypt_rankings)


def _board_options(parser: argparse.ArgumentParser, *, entries: bool) -> None:
    parser.add_argument("--record", help="the election record (.omov.jsonl)")
    parser.add_argument("--manifest", help="the manifest (JSON), when not using --record")
    if entries:
        parser.add_argument(
            "--commitment", action="append", default=[], metavar="FILE",
            help="a published trustee_commitment body (repeat for each trustee)",
        )
        parser.add_argument(
            "--shares", action="append", default=[], metavar="FILE",
            help="a published trustee_shares body (repeat for each trustee)",
        )
        parser.add_argument(
            "--complaint", action="append", default=[], metavar="FILE",
            help="a published trustee_complaint body (repeat for each)",
        )


def _backup_options(parser: argparse.ArgumentParser, flag: str, help_text: str) -> None:
    parser.add_argument(flag, required=True, dest="backup", help=help_text)
    parser.add_argument(
        "--passphrase-file", help="read the passphrase from this file instead of asking"
    )


def run(args: argparse.Namespace) -> int:
    try:
        result: int = args.step_run(args)
    except CommandError as error:
        warn(f"omov trustee {args.step}: {error}")
        return 2
    except ProtocolError as error:
        warn(f"omov trustee {args.step}: {error}")
        return 1
    return result


class _Election:
    """The manifest facts a trustee step needs."""

    def __init__(self, inputs: BoardInputs) -> None:
        try:
            manifest = parse_manifest(inputs.manifest, entry=None)
        except RecordError as error:
            raise CommandError(f"the manifest is not valid: {error}") from None
        self.inputs = inputs
        self.digest = manifest.digest
        self.trustees = len(manifest.trustees)
        self.threshold = manifest.threshold
        self.rules = manifest.rules

    def review(self) -> KeyGeneration:
        review = review_key_generation(
            self.digest,
            self.trustees,
            self.threshold,
            self.inputs.commitments,
            self.inputs.shares,
            self.inputs.complaints,
        )
        for problem in review.problems:
            warn(f"ignored: {problem}")
        for complainer, against in review.rejected_complaints:
            warn(f"complaint by trustee {complainer} against trustee {against} is not upheld")
        return review


def _inputs(args: argparse.Namespace) -> BoardInputs:
    return read_inputs(
        args.record,
        args.manifest,
        commitments=getattr(args, "commitment", ()),
        shares=getattr(args, "shares", ()),
        complaints=getattr(args, "complaint", ()),
        tally=getattr(args, "tally", None),
        fingerprint=getattr(args, "fingerprint", None),
    )


def _load_state(args: argparse.Namespace, election: _Election) -> tuple[TrusteeState, str]:
    document = read_json(args.backup, "backup")
    passphrase = read_passphrase(args.passphrase_file, confirm=False)
    state = TrusteeState.from_json(decrypt_backup(document, passphrase))
    if state.manifest_digest != election.digest:
        raise CommandError(f"{args.backup} is the backup of a trustee of another election")
    return state, passphrase


def _check_backup(state: TrusteeState, review: KeyGeneration, backup: str) -> None:
    """Refuse a backup whose secrets are not those of its trustee's published commitment."""
    own = review.commitments.get(state.index)
    if own is None:
        raise CommandError(
            f"trustee {state.index}'s published commitment is not among the entries given"
        )
    if (own.communication_key, own.commitments) != (
        base_mult(state.communication_secret),
        tuple(base_mult(c) for c in state.coefficients),
    ):
        raise CommandError(
            f"{backup} is not the backup of trustee {state.index}'s published commitment "
            f"(fingerprint {commitment_fingerprint(own.to_json())}): it comes from another "
            "attempt; use the backup made with the commitment on the board"
        )


def _confirm_ceremony_code(heard: str | None, code: str) -> None:
    """Deal only once the code the other trustees read out is this one (8.5)."""
    say(f"Ceremony code: {code}")
    say("Read it aloud to the other trustees (by phone or in person, not through the server) "
        "and listen to theirs; deal only if every code is the same.")
    if heard is None:
        if not sys.stdin.isatty():
            raise CommandError(
                "compare the ceremony code with the other trustees, then run this again "
                "with --ceremony-code CODE (the code they read out)"
            )
        heard = input("Type the ceremony code the other trustees read out: ")
    if not same_code(heard, code):
        raise CommandError(
            f"STOP: the code the other trustees read out ({heard.strip()}) is not {code}, the "
            "code of the commitments you were given. Do not deal: you are being shown other "
            "commitments than the other trustees, which would let someone read your shares. "
            "Tell the organiser and the other trustees; nothing was written."
        )


def run_code(args: argparse.Namespace) -> int:
    election = _Election(_inputs(args))
    review = election.review()
    missing = sorted(set(range(1, election.trustees + 1)) - set(review.commitments))
    if missing:
        warn(f"no valid commitment from trustee(s) {missing} yet")
    say(f"Ceremony code: {ceremony_code(election.digest, review.commitments)}")
    say(f"(of the commitments of trustees {sorted(review.commitments)})")
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    election = _Election(_inputs(args))
    if not 1 <= args.trustee <= election.trustees:
        raise CommandError(f"--trustee must be between 1 and {election.trustees}")
    if any(isinstance(body, dict) and body.get("trustee") == args.trustee
           for body in election.inputs.commitments):
        raise CommandError(
            f"trustee {args.trustee}'s commitment is already on the board: keys are made "
            "once; keep using the backup made then (a new one could not take part)"
        )
    refuse_overwrite(args.backup)
    passphrase = read_passphrase(args.passphrase_file, confirm=True)
    state, body = commit(election.digest, args.trustee, election.threshold, SystemRng())
    write_json(args.backup, encrypt_backup(state.to_json(), passphrase), private=True)
    write_json(args.commitment_out, body)
    say(f"Wrote the encrypted backup of trustee {args.trustee}'s secrets to {args.backup}.")
    say("Keep it and its passphrase safe: without them this trustee cannot decrypt.")
    say(f"Publish {args.commitment_out} (your trustee_commitment).")
    return 0


def run_shares(args: argparse.Namespace) -> int:
    election = _Election(_inputs(args))
    state, _ = _load_state(args, election)
    review = election.review()
    _check_backup(state, review, args.backup)
    if state.index in review.shares:
        raise CommandError(
            f"trustee {state.index}'s shares are already among the published entries: a "
            "trustee deals once, and the board takes no second set; go on with "
            "`omov trustee check`"
        )
    others = sorted(index for index in review.commitments if index != state.index)
    missing = sorted(set(range(1, election.trustees + 1)) - set(review.commitments))
    if missing:
        warn(f"no valid commitment from trustee(s) {missing}: they get no share")
    _confirm_ceremony_code(args.ceremony_code, ceremony_code(election.digest, review.commitments))
    body = deal_shares(state, review.commitments, SystemRng())
    write_json(args.out, body)
    say(f"Wrote shares for trustees {others} to {args.out}; publish it.")
    return 0


def run_check(args: argparse.Namespace) -> int:
    election = _Election(_inputs(args))
    state, passphrase = _load_state(args, election)
    review = election.review()
    _check_backup(state, review, args.backup)
    me = state.index
    dealers = [
        index
        for index in sorted(review.shares)
        if index != me and index not in review.upheld_against
    ]
    received = {me: evaluate_polynomial(state.coefficients, me)}
    complaints: list[tuple[int, dict[str, Any]]] = []
    for dealer in dealers:
        try:
            received[dealer] = open_share(state, review.commitments[dealer], review.shares[dealer])
        except InvalidShare as error:
            warn(f"the share from trustee {dealer} is wrong: {error}")
            complaints.append((dealer, complain(state, review.shares[dealer], SystemRng())))
    if complaints:
        for dealer, body in complaints:
            path = Path(args.complaint_dir) / f"complaint-{me}-against-{dealer}.json"
            write_json(path, body)
            say(f"Wrote {path}: publish it.")
        say("Run `omov trustee check` again once the complaints are published.")
        return 1
    missing = sorted(index for index in review.commitments if index not in review.shares)
    if missing:
        warn(f"trustee(s) {missing} published no valid shares and are not qualified")
    if me not in review.shares:
        raise CommandError(
            f"trustee {me}'s own shares are not among the entries: publish them first "
            "(`omov trustee shares`) and give them with the others"
        )
    members = review.qualified(election.threshold)
    if me not in members:
        raise CommandError(f"trustee {me} is not qualified, so holds no share of the key")
    share = finalise_share(received, members)
    commitments = review.coefficient_commitments()
    if base_mult(share) != verification_key(commitments, members, me):
        raise CommandError("the final share does not match the verification key")
    write_json(args.backup, encrypt_backup(state.with_share(share).to_json(), passphrase),
               private=True)
    say(f"Qualified trustees: {list(members)}.")
    say(f"Joint public key: {joint_key(commitments, members).hex()}")
    say(f"Stored trustee {me}'s final share in {args.backup}.")
    return 0


def run_decrypt(args: argparse.Namespace) -> int:
    inputs = _inputs(args)
    election = _Election(inputs)
    state, _ = _load_state(args, election)
    _refuse_unchecked_tally(args)
    if inputs.tally is None:
        raise CommandError("no tally: the --record holds no tally entry yet")
    if inputs.fingerprint is None:
        raise CommandError("no fingerprint: give --fingerprint, or a --record with the open entry")
    _verify_before_decrypting(args)
    _show_count_code(inputs)
    review = election.review()
    _check_backup(state, review, args.backup)
    members = review.qualified(election.threshold)
    _check_joint_key(inputs.joint_key, review, members)
    if state.index not in members:
        raise CommandError(f"trustee {state.index} is not qualified, so holds no share of the key")
    if state.share is None:
        # A backup made on the trustee page: the shares sent to this trustee are on the record.
        state = state.with_share(
            receive_shares(state, review.commitments, review.shares, members)
        )
        say("The backup holds no final share yet: computed it from the shares on the record.")
    expected = verification_key(review.coefficient_commitments(), members, state.index)
    if state.share is None or base_mult(state.share) != expected:
        raise CommandError(
            "the share in the backup does not fit the qualified set "
            f"{list(members)}: run `omov trustee check` again with every published entry"
        )
    _counted, tally = parse_tally(inputs.tally)
    if [len(row) for row in tally] != [rule.tally_width for rule in election.rules]:
        raise CommandError("the tally does not have one ciphertext per encrypted option")
    body = partial_decrypt(state.share, state.index, inputs.fingerprint, tally, SystemRng())
    write_json(args.out, body)
    say(f"Wrote trustee {state.index}'s partial decryption to {args.out}; publish it.")
    return 0


def _mix_record(args: argparse.Namespace) -> MixRecord:
    say(f"Verifying {args.record} up to its tally, then every shuffle in it ...")
    try:
        record = read_mix_record(args.record, say=warn, jobs=args.jobs)
    except RecordError as error:
        raise CommandError(f"the record is not valid: {error}") from None
    except MixRecordError as error:
        raise CommandError(str(error)) from None
    return record


def _chain(record: MixRecord, question: str, jobs: int) -> tuple[Any, list[int]]:
    try:
        return record.chain(question, jobs)
    except MixRecordError as error:
        raise CommandError(str(error)) from None


def run_shuffle(args: argparse.Namespace) -> int:
    """Shuffle the record's current input of a question; refuse a server's other input."""
    record = _mix_record(args)
    if args.trustee not in record.qualified:
        raise CommandError(f"trustee {args.trustee} is not qualified, so takes no part in the "
                           "mix")
    if args.question in record.decrypted:
        raise CommandError(f"question {args.question} is already being decrypted: the mix "
                           "has ended")
    rows, after = _chain(record, args.question, args.jobs)
    if args.trustee in after:
        raise CommandError(f"trustee {args.trustee} has already shuffled question "
                           f"{args.question} in this record")
    if not rows:
        raise CommandError(f"question {args.question} has no counted ballot: nothing to shuffle")
    if args.input is not None:
        problem = same_input(read_json(args.input, "input"), rows, args.question)
        if problem is not None:
            raise CommandError(
                f"STOP: the input in {args.input} is not the current input of question "
                f"{args.question} in the record ({problem}). Do not shuffle it: a server that "
                "hands out another input could learn or change votes. Download the record "
                "again; if the two still differ, tell the other trustees; nothing was written.")
    say(f"Question {args.question}: {len(rows):,} rows of {len(rows[0])}; "
        + (f"after trustee(s) {', '.join(map(str, after))}." if after else "the first shuffle."))
    rng = SystemRng()
    context = ShuffleContext(record.fingerprint, args.question, args.trustee)
    output, permutation, randomness = shuffle_rows(record.public_key, rows, rng, args.jobs)
    proof = prove_shuffle(record.public_key, rows, output, permutation, randomness, context,
                          rng, args.jobs)
    write_json(args.out, {"question": args.question, "input_digest": rows_digest(rows).hex(),
                          "rows": rows_json(output), "proof": proof.to_json()})
    say(f"Wrote trustee {args.trustee}'s shuffle of question {args.question} to {args.out}; "
        "upload it on your trustee page.")
    return 0


def run_decrypt_rankings(args: argparse.Namespace) -> int:
    """Decrypt the last shuffle's output of a question, checked from the record."""
    record = _mix_record(args)
    election = _Election(BoardInputs(manifest=record.manifest.body,
                                     commitments=record.commitments, shares=record.shares,
                                     complaints=record.complaints))
    state, _ = _load_state(args, election)
    review = election.review()
    _check_backup(state, review, args.backup)
    members = review.qualified(election.threshold)
    if state.index not in members:
        raise CommandError(f"trustee {state.index} is not qualified, so holds no share of the key")
    rows, after = _chain(record, args.question, args.jobs)
    if len(after) < election.threshold:
        raise CommandError(f"question {args.question} has {len(after)} shuffle(s) in the "
                           f"record; at least {election.threshold} come before decrypting")
    share = state.share if state.share is not None else receive_shares(
        state, review.commitments, review.shares, members)
    if base_mult(share) != verification_key(review.coefficient_commitments(), members,
                                            state.index):
        raise CommandError("the share in the backup does not fit the qualified set "
                           f"{list(members)}")
    shares, proofs = decrypt_rows(share, state.index, record.fingerprint, args.question,
                                  packed(rows), SystemRng(), jobs=args.jobs)
    write_json(args.out, ranked_decryption_bodies(args.question, state.index, shares, proofs))
    say(f"Wrote trustee {state.index}'s decryption of question {args.question}'s "
        f"{len(rows):,} shuffled rankings to {args.out}; upload it on your trustee page.")
    return 0


def _refuse_unchecked_tally(args: argparse.Namespace) -> None:
    """Decrypt only a tally computed from the record (9.4), never one handed over alone.

    A server could otherwise pass off one member's ballot, or one row per
    ballot, as the tally and have the trustees decrypt those votes.
    """
    if args.record is None:
        raise CommandError(
            "a tally given on its own cannot be checked against the ballots, so it is not "
            "decrypted: give the election record with --record; the tally is then "
            "recomputed from the counted ballots and compared"
        )


def _verify_before_decrypting(args: argparse.Namespace) -> None:
    """Refuse to decrypt a record whose tally is not the sum of the counted ballots.

    There is no way to skip this: a tally that was not recomputed from the
    ballots could be one member's ballot, or one row per ballot (9.4).
    """
    say(f"Verifying {args.record} before decrypting ...")
    try:
        report = verify_record(args.record)
    except RecordUnreadable as error:
        raise CommandError(f"cannot read the record {args.record}: {error}") from None
    if not report.ok:
        warn(report.render())
        raise CommandError(
            "the record does not verify, so its tally cannot be trusted: do not decrypt"
        )


def _show_count_code(inputs: BoardInputs) -> None:
    """Print what the trustees compare with each other and the public board (9.4)."""
    counted = inputs.tally.get("counted") if isinstance(inputs.tally, dict) else None
    if inputs.tally_entry_hash is None or type(counted) is not int or counted < 0:
        raise CommandError("the record's tally entry holds no ballot count: do not decrypt")
    say(f"Counted ballots: {counted:,}")
    say(f"Tally entry: {inputs.tally_entry_hash.hex()}")
    say(f"Count code: {count_code(inputs.tally_entry_hash, counted)}")
    say("Read the count code aloud to the other trustees and compare it with the "
        "public board page; if any differs, stop: the server showed you another record.")


def _check_joint_key(body: Any, review: KeyGeneration, members: tuple[int, ...]) -> None:
    if body is None:
        return
    key = joint_key(review.coefficient_commitments(), members)
    published = body.get("public_key") if isinstance(body, dict) else None
    qualified = body.get("qualified") if isinstance(body, dict) else None
    if qualified != list(members) or published != key.hex():
        raise CommandError(
            "the record's joint_key entry does not match its trustee entries "
            f"(qualified {list(members)}, key {key.hex()}): do not decrypt"
        )

