"""Reads for the pages of one story (reading it, its preview) and for an author's own list, each in a
fixed number of queries whatever the number of comments, reactions, co-authors or stories.

Who may read and do what is asked of stories.permissions: the facts its rules need (who wrote the story,
the viewer's rows in its networks) are loaded once with the story, and every rule is then asked of them
without a query of its own.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy

from forums.models.reactions import ReactionKind
from forums.selectors.chat import ReactionButton
from moderation.models import TargetKind
from network.models import Membership, Network
from network.permissions import AnyUser, view_network_refusal
from profiles.models import Profile, User
from profiles.permissions import is_visible, viewer_networks_subquery
from profiles.selectors import initials_of
from stories import permissions
from stories.models import CaseStudySubmission, Story, StoryComment, StoryReaction
from stories.services.publishing import SUBMITTABLE_STATUSES
from stories.services.writing import EDITABLE_STATUSES

# Where small pictures are kept: the pages read their names, not whole profiles.
_AVATAR_STORAGE = Profile.avatar_small.field.storage
UNPUBLISHABLE_STATUSES = frozenset({Story.Status.PUBLISHED, Story.Status.SCHEDULED})
# The groups of an author's own list, in order, with their headings.
MINE_GROUPS = (
    (Story.Status.DRAFT, gettext_lazy("Drafts")),
    (Story.Status.IN_REVIEW, gettext_lazy("In review")),
    (Story.Status.RETURNED, gettext_lazy("Returned for changes")),
    (Story.Status.SCHEDULED, gettext_lazy("Scheduled")),
    (Story.Status.PUBLISHED, gettext_lazy("Published")),
    (Story.Status.UNPUBLISHED, gettext_lazy("Unpublished")),
)


@dataclass(frozen=True)
class Person:
    """Someone as a story page names them: an author, a co-author, a commenter."""

    name: str
    handle: str
    avatar_url: str

    @property
    def initials(self) -> str:
        return initials_of(self.name)

    @property
    def url(self) -> str:
        return reverse("profiles:detail", args=[self.handle])


def _avatar_fields(viewer: AnyUser, path: str, user_ref: str) -> dict[str, Any]:
    """Annotations that tell whose small picture to show, for the user at `path` ("" for the rows
    themselves), whose id `user_ref` names in the outer query: the picture's name, its audience and,
    for a signed-in viewer, whether its owner shares an active network with them."""
    prefix = f"{path}__" if path else ""
    fields: dict[str, Any] = {
        "avatar_name": F(f"{prefix}profile__avatar_small"),
        "avatar_visibility": F(f"{prefix}profile__avatar_visibility"),
    }
    if isinstance(viewer, User):
        fields["shares_network"] = Exists(
            Membership.objects.filter(
                user_id=OuterRef(user_ref),
                state=Membership.State.ACTIVE,
                network_id__in=viewer_networks_subquery(viewer),
            )
        )
    return fields


def _person(viewer: AnyUser, user: User, annotated: object) -> Person:
    """`user` as a page names them, their picture read from what `_avatar_fields` put on `annotated`."""
    name: str | None = getattr(annotated, "avatar_name", None)
    shown = bool(name) and is_visible(
        getattr(annotated, "avatar_visibility", ""),
        is_owner=viewer.is_authenticated and viewer.pk == user.pk,
        shares_network=getattr(annotated, "shares_network", False),
    )
    return Person(
        name=str(user), handle=user.username, avatar_url=_AVATAR_STORAGE.url(name) if shown and name else ""
    )


# --- One story and its reader -----------------------------------------------------------------------


@dataclass(frozen=True)
class StoryVisit:
    """A story someone may read, with what its pages and actions need to know of them."""

    story: Story
    # The author first, then the co-authors by name.
    authors: list[Person]
    networks: list[Network]
    is_author: bool
    # The viewer's active rows in the story's networks, each with its network loaded.
    memberships: list[Membership]
    # Sent to a call and waiting for its reviewers, who publish it by accepting it.
    under_call_review: bool = False


def _load_story(viewer: AnyUser, **where: Any) -> Story | None:
    """The story matching `where`, with its author, co-authors (pictures as `viewer` may see them),
    networks (each with `viewer`'s own row in it as `viewer_membership`, if any), tags and language.
    Four queries."""
    co_authors = User.objects.annotate(**_avatar_fields(viewer, "", "pk")).order_by("display_name", "pk")
    networks = Network.objects.order_by("name")
    if isinstance(viewer, User):
        own = FilteredRelation("memberships", condition=Q(memberships__user=viewer))
        # django-stubs knows the models' own relations only, not this alias.
        networks = networks.annotate(viewer_membership=own).select_related("viewer_membership")  # type: ignore[misc]
    # Nor does it know taggit's manager, which prefetches all the same.
    tagged = Story.objects.prefetch_related("tags")  # type: ignore[misc]
    return (
        tagged.filter(**where)
        .select_related("author", "language")
        .annotate(
            **_avatar_fields(viewer, "author", "author_id"),
            under_call_review=Exists(
                CaseStudySubmission.objects.filter(
                    story=OuterRef("pk"), state=CaseStudySubmission.State.SUBMITTED
                )
            ),
        )
        .prefetch_related(
            Prefetch("networks", queryset=networks), Prefetch("co_authors", queryset=co_authors)
        )
        .first()
    )


def _authors(viewer: AnyUser, story: Story) -> list[Person]:
    return [
        _person(viewer, story.author, story),
        *(_person(viewer, user, user) for user in story.co_authors.all()),
    ]


def story_for_reader(*, viewer: AnyUser, pk: int) -> StoryVisit | None:
    """The story `pk` with its author, co-authors, networks, tags and language, if `viewer` may read it;
    None when there is no such story or they may not read it (nobody learns that a story exists that
    they may not see). Four queries."""
    story = _load_story(viewer, pk=pk)
    if story is None:
        return None
    networks = list(story.networks.all())
    rows: dict[int, Membership] = {}
    for network in networks:
        row: Membership | None = getattr(network, "viewer_membership", None)
        if row is not None:
            row.network = network
            rows[network.pk] = row
    is_author = viewer.is_authenticated and (
        story.author_id == viewer.pk or any(user.pk == viewer.pk for user in story.co_authors.all())
    )
    active = [row for row in rows.values() if row.state == Membership.State.ACTIVE]
    sees_a_network = any(
        view_network_refusal(viewer, network, rows.get(network.pk)) is None for network in networks
    )
    if permissions.read_story_refusal(viewer, story, is_author, active, sees_a_network) is not None:
        return None
    return StoryVisit(
        story=story,
        authors=_authors(viewer, story),
        networks=networks,
        is_author=is_author,
        memberships=active,
        under_call_review=story.under_call_review,  # type: ignore[attr-defined]
    )


def story_for_preview(*, token: str) -> StoryVisit | None:
    """The story whose preview link carries `token`, as anyone holding the link reads it: as a visitor,
    whoever they are. None if no story has it. Four queries."""
    nobody = AnonymousUser()
    story = _load_story(nobody, preview_token=token)
    if story is None:
        return None
    return StoryVisit(
        story=story,
        authors=_authors(nobody, story),
        networks=list(story.networks.all()),
        is_author=False,
        memberships=[],
    )


@dataclass(frozen=True)
class StoryActions:
    """What the viewer may do with the story now, each by its rule in stories.permissions and by the
    story's status (what the services would accept)."""

    can_edit: bool
    can_submit: bool
    can_publish: bool
    can_unpublish: bool
    can_feature: bool
    # The preview link is the authors' to share while the story is not out.
    shows_preview_link: bool

    @property
    def has_any(self) -> bool:
        return (
            any((self.can_edit, self.can_submit, self.can_publish, self.can_unpublish, self.can_feature))
            or self.shows_preview_link
        )


def story_actions(viewer: AnyUser, visit: StoryVisit) -> StoryActions:
    """No query: the rules are asked of what `story_for_reader` loaded."""
    story, memberships, is_author = visit.story, visit.memberships, visit.is_author
    if not viewer.is_authenticated:
        return StoryActions(False, False, False, False, False, False)
    status = story.status
    can_edit = permissions.edit_story_refusal(viewer, is_author, memberships) is None
    can_publish = (
        permissions.publish_story_refusal(viewer, memberships) is None
        and status != Story.Status.PUBLISHED
        and not visit.under_call_review
    )
    return StoryActions(
        can_edit=can_edit and status in EDITABLE_STATUSES,
        # Those who may publish do so rather than send the story to themselves for review.
        can_submit=not can_publish
        and status in SUBMITTABLE_STATUSES
        and permissions.submit_story_refusal(viewer, is_author, memberships) is None,
        can_publish=can_publish,
        can_unpublish=status in UNPUBLISHABLE_STATUSES
        and permissions.unpublish_story_refusal(viewer, is_author, memberships) is None,
        can_feature=(status == Story.Status.PUBLISHED or story.featured)
        and permissions.feature_story_refusal(viewer, memberships) is None,
        shows_preview_link=can_edit and status != Story.Status.PUBLISHED,
    )


@dataclass(frozen=True)
class CommentView:
    """A comment as the story page shows it to one viewer. A deleted one stands in for its replies and
    carries neither author nor words."""

    id: int
    author: Person | None
    created_at: datetime
    body_html: str
    is_deleted: bool
    can_delete: bool
    can_reply: bool
    # Where the viewer reports the comment to the moderators ("" when they may not).
    report_url: str
    replies: tuple["CommentView", ...]


@dataclass(frozen=True)
class StoryPage:
    visit: StoryVisit
    actions: StoryActions
    reactions: list[ReactionButton]
    comments: list[CommentView]
    # Comments and replies shown with their words.
    comment_count: int
    # Why the viewer may not comment and react (None when they may).
    discuss_refusal: str | None
    # The call the story was sent to, while it is reviewed or returned there (for its authors and
    # those who may publish it).
    submission: CaseStudySubmission | None

    @property
    def story(self) -> Story:
        return self.visit.story

    @property
    def can_discuss(self) -> bool:
        return self.discuss_refusal is None

    @property
    def submission_url(self) -> str:
        if self.submission is None:
            return ""
        return reverse("stories:submission", args=[self.submission.call.network.slug, self.submission.pk])


def story_page(*, viewer: AnyUser, visit: StoryVisit) -> StoryPage:
    """What the story page shows around the story of `visit` (from `story_for_reader`): the reactions,
    the comments with their authors, what the viewer may do. Two queries, three for a story in review or
    returned shown to its authors or publishers."""
    story = visit.story
    actions = story_actions(viewer, visit)
    discuss_refusal = permissions.discuss_story_refusal(viewer, story, visit.memberships)
    submission = None
    if story.status in (Story.Status.IN_REVIEW, Story.Status.RETURNED) and (
        visit.is_author or permissions.publisher_refusal(viewer, visit.memberships) is None
    ):
        submission = (
            CaseStudySubmission.objects.filter(story=story)
            .exclude(state=CaseStudySubmission.State.ACCEPTED)
            .select_related("call__network")
            .order_by("-submitted_at")
            .first()
        )
    comments, count = _comments(viewer, visit, discuss_refusal is None)
    return StoryPage(
        visit=visit,
        actions=actions,
        reactions=reaction_buttons(viewer, story),
        comments=comments,
        comment_count=count,
        discuss_refusal=discuss_refusal,
        submission=submission,
    )


def reaction_buttons(viewer: AnyUser, story: Story) -> list[ReactionButton]:
    """Every kind of reaction in the fixed order, with its count on `story` and whether the viewer gave
    it. One query."""
    mine = Count("pk", filter=Q(user_id=viewer.pk)) if viewer.is_authenticated else Value(0)
    counts = {
        row["kind"]: row
        for row in StoryReaction.objects.filter(story=story)
        .values("kind")
        .annotate(count=Count("pk"), mine=mine)
        .order_by()
    }
    buttons = []
    for kind, label in ReactionKind.choices:
        row = counts.get(kind, {"count": 0, "mine": 0})
        buttons.append(ReactionButton(kind=kind, label=str(label), count=row["count"], mine=row["mine"] > 0))
    return buttons


def _comments(viewer: AnyUser, visit: StoryVisit, can_discuss: bool) -> tuple[list[CommentView], int]:
    """The story's comments, oldest first, each with its replies; a deleted comment only while it has
    replies to stand for. One query."""
    rows = list(
        StoryComment.objects.filter(story=visit.story)
        .select_related("author")
        .only(
            "parent_id",
            "body_html",
            "created_at",
            "deleted_at",
            "author__username",
            "author__display_name",
        )
        .annotate(**_avatar_fields(viewer, "author", "author_id"))
        .order_by("created_at", "id")
    )
    replies: dict[int, list[CommentView]] = {}
    for row in rows:
        if row.parent_id is not None and row.deleted_at is None:
            replies.setdefault(row.parent_id, []).append(_comment_view(viewer, visit, row, (), False))
    top = []
    for row in rows:
        if row.parent_id is not None:
            continue
        answers = tuple(replies.get(row.pk, ()))
        if row.deleted_at is not None and not answers:
            continue
        top.append(_comment_view(viewer, visit, row, answers, can_discuss and row.deleted_at is None))
    count = sum(len(answers) for answers in replies.values()) + sum(1 for view in top if not view.is_deleted)
    return top, count


def _comment_view(
    viewer: AnyUser, visit: StoryVisit, row: StoryComment, replies: tuple[CommentView, ...], can_reply: bool
) -> CommentView:
    deleted = row.deleted_at is not None
    return CommentView(
        id=row.pk,
        author=None if deleted else _person(viewer, row.author, row),
        created_at=row.created_at,
        body_html="" if deleted else row.body_html,
        is_deleted=deleted,
        can_delete=not deleted
        and permissions.delete_comment_refusal(viewer, row.author_id, visit.memberships) is None,
        can_reply=can_reply,
        report_url=_report_url(viewer, visit, row) if not deleted else "",
        replies=replies,
    )


def _report_url(viewer: AnyUser, visit: StoryVisit, row: StoryComment) -> str:
    """Members report someone else's comment to the moderators of a network they share with the story."""
    if not viewer.is_authenticated or row.author_id == viewer.pk or not visit.memberships:
        return ""
    network = visit.memberships[0].network
    return reverse("moderation:report", args=[network.slug, TargetKind.COMMENT, row.pk])


# --- An author's own stories ------------------------------------------------------------------------


@dataclass(frozen=True)
class MyStory:
    story: Story
    networks: list[Network]
    # Where the reviewers' comments on a returned case study are read (empty if there are none).
    review_url: str
    comment_count: int
    reaction_count: int


@dataclass(frozen=True)
class StatusGroup:
    status: str
    label: str
    stories: list[MyStory]


@dataclass(frozen=True)
class MyStories:
    groups: list[StatusGroup]
    # Stories sent for review in networks the viewer publishes for, oldest first; None if they publish
    # for none.
    waiting: list[Story] | None

    @property
    def is_empty(self) -> bool:
        return not any(group.stories for group in self.groups)


def _count(model: type[StoryComment] | type[StoryReaction], **filters: Any) -> Coalesce:
    rows = model.objects.filter(story=OuterRef("pk"), **filters).order_by().values("story")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0))


