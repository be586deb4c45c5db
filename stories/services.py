"""What people do with stories, calls for case studies and compendiums: one function per intent.

Each checks permission through stories.permissions, runs in one transaction, and raises ValidationError
keyed by form field for bad input, so that a form shows the message beside what was typed.
"""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import richtext
from forums.models.reactions import ReactionKind
from network.models import Network
from profiles import avatars
from profiles.models import Language, User
from stories import permissions
from stories.models import (
    CaseStudyCall,
    CaseStudySubmission,
    Compendium,
    CompendiumChapter,
    CompendiumEntry,
    CompendiumVersion,
    Story,
    StoryComment,
    StoryReaction,
    SubmissionReview,
)

COVER = avatars.PictureKind(
    noun=gettext_lazy("cover"), large=(1200, 630), small=(400, 210), max_bytes_setting="STORY_COVER_MAX_BYTES"
)
# A story in review is the reviewer's to read: its authors wait for the decision before editing again.
EDITABLE_STATUSES = frozenset(set(Story.Status) - {Story.Status.IN_REVIEW})
SUBMITTABLE_STATUSES = frozenset({Story.Status.DRAFT, Story.Status.RETURNED, Story.Status.UNPUBLISHED})


@dataclass(frozen=True)
class StoryText:
    """What an author writes: the fields of the story form."""

    title: str
    networks: Sequence[Network]
    summary: str = ""
    body: str = ""
    kind: str = Story.Kind.STORY
    tags: Sequence[str] = ()
    language: Language | None = None
    co_authors: Sequence[User] = ()


# --- Writing ----------------------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, author: User, text: StoryText, cover: UploadedFile | None = None) -> Story:
    permissions.check_write_story(author, text.networks)
    story = Story(author=author, preview_token=secrets.token_urlsafe(32))
    _write(story, text, cover)
    return story


@transaction.atomic
def update_draft(*, actor: User, story: Story, text: StoryText, cover: UploadedFile | None = None) -> Story:
    """Replace what the story says; a story already out stays out, with its new text."""
    permissions.check_edit_story(actor, story)
    permissions.check_write_story(actor, [n for n in text.networks if n not in story.networks.all()])
    if story.status not in EDITABLE_STATUSES:
        raise ValidationError(_("This story is being reviewed: it can be edited again once it is returned."))
    _write(story, text, cover)
    return story


def _write(story: Story, text: StoryText, cover: UploadedFile | None) -> None:
    errors = _text_errors(text)
    images = None
    if cover is not None:
        try:
            images = avatars.make_images(cover, COVER)
        except ValidationError as error:
            errors["cover"] = error.messages
    if errors:
        raise ValidationError(errors)
    story.title = text.title.strip()
    story.slug = slugify(story.title)[:80] or "story"
    story.summary = text.summary.strip()
    story.body = text.body
    story.body_html = richtext.render_markdown(text.body)
    story.kind = text.kind
    story.language = text.language
    old_covers = [f.name for f in (story.cover, story.cover_small) if f and f.name]
    if images is not None:
        # Named from a random token: the uploaded name is the sender's text.
        name = f"{secrets.token_urlsafe(16)}.{avatars.FILE_EXTENSION}"
        story.cover.save(name, ContentFile(images.large), save=False)
        story.cover_small.save(name, ContentFile(images.small), save=False)
    story.save()
    story.networks.set(text.networks)
    story.co_authors.set([user for user in text.co_authors if user.pk != story.author_id])
    story.tags.set(list(text.tags), clear=True)
    if images is not None and old_covers:
        storage = story.cover.storage

        def delete_old_covers() -> None:
            for name in old_covers:
                storage.delete(name)

        transaction.on_commit(delete_old_covers)


def _text_errors(text: StoryText) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not text.title.strip():
        errors["title"] = [_("Give the story a title.")]
    if not text.networks:
        errors["networks"] = [_("Choose at least one network to share the story with.")]
    if text.kind not in Story.Kind.values:
        errors["kind"] = [_("Choose a kind of story.")]
    return errors


# --- Publishing -------------------------------------------------------------------------------------


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
    now = timezone.now()
    if publish_at is not None and publish_at <= now:
        raise ValidationError({"publish_at": [_("Choose a time in the future to schedule the story.")]})
    if publish_at is None:
        _go_out(story, now)
    else:
        story.status = Story.Status.SCHEDULED
        story.publish_at = publish_at
    story.save(update_fields=["status", "publish_at", "published_at", "updated_at"])
    return story


