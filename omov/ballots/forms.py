"""Forms for the organiser's pages; they parse, the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from omov.ballots.actions.drafting import DraftFields, TrusteeInvite
from omov.ballots.models import QuestionKind
from omov.ballots.ranked_draft import METHODS, TIES, CountDraft
from omov.organisation.models import LocalGroup
from omov.web.widgets import DateInput

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
TRUSTEE_NAME_LIMIT = 200  # Trustee.name's max_length


def one_line(value: str) -> None:
    """Refuses control characters (a newline above all): the title and names go into
    email subjects, which cannot hold a newline, and are shown on one line."""
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in value):
        raise forms.ValidationError("Keep this on one line, without control characters.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class BallotForm(forms.Form):
    title = forms.CharField(max_length=300, validators=[one_line])
    slug = forms.SlugField(
        max_length=100, label="Ballot id",
        help_text="Letters, digits and hyphens, e.g. 2026-endorsement-vote. Goes in the record.",
    )
    description = forms.CharField(widget=forms.Textarea, required=False, max_length=20000)
    cut_off = forms.DateField(
        widget=DateInput(), label="Eligibility cut-off date",
        help_text="Members whose status was active on this date may vote.",
    )
    local_group = forms.ModelChoiceField(
        queryset=LocalGroup.objects.all(), required=False, empty_label="The whole organisation",
        help_text="Optionally, only the members of one local group.",
    )
    opens_at = forms.DateTimeField(widget=DateTimeInput(), input_formats=DATETIME_FORMATS)
    closes_at = forms.DateTimeField(widget=DateTimeInput(), input_formats=DATETIME_FORMATS)
    trustees = forms.CharField(
        widget=forms.Textarea,
        help_text="One trustee per line: the name shown in the manifest, a comma, then the "
        "email address or membership number they have on the roll. E.g. “North region, "
        "ann@example.org” or “North region, M100234”. Find people with “Find a member”.",
    )
    threshold = forms.IntegerField(
        min_value=1, label="Trustees needed to decrypt (k)",
        help_text="Any k trustees together can decrypt the totals; fewer learn nothing.",
    )
    authority_name = forms.CharField(max_length=200, label="Credential authority's name",
                                     validators=[one_line])
    authority_email = forms.CharField(
        max_length=254, label="Credential authority's email or membership number on the roll",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = f"In your time zone, {zone}."

    def draft_fields(self) -> DraftFields:
        """The fields that parsed, for the action's checks (the rest stay None)."""
        data = getattr(self, "cleaned_data", {})
        return DraftFields(**{name: data.get(name) for name in (
            "slug", "opens_at", "closes_at", "cut_off", "threshold", "trustees",
            "authority_email")})

    def clean_trustees(self) -> list[TrusteeInvite]:
        invites = []
        for number, line in enumerate(self.cleaned_data["trustees"].splitlines(), start=1):
            if not line.strip():
                continue
            name, comma, email = line.rpartition(",")
            if not comma or not name.strip() or not email.strip():
                raise forms.ValidationError(
                    f"Line {number} should be “name, email” (or “name, membership number”): "
                    f"{line.strip()}"
                )
            if len(name.strip()) > TRUSTEE_NAME_LIMIT:
                raise forms.ValidationError(
                    f"Line {number}: a trustee name is at most {TRUSTEE_NAME_LIMIT} characters "
                    f"(this has {len(name.strip())})."
                )
            one_line(name)
            invites.append(TrusteeInvite(name=name.strip(), email=email.strip()))
        if not invites:
            raise forms.ValidationError("Name at least one trustee.")
        return invites


KIND_MEANINGS = {
    QuestionKind.YES_NO: "Each voter answers Yes or No. The options are fixed.",
    QuestionKind.YES_NO_ABSTAIN: "Each voter answers Yes, No or Abstain. The options are fixed; "
    "abstentions are counted but are neither for nor against.",
    QuestionKind.CHOOSE: "Each voter picks between a minimum and a maximum number of the "
    "options you list (e.g. minimum 1, maximum 1 for “pick one”).",
    QuestionKind.APPROVAL: "Each voter approves as many of the options as they like, from none "
    "to all; the most approved wins.",
    QuestionKind.BLOCK: "For several seats: each voter marks up to as many candidates as there "
    "are seats; the candidates with the most votes fill the seats.",
    QuestionKind.RANKED: "For one or more seats: each voter ranks candidates 1st, 2nd, 3rd… "
    "(minimum 0 lets a voter leave it blank, 1 makes them rank at least one; the maximum is "
    "the most preferences). After voting closes the trustees shuffle the ballots, then the "
    "rankings are counted in public by the method you choose: STV, instant runoff or "
    "Schulze.",
}
USES_MINIMUM = {QuestionKind.CHOOSE, QuestionKind.RANKED}
USES_MAXIMUM = {QuestionKind.CHOOSE, QuestionKind.BLOCK, QuestionKind.RANKED}
USES_OPTIONS = {QuestionKind.CHOOSE, QuestionKind.APPROVAL, QuestionKind.BLOCK,
                QuestionKind.RANKED}
