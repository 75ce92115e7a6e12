"""The manifest (docs/protocol.md section 5) built from an organiser's draft."""

from __future__ import annotations

import datetime
from typing import Any

from omov.ballots.models import Ballot, Question, QuestionKind

MANIFEST_FORMAT = "omov-election/1"

FIXED_OPTIONS: dict[str, list[str]] = {
    QuestionKind.YES_NO: ["Yes", "No"],
    QuestionKind.YES_NO_ABSTAIN: ["Yes", "No", "Abstain"],
}


def utc_timestamp(moment: datetime.datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second, as the manifest and board use."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def manifest_time(moment: datetime.datetime) -> datetime.datetime:
    """`moment` as the manifest writes it (`utc_timestamp`, whole seconds): the time
    the verifier compares entry times with (10.1), so the server compares with it too."""
    return moment.replace(microsecond=0)


def _question(question: Question) -> dict[str, Any]:
    text = question.text
    if question.case_for or question.case_against:
        text = (
            f"{question.text}\n\nThe case for:\n{question.case_for}"
            f"\n\nThe case against:\n{question.case_against}"
        )
    body: dict[str, Any] = {
        "id": question.question_id,
        "kind": question.kind,
        "text": text,
        "options": list(question.options),
        "min": question.min_choices,
        "max": question.max_choices,
    }
    if question.kind == QuestionKind.RANKED:
        body["count"] = question.count
    return body


def build_manifest(ballot: Ballot) -> dict[str, Any]:
    """The manifest as it will be published as board entry 0."""
    eligibility = "Members active on the cut-off date"
    if ballot.local_group is not None:
        eligibility += f", in the local group {ballot.local_group.name}"
    return {
        "format": MANIFEST_FORMAT,
        "election_id": ballot.slug,
        "title": ballot.title,
        "description": ballot.description,
        "questions": [_question(question) for question in ballot.questions.order_by("position")],
        "trustees": [
            {"index": trustee.index, "name": trustee.name}
            for trustee in ballot.trustees.order_by("index")
        ],
        "threshold": ballot.threshold,
        "credential_authority": {
            "name": ballot.authority_name,
            "public_key": ballot.authority_public_key,
        },
        "eligibility": {"cut_off": ballot.cut_off.isoformat(), "description": eligibility},
        "opens_at": utc_timestamp(ballot.opens_at),
        "closes_at": utc_timestamp(ballot.closes_at),
    }
