"""Reads shaped for the forum pages, each with a fixed number of queries whatever the page size.

Posts are paged by their `number`: page p holds the numbers ((p-1)·N, p·N], N being
settings.FORUM_POSTS_PER_PAGE. A post keeps its number for life and deleted posts stay as placeholders,
so the page of any post is known without a query and links to it never move.

A post is unread for a member when its number is above their `last_read_number` for the topic, it is
visible (not deleted, not hidden) and someone else wrote it. A topic the member never opened is "new"
when someone else started it after they joined the network (or signed up, for readers of a public
network), so that a newcomer to a busy forum is not shown every topic as new.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forums.events.topics import category_stream, topic_stream
from forums.models import (
    Category,
    CategoryWatch,
    Post,
    PostReaction,
    PostRevision,
    Topic,
    TopicReadState,
    TopicWatch,
)
from forums.models.reactions import REACTION_ORDER
from forums.permissions import topics as permissions
from forums.permissions.roles import moderates
from forums.selectors.chat import REACTION_LABELS, ReactionButton, Version
from moderation.models import AuditEntry, TargetKind
from moderation.permissions import report_refusal
from network.models import Membership, Network
from network.permissions import AnyUser
from profiles.models import Profile, User
from profiles.permissions import is_visible, viewer_networks_subquery
from profiles.selectors import initials_of
from realtime.models import Stream
from realtime.selectors import last_seq
from richtext import plain_text

QUOTE_EXCERPT_CHARACTERS = 200
# Where small pictures are kept: the page reads their names, not whole profiles (see `_posts`).
_AVATAR_STORAGE = Profile.avatar_small.field.storage

_InNetwork = TypeVar("_InNetwork", Topic, Category)


def page_of_number(number: int) -> int:
    """The page of a topic on which its post `number` stands."""
    return (max(number, 1) - 1) // settings.FORUM_POSTS_PER_PAGE + 1


def post_url(topic: Topic, number: int) -> str:
    """Where post `number` of `topic` is read: its page and its anchor, without a redirect."""
    return f"{topic.get_absolute_url()}?page={page_of_number(number)}#post-{number}"


# --- Excerpts ---------------------------------------------------------------------------------------


def quote_excerpt(body_html: str) -> str:
    """The beginning of a post as another post quotes it. What the post quoted itself is left out, so
    that quotes never nest more than one level deep."""
    return Truncator(" ".join(plain_text(body_html, without_quotes=True).split())).chars(
        QUOTE_EXCERPT_CHARACTERS
    )


@lru_cache(maxsize=256)
def _known_excerpt(body_html: str, language: str) -> str:
    """quote_excerpt, remembered: a quoted post is quoted on every view of the page that shows the
    quote. The language is part of the key because the excerpt's ellipsis is translated."""
    return quote_excerpt(body_html)


def quote_source(post: Post) -> str:
    """`post`'s Markdown as the start of a reply that quotes it. Lines it quoted itself are left out
    (one level of quoting, as the page shows it)."""
    lines = [line for line in post.body.splitlines() if not line.lstrip().startswith(">")]
    while lines and not lines[0].strip():
        lines.pop(0)
    quoted = "\n".join(f"> {line}".rstrip() for line in lines)
    heading = _("**%(author)s** wrote in [#%(number)s](%(url)s):") % {
        "author": post.author,
        "number": post.number,
        "url": post.get_absolute_url(),
    }
    return f"> {heading}\n>\n{quoted}\n\n"


# --- The forum's index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    can_start_topic: bool


@dataclass(frozen=True)
class ForumIndex:
    network: Network
    categories: list[CategoryRow]
    can_manage_categories: bool


def forum_index(*, viewer: AnyUser, network: Network, membership: Membership | None) -> ForumIndex:
    """`network`'s categories in order, each with its latest topic and its poster. One query."""
    categories = list(
        Category.objects.filter(network=network)
        .select_related("last_topic__last_poster")
        .order_by("position", "name")
    )
    rows = []
    for category in categories:
        category.network = network
        if category.last_topic is not None:
            category.last_topic.network = network
        rows.append(
            CategoryRow(
                category=category,
                can_start_topic=permissions.start_topic_refusal(viewer, category, membership) is None,
            )
        )
    return ForumIndex(
        network=network,
        categories=rows,
        can_manage_categories=permissions.manage_categories_refusal(viewer, membership) is None,
    )


