"""Plays the organiser, the credential authority and the voters of a browser test's ballot.

Run as a script with the live server's environment:
`python finish_election.py OUT_DIR SLUG count` fixes the joint key once the
trustees are done, issues the credentials (with the authority key that
election_setup.py kept), waits for the schedule to open the ballot, casts three
ballots (two yes, one no) and closes it at its closing time; `... publish`
publishes the result once enough trustees have decrypted.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path


def main(out_dir: Path, slug: str, step: str) -> None:
    from omov.web.bootstrap import setup_django

    setup_django(debug=True)
    from django.utils import timezone

    from omov.ballots import simulation
    from omov.ballots.actions import counting, credentials
    from omov.ballots.errors import WrongPhase
    from omov.ballots.models import Ballot, Phase
    from omov.crypto.group import Scalar
    from omov.crypto.transcript import SystemRng

    ballot = Ballot.objects.get(slug=slug)
    organiser = ballot.created_by
    if step == "publish":
        counting.publish_result(ballot, by=organiser)
        return
    rng = SystemRng()
    credentials.finish_key_ceremony(ballot, by=organiser)
    secret = json.loads((out_dir / "authorities.json").read_text())[slug]
    authority = simulation.SimulatedAuthority(Scalar.from_hex(secret))
    codes = simulation.issue_credentials(Ballot.objects.get(pk=ballot.pk), authority, rng,
                                         mail=False)
    with contextlib.suppress(WrongPhase):  # the server's schedule may open it first
        credentials.open_ballot(Ballot.objects.get(pk=ballot.pk), by=organiser, now=timezone.now())
    deadline = time.monotonic() + 30
    while Ballot.objects.get(pk=ballot.pk).phase != Phase.OPEN:
        assert time.monotonic() < deadline, "the ballot did not open"
        time.sleep(0.5)
    ballot = Ballot.objects.get(pk=ballot.pk)
    electors = list(ballot.electors.select_related("member").order_by("pk"))[:3]
    for n, elector in enumerate(electors):
        choice = [[1, 0]] if n < 2 else [[0, 1]]
        simulation.vote(ballot, elector.member, codes[elector.member_id], choice, rng)
    simulation.close_after(ballot, by=organiser)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
