"""The threaded forum: a network's categories, their topics, and the posts of each topic.

Counters and "last activity" columns are kept by `forums.services.topics` in the transaction that
changes what they count (`manage.py recount_forums` recomputes them from the posts). A post's `number`
is its place in its topic (1 for the opening post) and never changes, so that links to it and members'
read positions stay valid when other posts are deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forums.models.reactions import ReactionKind
from network.models import Network


class Category(models.Model):
    class StartPolicy(models.TextChoices):
        MEMBERS = "members", _("Any member")
        MODERATORS = "moderators", _("Only moderators (announcements)")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=60)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    start_policy = models.CharField(
        max_length=12,
        choices=StartPolicy.choices,
        default=StartPolicy.MEMBERS,
        help_text=_("Who may start topics here; every member may reply in either case."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Visible topics and posts only (not deleted or hidden).
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_topic = models.ForeignKey(
        "Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="category_slug_unique_per_network"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:category", args=[self.network.slug, self.slug])


class Topic(models.Model):
    # Denormalised from the category for permission checks and search filters; a topic moves only
    # between categories of its own network, so it never goes stale.
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="topics")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, allow_unicode=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topics")
    created_at = models.DateTimeField(auto_now_add=True)
    # When its last visible post was written.
    last_activity_at = models.DateTimeField()
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Visible posts after the opening one.
    reply_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    # The number the latest post took, deleted or not: the next post takes the one after.
    highest_post_number = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    # Hidden as its opening post is (see Post), with the same reason.
    hidden_reason = models.CharField(max_length=1000, blank=True)
    awaiting_approval = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            # The category page: pinned first, then by last activity.
            models.Index(
                fields=["category", "-is_pinned", "-last_activity_at", "-id"], name="topic_category_listing"
            ),
            models.Index(fields=["network", "-last_activity_at"], name="topic_network_activity"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:topic", args=[self.network.slug, self.pk, self.slug])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    # At most settings.FORUM_POST_MAX_LENGTH characters: forums.validators says so to members.
    body = models.TextField()
    body_html = models.TextField(editable=False)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Hidden from everyone but its author and the moderators: by a moderator (`hidden_reason` says why),
    # or until a moderator approves it (`awaiting_approval`, for a new member's first posts).
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=1000, blank=True)
    awaiting_approval = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # Also the index that topic pages and unread counts walk.
            models.UniqueConstraint(fields=["topic", "number"], name="post_number_unique_per_topic"),
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="post_author_recent")]

    def __str__(self) -> str:
        return f"{self.topic_id}#{self.number} by {self.author_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", args=[self.topic.network.slug, self.topic_id, self.number])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and not self.is_hidden


class PostRevision(models.Model):
    """A post as it read before one of its edits."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    # When this version was written (the post's creation, or the edit that produced it).
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Revision of {self.post_id} from {self.created_at:%Y-%m-%d %H:%M}"


class PostReaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="post_reaction_unique")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id} by {self.user_id}"


class PostMention(models.Model):
    """A member of the topic's network named with `@handle` in a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_mentions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_mention_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.post_id}"


class TopicReadState(models.Model):
    """How far a member has read a topic: posts with a higher number are unread for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_read_state_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.topic_id} to #{self.last_read_number}"


class WatchLevel(models.TextChoices):
    WATCHING = "watching", _("Watching")
    NORMAL = "normal", _("Normal")
    MUTED = "muted", _("Muted")


class TopicWatch(models.Model):
    """A member's chosen level for one topic; no row means normal (or what the category says)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="watches")
    level = models.CharField(max_length=8, choices=WatchLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_watch_unique")]
        indexes = [
            models.Index(fields=["topic"], condition=Q(level="watching"), name="topic_watchers"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} {self.topic_id}"


class CategoryWatch(models.Model):
    """A member's chosen level for a whole category: what new topics in it start at for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="watches")
    level = models.CharField(max_length=8, choices=WatchLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="category_watch_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} {self.category_id}"
