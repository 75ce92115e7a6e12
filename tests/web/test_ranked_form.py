"""The organiser's question form offers the ranked kind, with every error at once."""

from __future__ import annotations

from django.urls import reverse

from omov.ballots.manifest import build_manifest
from omov.record.manifest import parse_manifest

from .test_ballots_helpers import drafted


def _post(changes: dict[str, str]) -> tuple[str, object]:
    election = drafted(kinds=())
    form = {"kind": "ranked", "text": "Elect the committee", "case_for": "", "case_against": "",
            "options": "Ann\nBo\nCy\nDi", "minimum": "1", "maximum": "3", "method": "stv",
            "seats": "2", "ties": "earlier-rounds-then-lot",
            "balance": "Women: Ann, Cy; at least 1"}
    form.update(changes)
    page = election.client(election.organiser).post(
        reverse("ballots:add_question", args=[election.ballot.slug]), form, follow=True)
    return page.content.decode(), election


def test_a_ranked_question_with_a_balance_rule_goes_into_a_valid_manifest() -> None:
    text, election = _post({})
    assert "Question added." in text
    question = election.ballot.questions.get()  # type: ignore[attr-defined]
    assert question.count == {"method": "stv", "seats": 2, "ties": "earlier-rounds-then-lot",
                              "balance": [{"label": "Women", "candidates": [0, 2],
                                           "at_least": 1}]}
    manifest = parse_manifest(build_manifest(election.ballot), entry=None)  # type: ignore[attr-defined]
    assert manifest.questions[0].kind == "ranked"


def test_every_error_of_a_ranked_question_is_shown_at_once() -> None:
    text, _ = _post({"minimum": "2", "maximum": "9", "method": "irv", "seats": "2",
                     "ties": "", "balance": "Women: Ann, Zed; at least 1"})
    for message in ("The minimum is 0", "The most preferences must be from 1 to 4",
                    "Instant runoff fills exactly 1 seat", "Choose how ties are broken",
                    "Balance rules apply to an STV count only"):
        assert message in text, message


def test_balance_rules_are_checked_line_by_line() -> None:
    text, _ = _post({"balance": "Women: Ann, Zed; at least 1\nMen Bo Di\n"
                                "Again: Ann; at least 1"})
    assert "“Zed” is not one of the candidates" in text
    assert "Balance line 2 should read" in text
    assert "Ann is already in the group “Women”" in text


def test_count_fields_are_refused_on_other_kinds() -> None:
    text, _ = _post({"kind": "approval", "minimum": "", "maximum": "", "balance": ""})
    assert "Only a ranked question is counted this way" in text


def test_a_ranked_question_is_edited_with_its_count_filled_in() -> None:
    _, election = _post({})
    ballot = election.ballot  # type: ignore[attr-defined]
    question = ballot.questions.get()
    client = election.client(election.organiser)  # type: ignore[attr-defined]
    url = reverse("ballots:edit_question", args=[ballot.slug, question.pk])
    form = client.get(url).content.decode()
    assert "Women: Ann, Cy; at least 1" in form and 'value="stv" selected' in form
    client.post(url, {"kind": "ranked", "text": "Elect the chair", "case_for": "",
                      "case_against": "", "options": "Ann\nBo\nCy\nDi", "minimum": "0",
                      "maximum": "4", "method": "irv", "seats": "1", "ties": "lot",
                      "balance": ""})
    question.refresh_from_db()
    assert question.count == {"method": "irv", "seats": 1, "ties": "lot"}
    assert (question.min_choices, question.max_choices) == (0, 4)
