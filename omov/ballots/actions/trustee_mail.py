"""Telling trustees when they are needed again: once voting has closed, to decrypt.

Each qualified trustee who has not decrypted yet is emailed once
(`Trustee.decryption_asked_at`), by the schedule's round after the close and
straight after an organiser closes the ballot. The email goes out inside the
transaction that marks it sent: if sending fails, the mark is rolled back and
the next round tries again.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from omov.audit.log import record
from omov.ballots import board, state
from omov.ballots.models import Ballot, Phase, Trustee
from omov.trustee_files import backup_file_name
from omov.web.mail import absolute_url, send_email


def _own_commitment(ballot: Ballot, index: int) -> object:
    return next(body for body in board.bodies(ballot, "trustee_commitment")
                if body.get("trustee") == index)


def decryption_email(ballot: Ballot, trustee: Trustee) -> tuple[str, str]:
    """The subject and text of the email that asks trustee `trustee` to decrypt."""
    page = absolute_url(reverse("ballots:trustee", args=[ballot.slug]))
    record_url = absolute_url(reverse("ballots:record", args=[ballot.slug]))
    backup = backup_file_name(ballot.slug, trustee.index, _own_commitment(ballot, trustee.index))
    trustees = ballot.trustees.count()
    subject = f"Voting has closed: please decrypt your part of “{ballot.title}”"
    body = (
        f"Hello {trustee.member.name},\n\n"
        f"Voting in “{ballot.title}” has closed; {ballot.counted} ballots are counted. "
        f"You are trustee {trustee.index}, and now is the time you are needed again: "
        f"{ballot.threshold} of the {trustees} trustees must each decrypt their part of the "
        "count before the result can be published.\n\n"
        f"Open your trustee page:\n\n{page}\n\n"
        "You need the same backup file and passphrase you used in the key ceremony "
        f"(the page named the file {backup}, if you made it there). "
        "Before you decrypt, read the count code the page shows aloud to the other trustees "
        "and compare it with the ballot's public board; if any differs, stop.\n\n"
        "On your own computer instead: download the election record from\n\n"
        f"{record_url}\n\nand run\n\n"
        f"    omov trustee decrypt --record {ballot.slug}.omov.jsonl --backup YOUR-BACKUP.json "
        "--out partial.json\n\nthen upload partial.json on the trustee page.\n"
    )
    return subject, body


def ask_trustees_to_decrypt(ballot: Ballot) -> list[str]:
    """Emails each qualified trustee of a closed ballot who has not decrypted, once each."""
    done: list[str] = []
    if ballot.phase != Phase.CLOSED:
        return done
    qualified = state.joint_key(ballot).qualified
    decrypted = {int(body["trustee"]) for body in board.bodies(ballot, "partial_decryption")}
    waiting = ballot.trustees.filter(index__in=qualified, decryption_asked_at__isnull=True)
    for pk in waiting.exclude(index__in=decrypted).values_list("pk", flat=True):
        with transaction.atomic():
            trustee = (Trustee.objects.select_for_update().select_related("member")
                       .filter(pk=pk, decryption_asked_at__isnull=True).first())
            if trustee is None:
                continue
            Trustee.objects.filter(pk=pk).update(decryption_asked_at=timezone.now())
            record("ask_trustee_to_decrypt", actor=None, subject=ballot, public=True,
                   summary=f"Asked trustee {trustee.index} by email to decrypt their part of "
                   f"“{ballot.title}”")
            send_email(trustee.member.email, *decryption_email(ballot, trustee))
        done.append(f"Asked trustee {trustee.index} of “{ballot.title}” ({ballot.slug}) "
                    "to decrypt.")
    return done


def ask_trustees_of_closed_ballots() -> list[str]:
    """The schedule's step: every closed ballot's trustees who have not been asked yet."""
    done: list[str] = []
    closed = Ballot.objects.filter(phase=Phase.CLOSED,
                                   trustees__decryption_asked_at__isnull=True).distinct()
    for ballot in closed.order_by("pk"):
        done += ask_trustees_to_decrypt(ballot)
    return done + ask_trustees_of_mixes()


def ask_trustees_of_mixes() -> list[str]:
    """The schedule's step for the mixes: the next shuffler, or the decrypters, of each."""
    from omov.ballots.models import Mix, MixStage

    done: list[str] = []
    for mix in Mix.objects.filter(ballot__phase=Phase.CLOSED).select_related("ballot"):
        if mix.stage == MixStage.SHUFFLING:
            done += ask_next_to_shuffle(mix.ballot)
        else:
            done += ask_to_decrypt_rankings(mix.ballot)
    return done