# --- A category's topics ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicRow:
    """A topic as a category's list shows it to one viewer. Like PostView, it holds every value its row
    (templates/forums/topics/_topic_row.html) reads and nothing else: rendered rows are kept under a
    digest of it."""

    id: int
    slug: str
    title: str
    author_name: str
    is_pinned: bool
    is_locked: bool
    is_hidden: bool
    is_awaiting_approval: bool
    is_answered: bool
    reply_count: int
    view_count: int
    last_activity_at: datetime
    # Empty when there is nobody to name (the account is gone).
    last_poster_name: str
    highest_post_number: int
    # The pages of the first post the viewer has not read and of the last post, which its links open at.
    first_unread_page: int
    last_page: int
    # Never opened by the viewer, and started by someone else since they came.
    is_new: bool
    # Visible posts of others after the viewer's last read one (0 for topics never opened).
    unread: int
    last_read_number: int | None

    @property
    def first_unread_number(self) -> int:
        return (self.last_read_number or 0) + 1


@dataclass(frozen=True)
class CategoryPage:
    category: Category
    rows: list[TopicRow]
    page: Page[Topic]
    # The category stream's last sequence number, read before the topics (see TopicPage.stream_seq).
    stream_seq: int
    watch_level: str | None
    start_refusal: str | None
    can_watch: bool
    can_manage_categories: bool

    @property
    def stream(self) -> str:
        return category_stream(self.category.pk)

    @property
    def can_start_topic(self) -> bool:
        return self.start_refusal is None


def _visible_topics_q(viewer: AnyUser, membership: Membership | None) -> Q:
    """The topics of a readable forum that `viewer` may see in lists: never deleted ones; hidden ones
    only for moderators and their authors (as forums.permissions.topics says for one topic)."""
    shown = Q(deleted_at__isnull=True)
    if moderates(viewer, membership):
        return shown
    if viewer.is_authenticated:
        return shown & (Q(is_hidden=False) | Q(author_id=viewer.pk))
    return shown & Q(is_hidden=False)


def _last_read_number(viewer: User, topic_ref: str) -> Subquery:
    """How far `viewer` has read the topic `topic_ref` names in the outer query (None if never opened)."""
    states = TopicReadState.objects.filter(user_id=viewer.pk, topic=OuterRef(topic_ref))
    return Subquery(states.values("last_read_number")[:1], output_field=IntegerField())


def _unread_posts(viewer: User) -> QuerySet[Post]:
    return Post.objects.filter(deleted_at__isnull=True, is_hidden=False).exclude(author_id=viewer.pk)


# What a category's list shows of its topics and of the people who started them and posted last.
_TOPIC_ROW_FIELDS = (
    "slug",
    "title",
    "created_at",
    "last_activity_at",
    "reply_count",
    "view_count",
    "highest_post_number",
    "is_pinned",
    "is_locked",
    "is_hidden",
    "awaiting_approval",
    "accepted_post_id",
    "author__username",
    "author__display_name",
    "last_poster__username",
    "last_poster__display_name",
)


