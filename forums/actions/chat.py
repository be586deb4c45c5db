"""The chat frames a page sends over its websocket, and the `chat:<room id>` stream kind.

Each handler loads what the frame names and calls one service; the consumer turns PermissionDenied
into a `forbidden` error frame, ValidationError into `invalid`, and FrameRejected into its own code.
Moderators hide, restore and delete others' messages through moderation's services, which record why.
"""

from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from pydantic import Field, StringConstraints

from forums.events.chat import CHAT_STREAM_KIND
from forums.models import ChatMessage, ChatRoom
from forums.permissions import chat as permissions
from forums.services import chat as services
from moderation.models import REASON_TEXT_MAX_LENGTH
from moderation.services import chat as moderation
from profiles.models import User
from realtime.actions import Action, FrameRejected, register_action
from realtime.frames import InboundFrame
from realtime.streams import AnyUser, StreamKind, register_stream_kind

# A longer body is refused before it reaches the service (which says the same for the composer form).
MessageBody = Annotated[str, StringConstraints(max_length=settings.CHAT_MESSAGE_MAX_LENGTH)]
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Reason = Annotated[str, StringConstraints(max_length=REASON_TEXT_MAX_LENGTH)]


class ChatSend(InboundFrame):
    type: Literal["chat.send"]
    room: ObjectId
    body: MessageBody
    reply_to: ObjectId | None = None
    # The sender's own name for the message, echoed in the ack so that it can match its draft.
    client_id: Annotated[str, StringConstraints(max_length=64)] | None = None


class ChatEdit(InboundFrame):
    type: Literal["chat.edit"]
    message: ObjectId
    body: MessageBody


class ChatDelete(InboundFrame):
    type: Literal["chat.delete"]
    message: ObjectId
    # Required when a moderator deletes someone else's message (the moderation service says so).
    reason: Reason = ""


class ChatHide(InboundFrame):
    type: Literal["chat.hide"]
    message: ObjectId
    reason: Reason = ""


class ChatRestore(InboundFrame):
    type: Literal["chat.restore"]
    message: ObjectId
    reason: Reason = ""


class ChatReact(InboundFrame):
    type: Literal["chat.react"]
    message: ObjectId
    # One of ReactionKind; the service says which are offered.
    reaction: Annotated[str, StringConstraints(max_length=8)]
    on: bool


class ChatRead(InboundFrame):
    type: Literal["chat.read"]
    room: ObjectId
    seq: Annotated[int, Field(ge=0, le=2**63 - 1)]


def _member(user: AnyUser) -> User:
    if not isinstance(user, User):
        raise PermissionDenied(_("Log in to take part in chat."))
    return user


def _room(room_id: int) -> ChatRoom:
    room = ChatRoom.objects.select_related("network").filter(pk=room_id).first()
    if room is None:
        raise FrameRejected("not_found", _("This room does not exist."))
    return room


def _message(message_id: int) -> ChatMessage:
    message = ChatMessage.objects.select_related("room__network").filter(pk=message_id).first()
    if message is None:
        raise FrameRejected("not_found", _("This message does not exist."))
    return message


def send(user: AnyUser, frame: ChatSend) -> dict[str, Any]:
    try:
        message = services.post_message(
            author=_member(user), room=_room(frame.room), body=frame.body, reply_to_id=frame.reply_to
        )
    except services.ChatRateLimited as limited:
        raise FrameRejected("rate_limited", str(limited)) from limited
    except ValidationError as invalid:
        if getattr(invalid, "code", None) == "slow_mode":
            raise FrameRejected("slow_mode", " ".join(invalid.messages)) from invalid
        raise
    return {"message_id": message.pk, "seq": message.seq, "client_id": frame.client_id}


def edit(user: AnyUser, frame: ChatEdit) -> dict[str, Any]:
    message = services.edit_message(actor=_member(user), message=_message(frame.message), body=frame.body)
    return {"message_id": message.pk}


def delete(user: AnyUser, frame: ChatDelete) -> dict[str, Any]:
    actor, message = _member(user), _message(frame.message)
    permissions.check_delete_message(actor, message)
    if message.author_id == actor.pk:
        message = services.delete_message(actor=actor, message=message)
    else:
        message = moderation.delete_message(actor=actor, message=message, reason=frame.reason)
    return {"message_id": message.pk}


def hide(user: AnyUser, frame: ChatHide) -> dict[str, Any]:
    message = moderation.hide_message(
        actor=_member(user), message=_message(frame.message), reason=frame.reason
    )
    return {"message_id": message.pk}


def restore(user: AnyUser, frame: ChatRestore) -> dict[str, Any]:
    message = moderation.restore_message(
        actor=_member(user), message=_message(frame.message), reason=frame.reason
    )
    return {"message_id": message.pk}


def react(user: AnyUser, frame: ChatReact) -> dict[str, Any]:
    reactions = services.react_to_message(
        user=_member(user), message=_message(frame.message), kind=frame.reaction, on=frame.on
    )
    return {"message_id": frame.message, "reactions": reactions}


def read(user: AnyUser, frame: ChatRead) -> dict[str, Any]:
    last_read = services.mark_room_read(user=_member(user), room=_room(frame.room), seq=frame.seq)
    return {"room": frame.room, "last_read_seq": last_read}


def may_follow_room(user: AnyUser, object_id: str) -> bool:
    if not object_id.isdigit() or len(object_id) > 18:
        return False
    room = ChatRoom.objects.select_related("network").filter(pk=int(object_id)).first()
    return room is not None and permissions.can_read_room(user, room)


def register() -> None:
    register_stream_kind(StreamKind(CHAT_STREAM_KIND, can_subscribe=may_follow_room, presence=True))
    register_action(Action("chat.send", ChatSend, send))
    register_action(Action("chat.edit", ChatEdit, edit))
    register_action(Action("chat.delete", ChatDelete, delete))
    register_action(Action("chat.hide", ChatHide, hide))
    register_action(Action("chat.restore", ChatRestore, restore))
    register_action(Action("chat.react", ChatReact, react))
    register_action(Action("chat.read", ChatRead, read))
