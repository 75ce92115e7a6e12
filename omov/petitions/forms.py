"""Forms for members' petition pages; they parse, the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms

from omov.ballots.forms import BallotForm
from omov.committees.models import Decision
from omov.organisation.models import Committee
from omov.petitions.models import Kind


class StartForm(forms.Form):
    """Start an open letter, a ballot petition (its question and case for) or a call-in."""

    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.RadioSelect)
    committee = forms.ModelChoiceField(queryset=Committee.objects.all(), required=False,
                                       label="Addressed to", empty_label="Choose a committee")
    title = forms.CharField(max_length=200, required=False, label="Title, or the question",
                            help_text="For a ballot petition: the question members answer "
                                      "yes or no.")
    text = forms.CharField(widget=forms.Textarea, max_length=20000, label="Text",
                           help_text="For a ballot petition: the case for.")
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
        return data


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
