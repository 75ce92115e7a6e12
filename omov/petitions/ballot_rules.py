"""The quorum and majority a forced ballot's result is read against, for the ballots
app's results page (`omov.ballots.hooks.register_result_rules`)."""

from __future__ import annotations

from omov.ballots.hooks import ResultRules
from omov.ballots.models import Ballot
from omov.constitution.queries import rules_in_force
from omov.petitions.models import Petition


def forced_ballot_rules(ballot: Ballot) -> ResultRules | None:
    petition = Petition.objects.filter(forced_ballot=ballot).first()
    if petition is None:
        return None
    rules = rules_in_force(petition.created_at)
    return ResultRules(
        quorum_percent=rules.ballot_turnout_quorum_percent,
        majority_percent=rules.ballot_majority_percent,
        source=f"the rules for a binding ballot forced by a petition (rules version "
        f"{rules.version})",
    )
