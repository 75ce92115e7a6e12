"""Ballots, their questions and trustees, and the bulletin board they live on.

The board (`BoardEntry`) is the truth: every state change of an election
appends entries to it, and the record anyone can download is its lines. The
other tables are a cache of what the board says plus the organiser's draft
before the manifest is published.
"""

from __future__ import annotations

from django.db import models


class Phase(models.TextChoices):
    """Where a ballot is on its timeline; it only ever moves forward."""

    DRAFT = "draft", "Draft"
    KEY_CEREMONY = "key_ceremony", "Key ceremony"
    CREDENTIALS = "credentials", "Waiting for credentials"
    READY = "ready", "Credentials issued"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    TALLIED = "tallied", "Tallied"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


TIMELINE: tuple[Phase, ...] = tuple(phase for phase in Phase if phase != Phase.WITHDRAWN)
"""The phases a ballot passes through; a withdrawn ballot leaves the timeline."""

UNOPENED: frozenset[Phase] = frozenset(
    {Phase.DRAFT, Phase.KEY_CEREMONY, Phase.CREDENTIALS, Phase.READY}
)
"""Phases in which the organiser may still withdraw a ballot: nobody has voted."""

AFTER_VOTING: frozenset[Phase] = frozenset({Phase.CLOSED, Phase.TALLIED, Phase.PUBLISHED})
"""Phases in which the server has deleted who cast which ballot (receipts)."""


class QuestionKind(models.TextChoices):
    """The question kinds of docs/protocol.md section 5."""

    YES_NO = "yes_no", "Yes or no"
    YES_NO_ABSTAIN = "yes_no_abstain", "Yes, no or abstain"
    CHOOSE = "choose", "Choose between a minimum and maximum number of options"
    APPROVAL = "approval", "Approval (approve any number)"
    BLOCK = "block", "Block vote for several seats"
    RANKED = "ranked", "Ranked choice"


DRAFTED_BY_ORGANISERS: tuple[QuestionKind, ...] = tuple(
    kind for kind in QuestionKind if kind != QuestionKind.RANKED)
"""The kinds an organiser or a petition writes by hand; a ranked question comes with
its count rules (method, seats, ties, balance), which the elections app supplies."""


class Ballot(models.Model):
    """One election: the organiser's draft, then the cache of its board."""

    slug = models.SlugField(max_length=100, unique=True, help_text="The manifest's election_id.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, max_length=20000)
    cut_off = models.DateField(help_text="Members active on this date may vote.")
    local_group = models.ForeignKey(
        "organisation.LocalGroup", null=True, blank=True, on_delete=models.PROTECT,
        related_name="ballots",
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    threshold = models.PositiveIntegerField(help_text="k: trustees needed to decrypt.")
    authority = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="authority_for",
        help_text="The credential authority.",
    )
    authority_name = models.CharField(max_length=200)
    authority_public_key = models.CharField(max_length=64, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    manifest_digest = models.CharField(max_length=64, blank=True)
    joint_key = models.CharField(max_length=64, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    totals = models.JSONField(null=True, blank=True)
    counted = models.PositiveIntegerField(null=True, blank=True)
    verified = models.BooleanField(null=True, blank=True)
    verification_report = models.TextField(blank=True)
    group_turnout = models.JSONField(
        null=True, blank=True,
        help_text="[group, voted, electors] kept at the close where safe.",
    )
    withdrawn_reason = models.TextField(blank=True, max_length=2000)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces",
        help_text="The ballot re-issued in this one's place, with new times.",
    )
    created_by = models.ForeignKey(
        "members.Member", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-opens_at", "-id")

    def __str__(self) -> str:
        return self.title

    @property
    def rules_frozen(self) -> bool:
        """True once the manifest is on the board: nothing about the rules may change."""
        return self.phase != Phase.DRAFT

    @property
    def published_manifest(self) -> bool:
        return bool(self.manifest_digest)


class Question(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=2000)
    case_for = models.TextField(blank=True, max_length=10000)
    case_against = models.TextField(blank=True, max_length=10000)
    options = models.JSONField(help_text="The option or candidate names, in order.")
    min_choices = models.PositiveIntegerField()
    max_choices = models.PositiveIntegerField()
    count = models.JSONField(
        null=True, blank=True,
        help_text="A ranked question's count member (protocol 5.2); empty for other kinds.")

    class Meta:
        ordering = ("ballot", "position")
        constraints = (
            models.UniqueConstraint(fields=["ballot", "position"], name="question_position_unique"),
        )

    def __str__(self) -> str:
        return self.text

    @property
    def question_id(self) -> str:
        """The question's id in the manifest."""
        return f"q{self.position + 1}"


class Trustee(models.Model):
    """Trustee `index` (1..n) of a ballot, a person on the roll invited by email."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="trustees")
    index = models.PositiveIntegerField()
    name = models.CharField(max_length=200, help_text="As shown in the manifest.")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    shares_checked_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the trustee said every share sent to them was good.",
    )
    decryption_asked_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the trustee was emailed that the tally is ready to decrypt (once).",
    )

    class Meta:
        ordering = ("ballot", "index")
        constraints = (
            models.UniqueConstraint(fields=["ballot", "index"], name="trustee_index_unique"),
            models.UniqueConstraint(fields=["ballot", "member"], name="trustee_member_unique"),
        )

    def __str__(self) -> str:
        return f"Trustee {self.index}: {self.name}"


class Elector(models.Model):
    """A member eligible for a ballot, fixed when the manifest is published.

    The credential authority receives this list (membership number and email
    only), and the roll it uploads must have exactly one credential each.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="electors")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["ballot", "member"], name="elector_unique"),
        )


