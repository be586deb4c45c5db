"""The events a chat room's stream (`chat:<room id>`) carries, and how a message is described in them.

Payloads hold JSON primitives only. The room page renders its first messages from the same
`message_payload` as the live `message.created` events, so that a message looks the same whether it
was on the page when it loaded or arrived later. A reply names the message it answers but never quotes
it: a quote would keep a deleted message's words in the replayable backlog.

Editing a message rewrites the events that carried it (subject `chat.message:<id>`) to its new text, so
that a page catching up replays the version on show and never one that only its author and the
moderators may read on its history page.

Moderators' actions: `message.hidden` says which message went, with none of its words (nor the
moderators' reason, which its author reads on the page), and the events that carried its words are
rewritten, so that a page catching up replays it as hidden; `message.restored` carries the message again
as `message.created` did. `room.updated` carries the room's state and slow mode, for composers to follow.
"""

from typing import Any, TypedDict

from forums.events.people import AuthorData, author_payload
from forums.events.reactions import ReactionCount
from forums.models import ChatMessage, ChatRoom
from forums.models.reactions import REACTION_ORDER
from forums.permissions.chat import closed_room_notice
from realtime.services import Redaction
from realtime.streams import stream_key

# Rooms' streams are `chat:<room id>`.
CHAT_STREAM_KIND = "chat"

MESSAGE_CREATED = "message.created"
MESSAGE_EDITED = "message.edited"
MESSAGE_DELETED = "message.deleted"
MESSAGE_HIDDEN = "message.hidden"
MESSAGE_RESTORED = "message.restored"
REACTION_CHANGED = "reaction.changed"
ROOM_UPDATED = "room.updated"


class ReplyData(TypedDict):
    id: int
    author: str


class MessageData(TypedDict):
    """`message.created`: a message (its sequence number is the event's), and `message.restored`: a
    hidden one back. Once the message is deleted, its body and reactions are empty and `deleted` is true;
    once hidden, they are empty and `hidden` is true; in replays as well."""

    id: int
    room: int
    author: AuthorData
    body: str
    body_html: str
    reply_to: ReplyData | None
    created_at: str
    edited_at: str | None
    deleted: bool
    hidden: bool
    reactions: list[ReactionCount]


class MessageEditedData(TypedDict):
    id: int
    body: str
    body_html: str
    edited_at: str


class MessageDeletedData(TypedDict):
    id: int
    deleted_at: str


class MessageHiddenData(TypedDict):
    """Moderators hid the message `id`, whose own sequence number is `seq`."""

    id: int
    seq: int


class ReactionChangedData(TypedDict):
    """Someone (`user`) added (`on`) or took back a reaction; `reactions` are the message's new counts."""

    message: int
    user: int
    kind: str
    on: bool
    reactions: list[ReactionCount]


class RoomData(TypedDict):
    """`room.updated`: a room's name, topic, state or slow mode changed; `notice` says why nobody may
    post now ("" when the room is open); `slow_mode_seconds` is the least time between two messages of
    one member (0: no slow mode)."""

    id: int
    name: str
    topic: str
    state: str
    state_label: str
    notice: str
    slow_mode_seconds: int


def room_stream(room_id: int) -> str:
    return stream_key(CHAT_STREAM_KIND, room_id)


def message_subject(message_id: int) -> str:
    """The subject of every event about one message, so that deleting it redacts them all."""
    return f"chat.message:{message_id}"


def message_payload(
    message: ChatMessage, reactions: list[ReactionCount], *, reveal_hidden: bool = False
) -> MessageData:
    """`message` as events and pages describe it; needs its author, and its reply's author, loaded.
    A hidden message keeps its words only with `reveal_hidden`, for the pages of its author and of the
    moderators: events go to every reader of the room and never carry them."""
    deleted = message.is_deleted
    withheld = deleted or (message.is_hidden and not reveal_hidden)
    reply = message.reply_to
    return {
        "id": message.pk,
        "room": message.room_id,
        "author": author_payload(message.author),
        "body": "" if withheld else message.body,
        "body_html": "" if withheld else message.body_html,
        "reply_to": {"id": reply.pk, "author": str(reply.author)} if reply is not None else None,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
        "hidden": message.is_hidden,
        "reactions": [] if withheld else sorted(reactions, key=lambda r: REACTION_ORDER.get(r["kind"], 99)),
    }


def edited_payload(message: ChatMessage) -> MessageEditedData:
    assert message.edited_at is not None  # only edited messages are described so
    return {
        "id": message.pk,
        "body": message.body,
        "body_html": message.body_html,
        "edited_at": message.edited_at.isoformat(),
    }


def deleted_payload(message: ChatMessage) -> MessageDeletedData:
    assert message.deleted_at is not None  # only deleted messages are described so
    return {"id": message.pk, "deleted_at": message.deleted_at.isoformat()}


def hidden_payload(message: ChatMessage) -> MessageHiddenData:
    return {"id": message.pk, "seq": message.seq}


def room_payload(room: ChatRoom) -> RoomData:
    return {
        "id": room.pk,
        "name": room.name,
        "topic": room.topic,
        "state": room.state,
        "state_label": str(room.get_state_display()),
        "notice": closed_room_notice(room) or "",
        "slow_mode_seconds": room.slow_mode_seconds,
    }


def as_edited(message: ChatMessage) -> Redaction:
    """How the stored events about `message`, just edited, are rewritten: each carries the text on show
    now, so that a replay never holds an earlier version (those are for its author and the moderators)."""
    current = edited_payload(message)

    def rewrite(kind: str, data: dict[str, Any]) -> dict[str, Any]:
        if kind in (MESSAGE_CREATED, MESSAGE_RESTORED, MESSAGE_EDITED):
            return {**data, **current}
        return data

    return rewrite


def redact_deleted(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a stored event about a message that has since been deleted replays as: no words of it."""
    return _withhold(kind, data, "deleted")


def redact_hidden(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a stored event about a message that moderators have since hidden replays as: no words of it,
    and the message marked hidden (restoring it announces it whole again)."""
    return _withhold(kind, data, "hidden")


def _withhold(kind: str, data: dict[str, Any], flag: str) -> dict[str, Any]:
    if kind in (MESSAGE_CREATED, MESSAGE_RESTORED):
        return {**data, "body": "", "body_html": "", flag: True, "reactions": []}
    if kind == MESSAGE_EDITED:
        return {**data, "body": "", "body_html": ""}
    return data
