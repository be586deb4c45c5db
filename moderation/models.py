"""What moderators work from and what they leave behind: the review queue (reports and posts awaiting
approval), the sanctions on members, and the append-only audit log."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network.models import Network

REASON_TEXT_MAX_LENGTH = 1000
EXCERPT_MAX_LENGTH = 500


class TargetKind(models.TextChoices):
    """What a report, a queue item or an audit entry is about."""

    POST = "post", _("Post")
    TOPIC = "topic", _("Topic")
    MESSAGE = "message", _("Chat message")
    PROFILE = "profile", _("Profile")
    COMMENT = "comment", _("Story comment")
    MEMBER = "member", _("Member")
    ROOM = "room", _("Chat room")


class QueueItem(models.Model):
    """One thing waiting for a moderator of `network`: a reported target (however many people reported
    it: the reports gather here) or a post awaiting approval. `title` and `excerpt` are copies taken when
    the item was opened, so that the queue reads without joining every kind of target, and still says
    what was there once the target is deleted."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        APPROVAL = "approval", _("Awaiting approval")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="queue_items")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    target_kind = models.CharField(max_length=8, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField()
    target_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    excerpt = models.CharField(max_length=EXCERPT_MAX_LENGTH, blank=True)
    url = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the item last changed (a new report on it, or its handling): the queue is ordered by it.
    updated_at = models.DateTimeField(auto_now=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            # Repeated reports of one thing gather on its one open item.
            models.UniqueConstraint(
                fields=["network", "kind", "target_kind", "target_id"],
                condition=Q(state="open"),
                name="queue_item_one_open_per_target",
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(handled_at__isnull=False), name="queue_item_handled_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["network", "state", "-updated_at"], name="queue_item_listing"),
            models.Index(fields=["target_kind", "target_id"], name="queue_item_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_target_kind_display()} {self.target_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abusive or harassing")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=9, choices=Reason.choices)
    text = models.CharField(max_length=REASON_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "reporter"], name="report_once_per_item_and_reporter"),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(text=""), name="report_other_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} by {self.reporter_id} on {self.item_id}"


class Sanction(models.Model):
    """A warning, mute or suspension of a member in one network. A mute or suspension ends at
    `expires_at`, or earlier when a moderator lifts it (`lifted_at`); the member's current standing is
    kept on their Membership row, where every permission rule reads it."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        MUTE = "mute", _("Mute")
        SUSPENSION = "suspension", _("Suspension")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="sanctions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=REASON_TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="warning") | Q(expires_at__isnull=False),
                name="sanction_expiry_unless_warning",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="sanction_has_reason"),
        ]
        indexes = [models.Index(fields=["network", "user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user_id} in {self.network_id}"


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is append-only: entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only: entries are never deleted.")


class AuditEntry(models.Model):
    """One moderation action: who did what to which target, when, why, and what the target said before
    and after where the action changed it.

    Append-only: the model refuses to save an existing entry or delete one, and on PostgreSQL a trigger
    refuses UPDATE and DELETE on the table whatever the client. `public` entries appear in the network's
    public moderation log, which shows the action, its target's kind and the reason, and never the
    before/after content or who was concerned.
    """

    class Action(models.TextChoices):
        POST_HIDE = "post.hide", _("hid a post")
        POST_RESTORE = "post.restore", _("restored a post")
        POST_DELETE = "post.delete", _("deleted a post")
        POST_APPROVE = "post.approve", _("approved a post")
        POST_REJECT = "post.reject", _("rejected a post")
        TOPIC_HIDE = "topic.hide", _("hid a topic")
        TOPIC_RESTORE = "topic.restore", _("restored a topic")
        TOPIC_DELETE = "topic.delete", _("deleted a topic")
        TOPIC_LOCK = "topic.lock", _("locked a topic")
        TOPIC_UNLOCK = "topic.unlock", _("unlocked a topic")
        TOPIC_PIN = "topic.pin", _("pinned a topic")
        TOPIC_UNPIN = "topic.unpin", _("unpinned a topic")
        TOPIC_MOVE = "topic.move", _("moved a topic")
        TOPIC_MERGE = "topic.merge", _("merged topics")
        TOPIC_SPLIT = "topic.split", _("split posts into a new topic")
        MESSAGE_HIDE = "message.hide", _("hid a chat message")
        MESSAGE_RESTORE = "message.restore", _("restored a chat message")
        MESSAGE_DELETE = "message.delete", _("deleted a chat message")
        ROOM_SLOW_MODE = "room.slow_mode", _("changed a room's slow mode")
        ROOM_STATE = "room.state", _("changed a room's state")
        COMMENT_DELETE = "comment.delete", _("deleted a story comment")
        MEMBER_WARN = "member.warn", _("warned a member")
        MEMBER_MUTE = "member.mute", _("muted a member")
        MEMBER_SUSPEND = "member.suspend", _("suspended a member")
        MEMBER_LIFT = "member.lift", _("lifted a member's sanction")
        MEMBER_EXPIRE = "member.expire", _("a member's sanction expired")
        REPORT_DISMISS = "report.dismiss", _("dismissed a report")

    network = models.ForeignKey(Network, null=True, on_delete=models.PROTECT, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    target_kind = models.CharField(max_length=8, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField()
    target_label = models.CharField(max_length=200, blank=True)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=REASON_TEXT_MAX_LENGTH, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["AuditEntry"]] = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["network", "-created_at", "-id"], name="audit_network_recent"),
            models.Index(fields=["target_kind", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.target_kind} {self.target_id} by {self.actor_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The audit log is append-only: entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only: entries are never deleted.")