def category_page(
    *, viewer: AnyUser, category: Category, membership: Membership | None, page_number: int | str | None
) -> CategoryPage:
    """One page of `category`'s topics that `viewer` may see, pinned first then by last activity, with
    their authors, last posters and the viewer's unread counts. `category.network` must be loaded.
    Raises django.core.paginator.InvalidPage for a page that is not there. Four queries (two for
    visitors, who have no watch level nor unread counts): the stream's position, the count, the page
    and the viewer's watch level."""
    network = category.network
    stream_seq = last_seq(stream=category_stream(category.pk))
    topics = (
        Topic.objects.filter(category=category)
        .filter(_visible_topics_q(viewer, membership))
        .select_related("author", "last_poster")
        .only(*_TOPIC_ROW_FIELDS)
        .order_by("-is_pinned", "-last_activity_at", "-id")
    )
    if isinstance(viewer, User):
        unread = (
            _unread_posts(viewer)
            .filter(topic=OuterRef("pk"), number__gt=OuterRef("last_read_number"))
            .order_by()
            .values("topic")
            .annotate(count=Count("pk"))
            .values("count")
        )
        topics = topics.annotate(last_read_number=_last_read_number(viewer, "pk")).annotate(
            unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
        )
    page = Paginator(topics, settings.FORUM_TOPICS_PER_PAGE).page(page_number or 1)
    since = _newcomer_since(viewer, membership)
    rows = []
    for topic in page.object_list:
        last_read = getattr(topic, "last_read_number", None)
        rows.append(
            TopicRow(
                id=topic.pk,
                slug=topic.slug,
                title=topic.title,
                author_name=str(topic.author),
                is_pinned=topic.is_pinned,
                is_locked=topic.is_locked,
                is_hidden=topic.is_hidden,
                is_awaiting_approval=topic.awaiting_approval,
                is_answered=topic.accepted_post_id is not None,
                reply_count=topic.reply_count,
                view_count=topic.view_count,
                last_activity_at=topic.last_activity_at,
                last_poster_name=str(topic.last_poster) if topic.last_poster else "",
                highest_post_number=topic.highest_post_number,
                first_unread_page=page_of_number((last_read or 0) + 1),
                last_page=page_of_number(topic.highest_post_number),
                is_new=since is not None
                and last_read is None
                and topic.author_id != viewer.pk
                and topic.created_at >= since,
                unread=getattr(topic, "unread_count", 0) if last_read is not None else 0,
                last_read_number=last_read,
            )
        )
    watch_level = None
    if isinstance(viewer, User):
        watch_level = (
            CategoryWatch.objects.filter(user=viewer, category=category)
            .values_list("level", flat=True)
            .first()
        )
    return CategoryPage(
        category=category,
        rows=rows,
        page=page,
        stream_seq=stream_seq,
        watch_level=watch_level,
        start_refusal=permissions.start_topic_refusal(viewer, category, membership),
        can_watch=permissions.watch_refusal(viewer, network, membership) is None,
        can_manage_categories=permissions.manage_categories_refusal(viewer, membership) is None,
    )


def _newcomer_since(viewer: AnyUser, membership: Membership | None) -> datetime | None:
    """From when topics started by others count as new for `viewer` (None for visitors)."""
    if not viewer.is_authenticated:
        return None
    if membership is not None and membership.joined_at is not None:
        return membership.joined_at
    return viewer.date_joined


# --- A topic ----------------------------------------------------------------------------------------


def topic_for_reading(*, viewer: AnyUser, network_slug: str, topic_id: int) -> Topic | None:
    """The topic `topic_id` of the network at `network_slug`, with its network, category and author,
    and what the page needs of `viewer` in the same query: their membership row in the network
    (see `viewer_membership`), `last_read_number` (None if never opened), `watch_level` (None if never
    chosen) and `stream_seq` (the topic stream's position, read before the posts are). One query; None if
    there is no such topic. Says nothing of who may read it."""
    stream = Stream.objects.filter(key=topic_stream(topic_id)).values("last_seq")[:1]
    stream_seq = Coalesce(Subquery(stream), Value(0))
    # The accepted answer is not joined here: on its first page, the page's posts bring it (see
    # `topic_page`), and the joins it would take cost more to plan than the rest of the query.
    topics = Topic.objects.filter(pk=topic_id, network__slug=network_slug).select_related(
        "network", "category", "author"
    )
    if isinstance(viewer, User):
        watch = TopicWatch.objects.filter(user=viewer, topic=OuterRef("pk")).values("level")[:1]
        topics = _with_viewer_membership(topics, viewer).annotate(
            last_read_number=_last_read_number(viewer, "pk"),
            watch_level=Subquery(watch, output_field=CharField()),
        )
    # One row at most: sliced rather than `first()`, which would order it by its key, for nothing.
    topic = next(iter(topics.annotate(stream_seq=stream_seq)[:1]), None)
    if topic is not None:
        topic.category.network = topic.network  # links to the category need the network's slug
    return topic


