"""The stories feed: the published stories a viewer may see, featured first then newest, read by keyset.

A page ends with a cursor: the (featured, published_at, id) of its last card, signed so that nobody can
forge one (a tampered cursor is refused with InvalidCursor, never read). The next page is the rows after
that key in the feed's order, which the partial index `story_feed` serves without OFFSET, so a page costs
the same however deep it is, and stories published meanwhile never shift a page's rows.

Every page runs the same queries whatever its size: the stories with their authors' profiles and their
reaction and comment counts (one query), then their co-authors, networks and tags (one query each).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from taggit.models import TaggedItem

from network.models import Network
from network.permissions import AnyUser, visible_networks_q
from profiles.models import Language, User
from profiles.permissions import visible_field_q
from profiles.selectors import initials_of
from realtime.models import Stream
from realtime.streams import stream_key
from stories.events import STREAM_KIND, network_stream
from stories.models import Story, StoryComment, StoryReaction
from stories.permissions import published_stories_q

PAGE_SIZE = 20
PROFILE_STORIES = 5
CURSOR_SALT = "stories.feed"


class InvalidCursor(ValueError):
    """A page cursor that this site did not sign, or that was altered."""


@dataclass(frozen=True)
class Cursor:
    """Where a page of the feed ends: the sort key of its last card."""

    featured: bool
    published_at: datetime
    id: int


def encode_cursor(cursor: Cursor) -> str:
    return signing.dumps([cursor.featured, cursor.published_at.isoformat(), cursor.id], salt=CURSOR_SALT)


def decode_cursor(token: str) -> Cursor:
    try:
        featured, published_at, story_id = signing.loads(token, salt=CURSOR_SALT)
        cursor = Cursor(bool(featured), datetime.fromisoformat(published_at), int(story_id))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidCursor(token) from error
    if cursor.published_at.tzinfo is None:
        raise InvalidCursor(token)
    return cursor


# --- What the feed may be narrowed to ---------------------------------------------------------------


@dataclass(frozen=True)
class FeedNetwork:
    """A network the viewer may see, with the position of its stories stream when it was read (before
    the stories, so that a page following the stream from there misses nothing)."""

    network: Network
    stream: str
    last_seq: int


@dataclass(frozen=True)
class FeedChoices:
    networks: list[FeedNetwork]
    # Every known language by code, and those the viewer's published stories are written in.
    languages: dict[str, Language]
    languages_in_use: list[Language]


@dataclass(frozen=True)
class FeedFilters:
    """What the feed is narrowed to; None and "" do not narrow. `tag` is a taggit Tag."""

    network: Network | None = None
    kind: str = ""
    tag: Any = None
    region: str = ""
    language: Language | None = None
    # The stories `author` wrote or co-wrote.
    author: User | None = None


def feed_choices(*, viewer: AnyUser) -> FeedChoices:
    """The networks `viewer` may see (with their streams' positions) and the languages. Two queries."""
    stream_seq = Stream.objects.filter(
        key=Concat(Value(stream_key(STREAM_KIND, "")), Cast(OuterRef("pk"), CharField()))
    ).values("last_seq")[:1]
    networks = (
        Network.objects.filter(visible_networks_q(viewer))
        .annotate(stream_seq=Coalesce(Subquery(stream_seq), Value(0)))
        .only("id", "name", "slug")
        .order_by("name")
    )
    in_use = Story.objects.filter(published_stories_q(viewer), language=OuterRef("pk"))
    languages = list(Language.objects.annotate(in_use=Exists(in_use)).order_by("name"))
    return FeedChoices(
        networks=[
            FeedNetwork(network=network, stream=network_stream(network.pk), last_seq=network.stream_seq)
            for network in networks
        ],
        languages={language.code: language for language in languages},
        languages_in_use=[language for language in languages if language.in_use],
    )


# --- Cards ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    name: str
    url: str


@dataclass(frozen=True)
class TagLink:
    name: str
    slug: str


_Named = TypeVar("_Named", Link, TagLink)


@dataclass(frozen=True)
class StoryCard:
    """A published story as the feed shows it to one viewer: everything templates/stories/_story_card.html
    reads. `author_avatar_url` is None when the viewer may not see the author's picture; `networks` are
    only those the viewer may see."""

    id: int
    url: str
    title: str
    summary: str
    kind: str
    kind_label: str
    featured: bool
    published_at: datetime
    cover_small_url: str
    author: Link
    author_initials: str
    author_avatar_url: str | None
    co_authors: list[Link]
    networks: list[Link]
    tags: list[TagLink]
    reaction_count: int
    comment_count: int


@dataclass(frozen=True)
class FeedPage:
    cards: list[StoryCard]
    # The cursor of the next page, None on the last one.
    next_cursor: str | None
    is_first_page: bool


def feed_page(*, viewer: AnyUser, filters: FeedFilters, after: Cursor | None = None) -> FeedPage:
    """The page of the feed after `after` (the first page without it), narrowed by `filters`."""
    stories = _narrowed(Story.objects.filter(published_stories_q(viewer)), viewer, filters)
    if after is not None:
        stories = stories.filter(_after(after))
    ordered = stories.order_by("-featured", "-published_at", "-id")
    # One card more than a page tells whether there is a next page.
    cards = story_cards(viewer=viewer, stories=ordered, limit=PAGE_SIZE + 1)
    shown = cards[:PAGE_SIZE]
    next_cursor = None
    if len(cards) > PAGE_SIZE:
        last = shown[-1]
        next_cursor = encode_cursor(Cursor(last.featured, last.published_at, last.id))
    return FeedPage(cards=shown, next_cursor=next_cursor, is_first_page=after is None)


def story_cards(*, viewer: AnyUser, stories: QuerySet[Story], limit: int) -> list[StoryCard]:
    """The first `limit` of `stories` (published ones `viewer` may see, narrowed and ordered by the
    caller) as cards for `viewer`. Four queries whatever `limit`.

    Co-authors, networks and tags are read as flat rows, one query each, rather than through
    prefetch_related: that builds a queryset per story (taggit's manager a costly one), which cost a
    feed page more than its SQL."""
    loaded = list(_for_cards(stories, viewer)[:limit])
    ids = [story.pk for story in loaded]
    co_authors = _grouped(
        Story.co_authors.through.objects.filter(story_id__in=ids).values_list(
            "story_id", "user__username", "user__display_name"
        ),
        lambda username, display_name: Link(
            display_name or username, reverse("profiles:detail", args=[username])
        ),
    )
    networks = _grouped(
        Story.networks.through.objects.filter(
            story_id__in=ids, network__in=Network.objects.filter(visible_networks_q(viewer))
        ).values_list("story_id", "network__name", "network__slug"),
        lambda name, slug: Link(name, reverse("network:home", args=[slug])),
    )
    tags = _grouped(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Story), object_id__in=ids
        ).values_list("object_id", "tag__name", "tag__slug"),
        TagLink,
    )
    return [
        _card(story, co_authors.get(story.pk, []), networks.get(story.pk, []), tags.get(story.pk, []))
        for story in loaded
    ]