def _go_out(story: Story, now: datetime) -> None:
    story.status = Story.Status.PUBLISHED
    story.publish_at = None
    # A story published before keeps its date, so that republishing it does not top the feed again.
    story.published_at = story.published_at or now


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
        _go_out(story, story.publish_at or now)
        story.save(update_fields=["status", "publish_at", "published_at", "updated_at"])
    return len(due)


@transaction.atomic
def unpublish_story(*, actor: User, story: Story) -> Story:
    permissions.check_unpublish_story(actor, story)
    _require_status(story, frozenset({Story.Status.PUBLISHED, Story.Status.SCHEDULED}))
    story.status = Story.Status.UNPUBLISHED
    story.publish_at = None
    story.featured, story.featured_at = False, None
    story.save(update_fields=["status", "publish_at", "featured", "featured_at", "updated_at"])
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


# --- Discussing -------------------------------------------------------------------------------------


@transaction.atomic
def react_to_story(*, actor: User, story: Story, kind: str) -> bool:
    """Toggle `actor`'s reaction `kind`: True when it is now given, False when it was taken back."""
    permissions.check_discuss_story(actor, story)
    if kind not in ReactionKind.values:
        raise ValidationError(_("Unknown reaction."), code="unknown_reaction")
    removed, _by_model = StoryReaction.objects.filter(story=story, user=actor, kind=kind).delete()
    if removed:
        return False
    StoryReaction.objects.create(story=story, user=actor, kind=kind)
    return True


@transaction.atomic
def comment_on_story(
    *, actor: User, story: Story, body: str, parent: StoryComment | None = None
) -> StoryComment:
    permissions.check_discuss_story(actor, story)
    if not body.strip():
        raise ValidationError({"body": [_("Write something before sending.")]})
    if parent is not None and (parent.story_id != story.pk or parent.deleted_at is not None):
        raise ValidationError(_("The comment you answer is no longer on this story."), code="bad_parent")
    # Replies are one level deep: answering a reply joins the conversation of its top-level comment.
    top = parent if parent is None or parent.parent_id is None else parent.parent
    return StoryComment.objects.create(
        story=story, parent=top, author=actor, body=body, body_html=richtext.render_markdown(body)
    )


# --- Calls for case studies -------------------------------------------------------------------------


@transaction.atomic
def open_call(*, actor: User, network: Network, title: str, brief: str, deadline: datetime) -> CaseStudyCall:
    permissions.check_run_network_stories(actor, network)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the call a title.")]
    if deadline <= timezone.now():
        errors["deadline"] = [_("The deadline must be in the future.")]
    if errors:
        raise ValidationError(errors)
    return CaseStudyCall.objects.create(
        network=network,
        title=title.strip(),
        brief=brief,
        brief_html=richtext.render_markdown(brief),
        deadline=deadline,
        opened_by=actor,
    )


@transaction.atomic
def close_call(*, actor: User, call: CaseStudyCall) -> CaseStudyCall:
    permissions.check_review_submissions(actor, call)
    call.state = CaseStudyCall.State.CLOSED
    call.save(update_fields=["state"])
    return call


@transaction.atomic
def submit_case_study(*, actor: User, call: CaseStudyCall, story: Story) -> CaseStudySubmission:
    """Send `story` to `call`; a returned submission comes back as its next round."""
    permissions.check_submit_case_study(actor, call, story)
    if call.state != CaseStudyCall.State.OPEN or timezone.now() > call.deadline:
        raise ValidationError(_("This call is closed: its deadline has passed."), code="call_closed")
    submission = CaseStudySubmission.objects.select_for_update().filter(call=call, story=story).first()
    now = timezone.now()
    if submission is None:
        submission = CaseStudySubmission(call=call, story=story)
    elif submission.state == CaseStudySubmission.State.RETURNED:
        submission.round += 1
        submission.state = CaseStudySubmission.State.SUBMITTED
    else:
        raise ValidationError(_("This story was already sent to this call."), code="already_submitted")
    submission.submitted_at = now
    submission.save()
    story.kind = Story.Kind.CASE_STUDY
    story.status = Story.Status.IN_REVIEW
    story.save(update_fields=["kind", "status", "updated_at"])
    story.networks.add(call.network)
    return submission