def category_for_reading(*, viewer: AnyUser, network_slug: str, category_slug: str) -> Category | None:
    """The category at `category_slug` of the network at `network_slug`, with its network and `viewer`'s
    membership row in it (see `viewer_membership`). One query; None if there is no such category."""
    categories = Category.objects.filter(network__slug=network_slug, slug=category_slug).select_related(
        "network"
    )
    if isinstance(viewer, User):
        categories = _with_viewer_membership(categories, viewer)
    return categories.first()


def _with_viewer_membership(rows: QuerySet[_InNetwork], viewer: User) -> QuerySet[_InNetwork]:
    """`rows` (topics or categories) with `viewer`'s own membership row in their network joined in, so
    that a page learns who the viewer is there without a query of its own."""
    own = FilteredRelation("network__memberships", condition=Q(network__memberships__user=viewer))
    # django-stubs knows the models' own relations only, not this alias.
    return rows.annotate(viewer_membership=own).select_related("viewer_membership")  # type: ignore[misc]


def viewer_membership(row: Topic | Category) -> Membership | None:
    """The viewer's membership row (any state) that `topic_for_reading` or `category_for_reading` joined
    in, or None."""
    membership: Membership | None = getattr(row, "viewer_membership", None)
    if membership is not None:
        membership.network = row.network
    return membership


@dataclass(frozen=True)
class Quote:
    """Another post as one post shows it: the post it replies to, or the topic's accepted answer."""

    number: int
    author_name: str
    excerpt: str
    # Deleted, or hidden from the viewer: only that is said, never its words.
    is_gone: bool
    gone_label: str


def _quote(viewer: AnyUser, post: Post | None, membership: Membership | None) -> Quote | None:
    if post is None:
        return None
    if post.is_deleted:
        gone = _("post deleted")
    elif post.is_hidden and not (moderates(viewer, membership) or post.author_id == viewer.pk):
        gone = _("post hidden by the moderators")
    else:
        gone = ""
    return Quote(
        number=post.number,
        author_name=str(post.author),
        excerpt="" if gone else _known_excerpt(post.body_html, get_language()),
        is_gone=bool(gone),
        gone_label=gone,
    )


@dataclass(frozen=True)
class PostView:
    """A post as the topic page shows it to one viewer, and what they may do with it.

    It holds every value the post's fragment (templates/forums/topics/_post.html) reads, and nothing
    else: forums.views.topics keeps rendered fragments under a digest of this object, so that everyone
    shown the same post in the same way shares one fragment, and a fragment can never outlive what it
    shows (any change makes another digest)."""

    id: int
    number: int
    # The page of the topic the post stands on: its reply and quote links come back to it.
    page_number: int
    author_id: int
    author_name: str
    author_handle: str
    avatar_url: str
    created_at: datetime
    is_edited: bool
    # Empty for a placeholder: the page never carries words it does not show.
    body_html: str
    is_hidden: bool
    # Hidden until a moderator approves it (a new member's first posts); shown to its author and the
    # moderators only, marked so.
    is_awaiting_approval: bool
    # Why the moderators hid it, for those shown it anyway (its author, the moderators); else empty.
    hidden_reason: str
    is_deleted: bool
    quote: Quote | None
    reactions: tuple[ReactionButton, ...]
    # Under the opening post on the topic's first page: its accepted answer, if it has one.
    accepted: Quote | None
    is_new: bool
    is_accepted: bool
    # Deleted, or hidden from this viewer: the page shows a placeholder instead of its words.
    is_placeholder: bool
    can_edit: bool
    can_delete: bool
    can_react: bool
    can_reply: bool
    can_view_history: bool
    can_accept: bool
    # The moderators' tools (hide or restore, delete) and members' "Report" link.
    can_moderate: bool
    can_report: bool

    @property
    def author_initials(self) -> str:
        return initials_of(self.author_name)