def my_stories(*, viewer: User) -> MyStories:
    """`viewer`'s stories (written or co-written), grouped by status as MINE_GROUPS says, newest change
    first (scheduled ones by their time), and the stories waiting for them to review. Four queries, six
    for someone who publishes for a network."""
    co_written = Story.co_authors.through.objects.filter(user=viewer).values("story_id")
    returned = CaseStudySubmission.objects.filter(state=CaseStudySubmission.State.RETURNED).select_related(
        "call__network"
    )
    stories = (
        Story.objects.filter(Q(author=viewer) | Q(pk__in=co_written))
        .annotate(
            comment_count=_count(StoryComment, deleted_at__isnull=True),
            reaction_count=_count(StoryReaction),
        )
        .prefetch_related(
            Prefetch("networks", queryset=Network.objects.order_by("name")),
            Prefetch("submissions", queryset=returned, to_attr="returned_submissions"),
        )
        .order_by("-updated_at", "-pk")
    )
    by_status: dict[str, list[MyStory]] = {status: [] for status, _heading in MINE_GROUPS}
    for story in stories:
        submissions: list[CaseStudySubmission] = getattr(story, "returned_submissions", [])
        by_status[story.status].append(
            MyStory(
                story=story,
                networks=list(story.networks.all()),
                review_url=reverse(
                    "stories:submission", args=[submissions[0].call.network.slug, submissions[0].pk]
                )
                if submissions
                else "",
                comment_count=getattr(story, "comment_count", 0),
                reaction_count=getattr(story, "reaction_count", 0),
            )
        )
    by_status[Story.Status.SCHEDULED].sort(key=lambda mine: (mine.story.publish_at, mine.story.pk))
    return MyStories(
        groups=[StatusGroup(status, str(heading), by_status[status]) for status, heading in MINE_GROUPS],
        waiting=_waiting_for_review(viewer),
    )


def _waiting_for_review(viewer: User) -> list[Story] | None:
    """The stories in review that `viewer` may publish (permissions.publishable_stories_q),
    but not those sent to a call for case studies, which its reviewers decide on the call's page."""
    shared = permissions.publishable_stories_q(viewer)
    if shared is None:
        return None
    in_a_call = CaseStudySubmission.objects.filter(
        story=OuterRef("pk"), state=CaseStudySubmission.State.SUBMITTED
    )
    waiting: QuerySet[Story] = (
        Story.objects.filter(shared, status=Story.Status.IN_REVIEW)
        .exclude(Exists(in_a_call))
        .select_related("author")
        .prefetch_related(Prefetch("networks", queryset=Network.objects.order_by("name")))
        .order_by("updated_at", "pk")
    )
    return list(waiting)
