"""Prepares the end-to-end test's election in the live server's database.

Run as a script with the server's environment (DATABASE_URL, OMOV_VAR_DIR):
`python election_setup.py OUT_DIR CLOSES_IN_SECONDS`. It plays everyone outside
the server that the test does not drive through a browser: the credential
authority (codes go out by Django's email backend, to the dev mailbox) and the
trustees' key ceremony (each trustee's state is written as the encrypted
backup a trustee would download, for the browser to load at decryption).
The ballot is left with its credentials issued and its opening time passed:
the server's schedule opens it.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

PASSPHRASE = "correct horse battery staple"


def main(out_dir: Path, closes_in: int) -> None:
    from omov.web.bootstrap import migrate, setup_django

    setup_django(debug=True)
    migrate()
    from django.utils import timezone

    from omov.accounts.actions import grant_role
    from omov.accounts.models import GrantedRole
    from omov.ballots import simulation
    from omov.ballots.actions import drafting
    from omov.crypto.backup import encrypt_backup
    from omov.crypto.transcript import SystemRng
    from omov.members import actions as member_actions
    from omov.members.models import Member

    joined = timezone.localdate() - datetime.timedelta(days=100)

    def person(number: int, name: str) -> Member:
        return member_actions.add_member(
            membership_number=f"E{number:04d}", name=name,
            email=f"{name.split()[0].lower()}@example.org", local_group=None,
            joined_on=joined, by=None,
        )

    organiser = person(1, "Olu Organiser")
    grant_role(organiser, GrantedRole.ORGANISER, by=None)
    voter = person(2, "Vera Voter")
    keepers = [person(3 + i, f"{name} Trustee") for i, name in enumerate(("Tara", "Tom", "Tess"))]
    scrutineer = person(6, "Sam Scrutineer")
    now = timezone.now()
    ballot = drafting.create_ballot(
        slug="e2e-vote", title="End-to-end vote", description="", cut_off=timezone.localdate(),
        local_group=None, opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(seconds=closes_in), threshold=2,
        trustees=[drafting.TrusteeInvite(p.name, p.email) for p in keepers],
        authority_email=scrutineer.email, authority_name="Scrutineer",
        by=organiser,
    )
    drafting.add_question(ballot, kind="yes_no", text="Restore the endorsement?",
                          case_for="Members chose the candidate.", case_against="New facts.",
                          options=[], minimum=1, maximum=1, by=organiser)
    rng = SystemRng()
    authority = simulation.authority_key(ballot, rng)
    drafting.publish_manifest(ballot, by=organiser)
    ballot.refresh_from_db()
    states = simulation.key_ceremony(ballot, rng, by=organiser)
    ballot.refresh_from_db()
    simulation.issue_credentials(ballot, authority, rng, mail=True)
    for index, state in states.items():
        backup = encrypt_backup(state.to_json(), PASSPHRASE)
        (out_dir / f"trustee-{index}-backup.json").write_text(json.dumps(backup))
    ceremony = drafting.create_ballot(
        slug="e2e-ceremony", title="Ceremony in the browser", description="",
        cut_off=timezone.localdate(), local_group=None,
        opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(hours=1), threshold=2,
        trustees=[drafting.TrusteeInvite(p.name, p.email) for p in keepers],
        authority_email=scrutineer.email, authority_name="Scrutineer", by=organiser,
    )
    drafting.add_question(ceremony, kind="choose", text="Pick one or two", case_for="",
                          case_against="", options=["Ann", "Bo", "Cy"], minimum=1, maximum=2,
                          by=organiser)
    # Two ballots whose manifests are published, for the trustee tests: a
    # ceremony shown forked to one trustee, and one run partly in the browser,
    # partly with `omov trustee`, then counted (tests/browser/finish_election.py).
    authorities = {}
    for slug, title in (("e2e-fork", "Forked ceremony"), ("e2e-paths", "Browser and command line")):
        made = drafting.create_ballot(
            slug=slug, title=title, description="", cut_off=timezone.localdate(),
            local_group=None, opens_at=now - datetime.timedelta(minutes=5),
            closes_at=now + datetime.timedelta(hours=2), threshold=2,
            trustees=[drafting.TrusteeInvite(p.name, p.email) for p in keepers],
            authority_email=scrutineer.email, authority_name="Scrutineer", by=organiser,
        )
        drafting.add_question(made, kind="yes_no", text="Agree?", case_for="", case_against="",
                              options=[], minimum=1, maximum=1, by=organiser)
        authorities[slug] = simulation.authority_key(made, rng).secret.hex()
        drafting.publish_manifest(made, by=organiser)
    (out_dir / "authorities.json").write_text(json.dumps(authorities))
    emails = {"organiser": organiser.email, "voter": voter.email,
              "trustees": [p.email for p in keepers], "authority": scrutineer.email}
    (out_dir / "people.json").write_text(json.dumps(emails))
    from omov.web.outbox import run_delivery_round

    run_delivery_round()  # the codes and invitations, into the mailbox before the tests read it


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
