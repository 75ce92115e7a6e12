"""Plays the people of tests/browser/test_election_end_to_end.py who are not in a browser.

Run as a script with the live server's environment (DATABASE_URL, OMOV_VAR_DIR):

- `python election_setup_ranked.py seed OUT_DIR NOMINATIONS_SECONDS` makes the roll
  (an organiser, three trustees, a credential authority, four candidates-to-be) and an
  election whose one post (1 seat, instant-runoff, one supporter needed) takes
  nominations for NOMINATIONS_SECONDS; Di Dunn's nomination is already in, accepted,
  supported and ruled valid. OUT_DIR/people.json gets everyone's email.
- `... ceremony OUT_DIR SLUG` plays the credential authority and the trustees' key
  ceremony as election_setup.py does, once the organiser has drafted the ballot:
  OUT_DIR/codes.json gets every elector's voting code, OUT_DIR/trustee-N-backup.json
  each trustee's encrypted backup (passphrase PASSPHRASE).
- `... vote OUT_DIR SLUG` casts the ballots of the two electors who do not vote in
  the booth (Di Dunn and Tara Trustee), once the ballot is open.

Holds no test (pytest imports it and finds none).
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

PASSPHRASE = "correct horse battery staple"
ELECTION = "e2e-election"
POST = "Chair"
CANDIDATES = ["Ann Able", "Cy Cole", "Di Dunn"]  # the ballot's order: alphabetical
OUTSIDE_RANKINGS = {"di@example.org": [2, 0], "tara@example.org": [0]}


def seed(out_dir: Path, nominations_seconds: int) -> None:
    from django.utils import timezone

    from omov.accounts.actions import grant_role
    from omov.accounts.models import GrantedRole
    from omov.elections.actions import nominations, setup
    from omov.members import actions as member_actions
    from omov.members.models import Member

    joined = timezone.localdate() - datetime.timedelta(days=100)

    def person(number: int, name: str) -> Member:
        return member_actions.add_member(
            membership_number=f"N{number:04d}", name=name,
            email=f"{name.split()[0].lower()}@example.org", local_group=None,
            joined_on=joined, by=None, tell_member=False)

    organiser = person(1, "Olu Organiser")
    grant_role(organiser, GrantedRole.ORGANISER, by=None)
    keepers = [person(2 + i, f"{name} Trustee") for i, name in enumerate(("Tara", "Tom", "Tess"))]
    scrutineer = person(5, "Sam Scrutineer")
    ann, bo, cy, di = (person(10 + i, name) for i, name in
                       enumerate(("Ann Able", "Bo Brown", "Cy Cole", "Di Dunn")))
    now = timezone.now()
    election = setup.create_election(
        slug=ELECTION, title="Elect the chair", description="", local_group=None,
        nominations_open_at=now - datetime.timedelta(minutes=1),
        nominations_close_at=now + datetime.timedelta(seconds=nominations_seconds),
        candidate_order="alphabetical", by=organiser, now=None)
    post = setup.add_post(election, title=POST, seats=1, method="irv", eligibility_months=1,
                          supporters_needed=1, groups_needed=0, word_limit=100, by=organiser,
                          now=now - datetime.timedelta(minutes=2))
    nomination = nominations.nominate(post, di, by=di, statement="Steady hands.")
    nominations.support_nomination(nomination, by=keepers[1])
    nominations.rule_on_nomination(nomination, valid=True, reason="Supported and eligible.",
                                   by=organiser)
    people = {"organiser": organiser.email, "trustees": [p.email for p in keepers],
              "authority": scrutineer.email, "ann": ann.email, "bo": bo.email, "cy": cy.email,
              "post": post.pk}
    (out_dir / "people.json").write_text(json.dumps(people))


def ceremony(out_dir: Path, slug: str) -> None:
    from omov.ballots import simulation
    from omov.ballots.actions import drafting
    from omov.ballots.models import Ballot
    from omov.crypto.backup import encrypt_backup
    from omov.crypto.transcript import SystemRng

    ballot = Ballot.objects.get(slug=slug)
    rng = SystemRng()
    authority = simulation.authority_key(ballot, rng)
    drafting.publish_manifest(ballot, by=ballot.created_by)
    ballot.refresh_from_db()
    states = simulation.key_ceremony(ballot, rng, by=ballot.created_by)
    ballot.refresh_from_db()
    codes = simulation.issue_credentials(ballot, authority, rng, mail=False)
    by_email = {e.member.email: codes[e.member_id]
                for e in ballot.electors.select_related("member")}
    (out_dir / "codes.json").write_text(json.dumps(by_email))
    for index, state in states.items():
        backup = encrypt_backup(state.to_json(), PASSPHRASE)
        (out_dir / f"trustee-{index}-backup.json").write_text(json.dumps(backup))


def vote(out_dir: Path, slug: str) -> None:
    from omov.ballots import simulation, state
    from omov.ballots.models import Ballot
    from omov.crypto.ranked import cells_from_ranking
    from omov.crypto.transcript import SystemRng
    from omov.members.models import Member

    ballot = Ballot.objects.get(slug=slug)
    codes = json.loads((out_dir / "codes.json").read_text())
    rule = state.manifest(ballot).rules[0]
    for email, ranking in OUTSIDE_RANKINGS.items():
        simulation.vote(ballot, Member.objects.get(email=email), codes[email],
                        [list(cells_from_ranking(rule, ranking))], SystemRng())


def main(step: str, out_dir: Path, arg: str) -> None:
    from omov.web.bootstrap import migrate, setup_django

    setup_django(debug=True)
    if step == "seed":
        migrate()
        seed(out_dir, int(arg))
    elif step == "ceremony":
        ceremony(out_dir, arg)
    elif step == "vote":
        vote(out_dir, arg)
    else:
        raise SystemExit(f"unknown step {step!r}: seed, ceremony or vote")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3])
