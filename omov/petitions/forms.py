"""Forms for members' petition pages; they parse, the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms

from omov.ballots.actions.drafting import question_bounds
from omov.ballots.errors import BallotError
from omov.ballots.forms import BallotForm
from omov.ballots.models import DRAFTED_BY_ORGANISERS, QuestionKind
from omov.committees.models import Decision
from omov.organisation.models import Committee
from omov.petitions.actions import Question
from omov.petitions.models import Kind


class StartForm(forms.Form):
    """Start an open letter, a ballot petition (its question and case for) or a call-in."""

    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.RadioSelect)
    committee = forms.ModelChoiceField(queryset=Committee.objects.all(), required=False,
                                       label="Addressed to", empty_label="Choose a committee")
    title = forms.CharField(max_length=200, required=False, label="Title, or the question",
                            help_text="For a ballot petition: the question members answer.")
    text = forms.CharField(widget=forms.Textarea, max_length=20000, label="Text",
                           help_text="For a ballot petition: the case for.")
    question_kind = forms.ChoiceField(
        choices=[(kind.value, kind.label) for kind in DRAFTED_BY_ORGANISERS],
        initial=QuestionKind.YES_NO, required=False,
        label="Kind of question", help_text="Only for a ballot petition: how members answer.")
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000,
        label="Options or candidates",
        help_text="Only for choose, approval and block questions: one per line.")
    minimum = forms.IntegerField(min_value=0, max_value=100, required=False,
                                 label="Fewest options a voter picks",
                                 help_text="Only for a choose question (1 if left empty).")
    maximum = forms.IntegerField(
        min_value=0, max_value=100, required=False, label="Most options, or seats",
        help_text="For a choose question the most options a voter picks (1 if left empty); "
                  "for a block vote the number of seats.")
    decision = forms.ModelChoiceField(
        queryset=Decision.objects.filter(status="in_call_in").select_related("committee"),
        required=False, label="Decision called in", empty_label="Choose a decision",
        help_text="Only for a call-in: a decision still in its call-in window.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Kind.CALL_IN:
            if data.get("decision") is None:
                self.add_error("decision", "Choose the decision to call in.")
        else:
            if kind and data.get("committee") is None:
                self.add_error("committee", "Choose the committee it is addressed to.")
            if kind and not (data.get("title") or "").strip():
                self.add_error("title", "Write a title (for a ballot petition, the question).")
        self._clean_question(data)
        return data

    def _clean_question(self, data: dict[str, Any]) -> None:
        """A ballot petition's question, checked as the ballot will check it."""
        question_kind = data.get("question_kind") or QuestionKind.YES_NO
        lines = [line.strip() for line in (data.get("options") or "").splitlines()]
        options = tuple(line for line in lines if line)
        if data.get("kind") != Kind.BALLOT_PETITION:
            if question_kind != QuestionKind.YES_NO or options:
                self.add_error("question_kind", "A question kind and options are only for a "
                                                "petition for a member ballot.")
            data["question"] = None
            return
        minimum = data.get("minimum")
        maximum = data.get("maximum")
        if question_kind in (QuestionKind.YES_NO, QuestionKind.YES_NO_ABSTAIN) and options:
            self.add_error("options", "A yes/no question has no options of its own; options "
                                      "are for choose, approval and block questions.")
            return
        try:
            _, low, high = question_bounds(
                question_kind, options, 1 if minimum is None else minimum,
                (0 if question_kind == QuestionKind.BLOCK else 1) if maximum is None else maximum)
        except BallotError as refused:
            field = {"options": "options", "max": "maximum", "maximum": "maximum",
                     "minimum": "minimum"}.get(refused.field or "",
                                                                "question_kind")
            self.add_error(field, str(refused))
            return
        data["question"] = Question(question_kind, options, low, high)


class CommitteeTextForm(forms.Form):
    """The addressed committee's answer, or its case against."""

    text = forms.CharField(widget=forms.Textarea, max_length=20000)


class ForcedBallotForm(BallotForm):
    """The organiser's part of a forced ballot; the petition supplies its question and cases."""

    title = None  # type: ignore[assignment]
    slug = None  # type: ignore[assignment]
    description = None  # type: ignore[assignment]
    cut_off = None  # type: ignore[assignment]
    local_group = None  # type: ignore[assignment]
