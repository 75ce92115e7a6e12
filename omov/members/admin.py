from django.contrib import admin

from omov.members.models import Member, MemberImport, RejoinRequest, StatusChange
from omov.web.admin_base import ReadOnlyAdmin


class StatusChangeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StatusChange
    fk_name = "member"
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "effective_on", "reason", "recorded_by")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("membership_number", "name", "email", "local_group", "status")
    list_filter = ("status", "local_group")
    search_fields = ("membership_number", "name", "email")
    inlines = (StatusChangeInline,)


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("member", "from_status", "to_status", "effective_on", "recorded_by")
    list_filter = ("to_status",)


@admin.register(RejoinRequest)
class RejoinRequestAdmin(ReadOnlyAdmin):
    list_display = ("member", "requested_at", "outcome", "decided_by")


@admin.register(MemberImport)
class MemberImportAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "uploaded_at", "uploaded_by", "committed_at")
    exclude = ("content",)
