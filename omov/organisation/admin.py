from django.contrib import admin

from omov.organisation.models import Committee, CommitteeMembership, LocalGroup
from omov.web.admin_base import ReadOnlyAdmin


@admin.register(LocalGroup)
class LocalGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name",)


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ("name", "parent", "created_at")


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(ReadOnlyAdmin):
    list_display = ("committee", "member", "position", "joined_on", "left_on")
    list_filter = ("committee",)