def _shuffle_email(ballot: Ballot, trustee: Trustee, after: list[int]) -> tuple[str, str]:
    page = absolute_url(reverse("ballots:trustee", args=[ballot.slug]))
    record_url = absolute_url(reverse("ballots:record", args=[ballot.slug]))
    before = (f"Trustee{'s' if len(after) > 1 else ''} {', '.join(map(str, after))} "
              "shuffled before you." if after else "You shuffle first.")
    subject = f"Your turn to shuffle the ranked ballots of “{ballot.title}”"
    body = (
        f"Hello {trustee.member.name},\n\n"
        f"Voting in “{ballot.title}” has closed. Its ranked questions are counted from "
        "rankings that the trustees shuffle one after another, so that no ranking can be "
        f"linked to a voter. It is now your turn, as trustee {trustee.index}. {before}\n\n"
        f"Open your trustee page and press “Shuffle”:\n\n{page}\n\n"
        "On your own computer instead (for very large ballots): download the record from\n\n"
        f"{record_url}\n\nand the current input from the trustee page, then run\n\n"
        f"    omov trustee shuffle --record {ballot.slug}.omov.jsonl --trustee "
        f"{trustee.index} --question QUESTION --input input.json --out shuffle.json\n\n"
        "and upload shuffle.json on the trustee page. No secret is needed to shuffle.\n"
    )
    return subject, body


def ask_next_to_shuffle(ballot: Ballot) -> list[str]:
    """Emails the first qualified trustee (by index) who has not shuffled yet, once."""
    from omov.ballots import mix_state
    from omov.ballots.models import Mix, MixStage

    mix = Mix.objects.filter(ballot=ballot).first()
    if mix is None or mix.stage != MixStage.SHUFFLING:
        return []
    questions = mix_state.to_shuffle(ballot)
    qualified = state.joint_key(ballot).qualified
    done = [set(mix_state.shuffled_by(ballot, q.id)) for q in questions]
    waiting = [i for i in qualified if any(i not in shuffled for shuffled in done)]
    if not waiting:
        return []
    after = sorted(set.intersection(*done)) if done else []
    with transaction.atomic():
        trustee = (Trustee.objects.select_for_update().select_related("member")
                   .filter(ballot=ballot, index=waiting[0], shuffle_asked_at__isnull=True)
                   .first())
        if trustee is None:
            return []
        Trustee.objects.filter(pk=trustee.pk).update(shuffle_asked_at=timezone.now())
        record("ask_trustee_to_shuffle", actor=None, subject=ballot, public=True,
               summary=f"Asked trustee {trustee.index} by email to shuffle the ranked ballots "
               f"of “{ballot.title}”")
        send_email(trustee.member.email, *_shuffle_email(ballot, trustee, after))
    return [f"Asked trustee {trustee.index} of “{ballot.title}” to shuffle."]


def ask_to_decrypt_rankings(ballot: Ballot) -> list[str]:
    """Emails each qualified trustee, once, that the mix has ended and the shuffled
    rankings are ready to decrypt."""
    from omov.ballots import mix_state

    page = absolute_url(reverse("ballots:trustee", args=[ballot.slug]))
    done: list[str] = []
    if not mix_state.to_shuffle(ballot):
        return done  # nothing was counted, so nothing is decrypted
    qualified = state.joint_key(ballot).qualified
    for pk in ballot.trustees.filter(index__in=qualified,
                                     ranked_decryption_asked_at__isnull=True).values_list(
            "pk", flat=True):
        with transaction.atomic():
            trustee = (Trustee.objects.select_for_update().select_related("member")
                       .filter(pk=pk, ranked_decryption_asked_at__isnull=True).first())
            if trustee is None:
                continue
            Trustee.objects.filter(pk=pk).update(ranked_decryption_asked_at=timezone.now())
            record("ask_trustee_to_decrypt_rankings", actor=None, subject=ballot, public=True,
                   summary=f"Asked trustee {trustee.index} by email to decrypt the shuffled "
                   f"rankings of “{ballot.title}”")
            send_email(
                trustee.member.email,
                f"The shuffle is done: please decrypt the rankings of “{ballot.title}”",
                f"Hello {trustee.member.name},\n\nThe trustees have shuffled the ranked "
                f"ballots of “{ballot.title}”. Please decrypt your part of the shuffled "
                f"rankings on your trustee page, with your backup file and passphrase:\n\n"
                f"{page}\n")
        done.append(f"Asked trustee {trustee.index} of “{ballot.title}” to decrypt the "
                    "rankings.")
    return done
