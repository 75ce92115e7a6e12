from django.contrib import admin

from omov.audit.models import AuditEvent
from omov.web.admin_base import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "actor", "summary", "public")
    list_filter = ("action", "public")
    search_fields = ("summary", "object_id")
