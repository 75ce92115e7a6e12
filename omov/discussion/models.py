"""Threads, comments and what members and moderators do to them."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


class Thread(models.Model):
    """The discussion of one subject, keyed by its content type and id."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_thread_per_subject"
            ),
        )

    def __str__(self) -> str:
        return f"Thread on {self.content_type.model} {self.object_id}"


class Comment(models.Model):
    """A post or a reply. Deleting or hiding keeps the row as a stub, so replies stay put."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by_role = models.CharField(max_length=40, blank=True)
    reply_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id}"

    @property
    def is_stub(self) -> bool:
        return self.deleted_at is not None or self.hidden_at is not None


class Revision(models.Model):
    """An earlier text of an edited comment: the visible edit history."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("replaced_at", "pk")


class ReactionKind(models.TextChoices):
    AGREE = "agree", "Agree"
    THANKS = "thanks", "Thanks"
    QUESTION = "question", "Question"
    CONCERN = "concern", "Concern"


class Reaction(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="reactions")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ReactionKind.choices)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["comment", "member", "kind"], name="one_reaction_each"),
        )


class Report(models.Model):
    """A member's report of a comment, with their reason; moderators see these."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)


class Appeal(models.Model):
    """The author's one appeal against a hiding, and the moderator's decision."""

    comment = models.OneToOneField(Comment, on_delete=models.PROTECT, related_name="appeal")
    statement = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    upheld = models.BooleanField(null=True, help_text="True: the hiding stands.")
    decision_reason = models.CharField(max_length=500, blank=True)


class ModerationEntry(models.Model):
    """One line of the public moderation log: what was done, by which role, why."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="moderation_log")
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40)
    by_role = models.CharField(max_length=40)
    reason = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-at", "-pk")


class Follow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="followers")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["thread", "member"], name="one_follow_each"),
        )


class Mute(models.Model):
    """A member no longer sees another member's comments (for themself only)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    muted = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = (models.UniqueConstraint(fields=["member", "muted"], name="one_mute_each"),)


class NoticeFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "Email me at once"
    DAILY = "daily", "A daily digest"
    NEVER = "never", "No email"


class NoticePreference(models.Model):
    member = models.OneToOneField("members.Member", on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(
        max_length=20, choices=NoticeFrequency.choices, default=NoticeFrequency.IMMEDIATE
    )


class PendingNotice(models.Model):
    """A new comment a daily-digest follower has not yet been told of."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
