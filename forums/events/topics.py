"""The events of the threaded forum: a topic's stream (`topic:<topic id>`) and a category's
(`category:<category id>`).

Payloads hold JSON primitives only, and only what every reader of the stream may read: a stream is
replayed from any point to whoever may follow it, so a stored event must never show more than the page
shows its least privileged reader. A new post is announced without its text: the topic page shows a
"new replies" bar and fetches the rendered posts when the reader asks for them, so that the backlog
replayed to a reconnecting page never holds the words of a post deleted since. The one event that
carries a post's words (`post.edited`) is about that post (subject `forum.post:<id>`) and is recorded
only for a post on show; editing it again rewrites the earlier ones to the new version (earlier versions
are for the author and the moderators), and deleting or hiding the post empties them. Renaming a topic
rewrites the events that carry its title (subject `forum.topic:<id>`) to the new one, and deleting or
hiding the topic empties them.

Moderators' actions: `post.hidden` carries none of the post's words nor the moderators' reason (its
author's page fetches the post rendered with it), and
`post.shown` (a hidden post back, or one just approved) is fetched rendered like a new post. Hiding a
topic (its opening post) says `topic.deleted` on its category's stream, as the topic leaves the lists
for readers, and showing it again says `topic.created`. A topic moved to another category says
`topic.deleted` on the old category's stream and `topic.created` on the new one's, and `topic.moved` on
its own stream; a topic merged into another says `topic.merged` on its own stream, so that its open
pages go to the topic it became part of; posts split off into a new topic say `topic.split` on the
stream of the topic they left.
"""

from typing import Any, TypedDict

from forums.events.people import AuthorData, author_payload
from forums.events.reactions import ReactionCount
from forums.models import Post, Topic
from forums.permissions.topics import locked_topic_notice
from realtime.services import Redaction
from realtime.streams import stream_key

TOPIC_STREAM_KIND = "topic"
CATEGORY_STREAM_KIND = "category"

# On a topic's stream.
POST_CREATED = "post.created"
POST_EDITED = "post.edited"
POST_DELETED = "post.deleted"
POST_HIDDEN = "post.hidden"
POST_SHOWN = "post.shown"
REACTION_CHANGED = "reaction.changed"
TOPIC_UPDATED = "topic.updated"
TOPIC_MOVED = "topic.moved"
TOPIC_MERGED = "topic.merged"
TOPIC_SPLIT = "topic.split"
# On a category's stream.
TOPIC_CREATED = "topic.created"
TOPIC_DELETED = "topic.deleted"


class PostCreatedData(TypedDict):
    id: int
    number: int
    author: AuthorData
    reply_to_number: int | None
    created_at: str


class PostEditedData(TypedDict):
    id: int
    number: int
    body_html: str
    edited_at: str


class PostDeletedData(TypedDict):
    id: int
    number: int


class PostHiddenData(TypedDict):
    """Moderators hid a post. Neither its words nor the moderators' reason are carried: the reason is for
    its author, whose page fetches the post rendered with it."""

    id: int
    number: int


class PostShownData(TypedDict):
    """A hidden post is on show again, or was approved: pages fetch it rendered."""

    id: int
    number: int


class ReactionChangedData(TypedDict):
    """Someone (`user`) added (`on`) or took back a reaction; `reactions` are the post's new counts."""

    post: int
    number: int
    user: int
    kind: str
    on: bool
    reactions: list[ReactionCount]


class PostRef(TypedDict):
    id: int
    number: int


class TopicData(TypedDict):
    """`topic.updated`: a topic's title, pin, lock or accepted answer changed; `notice` says why members
    may not reply now ("" when the topic is open)."""

    id: int
    title: str
    is_pinned: bool
    is_locked: bool
    notice: str
    accepted_post: PostRef | None


class TopicCreatedData(TypedDict):
    id: int
    title: str
    url: str
    author: AuthorData
    category: int


class TopicDeletedData(TypedDict):
    id: int


class TopicMovedData(TypedDict):
    """The topic now stands in the category `category` (its id); `url` is its address (unchanged, as a
    topic's address names no category), for pages to reload."""

    id: int
    category: int
    url: str


class TopicMergedData(TypedDict):
    """The topic's posts now stand in another topic, at `into_url`; the topic itself is deleted."""

    id: int
    into_url: str


