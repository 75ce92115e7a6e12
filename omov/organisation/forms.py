from __future__ import annotations

from django import forms

from omov.organisation.models import Committee


class NameForm(forms.Form):
    name = forms.CharField(max_length=120)


class CommitteeForm(forms.Form):
    name = forms.CharField(max_length=160)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    parent = forms.ModelChoiceField(
        queryset=Committee.objects.all(),
        required=False,
        empty_label="None (a top-level committee)",
        label="Sub-committee of",
    )


class SeatForm(forms.Form):
    membership_number = forms.CharField(max_length=40)
    position = forms.CharField(max_length=120, required=False, help_text="e.g. Chair")
