"""What a report or a queue item is about, read the same way whatever its kind: a forum post or topic, a
chat message, a comment on a story shared with the network, or a member's profile.

`load(network, kind, id)` answers None for an unknown kind, an id that does not exist, or a target that
is not in that network, so that nobody reports into a network what belongs to another.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.urls import NoReverseMatch
from django.utils.text import Truncator

from forums.models import ChatMessage, Post, Topic
from forums.selectors.topics import post_url
from moderation.models import EXCERPT_MAX_LENGTH, TargetKind
from network.models import Membership, Network
from profiles.models import Profile, User
from profiles.permissions import is_visible, visibility_column
from richtext import plain_text
from stories.models import Story, StoryComment

TITLE_MAX_LENGTH = 200


@dataclass(frozen=True)
class Target:
    """One reportable thing. `present` is False once it was hidden or deleted: there is nothing left to
    report, and its queue items were closed when it went."""

    kind: str
    id: int
    network: Network
    title: str
    excerpt: str
    url: str
    author: User | None
    present: bool
    model: Model

    @property
    def kind_label(self) -> str:
        return str(TargetKind(self.kind).label)


def excerpt_of(html: str) -> str:
    """The beginning of rendered text, as plain text on one line, for a queue item."""
    return Truncator(" ".join(plain_text(html).split())).chars(EXCERPT_MAX_LENGTH)


def post_target(post: Post) -> Target:
    """`post`, with its topic and network loaded."""
    topic = post.topic
    return Target(
        kind=TargetKind.POST,
        id=post.pk,
        network=topic.network,
        title=_short(topic.title),
        excerpt=excerpt_of(post.body_html),
        url=post_url(topic, post.number),
        author=post.author,
        # A reply of a topic that is not on show is not either: reporting it would show its words.
        present=post.is_visible and not post.awaiting_approval and _on_show(topic),
        model=post,
    )


def _on_show(topic: Topic) -> bool:
    return not topic.is_deleted and not topic.is_hidden and not topic.awaiting_approval


def _post(network: Network, target_id: int) -> Target | None:
    post = (
        Post.objects.select_related("author", "topic__network")
        .filter(pk=target_id, topic__network=network)
        .first()
    )
    return post_target(post) if post is not None else None


def _topic(network: Network, target_id: int) -> Target | None:
    topic = Topic.objects.select_related("author", "network").filter(pk=target_id, network=network).first()
    if topic is None:
        return None
    opening = Post.objects.filter(topic=topic, number=1).only("body_html").first()
    return Target(
        kind=TargetKind.TOPIC,
        id=topic.pk,
        network=topic.network,
        title=_short(topic.title),
        excerpt=excerpt_of(opening.body_html) if opening is not None else "",
        url=topic.get_absolute_url(),
        author=topic.author,
        present=_on_show(topic),
        model=topic,
    )


def _message(network: Network, target_id: int) -> Target | None:
    message = (
        ChatMessage.objects.select_related("author", "room__network")
        .filter(pk=target_id, room__network=network)
        .first()
    )
    if message is None:
        return None
    room = message.room
    return Target(
        kind=TargetKind.MESSAGE,
        id=message.pk,
        network=room.network,
        title=_short(room.name),
        excerpt=excerpt_of(message.body_html),
        url=f"{room.get_absolute_url()}#message-{message.pk}",
        author=message.author,
        present=not message.is_deleted and not message.is_hidden,
        model=message,
    )


def _comment(network: Network, target_id: int) -> Target | None:
    comment = (
        StoryComment.objects.select_related("author", "story")
        .filter(pk=target_id, story__networks=network)
        .first()
    )
    if comment is None:
        return None
    return Target(
        kind=TargetKind.COMMENT,
        id=comment.pk,
        network=network,
        title=_short(comment.story.title),
        excerpt=excerpt_of(comment.body_html),
        url=_comment_url(comment),
        author=comment.author,
        present=comment.deleted_at is None and comment.story.status == Story.Status.PUBLISHED,
        model=comment,
    )


def _comment_url(comment: StoryComment) -> str:
    """Where the comment is read; nowhere where the stories' pages are not served (their addresses are
    not installed), and then the queue item has no link."""
    try:
        return comment.get_absolute_url()
    except NoReverseMatch:
        return ""


def _profile(network: Network, target_id: int) -> Target | None:
    membership = (
        Membership.objects.select_related("user")
        .filter(network=network, user_id=target_id, state=Membership.State.ACTIVE)
        .first()
    )
    return profile_target(network, membership.user) if membership is not None else None


def profile_target(network: Network, user: User) -> Target:
    """`user`'s profile as reported in `network`, of which they are a member: its headline and the
    beginning of its bio, each only if its owner shows it to the members of their networks. Who reads
    this (the reporter, the network's moderators) reads it as a fellow member of `network`, by the rule
    of the profile page; a field its owner keeps to themselves is never copied into the queue."""
    profile = (
        Profile.objects.filter(user=user)
        .only("headline", "bio_html", "headline_visibility", "bio_visibility")
        .first()
    )
    parts = []
    if profile is not None:
        if _shown_to_members(profile, "headline"):
            parts.append(profile.headline)
        if _shown_to_members(profile, "bio"):
            parts.append(plain_text(profile.bio_html))
    return Target(
        kind=TargetKind.PROFILE,
        id=user.pk,
        network=network,
        title=_short(str(user)),
        excerpt=Truncator(" ".join(" ".join(parts).split())).chars(EXCERPT_MAX_LENGTH),
        url=user.get_absolute_url(),
        author=user,
        present=user.is_active,
        model=user,
    )


def _shown_to_members(profile: Profile, field: str) -> bool:
    return is_visible(getattr(profile, visibility_column(field)), is_owner=False, shares_network=True)


_LOADERS: dict[str, Callable[[Network, int], Target | None]] = {
    TargetKind.POST: _post,
    TargetKind.TOPIC: _topic,
    TargetKind.MESSAGE: _message,
    TargetKind.COMMENT: _comment,
    TargetKind.PROFILE: _profile,
}

REPORTABLE_KINDS = tuple(_LOADERS)


def load(network: Network, kind: str, target_id: int) -> Target | None:
    """The target of `kind` with `target_id` in `network`, or None (see the module's note)."""
    loader = _LOADERS.get(kind)
    return loader(network, target_id) if loader is not None else None


def _short(text: str) -> str:
    return Truncator(text).chars(TITLE_MAX_LENGTH)
