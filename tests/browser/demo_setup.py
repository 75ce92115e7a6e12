"""Seeds the demo organisation for the accessibility test, with a ballot at each stage.

Run as a script with the server's environment (DATABASE_URL, OMOV_VAR_DIR):
`python demo_setup.py OUT_FILE MEMBERS`. On top of `omov demo`'s organisation
(committees, petitions, a finished and an open ballot, a discussion) it drafts
a ballot left as a draft (whose authority has no key yet) and one whose
manifest is published (its trustees are at the first ceremony step). It writes
OUT_FILE, a JSON object with two sign-in links for each role (one per browser
context) and the sample member's voting code for the open ballot.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from pathlib import Path

OPEN_BALLOT = "2026-conference-delegates"
FINISHED_BALLOT = "2026-endorsement-vote"
DRAFT_BALLOT = "a11y-draft"
CEREMONY_BALLOT = "a11y-ceremony"
ELECTION = "national-committee-2027"
CONTEXTS = 2


def main(out_file: Path, members: int) -> None:
    from omov.web.bootstrap import migrate, setup_django

    setup_django(debug=True)
    migrate()
    from django.utils import timezone

    from omov.accounts.actions import create_login_link, sign_in_url
    from omov.ballots import simulation
    from omov.ballots.actions import drafting
    from omov.ballots.models import Ballot
    from omov.crypto.transcript import SystemRng
    from omov.demo.seed import DemoOptions, seed_demo
    from omov.members.models import Member
    from omov.web.outbox import run_delivery_round

    report = seed_demo(DemoOptions(members=members, random_seed=1))
    start = next(i for i, line in enumerate(report.lines)
                 if line.startswith("Sign in as a member "))
    found = re.search(r"\((.+)\)", report.lines[start])
    assert found is not None
    member = Member.objects.get(name=found.group(1))
    code = next(line.rsplit(": ", 1)[1] for line in report.lines[start + 1:]
                if line.strip().startswith("Voting code for"))
    open_ballot = Ballot.objects.get(slug=OPEN_BALLOT)
    organiser = open_ballot.created_by
    trustee = open_ballot.trustees.order_by("index").first()
    assert trustee is not None and organiser is not None
    now = timezone.now()

    def draft(slug: str, title: str) -> Ballot:
        made = drafting.create_ballot(
            slug=slug, title=title, description="A ballot for the accessibility check.",
            cut_off=timezone.localdate(), local_group=None,
            opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=9),
            threshold=2, trustees=[drafting.TrusteeInvite(t.name, t.member.email)
                                   for t in open_ballot.trustees.order_by("index")],
            authority_email=open_ballot.authority.email,
            authority_name=open_ballot.authority_name, by=organiser)
        drafting.add_question(made, kind="yes_no", text="Adopt the new standing orders?",
                              case_for="", case_against="", options=[], minimum=1, maximum=1,
                              by=organiser)
        return made

    draft(DRAFT_BALLOT, "Standing orders (draft)")
    ceremony = draft(CEREMONY_BALLOT, "Standing orders (key ceremony)")
    simulation.authority_key(ceremony, SystemRng())
    drafting.publish_manifest(ceremony, by=organiser)
    run_delivery_round()

    people = {"member": member, "organiser": organiser, "trustee": trustee.member,
              "authority": open_ballot.authority}
    links = {role: [sign_in_url(create_login_link(person, by=None)) for _ in range(CONTEXTS)]
             for role, person in people.items()}
    from omov.committees.models import Decision, Meeting
    from omov.discussion.models import Comment
    from omov.elections.models import Nomination
    from omov.organisation.models import Committee
    from omov.petitions.models import Petition

    out_file.write_text(json.dumps({
        "links": links, "code": code, "member_number": member.membership_number,
        "petitions": list(Petition.objects.order_by("pk").values_list("slug", flat=True)),
        "committee": Committee.objects.order_by("pk").values_list("slug", flat=True)[0],
        "meeting": Meeting.objects.order_by("pk").values_list("pk", flat=True)[0],
        "decision": Decision.objects.order_by("pk").values_list("pk", flat=True)[0],
        "comment": Comment.objects.filter(parent=None).order_by("pk")
        .values_list("pk", flat=True)[0],
        "election": ELECTION,
        "election_post": Nomination.objects.get(nominee=member).post_id,
        "nomination": Nomination.objects.get(nominee=member).pk,
    }))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