@transaction.atomic
def review_submission(
    *, actor: User, submission: CaseStudySubmission, decision: str, comments: str = ""
) -> SubmissionReview:
    """Accept a case study, which publishes it, or return it with comments for another round."""
    permissions.check_review_submissions(actor, submission.call)
    if submission.state != CaseStudySubmission.State.SUBMITTED:
        raise ValidationError(_("This submission has already been reviewed."), code="already_reviewed")
    if decision not in SubmissionReview.Decision.values:
        raise ValidationError({"decision": [_("Choose to accept or to return the case study.")]})
    if decision == SubmissionReview.Decision.RETURN and not comments.strip():
        raise ValidationError({"comments": [_("Tell the authors what to change before returning it.")]})
    review = SubmissionReview.objects.create(
        submission=submission,
        reviewer=actor,
        decision=decision,
        round=submission.round,
        comments=comments,
        comments_html=richtext.render_markdown(comments),
    )
    story = submission.story
    if decision == SubmissionReview.Decision.ACCEPT:
        submission.state = CaseStudySubmission.State.ACCEPTED
        story.kind = Story.Kind.CASE_STUDY
        _go_out(story, timezone.now())
    else:
        submission.state = CaseStudySubmission.State.RETURNED
        story.status = Story.Status.RETURNED
    submission.save(update_fields=["state"])
    story.save(update_fields=["kind", "status", "publish_at", "published_at", "updated_at"])
    return review


# --- Compendiums ------------------------------------------------------------------------------------


@transaction.atomic
def create_compendium(*, actor: User, network: Network, title: str, chapters: Sequence[str]) -> Compendium:
    permissions.check_run_network_stories(actor, network)
    if not title.strip():
        raise ValidationError({"title": [_("Give the compendium a title.")]})
    compendium = Compendium.objects.create(network=network, title=title.strip())
    CompendiumChapter.objects.bulk_create(
        CompendiumChapter(compendium=compendium, title=chapter.strip(), position=position)
        for position, chapter in enumerate(chapters, start=1)
    )
    return compendium


@transaction.atomic
def add_to_compendium(*, actor: User, chapter: CompendiumChapter, story: Story) -> CompendiumEntry:
    """Append a published story of the compendium's network at the end of `chapter`."""
    compendium = chapter.compendium
    permissions.check_curate_compendium(actor, compendium)
    if story.status != Story.Status.PUBLISHED or not story.networks.filter(pk=compendium.network_id).exists():
        raise ValidationError(
            _("Only stories published in %(network)s can join its compendium."),
            code="not_in_network",
            params={"network": compendium.network.name},
        )
    if chapter.entries.filter(story=story).exists():
        raise ValidationError(_("This story is already in this chapter."), code="already_in_chapter")
    # The chapter row is locked so that two curators appending at once do not take the same position.
    CompendiumChapter.objects.select_for_update().filter(pk=chapter.pk).get()
    last = chapter.entries.aggregate(last=Max("position"))["last"] or 0
    return CompendiumEntry.objects.create(chapter=chapter, story=story, position=last + 1)


@transaction.atomic
def publish_compendium_version(*, actor: User, compendium: Compendium) -> CompendiumVersion:
    """Freeze the compendium as it stands into its next numbered version."""
    permissions.check_curate_compendium(actor, compendium)
    # Locking the compendium numbers versions one after another even when two curators publish at once.
    Compendium.objects.select_for_update().filter(pk=compendium.pk).get()
    contents = _frozen_contents(compendium)
    if not any(chapter["entries"] for chapter in contents["chapters"]):
        raise ValidationError(_("Add at least one case study before publishing a version."), code="empty")
    last = compendium.versions.aggregate(last=Max("number"))["last"] or 0
    return CompendiumVersion.objects.create(
        compendium=compendium,
        number=last + 1,
        published_at=timezone.now(),
        published_by=actor,
        contents=contents,
    )


def _frozen_contents(compendium: Compendium) -> dict[str, Any]:
    chapters = compendium.chapters.prefetch_related(
        "entries__story__author", "entries__story__co_authors"
    ).order_by("position", "id")
    return {
        "title": compendium.title,
        "network": compendium.network.name,
        "chapters": [
            {
                "title": chapter.title,
                "entries": [
                    {
                        "story_id": entry.story_id,
                        "title": entry.story.title,
                        "summary": entry.story.summary,
                        "body_html": entry.story.body_html,
                        "authors": [str(entry.story.author)]
                        + [str(user) for user in entry.story.co_authors.all()],
                        "published_at": entry.story.published_at.isoformat()
                        if entry.story.published_at
                        else None,
                    }
                    for entry in chapter.entries.all()
                ],
            }
            for chapter in chapters
        ],
    }
