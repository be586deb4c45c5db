"""Sending a story out: review, publishing now or on a schedule, unpublishing, featuring. Each change
of what the feed shows is announced on the streams of the story's networks."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles.models import User
from stories import events, permissions, schedule
from stories.models import CaseStudySubmission, Story

SUBMITTABLE_STATUSES = frozenset({Story.Status.DRAFT, Story.Status.RETURNED, Story.Status.UNPUBLISHED})


@transaction.atomic
def submit_for_review(*, actor: User, story: Story) -> Story:
    """Send a story for the champions and admins of its networks to publish."""
    permissions.check_submit_story(actor, story)
    _require_status(story, SUBMITTABLE_STATUSES)
    story.status = Story.Status.IN_REVIEW
    story.save(update_fields=["status", "updated_at"])
    return story


@transaction.atomic
def publish_story(*, actor: User, story: Story, publish_at: datetime | None = None) -> Story:
    """Publish `story` now, or schedule it for `publish_at` (see publish_due_stories)."""
    permissions.check_publish_story(actor, story)
    _require_status(story, frozenset(Story.Status) - {Story.Status.PUBLISHED})
    if story.submissions.filter(state=CaseStudySubmission.State.SUBMITTED).exists():
        # Its call's reviewers decide: accepting it publishes it (stories.services.calls).
        raise ValidationError(
            _("This case study is being reviewed for a call: it is published when its reviewers accept it."),
            code="under_call_review",
        )
    now = timezone.now()
    if publish_at is not None and publish_at <= now:
        raise ValidationError({"publish_at": [_("Choose a time in the future to schedule the story.")]})
    if publish_at is None:
        go_out(story, now)
    else:
        story.status = Story.Status.SCHEDULED
        story.publish_at = publish_at
        story.save(update_fields=["status", "publish_at", "updated_at"])
        # The feed checks for due stories against a cached time: a sooner one must be seen at once.
        transaction.on_commit(schedule.forget_next_due)
    return story


def go_out(story: Story, when: datetime) -> None:
    """Put `story` in the feed as published at `when`, and announce it; inside the caller's transaction."""
    story.status = Story.Status.PUBLISHED
    story.publish_at = None
    # A story published before keeps its date, so that republishing it does not top the feed again.
    story.published_at = story.published_at or when
    story.save(update_fields=["status", "publish_at", "published_at", "updated_at"])
    events.announce_published(story)


@transaction.atomic
def publish_due_stories(*, now: datetime | None = None) -> int:
    """Publish the scheduled stories whose time has come; run periodically. Returns how many."""
    now = now or timezone.now()
    due = list(
        Story.objects.select_for_update(skip_locked=True).filter(
            status=Story.Status.SCHEDULED, publish_at__lte=now
        )
    )
    for story in due:
        # The scheduled time, not the moment the job ran, is when the story appeared.
        go_out(story, story.publish_at or now)
    return len(due)


@transaction.atomic
def unpublish_story(*, actor: User, story: Story) -> Story:
    permissions.check_unpublish_story(actor, story)
    _require_status(story, frozenset({Story.Status.PUBLISHED, Story.Status.SCHEDULED}))
    was_out = story.status == Story.Status.PUBLISHED
    story.status = Story.Status.UNPUBLISHED
    story.publish_at = None
    story.featured, story.featured_at = False, None
    story.save(update_fields=["status", "publish_at", "featured", "featured_at", "updated_at"])
    if was_out:
        events.announce_withdrawn(story)
    return story


@transaction.atomic
def feature_story(*, actor: User, story: Story, featured: bool = True) -> Story:
    permissions.check_feature_story(actor, story)
    if featured:
        _require_status(story, frozenset({Story.Status.PUBLISHED}))
    story.featured = featured
    story.featured_at = timezone.now() if featured else None
    story.save(update_fields=["featured", "featured_at", "updated_at"])
    return story


def _require_status(story: Story, allowed: Iterable[str]) -> None:
    if story.status not in allowed:
        raise ValidationError(
            _("This cannot be done to a story that is %(status)s."),
            code="wrong_status",
            params={"status": story.get_status_display().lower()},
        )
