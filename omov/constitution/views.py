"""The rules: one page for everyone, the history with diffs, the organisers' edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from omov.accounts.roles import current_member, organiser_required, public
from omov.constitution import actions
from omov.constitution.errors import RulesError
from omov.constitution.forms import RulesForm
from omov.constitution.models import RuleVersion
from omov.constitution.queries import active_members_on, rules_in_force, target_for
from omov.constitution.rules import RuleSet, diff


@public
def rules(request: HttpRequest) -> HttpResponse:
    """The rules in force, in plain words, with today's targets against the roll."""
    current = rules_in_force()
    today = timezone.localdate()
    context = {
        "rules": current,
        "version": RuleVersion.objects.filter(number=current.version).first(),
        "active": active_members_on(today),
        "targets": [
            ("answer duty", target_for(current.answer_threshold, today)),
            ("binding member ballot", target_for(current.ballot_threshold, today)),
            ("call-in", target_for(current.call_in_threshold, today)),
        ],
    }
    return render(request, "constitution/rules.html", context)


@public
def history(request: HttpRequest) -> HttpResponse:
    """Every version, newest first, each with what it changed from the one before."""
    versions = list(RuleVersion.objects.select_related("made_by").order_by("number"))
    entries = []
    before: RuleSet | None = None
    for version in versions:
        after = RuleSet.from_data(version.rules, version=version.number)
        entries.append((version, diff(before, after)))
        before = after
    return render(request, "constitution/history.html", {"entries": entries[::-1]})


@organiser_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest) -> HttpResponse:
    current = rules_in_force()
    form = RulesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.amend_rules(
                form.rules(), reason=form.cleaned_data["reason"], actor=current_member(request)
            )
        except RulesError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Rules version {version.number} is in force.")
            return redirect("constitution:history")
    return render(request, "constitution/edit.html", {"form": form, "rules": current})