class TopicSplitData(TypedDict):
    """The posts `numbers` left the topic for a new one, at `into_url`."""

    id: int
    numbers: list[int]
    into_url: str


def topic_stream(topic_id: int) -> str:
    return stream_key(TOPIC_STREAM_KIND, topic_id)


def category_stream(category_id: int) -> str:
    return stream_key(CATEGORY_STREAM_KIND, category_id)


def post_subject(post_id: int) -> str:
    """The subject of every event about one post, so that deleting it redacts them all."""
    return f"forum.post:{post_id}"


def topic_subject(topic_id: int) -> str:
    """The subject of every event naming a topic's title, so that deleting the topic redacts them all."""
    return f"forum.topic:{topic_id}"


def post_created_payload(post: Post) -> PostCreatedData:
    """Needs the post's author, and the post it replies to, loaded."""
    return {
        "id": post.pk,
        "number": post.number,
        "author": author_payload(post.author),
        "reply_to_number": post.reply_to.number if post.reply_to is not None else None,
        "created_at": post.created_at.isoformat(),
    }


def post_edited_payload(post: Post) -> PostEditedData:
    assert post.edited_at is not None  # only edited posts are described so
    return {
        "id": post.pk,
        "number": post.number,
        "body_html": post.body_html,
        "edited_at": post.edited_at.isoformat(),
    }


def post_deleted_payload(post: Post) -> PostDeletedData:
    return {"id": post.pk, "number": post.number}


def post_hidden_payload(post: Post) -> PostHiddenData:
    return {"id": post.pk, "number": post.number}


def post_shown_payload(post: Post) -> PostShownData:
    return {"id": post.pk, "number": post.number}


def topic_payload(topic: Topic) -> TopicData:
    """Needs the topic's accepted post, if any, loaded."""
    accepted = topic.accepted_post
    return {
        "id": topic.pk,
        "title": topic.title,
        "is_pinned": topic.is_pinned,
        "is_locked": topic.is_locked,
        "notice": locked_topic_notice(topic) or "",
        "accepted_post": {"id": accepted.pk, "number": accepted.number} if accepted is not None else None,
    }


def topic_created_payload(topic: Topic) -> TopicCreatedData:
    """Needs the topic's network and author loaded."""
    return {
        "id": topic.pk,
        "title": topic.title,
        "url": topic.get_absolute_url(),
        "author": author_payload(topic.author),
        "category": topic.category_id,
    }


def as_edited(post: Post) -> Redaction:
    """How the stored events about `post`, just edited, are rewritten: every `post.edited` carries the
    version on show now, so that a replay never holds an earlier one (those are for the post's author
    and the moderators, on its history page)."""
    current = post_edited_payload(post)

    def rewrite(kind: str, data: dict[str, Any]) -> dict[str, Any]:
        # Only the words: an event names the post by the number it had in its topic then.
        if kind != POST_EDITED:
            return data
        return {**data, "body_html": current["body_html"], "edited_at": current["edited_at"]}

    return rewrite


def as_titled(topic: Topic) -> Redaction:
    """How the stored events naming `topic`, just renamed, are rewritten: with its title and address of
    now, so that a replay never holds a title it no longer has."""
    url = topic.get_absolute_url()

    def rewrite(kind: str, data: dict[str, Any]) -> dict[str, Any]:
        if kind in (TOPIC_UPDATED, TOPIC_CREATED) and data.get("title"):
            return {**data, "title": topic.title, **({"url": url} if kind == TOPIC_CREATED else {})}
        if kind == TOPIC_MOVED and data.get("url"):
            return {**data, "url": url}
        if kind in (TOPIC_MERGED, TOPIC_SPLIT) and data.get("into_url"):
            return {**data, "into_url": url}
        return data

    return rewrite


def redact_deleted(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a stored event about a post or topic that has since been deleted or hidden replays as: no
    words of it (a topic's address holds its title)."""
    if kind == POST_EDITED:
        return {**data, "body_html": ""}
    if kind == TOPIC_UPDATED:
        return {**data, "title": ""}
    if kind == TOPIC_CREATED:
        return {**data, "title": "", "url": ""}
    if kind == TOPIC_MOVED:
        return {**data, "url": ""}
    if kind in (TOPIC_MERGED, TOPIC_SPLIT):
        return {**data, "into_url": ""}
    return data
