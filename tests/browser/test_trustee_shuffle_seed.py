"""Seeds a live server's database with a closed ballot that has a ranked question, for the
shuffle tests (tests/browser/test_trustee_shuffle.py, tests/cli/test_trustee_shuffle_live.py).

Run as a script with the server's environment (DATABASE_URL, OMOV_VAR_DIR):
`python test_trustee_shuffle_seed.py OUT_DIR`. It plays everyone outside the server:
the credential authority, the trustees' key ceremony, five voters ranking four
candidates; then it closes the ballot. OUT_DIR/people.json gets the trustees' emails
and a single-use sign-in path for each. Holds no test (pytest imports it and finds none).
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

SLUG = "ranked-mix"
CANDIDATES = ["Ann", "Bo", "Cy", "Di"]
RANKINGS = [[0, 1], [0, 1], [1, 0], [2, 1], [0]]


def main(out_dir: Path) -> None:
    from omov.web.bootstrap import migrate, setup_django

    setup_django(debug=True)
    migrate()
    from django.urls import reverse
    from django.utils import timezone

    from omov.accounts.actions import create_login_link, grant_role
    from omov.accounts.models import GrantedRole
    from omov.ballots import simulation, state
    from omov.ballots.actions import credentials, drafting
    from omov.ballots.models import Ballot
    from omov.ballots.ranked_draft import CountDraft
    from omov.crypto.ranked import cells_from_ranking
    from omov.crypto.transcript import SystemRng
    from omov.members import actions as member_actions

    joined = timezone.localdate() - datetime.timedelta(days=100)

    def person(number: int, name: str):  # type: ignore[no-untyped-def]
        return member_actions.add_member(
            membership_number=f"R{number:04d}", name=name,
            email=f"{name.split()[0].lower()}@example.org", local_group=None,
            joined_on=joined, by=None, tell_member=False)

    organiser = person(1, "Olu Organiser")
    grant_role(organiser, GrantedRole.ORGANISER, by=None)
    keepers = [person(2 + i, f"{name} Trustee") for i, name in enumerate(("Tara", "Tom", "Tess"))]
    scrutineer = person(5, "Sam Scrutineer")
    voters = [person(10 + i, f"Voter{i} Member") for i in range(len(RANKINGS))]
    now = timezone.now()
    ballot = drafting.create_ballot(
        slug=SLUG, title="Elect the committee", description="", cut_off=timezone.localdate(),
        local_group=None, opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(minutes=30), threshold=2,
        trustees=[drafting.TrusteeInvite(p.name, p.email) for p in keepers],
        authority_email=scrutineer.email, authority_name="Scrutineer", by=organiser)
    drafting.add_question(ballot, kind="ranked", text="Elect two", case_for="",
                          case_against="", options=CANDIDATES, minimum=1, maximum=3,
                          by=organiser, count=CountDraft("stv", 2, "earlier-rounds-then-lot"))
    rng = SystemRng()
    authority = simulation.authority_key(ballot, rng)
    drafting.publish_manifest(Ballot.objects.get(pk=ballot.pk), by=organiser)
    simulation.key_ceremony(Ballot.objects.get(pk=ballot.pk), rng, by=organiser)
    codes = simulation.issue_credentials(Ballot.objects.get(pk=ballot.pk), authority, rng,
                                         mail=False)
    credentials.open_ballot(Ballot.objects.get(pk=ballot.pk), by=organiser, now=timezone.now())
    ballot = Ballot.objects.get(pk=ballot.pk)
    rule = state.manifest(ballot).rules[0]
    for voter, ranking in zip(voters, RANKINGS, strict=True):
        simulation.vote(ballot, voter, codes[voter.pk], [list(cells_from_ranking(rule, ranking))],
                        rng)
    simulation.close_after(ballot, by=organiser)
    people = {
        "organiser": organiser.email,
        "trustees": [p.email for p in keepers],
        "sign_in": [reverse("accounts:redeem", args=[create_login_link(p, by=None)])
                    for p in keepers],
    }
    (out_dir / "people.json").write_text(json.dumps(people))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