def _grouped(rows: Iterable[tuple[Any, ...]], make: Callable[..., _Named]) -> dict[int, list[_Named]]:
    """`rows` of (story id, *fields) as each story's list of `make(*fields)`, sorted by name."""
    grouped: dict[int, list[_Named]] = {}
    for story_id, *fields in rows:
        grouped.setdefault(story_id, []).append(make(*fields))
    for items in grouped.values():
        items.sort(key=lambda item: item.name.lower())
    return grouped


def stories_by(*, viewer: AnyUser, user: User, limit: int = PROFILE_STORIES) -> list[Story]:
    """The latest published stories `user` wrote or co-wrote that `viewer` may see, for their profile.
    One query; only what a link to each needs is loaded."""
    stories = Story.objects.filter(published_stories_q(viewer), _by(user))
    return list(
        stories.only("id", "slug", "title", "kind", "published_at").order_by("-published_at", "-id")[:limit]
    )


def _by(user: User) -> Q:
    co_written = Story.co_authors.through.objects.filter(story=OuterRef("pk"), user=user)
    return Q(author=user) | Q(Exists(co_written))


def _narrowed(stories: QuerySet[Story], viewer: AnyUser, filters: FeedFilters) -> QuerySet[Story]:
    if filters.network is not None:
        stories = stories.filter(networks=filters.network)
    if filters.kind:
        stories = stories.filter(kind=filters.kind)
    if filters.tag is not None:
        stories = stories.filter(tags=filters.tag)
    if filters.language is not None:
        stories = stories.filter(language=filters.language)
    if filters.region:
        # Only authors whose country the viewer may see, or the filter would reveal a hidden region.
        authors = User.objects.filter(
            visible_field_q(viewer, "region"), pk=OuterRef("author_id"), profile__region=filters.region
        )
        stories = stories.filter(Exists(authors))
    if filters.author is not None:
        stories = stories.filter(_by(filters.author))
    return stories


def _after(cursor: Cursor) -> Q:
    """The stories after `cursor` in the feed's order (featured, published_at, id), all descending."""
    older = Q(published_at__lt=cursor.published_at) | Q(published_at=cursor.published_at, pk__lt=cursor.id)
    if cursor.featured:
        return Q(featured=False) | (Q(featured=True) & older)
    return Q(featured=False) & older


def _count_of(model: type[Model], **conditions: Any) -> Coalesce:
    """How many rows of `model` belong to the outer story, as a subquery: joining both reactions and
    comments would multiply each other's rows."""
    rows = (
        model._default_manager.filter(story=OuterRef("pk"), **conditions)
        .order_by()
        .values("story")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _for_cards(stories: QuerySet[Story], viewer: AnyUser) -> QuerySet[Story]:
    avatar_shown = User.objects.filter(visible_field_q(viewer, "avatar"), pk=OuterRef("author_id"))
    return (
        stories.select_related("author__profile")
        .defer("body", "body_html", "cover", "author__profile__bio", "author__profile__bio_html")
        .annotate(
            reaction_count=_count_of(StoryReaction),
            comment_count=_count_of(StoryComment, deleted_at__isnull=True),
            author_avatar_shown=Exists(avatar_shown),
        )
    )


def _card(story: Story, co_authors: list[Link], networks: list[Link], tags: list[TagLink]) -> StoryCard:
    author = story.author
    profile = author.profile
    shows_avatar = story.author_avatar_shown and profile.avatar_small  # type: ignore[attr-defined]
    assert story.published_at is not None
    return StoryCard(
        id=story.pk,
        url=story.get_absolute_url(),
        title=story.title,
        summary=story.summary,
        kind=story.kind,
        kind_label=story.get_kind_display(),
        featured=story.featured,
        published_at=story.published_at,
        cover_small_url=story.cover_small.url if story.cover_small else "",
        author=Link(str(author), author.get_absolute_url()),
        author_initials=initials_of(str(author)),
        author_avatar_url=profile.avatar_small.url if shows_avatar else None,
        co_authors=co_authors,
        networks=networks,
        tags=tags,
        reaction_count=story.reaction_count,  # type: ignore[attr-defined]
        comment_count=story.comment_count,  # type: ignore[attr-defined]
    )
