"""Reads for the pages of a network's compendiums and of their published versions, each with a fixed
number of queries whatever the number of chapters, case studies and versions.

A version is read from its frozen `contents` alone, never from the stories it was made of, so that it
says what it said the day it was published.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from network.permissions import AnyUser
from profiles.models import User
from stories.models import Compendium, CompendiumChapter, CompendiumEntry, CompendiumVersion, Story
from stories.selectors.calls import NetworkVisit, visit_network

# The kinds of story a compendium of good practice gathers.
COMPENDIUM_KINDS = (Story.Kind.CASE_STUDY, Story.Kind.BEST_PRACTICE)


# --- The list ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompendiumRow:
    compendium: Compendium
    latest_number: int | None
    latest_published_at: datetime | None


def compendium_list(visit: NetworkVisit) -> list[CompendiumRow]:
    """The network's compendiums by title, each with its latest version's number and date."""
    compendiums = (
        Compendium.objects.filter(network=visit.network)
        .annotate(latest_number=Max("versions__number"), latest_published_at=Max("versions__published_at"))
        .order_by("title", "pk")
    )
    rows = []
    for compendium in compendiums:
        compendium.network = visit.network
        rows.append(CompendiumRow(compendium, compendium.latest_number, compendium.latest_published_at))
    return rows


# --- One compendium ---------------------------------------------------------------------------------


def compendium_for_reader(
    viewer: AnyUser, network_slug: str, compendium_id: int
) -> tuple[NetworkVisit, Compendium] | None:
    """The compendium at this address, with its network, if `viewer` may read it."""
    compendium = (
        Compendium.objects.select_related("network")
        .filter(network__slug=network_slug, pk=compendium_id)
        .first()
    )
    visit = visit_network(viewer, compendium.network) if compendium is not None else None
    return (visit, compendium) if visit is not None and compendium is not None else None


@dataclass(frozen=True)
class EntryView:
    entry: CompendiumEntry
    authors: list[User]
    is_first: bool
    is_last: bool


@dataclass(frozen=True)
class ChapterView:
    chapter: CompendiumChapter
    entries: list[EntryView]


@dataclass(frozen=True)
class CompendiumPage:
    compendium: Compendium
    # Newest first, without their contents (the versions list needs only their numbers and dates).
    versions: list[CompendiumVersion]
    chapters: list[ChapterView]

    @property
    def next_number(self) -> int:
        return self.versions[0].number + 1 if self.versions else 1

    @property
    def is_empty(self) -> bool:
        return not any(chapter.entries for chapter in self.chapters)


def compendium_page(compendium: Compendium) -> CompendiumPage:
    """The compendium's published versions and its current chapters with their case studies, in order."""
    versions = list(compendium.versions.only("pk", "compendium_id", "number", "published_at"))
    entries = CompendiumEntry.objects.select_related("story__author").prefetch_related("story__co_authors")
    chapters = compendium.chapters.prefetch_related(Prefetch("entries", queryset=entries)).order_by(
        "position", "pk"
    )
    return CompendiumPage(
        compendium=compendium,
        versions=versions,
        chapters=[ChapterView(chapter, _entry_views(list(chapter.entries.all()))) for chapter in chapters],
    )


def _entry_views(entries: list[CompendiumEntry]) -> list[EntryView]:
    return [
        EntryView(
            entry=entry,
            authors=[entry.story.author, *entry.story.co_authors.all()],
            is_first=index == 0,
            is_last=index == len(entries) - 1,
        )
        for index, entry in enumerate(entries)
    ]


def addable_stories(compendium: Compendium) -> QuerySet[Story]:
    """The stories a curator may add to `compendium`: the network's published case studies and best
    practices not yet in it, by title."""
    return (
        Story.objects.filter(
            networks=compendium.network_id, status=Story.Status.PUBLISHED, kind__in=COMPENDIUM_KINDS
        )
        .exclude(compendium_entries__chapter__compendium=compendium)
        .order_by("title", "pk")
    )


# --- A published version ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentEntry:
    anchor: str
    title: str
    authors: list[str]
    summary: str
    # The story's HTML as richtext sanitized it when the story was written, frozen with the version.
    body_html: str
    published_at: datetime | None


@dataclass(frozen=True)
class DocumentChapter:
    number: int
    anchor: str
    title: str
    entries: list[DocumentEntry]


@dataclass(frozen=True)
class VersionDocument:
    """A published version as a document: what its printable page and its download show."""

    version: CompendiumVersion
    title: str
    network: str
    chapters: list[DocumentChapter]

    @property
    def filename(self) -> str:
        slug = slugify(self.version.compendium.title) or "compendium"
        return f"{slug}-v{self.version.number}.html"


def version_for_reader(
    viewer: AnyUser, network_slug: str, compendium_id: int, number: int
) -> CompendiumVersion | None:
    """Version `number` of the compendium at this address, with its compendium and network, if `viewer`
    may read it."""
    version = (
        CompendiumVersion.objects.filter(
            compendium__network__slug=network_slug, compendium_id=compendium_id, number=number
        )
        .select_related("compendium__network")
        .first()
    )
    if version is None or visit_network(viewer, version.compendium.network) is None:
        return None
    return version


def version_document(version: CompendiumVersion) -> VersionDocument:
    contents: dict[str, Any] = version.contents
    chapters = []
    for chapter_number, chapter in enumerate(contents.get("chapters", []), start=1):
        entries = [
            DocumentEntry(
                anchor=f"chapter-{chapter_number}-{entry_number}",
                title=entry.get("title", ""),
                authors=list(entry.get("authors", [])),
                summary=entry.get("summary", ""),
                body_html=entry.get("body_html", ""),
                published_at=parse_datetime(entry["published_at"]) if entry.get("published_at") else None,
            )
            for entry_number, entry in enumerate(chapter.get("entries", []), start=1)
        ]
        chapters.append(
            DocumentChapter(
                number=chapter_number,
                anchor=f"chapter-{chapter_number}",
                title=chapter.get("title", ""),
                entries=entries,
            )
        )
    return VersionDocument(
        version=version,
        title=contents.get("title", version.compendium.title),
        network=contents.get("network", version.compendium.network.name),
        chapters=chapters,
    )
