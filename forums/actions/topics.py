"""The forum frames a topic page sends over its websocket, and the `topic:<id>` and `category:<id>`
stream kinds.

Posting, editing and deleting go through plain HTML forms (they work without JavaScript); the socket
carries what a reader does in passing: how far they have read, and reactions. Each handler loads what
the frame names and calls one service; the consumer turns PermissionDenied into a `forbidden` error
frame, ValidationError into `invalid`, and FrameRejected into its own code.
"""

from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from pydantic import Field, StringConstraints

from forums.events.topics import CATEGORY_STREAM_KIND, TOPIC_STREAM_KIND
from forums.models import Category, Post, Topic
from forums.permissions import topics as permissions
from forums.services import topics as services
from profiles.models import User
from realtime.actions import Action, FrameRejected, register_action
from realtime.frames import InboundFrame
from realtime.streams import AnyUser, StreamKind, register_stream_kind

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ForumRead(InboundFrame):
    type: Literal["forum.read"]
    topic: ObjectId
    # The number of the last post the reader has seen.
    number: Annotated[int, Field(ge=0, le=2**31 - 1)]


class ForumReact(InboundFrame):
    type: Literal["forum.react"]
    post: ObjectId
    # One of ReactionKind; the service says which are offered.
    reaction: Annotated[str, StringConstraints(max_length=8)]
    on: bool


def _member(user: AnyUser) -> User:
    if not isinstance(user, User):
        raise PermissionDenied(_("Log in to take part in the forum."))
    return user


def _topic(topic_id: int) -> Topic:
    topic = Topic.objects.select_related("network").filter(pk=topic_id).first()
    if topic is None:
        raise FrameRejected("not_found", _("This topic does not exist."))
    return topic


def _post(post_id: int) -> Post:
    post = Post.objects.select_related("topic__network").filter(pk=post_id).first()
    if post is None:
        raise FrameRejected("not_found", _("This post does not exist."))
    return post


def read(user: AnyUser, frame: ForumRead) -> dict[str, Any]:
    last_read = services.mark_topic_read(user=_member(user), topic=_topic(frame.topic), number=frame.number)
    return {"topic": frame.topic, "last_read_number": last_read}


def react(user: AnyUser, frame: ForumReact) -> dict[str, Any]:
    reactions = services.react_to_post(
        user=_member(user), post=_post(frame.post), kind=frame.reaction, on=frame.on
    )
    return {"post": frame.post, "reactions": reactions}


def _object_id(object_id: str) -> int | None:
    return int(object_id) if object_id.isdigit() and len(object_id) <= 18 else None


def may_follow_topic(user: AnyUser, object_id: str) -> bool:
    topic_id = _object_id(object_id)
    topic = Topic.objects.select_related("network").filter(pk=topic_id).first() if topic_id else None
    return topic is not None and permissions.can_read_topic(user, topic)


def may_follow_category(user: AnyUser, object_id: str) -> bool:
    category_id = _object_id(object_id)
    category = (
        Category.objects.select_related("network").filter(pk=category_id).first() if category_id else None
    )
    return category is not None and permissions.can_read_forum(user, category.network)


def register() -> None:
    register_stream_kind(StreamKind(TOPIC_STREAM_KIND, can_subscribe=may_follow_topic))
    register_stream_kind(StreamKind(CATEGORY_STREAM_KIND, can_subscribe=may_follow_category))
    register_action(Action("forum.read", ForumRead, read))
    register_action(Action("forum.react", ForumReact, react))
