from __future__ import annotations

import zoneinfo

from django import forms
from django.core.files.uploadedfile import UploadedFile

from omov.members.models import NoticeKind, Status, today
from omov.organisation.models import LocalGroup
from omov.web.uploads import ROLL_CSV_MAX_BYTES, too_large
from omov.web.widgets import DateInput


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Organisers read this. Your membership history keeps it.",
    )
    confirm = forms.BooleanField(label="Yes, cancel my membership from today")


class RejoinForm(forms.Form):
    message = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Message to the organisers (optional)",
    )


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label="New status")
    effective_on = forms.DateField(
        label="Effective from", widget=DateInput(), initial=today
    )
    reason = forms.CharField(max_length=500)


class LocalGroupChoiceForm(forms.Form):
    local_group = forms.ModelChoiceField(
        queryset=LocalGroup.objects.all(), required=False, empty_label="No local group"
    )


class OwnGroupForm(forms.Form):
    local_group = forms.ModelChoiceField(
        queryset=LocalGroup.objects.all(), required=False, empty_label="No local group",
        label="Move me to",
        help_text="Your local group's ballots are the ones you may vote in besides the "
        "national ones. The move takes effect today; a ballot whose cut-off date has passed "
        "keeps the group you were in then.",
    )


class NoticeKindsForm(forms.Form):
    """One box per kind of email: ticked, the member gets it."""

    def __init__(self, *args: object, kinds: list[NoticeKind], off: set[str],
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.kinds = kinds
        for kind in kinds:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, required=False, initial=kind.value not in off)

    def kinds_on(self) -> list[NoticeKind]:
        return [kind for kind in self.kinds if self.cleaned_data.get(kind.value)]


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Reason for declining")


class ImportUploadForm(forms.Form):
    roll_file = forms.FileField(
        label="Roll file (CSV)",
        help_text=(
            "Columns: membership_number, name, email, local_group, status, and optionally "
            "status_since and joined_on (dates as YYYY-MM-DD). At most 64 MB."
        ),
    )

    def clean_roll_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["roll_file"]
        if (upload.size or 0) > ROLL_CSV_MAX_BYTES:
            raise forms.ValidationError(
                str(too_large("roll file", upload.size or 0, ROLL_CSV_MAX_BYTES))
                + " Split it into parts and import them one after another.")
        return upload


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search by name, email or number")


def _zone_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    zones = sorted(zoneinfo.available_timezones())
    return [("", f"The organisation's ({settings.TIME_ZONE})"), *((z, z) for z in zones)]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        choices=_zone_choices, required=False, label="Show me times in",
        help_text="Every time on the site is then shown in this zone, with its name.",
    )


class AddMemberForm(forms.Form):
    membership_number = forms.CharField(max_length=40)
    name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254)
    local_group = forms.ModelChoiceField(
        queryset=LocalGroup.objects.all(), required=False, empty_label="No local group"
    )
    joined_on = forms.DateField(
        label="Joined on", widget=DateInput(), initial=today,
        help_text="The member is active from this day.",
    )

    def clean_joined_on(self) -> object:
        joined = self.cleaned_data["joined_on"]
        if joined > today():
            raise forms.ValidationError("A member cannot join in the future.")
        return joined


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        max_length=254, label="New email address",
        help_text="We send a confirmation link there; your record changes when you use it.",
    )
