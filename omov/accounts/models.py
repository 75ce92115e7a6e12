from __future__ import annotations

from django.db import models


class GrantedRole(models.TextChoices):
    """Roles given to a member explicitly (committee membership is separate)."""

    ORGANISER = "organiser", "Organiser"
    TRUSTEE = "trustee", "Trustee"
    CREDENTIAL_AUTHORITY = "credential_authority", "Credential authority"
    MODERATOR = "moderator", "Discussion moderator"


class RoleGrant(models.Model):
    """A role given to a member. Revoking sets `revoked_at`; rows stay."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.CharField(max_length=40, choices=GrantedRole.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["member", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_current_grant_per_role",
            ),
        )

    def __str__(self) -> str:
        return f"{self.member}: {self.role}"


class LoginLink(models.Model):
    """A single-use sign-in link. Only the SHA-256 of the token is stored."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="login_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sign-in link for {self.member} (expires {self.expires_at:%Y-%m-%d %H:%M})"


class SignInAttempt(models.Model):
    """One request for a sign-in link, counted per email and per IP address.

    Kept in the database so that the limit holds across app processes.
    """

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.email} from {self.ip_address} at {self.at:%Y-%m-%d %H:%M}"