# What the post fragment shows of a post and of the people around it; the rest of their rows (the
# Markdown source, passwords) stays in the database.
_POST_FIELDS = (
    "topic_id",
    "number",
    "body_html",
    "created_at",
    "edited_at",
    "deleted_at",
    "is_hidden",
    "hidden_reason",
    "awaiting_approval",
    "author__username",
    "author__display_name",
    "reply_to__number",
    "reply_to__author_id",
    "reply_to__body_html",
    "reply_to__deleted_at",
    "reply_to__is_hidden",
    "reply_to__author__username",
    "reply_to__author__display_name",
)


def _posts(viewer: AnyUser, topic: Topic) -> QuerySet[Post]:
    """`topic`'s posts with what the page shows of their authors (their avatar as two values, rather than
    as a whole profile) and of the posts they reply to."""
    posts = (
        Post.objects.filter(topic=topic)
        .select_related("author", "reply_to__author")
        .only(*_POST_FIELDS)
        .annotate(
            avatar_name=F("author__profile__avatar_small"),
            avatar_visibility=F("author__profile__avatar_visibility"),
        )
        .order_by("number")
    )
    if viewer.is_authenticated:
        # Whether the author shares an active network with the viewer: avatars may be for members only.
        shared = Membership.objects.filter(
            user_id=OuterRef("author_id"),
            state=Membership.State.ACTIVE,
            network_id__in=viewer_networks_subquery(viewer),
        )
        posts = posts.annotate(shares_network=Exists(shared))
    return posts


def post_views(
    *,
    viewer: AnyUser,
    topic: Topic,
    membership: Membership | None,
    posts: list[Post],
    last_read_number: int | None,
    accepted: Quote | None = None,
) -> list[PostView]:
    """`posts` of `topic` (from `_posts`) as `viewer` sees them, the opening post with the `accepted`
    answer under it; posts awaiting approval only for their authors and the moderators (to others they
    are not there yet). One query: the reactions on them."""
    reactions = _reactions_by_post(viewer, [post.pk for post in posts])
    reply_refusal = permissions.reply_to_topic_refusal(viewer, topic, membership)
    can_accept = permissions.accept_answer_refusal(viewer, topic, membership) is None
    sees_hidden = moderates(viewer, membership)
    may_report = report_refusal(viewer, membership) is None
    # Visitors only read: every action on a post needs an account, so their posts skip the rules.
    signed_in = viewer.is_authenticated
    views = []
    for post in posts:
        post.topic = topic  # the permission rules read the topic; it is the same one for every post
        author = post.author
        own = signed_in and post.author_id == viewer.pk
        if post.awaiting_approval and not (sees_hidden or own):
            continue
        placeholder = post.is_deleted or (post.is_hidden and not (sees_hidden or own))
        views.append(
            PostView(
                id=post.pk,
                number=post.number,
                page_number=page_of_number(post.number),
                author_id=post.author_id,
                author_name=str(author),
                author_handle=author.username,
                avatar_url=_avatar_url(viewer, post),
                created_at=post.created_at,
                is_edited=post.edited_at is not None,
                body_html="" if placeholder else post.body_html,
                is_hidden=post.is_hidden,
                is_awaiting_approval=post.awaiting_approval and not post.is_deleted,
                hidden_reason="" if placeholder else post.hidden_reason,
                is_deleted=post.is_deleted,
                quote=_quote(viewer, post.reply_to, membership),
                reactions=() if placeholder else reactions.get(post.pk, ()),
                accepted=accepted if post.number == 1 else None,
                is_new=last_read_number is not None
                and post.number > last_read_number
                and not own
                and not placeholder,
                is_accepted=topic.accepted_post_id == post.pk,
                is_placeholder=placeholder,
                can_edit=signed_in and permissions.edit_post_refusal(viewer, post, membership) is None,
                can_delete=signed_in and permissions.delete_post_refusal(viewer, post, membership) is None,
                # Reacting is replying in a word: refused with the reply box, it is not asked again.
                can_react=reply_refusal is None
                and not placeholder
                and permissions.react_to_post_refusal(viewer, post, membership) is None,
                can_reply=reply_refusal is None and not placeholder,
                can_view_history=signed_in
                and post.edited_at is not None
                and permissions.view_post_history_refusal(viewer, post, membership) is None,
                can_accept=can_accept and post.number > 1 and not placeholder,
                can_moderate=sees_hidden and not post.is_deleted,
                can_report=may_report and not own and not placeholder and not post.is_hidden,
            )
        )
    return views


