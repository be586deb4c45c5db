"""Stories that champions publish, the calls through which networks gather case studies, and the
compendiums those case studies are collected into."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from forums.models.reactions import ReactionKind
from network.models import Network
from profiles.models import Language

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 500
BODY_MAX_LENGTH = 100_000
COMMENT_MAX_LENGTH = 10_000


class Story(models.Model):
    """A story, case study or best practice, written in Markdown and rendered once into `body_html`.

    `published_at` is set when the story goes out (at `publish_at` for a scheduled one) and kept when it
    is unpublished, so that republishing does not move it to the top of the feed.
    """

    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        CASE_STUDY = "case_study", _("Case study")
        BEST_PRACTICE = "best_practice", _("Best practice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned for changes")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=80)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    cover = models.ImageField(upload_to="covers/", blank=True)
    cover_small = models.ImageField(upload_to="covers/small/", blank=True, editable=False)
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.STORY)
    networks = models.ManyToManyField(Network, related_name="stories")
    tags = TaggableManager(blank=True, verbose_name=_("tags"))
    language = models.ForeignKey(Language, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories")
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_authored_stories"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    featured = models.BooleanField(default=False)
    featured_at = models.DateTimeField(null=True, blank=True)
    # The secret in a draft's preview link: whoever has the link may read the draft, nobody can guess it.
    preview_token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="story_scheduled_has_publish_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="story_published_has_published_at",
            ),
            models.CheckConstraint(
                condition=Q(featured=False) | Q(featured_at__isnull=False),
                name="story_featured_has_featured_at",
            ),
        ]
        indexes = [
            # The feed: featured first, then newest, read by keyset on (featured, published_at, id).
            models.Index(
                fields=["-featured", "-published_at", "-id"],
                name="story_feed",
                condition=Q(status="published"),
            ),
            models.Index(fields=["status", "publish_at"], name="story_due"),
            models.Index(fields=["author", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", args=[self.pk, self.slug])

    def get_preview_url(self) -> str:
        return reverse("stories:preview", args=[self.preview_token])


class StoryReaction(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "user", "kind"], name="story_reaction_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id} on story {self.story_id}"


class StoryComment(models.Model):
    """A comment on a story, or a reply to one: replies are one level deep, so `parent` is always a
    top-level comment. A deleted comment keeps its row while it has replies, so that they keep their place."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        limit_choices_to={"parent__isnull": True},
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_comments"
    )
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="story_comment_not_own_parent"),
        ]
        indexes = [models.Index(fields=["story", "parent", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on story {self.story_id}"

    def get_absolute_url(self) -> str:
        return f"{self.story.get_absolute_url()}#comment-{self.pk}"


class CaseStudyCall(models.Model):
    """A network's invitation to send case studies on a theme before a deadline, each following the
    template sections below."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    # The structured template every case study of a call follows, in order: (key, heading).
    TEMPLATE_SECTIONS = (
        ("context", _("Context")),
        ("challenge", _("Challenge")),
        ("approach", _("Approach")),
        ("results", _("Results")),
        ("lessons_learned", _("Lessons learned")),
    )

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="case_study_calls")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    brief = models.TextField(max_length=20_000)
    brief_html = models.TextField(editable=False)
    deadline = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=6, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "-id"]
        indexes = [models.Index(fields=["network", "state", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:call", args=[self.network.slug, self.pk])


class CaseStudySubmission(models.Model):
    """A story sent in answer to a call. `round` counts the times it was sent: a returned submission
    goes back to its author and comes back as the next round."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    call = models.ForeignKey(CaseStudyCall, on_delete=models.CASCADE, related_name="submissions")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="submissions")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    round = models.PositiveSmallIntegerField(default=1)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "story"], name="submission_one_per_story_and_call"),
            models.CheckConstraint(condition=Q(round__gte=1), name="submission_round_from_one"),
        ]
        indexes = [models.Index(fields=["call", "state"])]

    def __str__(self) -> str:
        return f"{self.story} for {self.call} (round {self.round})"


class SubmissionReview(models.Model):
    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        RETURN = "return", _("Return with comments")

    submission = models.ForeignKey(CaseStudySubmission, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=6, choices=Decision.choices)
    round = models.PositiveSmallIntegerField()
    comments = models.TextField(max_length=20_000, blank=True)
    comments_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # A submission is returned so that its author can act on what the reviewer wrote.
            models.CheckConstraint(
                condition=Q(decision="accept") | ~Q(comments=""), name="review_return_has_comments"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} of {self.submission} by {self.reviewer}"


class Compendium(models.Model):
    """A network's curated collection of case studies in chapters, published as numbered versions."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="compendiums")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "compendiums"
        constraints = [
            models.UniqueConstraint(fields=["network", "title"], name="compendium_title_unique_per_network"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:compendium", args=[self.network.slug, self.pk])


class CompendiumChapter(models.Model):
    compendium = models.ForeignKey(Compendium, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["compendium", "position"], name="chapter_position_unique"),
            models.UniqueConstraint(fields=["compendium", "title"], name="chapter_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class CompendiumEntry(models.Model):
    chapter = models.ForeignKey(CompendiumChapter, on_delete=models.CASCADE, related_name="entries")
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="compendium_entries")
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name_plural = "compendium entries"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "position"], name="entry_position_unique"),
            models.UniqueConstraint(fields=["chapter", "story"], name="entry_story_once_per_chapter"),
        ]

    def __str__(self) -> str:
        return f"{self.story} in {self.chapter}"


class CompendiumVersion(models.Model):
    """A published edition of a compendium. `contents` is a frozen copy of its chapters and their
    stories' texts, so that a version reads the same whatever later happens to the stories."""

    compendium = models.ForeignKey(Compendium, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contents = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["compendium", "number"], name="compendium_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.compendium}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "stories:compendium_version", args=[self.compendium.network.slug, self.compendium_id, self.number]
        )
