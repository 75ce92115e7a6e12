"""The organisers' form: one field per rule (three for a threshold)."""

from __future__ import annotations

from typing import Any

from django import forms

from omov.constitution.rules import DECISION_KINDS, FIELD_WORDS, RuleSet, Threshold

_THRESHOLDS = ("answer_threshold", "ballot_threshold", "call_in_threshold")
_FLOATS = ("ballot_turnout_quorum_percent", "ballot_majority_percent")
_INTS = (
    "answer_days", "signing_days", "forced_ballot_open_days", "call_in_working_days",
    "committee_quorum_percent", "group_change_every_days",
)
_BOOLS = ("emergency_needs_ratification", "counts_only_votes_allowed", "members_may_change_group")


class RulesForm(forms.Form):
    reason = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the rules change; members see it.",
    )

    def __init__(self, *args: Any, current: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in _THRESHOLDS:
            value: Threshold = getattr(current, name)
            label = FIELD_WORDS[name]
            self.fields[f"{name}__members"] = forms.IntegerField(
                label=f"{label}: members", initial=value.members)
            self.fields[f"{name}__percent"] = forms.FloatField(
                label=f"{label}: % of active members", initial=value.percent)
            self.fields[f"{name}__combine"] = forms.ChoiceField(
                label=f"{label}: whichever is", initial=value.combine,
                choices=(("lower", "lower"), ("higher", "higher")))
        for name in _INTS:
            self.fields[name] = forms.IntegerField(
                label=FIELD_WORDS[name], initial=getattr(current, name))
        for name in _FLOATS:
            self.fields[name] = forms.FloatField(
                label=f"{FIELD_WORDS[name]} (%)", initial=getattr(current, name))
        for name in _BOOLS:
            self.fields[name] = forms.BooleanField(
                label=FIELD_WORDS[name], initial=getattr(current, name), required=False)
        self.fields["officer_group_may_decide"] = forms.MultipleChoiceField(
            label=FIELD_WORDS["officer_group_may_decide"], required=False,
            choices=[(kind, kind) for kind in DECISION_KINDS],
            initial=list(current.officer_group_may_decide),
            widget=forms.CheckboxSelectMultiple)
        self.fields["call_in_goes_to"] = forms.ChoiceField(
            label=FIELD_WORDS["call_in_goes_to"], initial=current.call_in_goes_to,
            choices=(("full_meeting", "a full meeting reconsiders it"),
                     ("member_ballot", "the members decide in a ballot")))

    def rules(self) -> dict[str, Any]:
        """The whole rule set as data, for `amend_rules` to check and adopt."""
        data = self.cleaned_data
        rules: dict[str, Any] = {
            name: {
                "members": data[f"{name}__members"],
                "percent": data[f"{name}__percent"],
                "combine": data[f"{name}__combine"],
            }
            for name in _THRESHOLDS
        }
        for name in (*_INTS, *_FLOATS, *_BOOLS, "officer_group_may_decide", "call_in_goes_to"):
            rules[name] = data[name]
        return rules
