from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forums.models.reactions import ReactionKind
from network.models import Network


class ChatRoom(models.Model):
    """A live conversation space of a network. Every network has one general room; admins add others."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        READ_ONLY = "read_only", _("Read-only")
        ARCHIVED = "archived", _("Archived")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="chat_rooms")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=60)
    topic = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    is_general = models.BooleanField(default=False)
    # Slow mode: the least time between two messages of one member (moderators are not held to it).
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Rooms are listed by this, then by name; the general room comes first.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="chat_room_slug_unique_per_network"),
            models.UniqueConstraint(
                fields=["network"], condition=Q(is_general=True), name="chat_room_one_general_per_network"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chat:room", args=[self.network.slug, self.slug])


class ChatMessage(models.Model):
    """One message of a room. `seq` is the room stream's sequence number of the event that announced it,
    so that history pages (keyset on `seq`) and live events share one order."""

    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    # At most settings.CHAT_MESSAGE_MAX_LENGTH characters: forums.validators says so to members.
    body = models.TextField()
    body_html = models.TextField(editable=False)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    seq = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Hidden by a moderator: gone for everyone but its author and the moderators.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            # Also the index that history pages and unread counts walk.
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_seq_unique_per_room"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq} by {self.author_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ChatMessageRevision(models.Model):
    """A message as it read before one of its edits."""

    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    # When this version was written (the message's creation, or the edit that produced it).
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Revision of {self.message_id} from {self.created_at:%Y-%m-%d %H:%M}"


class ChatReaction(models.Model):
    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "kind"], name="chat_reaction_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.message_id} by {self.user_id}"


class ChatMention(models.Model):
    """A member of the room's network named with `@handle` in a message."""

    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_mentions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="chat_mention_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.message_id}"


class ChatReadState(models.Model):
    """How far a member has read a room: every message with a higher `seq` is unread for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="read_states")
    last_read_seq = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "room"], name="chat_read_state_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.room_id} to {self.last_read_seq}"
