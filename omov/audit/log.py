"""The audit helper every action calls to record what it did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from omov.audit.models import AuditEvent

if TYPE_CHECKING:
    from omov.members.models import Member


def record(
    action: str,
    *,
    actor: Member | None,
    summary: str,
    subject: models.Model | None = None,
    details: dict[str, Any] | None = None,
    public: bool = False,
) -> AuditEvent:
    """Writes one audit event.

    `action` is the action function's name (e.g. "change_member_status");
    `subject` is the object it changed; `summary` is one plain sentence a member
    can read; `public=True` puts it on the members' audit page (organiser
    actions). Call it inside the action's transaction so that the event and
    the change are stored together or not at all.
    """
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=subject._meta.label if subject is not None else "",
        object_id=str(subject.pk) if subject is not None else "",
        summary=summary[:500],
        details=details or {},
        public=public,
    )