USES_COUNT = {QuestionKind.RANKED}


class QuestionForm(forms.Form):
    """Nothing here has a default that could change a question's meaning: a bound a kind
    needs must be given, and one it does not use must be left empty."""

    kind = forms.ChoiceField(
        choices=QuestionKind.choices, label="Kind of question",
        help_text="What each kind means for the voter is set out above the form.",
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                           label="The question")
    case_for = forms.CharField(widget=forms.Textarea, required=False, max_length=10000,
                               label="The case for")
    case_against = forms.CharField(widget=forms.Textarea, required=False, max_length=10000,
                                   label="The case against")
    options = forms.CharField(
        widget=forms.Textarea, required=False, label="Options or candidates",
        help_text="One per line, for “choose”, approval and block votes. Leave empty for "
        "yes/no questions, whose options are fixed.",
    )
    minimum = forms.IntegerField(
        min_value=0, required=False, label="Minimum choices",
        help_text="Only for “choose”: the fewest options a voter must pick (0 lets them pick "
        "none). Leave empty for the other kinds.",
    )
    maximum = forms.IntegerField(
        min_value=0, required=False, label="Maximum choices, or seats",
        help_text="For “choose”: the most options a voter may pick. For a block vote: the "
        "number of seats (3 for “Elect three…”). For a ranked question: the most "
        "preferences a voter may give. Leave empty for the other kinds.",
    )
    method = forms.ChoiceField(
        choices=[("", "—"), *METHODS.items()], required=False, label="Counting method",
        help_text="Only for a ranked question.",
    )
    seats = forms.IntegerField(
        min_value=1, required=False, label="Seats to fill",
        help_text="Only for a ranked question: 1 for instant runoff; fewer than the "
        "candidates for STV and Schulze.",
    )
    ties = forms.ChoiceField(
        choices=[("", "—"), *TIES.items()], required=False, label="How ties are broken",
        help_text="Only for a ranked question. The lot is public and fixed before voting "
        "opens.",
    )
    balance = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Balance rules",
        help_text="Only for STV, optional: one rule per line, “label: candidate, candidate; "
        "at least N”, e.g. “Women: Ann, Cy; at least 1”. The groups may not overlap.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind is None:
            return data
        label = QuestionKind(kind).label.lower()
        if kind not in USES_OPTIONS and data.get("options", "").strip():
            self.add_error("options", f"A “{label}” question has fixed options: leave this "
                           "empty.")
        if kind not in USES_MINIMUM and data.get("minimum") is not None:
            self.add_error("minimum", f"A “{label}” question has no minimum: leave this empty.")
        if kind not in USES_MAXIMUM and data.get("maximum") is not None:
            self.add_error("maximum", f"A “{label}” question has no maximum: leave this empty.")
        if kind not in USES_COUNT:
            for name in ("method", "seats", "ties", "balance"):
                if data.get(name) not in (None, ""):
                    self.add_error(name, "Only a ranked question is counted this way: leave "
                                   "this empty.")
        return data

    def count_draft(self) -> CountDraft | None:
        """The count fields of a ranked question, as written (None for other kinds)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("kind") != QuestionKind.RANKED:
            return None
        return CountDraft(method=data.get("method") or "", seats=data.get("seats"),
                          ties=data.get("ties") or "", balance=data.get("balance") or "")

    def option_lines(self) -> list[str]:
        data = getattr(self, "cleaned_data", {})
        return [line for line in data.get("options", "").splitlines()]

    def bounds(self) -> dict[str, int | None]:
        """The minimum and maximum as written: None where the field is empty."""
        data = getattr(self, "cleaned_data", {})
        return {"minimum": data.get("minimum"), "maximum": data.get("maximum")}


class AuthorityKeyForm(forms.Form):
    public_key = forms.CharField(
        max_length=64, min_length=64,
        help_text="64 hexadecimal characters, made on your own machine.",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="Why it is withdrawn",
        help_text="Members read this on the ballot's page and the public audit log.",
    )


class ReissueForm(forms.Form):
    opens_at = forms.DateTimeField(widget=DateTimeInput(), input_formats=DATETIME_FORMATS,
                                   label="New opening time")
    closes_at = forms.DateTimeField(widget=DateTimeInput(), input_formats=DATETIME_FORMATS,
                                    label="New closing time")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False,
        label="Why (optional)", help_text="E.g. “The key ceremony took longer than planned.”",
    )
