"""Moderating chat rooms: hiding, restoring and deleting messages, a room's slow mode and its state.

Each service checks that the actor moderates the room's network, runs in one transaction with its audit
entry, and leaves the change to forums.services.chat's building blocks, which announce it on the room's
stream so that every open page of the room shows it at once. A message hidden or deleted leaves every
review queue it was on.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forums.models import ChatMessage, ChatRoom
from forums.services import chat as chat_services
from moderation.models import AuditEntry, TargetKind
from moderation.permissions import check_moderate
from moderation.services import audit, queue
from profiles.models import User

RESOLUTION_HIDDEN = "hidden"
RESOLUTION_DELETED = "deleted"


# --- Messages ---------------------------------------------------------------------------------------


@transaction.atomic
def hide_message(*, actor: User, message: ChatMessage, reason: str) -> ChatMessage:
    """Hide `message` from everyone but its author and the moderators; `reason` (required) is shown to
    its author. Its earlier events are rewritten without its words and every open page of the room
    loses it. PermissionDenied for someone who does not moderate the room's network; ValidationError
    for a missing reason (keyed "reason") or a message already hidden or deleted."""
    message = _locked_message(actor, message)
    reason = audit.clean_reason(reason, missing=_("Say why: the message's author will read it."))
    before = {"hidden": False, "body": message.body}
    message = chat_services.set_message_visibility(message=message, visible=False, reason=reason)
    _record_message(actor, message, AuditEntry.Action.MESSAGE_HIDE, reason, before, {"hidden": True})
    _resolve(actor, message, RESOLUTION_HIDDEN)
    return message


@transaction.atomic
def restore_message(*, actor: User, message: ChatMessage, reason: str = "") -> ChatMessage:
    """Show a hidden `message` to everyone again; every open page of the room gets it back.
    ValidationError for a message not hidden (another moderator restored it) or deleted meanwhile."""
    message = _locked_message(actor, message)
    reason = audit.clean_reason(reason)
    before = {"hidden": True, "hidden_reason": message.hidden_reason}
    message = chat_services.set_message_visibility(message=message, visible=True)
    _record_message(actor, message, AuditEntry.Action.MESSAGE_RESTORE, reason, before, {"hidden": False})
    return message


@transaction.atomic
def delete_message(*, actor: User, message: ChatMessage, reason: str) -> ChatMessage:
    """A moderator's deletion of `message` (anyone's), through the chat's own deletion: "Message
    deleted" in its place on every page, its words out of the events. The audit entry keeps its text."""
    message = _locked_message(actor, message)
    reason = audit.clean_reason(reason, missing=_("Say why: the moderation log keeps it."))
    if message.is_deleted:
        raise ValidationError(_("This message was deleted meanwhile."), code="deleted")
    before = {"body": message.body, "hidden": message.is_hidden}
    message = chat_services.delete_message(actor=actor, message=message)
    _record_message(actor, message, AuditEntry.Action.MESSAGE_DELETE, reason, before, {"deleted": True})
    _resolve(actor, message, RESOLUTION_DELETED)
    return message


def _locked_message(actor: User, message: ChatMessage) -> ChatMessage:
    """The message's row, locked, once `actor` is known to moderate its network."""
    locked = chat_services.lock_message(message)
    check_moderate(actor, locked.room.network)
    return locked


def _record_message(
    actor: User, message: ChatMessage, action: str, reason: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    room = message.room
    audit.record(
        actor=actor,
        network=room.network,
        action=action,
        target_kind=TargetKind.MESSAGE,
        target_id=message.pk,
        target_label=room.name,
        target_user=message.author,
        reason=reason,
        before=before,
        after=after,
    )


def _resolve(actor: User, message: ChatMessage, resolution: str) -> None:
    queue.resolve_items_for(
        network=message.room.network,
        target_kind=TargetKind.MESSAGE,
        target_id=message.pk,
        actor=actor,
        resolution=resolution,
    )


# --- Rooms ------------------------------------------------------------------------------------------


@transaction.atomic
def set_slow_mode(*, actor: User, room: ChatRoom, seconds: int, reason: str = "") -> ChatRoom:
    """Hold each member of `room` (not its moderators) to one message every `seconds`; 0 turns slow mode
    off. Every open page of the room says so in its composer. ValidationError (keyed
    "slow_mode_seconds") outside 0 to chat_services.SLOW_MODE_MAX_SECONDS; nothing is recorded when
    nothing changes."""
    room = _locked_room(actor, room)
    reason = audit.clean_reason(reason)
    before = room.slow_mode_seconds
    room = chat_services.change_slow_mode(room=room, seconds=seconds)
    if room.slow_mode_seconds != before:
        after = room.slow_mode_seconds
        _record_room(
            actor, room, AuditEntry.Action.ROOM_SLOW_MODE, reason, "slow_mode_seconds", before, after
        )
    return room


@transaction.atomic
def set_room_state(*, actor: User, room: ChatRoom, state: str, reason: str = "") -> ChatRoom:
    """Open `room`, make it read-only, or archive it (not the general room); every open page of the room
    shows or takes away its composer at once. ValidationError (keyed "state") for an unknown state or
    archiving the general room; nothing is recorded when nothing changes."""
    room = _locked_room(actor, room)
    reason = audit.clean_reason(reason)
    before = room.state
    room = chat_services.change_room_state(room=room, state=state)
    if room.state != before:
        _record_room(actor, room, AuditEntry.Action.ROOM_STATE, reason, "state", before, room.state)
    return room


def _locked_room(actor: User, room: ChatRoom) -> ChatRoom:
    locked = chat_services.lock_room(room)
    check_moderate(actor, locked.network)
    return locked


def _record_room(
    actor: User, room: ChatRoom, action: str, reason: str, field: str, before: object, after: object
) -> None:
    audit.record(
        actor=actor,
        network=room.network,
        action=action,
        target_kind=TargetKind.ROOM,
        target_id=room.pk,
        target_label=room.name,
        reason=reason,
        before={field: before},
        after={field: after},
    )