def _avatar_url(viewer: AnyUser, post: Post) -> str:
    """The address of `post`'s author's small picture (from `_posts`), if `viewer` may see it."""
    name: str | None = getattr(post, "avatar_name", None)
    if not name:
        return ""
    shown = is_visible(
        getattr(post, "avatar_visibility", ""),
        is_owner=viewer.is_authenticated and viewer.pk == post.author_id,
        shares_network=getattr(post, "shares_network", False),
    )
    return _AVATAR_STORAGE.url(name) if shown else ""


def _reactions_by_post(viewer: AnyUser, post_ids: list[int]) -> dict[int, tuple[ReactionButton, ...]]:
    """The reaction counts of each post, in the fixed order of kinds, the viewer's own marked. One query."""
    if not post_ids:
        return {}
    mine = Count("pk", filter=Q(user_id=viewer.pk)) if viewer.is_authenticated else Value(0)
    counts = (
        PostReaction.objects.filter(post_id__in=post_ids)
        .values("post_id", "kind")
        .annotate(count=Count("pk"), mine=mine)
        .order_by()
    )
    labels: dict[str, str] = {}  # each kind's label translated once, not once for every post
    by_post: dict[int, list[ReactionButton]] = {}
    for row in sorted(counts, key=lambda row: REACTION_ORDER.get(row["kind"], len(REACTION_ORDER))):
        kind = row["kind"]
        if kind not in labels:
            labels[kind] = str(REACTION_LABELS.get(kind, kind))
        by_post.setdefault(row["post_id"], []).append(
            ReactionButton(kind=kind, label=labels[kind], count=row["count"], mine=row["mine"] > 0)
        )
    return {post_id: tuple(buttons) for post_id, buttons in by_post.items()}


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    posts: list[PostView]
    page: Page[int]
    # The topic stream's last sequence number, read before the posts: the page follows the stream from
    # there, so nothing committed in between is missed (a post seen twice is shown once).
    stream_seq: int
    # How far the viewer had read before this visit (None: never opened, or a visitor).
    last_read_number: int | None
    watch_level: str | None
    reply_refusal: str | None
    locked_notice: str | None
    is_member: bool
    can_watch: bool
    can_moderate: bool
    # Members who did not start the topic may report it to the moderators.
    can_report: bool
    can_accept: bool
    can_rename: bool

    @property
    def stream(self) -> str:
        return topic_stream(self.topic.pk)

    @property
    def can_reply(self) -> bool:
        return self.reply_refusal is None

    @property
    def last_number(self) -> int:
        """The number of the last post on this page (0 if it has none)."""
        return self.posts[-1].number if self.posts else 0

    @property
    def is_last_page(self) -> bool:
        return not self.page.has_next()

    @property
    def first_new_number(self) -> int | None:
        for view in self.posts:
            if view.is_new:
                return view.number
        return None


def topic_pages(topic: Topic) -> Paginator[int]:
    """The pages of `topic`: post numbers, FORUM_POSTS_PER_PAGE to a page. No query."""
    return Paginator(range(1, topic.highest_post_number + 1), settings.FORUM_POSTS_PER_PAGE)


