"""Forms for the election pages; they parse, the actions decide."""

from __future__ import annotations

from django import forms

from omov.ballots.forms import DATETIME_FORMATS, BallotForm, DateTimeInput, one_line
from omov.committees.models import Decision
from omov.elections.models import CandidateOrder, CountMethod
from omov.organisation.models import LocalGroup


class NominateForm(forms.Form):
    nominee = forms.CharField(
        max_length=254, required=False, label="Whom you nominate",
        help_text="Their email address or membership number; leave empty to nominate yourself.")
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000,
        label="Your statement", help_text="Only when you nominate yourself; within the post's "
        "word limit. Another nominee writes their own when they accept.")


class StatementForm(forms.Form):
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False,
                                max_length=20000, label="Your statement")
    declares_balance = forms.BooleanField(required=False)


class SlateForm(forms.Form):
    slate = forms.ChoiceField(required=False, label="Stand on a slate")
    new_slate = forms.CharField(max_length=100, required=False, label="Or declare a new slate",
                                help_text="Its name is shown next to yours on the ballot.")

    def __init__(self, *args: object, slates: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["slate"].choices = [("", "No slate"), *slates]  # type: ignore[attr-defined]


class RulingForm(forms.Form):
    valid = forms.ChoiceField(choices=[("valid", "Valid"), ("invalid", "Invalid")],
                              widget=forms.RadioSelect, label="Ruling")
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Published reason")


class GroupSupportForm(forms.Form):
    local_group = forms.ModelChoiceField(queryset=LocalGroup.objects.all(), label="Local group")
    note = forms.CharField(max_length=500, label="Where the group decided",
                           help_text="e.g. “general meeting of 3 March”.")


class DecisionForm(forms.Form):
    decision = forms.ModelChoiceField(
        queryset=Decision.objects.select_related("committee").order_by("-published_at"),
        label="The committee decision", empty_label="Choose a decision")


class ElectionBallotForm(BallotForm):
    """The organiser's part of an election's ballot; the election supplies its questions."""

    title = None  # type: ignore[assignment]
    slug = None  # type: ignore[assignment]
    description = None  # type: ignore[assignment]
    cut_off = None  # type: ignore[assignment]
    local_group = None  # type: ignore[assignment]


class ElectionForm(forms.Form):
    title = forms.CharField(max_length=200, validators=[one_line])
    slug = forms.SlugField(max_length=80, label="Election id",
                           help_text="Letters, digits and hyphens, e.g. national-committee-2027.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                  max_length=10000)
    local_group = forms.ModelChoiceField(
        queryset=LocalGroup.objects.all(), required=False, empty_label="The whole organisation",
        label="Who votes", help_text="Optionally, only the members of one local group.")
    nominations_open_at = forms.DateTimeField(widget=DateTimeInput(),
                                              input_formats=DATETIME_FORMATS,
                                              label="Nominations open")
    nominations_close_at = forms.DateTimeField(widget=DateTimeInput(),
                                               input_formats=DATETIME_FORMATS,
                                               label="Nominations close")
    candidate_order = forms.ChoiceField(choices=CandidateOrder.choices, widget=forms.RadioSelect,
                                        label="Order of the candidates on the ballot")


class PostForm(forms.Form):
    title = forms.CharField(max_length=200, validators=[one_line])
    seats = forms.IntegerField(min_value=1, max_value=50)
    method = forms.ChoiceField(
        choices=[("", "The usual: instant-runoff for one seat, STV for more"),
                 *CountMethod.choices], required=False, label="Count method")
    eligibility_months = forms.IntegerField(
        min_value=0, max_value=600, label="Months of membership a candidate needs",
        help_text="Active without a break, counted back from the day nominations close.")
    supporters_needed = forms.IntegerField(
        min_value=0, max_value=10000, label="Supporting members a nomination needs (N)",
        help_text="0: this route is not used.")
    groups_needed = forms.IntegerField(
        min_value=0, max_value=1000, label="Or supporting local groups (M)",
        help_text="0: this route is not used. With both 0, no support is needed.")
    word_limit = forms.IntegerField(min_value=1, max_value=5000,
                                    label="Words a statement may have")
    balance_label = forms.CharField(
        max_length=100, required=False, label="Balance: the group seats are reserved for",
        help_text="e.g. women. Candidates declare it themselves. Leave empty for no rule.")
    balance_at_least = forms.IntegerField(min_value=0, max_value=50, initial=0,
                                          label="Balance: at least this many seats")
