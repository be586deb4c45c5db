"""Writing a story: its drafts, their text and cover."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import richtext
from network.models import Network
from profiles import avatars
from profiles.models import Language, User
from stories import events, permissions
from stories.models import Story

COVER = avatars.PictureKind(
    noun=gettext_lazy("cover"), large=(1200, 630), small=(400, 210), max_bytes_setting="STORY_COVER_MAX_BYTES"
)
# A story in review is the reviewer's to read: its authors wait for the decision before editing again.
EDITABLE_STATUSES = frozenset(set(Story.Status) - {Story.Status.IN_REVIEW})


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
    published = story.status == Story.Status.PUBLISHED
    shared_before = set(story.networks.values_list("pk", flat=True)) if published else set()
    story.networks.set(text.networks)
    story.co_authors.set([user for user in text.co_authors if user.pk != story.author_id])
    story.tags.set(list(text.tags), clear=True)
    if published:
        shared_now = {network.pk for network in text.networks}
        events.announce_edited(story, left=shared_before - shared_now, joined=shared_now - shared_before)
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
