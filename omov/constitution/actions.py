"""Every change to the rules: a new version, with who, when and why, on the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from omov.audit import log
from omov.constitution.errors import RulesError
from omov.constitution.models import RuleVersion
from omov.constitution.queries import rules_in_force
from omov.constitution.rules import RuleSet, diff
from omov.members.models import Member


@transaction.atomic
def amend_rules(rules: dict[str, Any], *, reason: str, actor: Member | None) -> RuleVersion:
    """Adopts `rules` (a whole rule set) as the next version, in force from now."""
    reason = reason.strip()
    if not reason:
        raise RulesError("Say why the rules change; the reason is shown to members.")
    new = RuleSet.from_data(rules)
    before = rules_in_force()
    changes = diff(before, new) if before.version else diff(None, new)
    if before.version and not changes:
        raise RulesError("Nothing changed: these are the rules already in force.")
    latest = RuleVersion.objects.select_for_update().aggregate(Max("number"))["number__max"]
    version = RuleVersion.objects.create(
        number=(latest or 0) + 1,
        rules=new.to_data(),
        made_by=actor,
        made_at=timezone.now(),
        reason=reason,
    )
    log.record(
        "amend_rules",
        actor=actor,
        subject=version,
        summary=f"Rules version {version.number}: {reason}",
        details={"changes": [list(change) for change in changes]},
        public=True,
    )
    return version