class BoardEntry(models.Model):
    """One line of the bulletin board (docs/protocol.md section 10); never changed.

    `line` is the canonical JSON of the entry, exactly as in the record file.
    `ballot_hash` (cast and audited ballots) is unique per ballot, so the same
    ballot can never be appended twice, whether cast or audited.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="board")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    line = models.TextField()
    entry_hash = models.CharField(max_length=64)
    ballot_hash = models.CharField(max_length=64, blank=True)
    tracker = models.CharField(max_length=19, blank=True)
    credential = models.CharField(max_length=64, blank=True)
    appended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("ballot", "index")
        constraints = (
            models.UniqueConstraint(fields=["ballot", "index"], name="board_index_unique"),
            models.UniqueConstraint(
                fields=["ballot", "ballot_hash"],
                condition=~models.Q(ballot_hash=""),
                name="board_ballot_hash_unique",
            ),
        )
        indexes = (
            models.Index(fields=["ballot", "kind", "index"]),
            models.Index(fields=["ballot", "tracker"]),
            models.Index(fields=["ballot", "credential"], name="board_credential_idx"),
        )

    def __str__(self) -> str:
        return f"{self.ballot.slug} #{self.index} {self.kind}"


class BoardCiphertext(models.Model):
    """A ciphertext held by a cast or audited ballot on the board (protocol 7.6).

    An audited ballot's ciphertexts may never be cast, nor audited twice, and a
    cast ballot's never audited: this table makes each of those an indexed
    lookup instead of a read of every audit on the board. `ciphertext` is the
    choice's `alpha`, a colon and its `beta`, exactly as the board line writes them;
    `index` is the board entry that holds it. Written in the transaction that
    appends the entry; derived from the board, which stays the truth.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    ciphertext = models.CharField(max_length=129)
    audited = models.BooleanField()
    index = models.PositiveIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["ballot", "ciphertext"], condition=models.Q(audited=True),
                name="audited_ciphertext_unique",
            ),
        )
        indexes = (models.Index(fields=["ballot", "ciphertext"], name="board_ciphertext_idx"),)


class VoteReceipt(models.Model):
    """The member's own note that they voted, with their latest tracker.

    Only the member sees it on the site (their own pages); no other view reads
    it. The server and its administrators can read it: it links the member to
    their tracker (docs/threat-model.md). Turnout is counted from the board,
    never from this table.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    tracker = models.CharField(max_length=19)
    cast_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["ballot", "member"], name="receipt_unique"),
        )


class CredentialBinding(models.Model):
    """The credential an account first cast with in a ballot, and the account that first
    cast with a credential: one of each per ballot.

    So one account cannot cast with several members' codes (a vote buyer's, or the
    credential authority's own account), and a code is refused from any account but
    the first. Deleted when the credential is revoked (its member may then bind the
    replacement) and, with the receipts, when voting closes (docs/threat-model.md).
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    credential = models.CharField(max_length=64)
    bound_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["ballot", "member"], name="binding_member_unique"),
            models.UniqueConstraint(fields=["ballot", "credential"],
                                    name="binding_credential_unique"),
        )


class CastAttempt(models.Model):
    """A cast or audit request, counted to rate-limit each member."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class ScheduleRun(models.Model):
    """When the schedule last finished a round (one row), so `/health/` can tell a stalled
    schedule from a quiet one whichever process (`omov serve`'s thread or a cron
    `omov schedule`) runs it."""

    finished_at = models.DateTimeField()


class MailingKind(models.TextChoices):
    OPENED = "opened", "Voting is open"
    REMINDER = "reminder", "Reminder before the close"
    RESULT = "result", "The result is published"


class Mailing(models.Model):
    """A notice to every eligible member of a ballot, sent in batches by the schedule.

    `after_member` is the last member (by id) whose turn is done: each batch
    enqueues its messages and moves it on in one transaction, so a round that
    crashes part way leaves neither a message without its mark nor a mark
    without its message, and no member is told twice.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="mailings")
    kind = models.CharField(max_length=20, choices=MailingKind.choices)
    after_member = models.PositiveBigIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["ballot", "kind"], name="mailing_unique"),
        )

    def __str__(self) -> str:
        return f"{self.ballot}: {self.kind}"