def topic_page(
    *, viewer: AnyUser, topic: Topic, membership: Membership | None, page_number: int | str | None
) -> TopicPage:
    """Page `page_number` of `topic` (from `topic_for_reading`) as `viewer`, who may read it, sees it.
    Raises django.core.paginator.InvalidPage for a page that is not there. Two queries: the posts with
    their authors and the posts they reply to (and, on the first page, the accepted answer, which the
    opening post shows under itself), and the reactions."""
    page = topic_pages(topic).page(page_number or 1)
    last_read = getattr(topic, "last_read_number", None)
    # A topic whose posts all went to another (merged) has one empty page.
    first, last = (page.object_list[0], page.object_list[-1]) if page.object_list else (1, 0)
    shown = Q(number__gte=first, number__lte=last)
    if first == 1 and topic.accepted_post_id is not None:
        shown |= Q(pk=topic.accepted_post_id)
    rows = list(_posts(viewer, topic).filter(shown))
    answer = next((post for post in rows if post.pk == topic.accepted_post_id), None)
    if answer is not None:
        answer.topic = topic
    return TopicPage(
        topic=topic,
        posts=post_views(
            viewer=viewer,
            topic=topic,
            membership=membership,
            posts=[post for post in rows if first <= post.number <= last],
            last_read_number=last_read,
            accepted=_quote(viewer, answer, membership),
        ),
        page=page,
        stream_seq=getattr(topic, "stream_seq", 0),
        last_read_number=last_read,
        watch_level=getattr(topic, "watch_level", None),
        reply_refusal=permissions.reply_to_topic_refusal(viewer, topic, membership),
        locked_notice=permissions.locked_topic_notice(topic),
        is_member=membership is not None,
        can_watch=permissions.watch_refusal(viewer, topic.network, membership) is None,
        can_moderate=permissions.moderate_topic_refusal(viewer, membership) is None,
        can_report=report_refusal(viewer, membership) is None
        and topic.author_id != viewer.pk
        and not (topic.is_hidden or topic.is_deleted),
        can_accept=permissions.accept_answer_refusal(viewer, topic, membership) is None,
        can_rename=permissions.rename_topic_refusal(viewer, topic, membership) is None,
    )


def posts_after(
    *, viewer: AnyUser, topic: Topic, membership: Membership | None, after: int, limit: int
) -> list[PostView]:
    """Up to `limit` posts of `topic` numbered after `after`, as the page would show them (what a page
    that follows the topic live fetches to show new replies; the accepted answer is the first page's
    to show). Two queries."""
    posts = list(_posts(viewer, topic).filter(number__gt=after)[:limit])
    return post_views(viewer=viewer, topic=topic, membership=membership, posts=posts, last_read_number=None)


def merged_into(topic: Topic) -> Topic | None:
    """The topic that `topic`, deleted by a merge, became part of (by its latest merge), or None. The
    merge's audit entry (moderation.services.forum.merge_topics: `after["into"]`) is its only record,
    so that a merge stores nothing the log does not already hold. One query, for deleted topics only."""
    if not topic.is_deleted:
        return None
    after = (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.TOPIC_MERGE, target_kind=TargetKind.TOPIC, target_id=topic.pk
        )
        .order_by("-created_at", "-id")
        .values_list("after", flat=True)
        .first()
    )
    if not isinstance(after, dict) or not isinstance(after.get("into"), int):
        return None
    return Topic.objects.select_related("network").filter(pk=after["into"], network=topic.network_id).first()


def split_choices(topic: Topic, numbers: Iterable[int]) -> list[tuple[int, str]]:
    """The replies among `numbers` of `topic` a moderator may split off (not deleted), each labelled by
    its number, author and beginning. One query."""
    posts = (
        Post.objects.filter(topic=topic, number__in=list(numbers), number__gt=1, deleted_at__isnull=True)
        .select_related("author")
        .only("number", "body_html", "author__username", "author__display_name")
        .order_by("number")
    )
    return [
        (
            post.number,
            _("#%(number)s by %(author)s: %(excerpt)s")
            % {
                "number": post.number,
                "author": post.author,
                "excerpt": _known_excerpt(post.body_html, get_language()),
            },
        )
        for post in posts
    ]


def post_versions(post: Post) -> list[Version]:
    """Every version of `post`, newest first, its current text included. One query."""
    earlier = [
        Version(revision.created_at, revision.body_html, False)
        for revision in PostRevision.objects.filter(post=post).order_by("created_at", "pk")
    ]
    current = Version(post.edited_at or post.created_at, post.body_html, True)
    return [current, *reversed(earlier)]
