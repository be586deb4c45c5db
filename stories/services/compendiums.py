"""Compendiums: a network's case studies gathered in chapters, arranged by its admins, and published as
frozen, numbered versions."""

from collections.abc import Sequence
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Network
from profiles.models import User
from stories import permissions
from stories.models import Compendium, CompendiumChapter, CompendiumEntry, CompendiumVersion, Story

Direction = Literal["up", "down"]
# Positions count from 1, so an entry being swapped waits at 0 while its neighbour takes its place: the
# unique (chapter, position) constraint is checked row by row, and a swap in one statement would break it.
_SWAP_PARKING = 0


@transaction.atomic
def create_compendium(*, actor: User, network: Network, title: str, chapters: Sequence[str]) -> Compendium:
    permissions.check_run_network_stories(actor, network)
    title = title.strip()
    chapter_titles = [chapter.strip() for chapter in chapters if chapter.strip()]
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the compendium a title.")]
    elif Compendium.objects.filter(network=network, title=title).exists():
        errors["title"] = [_("This network already has a compendium with this title.")]
    if len(set(chapter_titles)) != len(chapter_titles):
        errors["chapters"] = [_("Give each chapter its own title: two lines are the same.")]
    if errors:
        raise ValidationError(errors)
    compendium = Compendium.objects.create(network=network, title=title)
    CompendiumChapter.objects.bulk_create(
        CompendiumChapter(compendium=compendium, title=chapter, position=position)
        for position, chapter in enumerate(chapter_titles, start=1)
    )
    return compendium


@transaction.atomic
def add_chapter(*, actor: User, compendium: Compendium, title: str) -> CompendiumChapter:
    """Append a chapter at the end of `compendium`."""
    permissions.check_curate_compendium(actor, compendium)
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Give the chapter a title.")]})
    # The compendium row is locked so that two curators adding chapters at once do not take one position.
    Compendium.objects.select_for_update().filter(pk=compendium.pk).get()
    if compendium.chapters.filter(title=title).exists():
        raise ValidationError({"title": [_("This compendium already has a chapter with this title.")]})
    last = compendium.chapters.aggregate(last=Max("position"))["last"] or 0
    return CompendiumChapter.objects.create(compendium=compendium, title=title, position=last + 1)


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
def move_entry(*, actor: User, entry: CompendiumEntry, direction: Direction) -> CompendiumEntry:
    """Swap `entry` with the one before it (`up`) or after it (`down`) in its chapter."""
    permissions.check_curate_compendium(actor, entry.chapter.compendium)
    # Locked so that a move and another curator's append or move of the same chapter happen one by one.
    CompendiumChapter.objects.select_for_update().filter(pk=entry.chapter_id).get()
    entry.refresh_from_db(fields=["position"])
    siblings = CompendiumEntry.objects.filter(chapter_id=entry.chapter_id)
    if direction == "up":
        neighbour = siblings.filter(position__lt=entry.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=entry.position).order_by("position").first()
    if neighbour is None:
        if direction == "up":
            raise ValidationError(_("This case study is already first in its chapter."), code="at_edge")
        raise ValidationError(_("This case study is already last in its chapter."), code="at_edge")
    own_position, neighbour_position = entry.position, neighbour.position
    siblings.filter(pk=entry.pk).update(position=_SWAP_PARKING)
    siblings.filter(pk=neighbour.pk).update(position=own_position)
    siblings.filter(pk=entry.pk).update(position=neighbour_position)
    entry.position = neighbour_position
    return entry


@transaction.atomic
def remove_entry(*, actor: User, entry: CompendiumEntry) -> None:
    """Take a case study out of its chapter; versions already published keep it."""
    permissions.check_curate_compendium(actor, entry.chapter.compendium)
    CompendiumEntry.objects.filter(pk=entry.pk).delete()


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
