from django.contrib import admin

from omov.accounts.models import LoginLink, RoleGrant, SignInAttempt
from omov.web.admin_base import ReadOnlyAdmin


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    list_display = ("member", "role", "granted_at", "granted_by", "revoked_at")
    list_filter = ("role",)


@admin.register(LoginLink)
class LoginLinkAdmin(ReadOnlyAdmin):
    list_display = ("member", "created_at", "expires_at", "used_at")
    exclude = ("token_hash",)


@admin.register(SignInAttempt)
class SignInAttemptAdmin(ReadOnlyAdmin):
    list_display = ("email", "ip_address", "at")
