"""Who may do what in chat rooms: the one source of truth for views, templates, the websocket and services.

Chat is for a network's members: reading a room needs an active membership (or being a site operator),
whatever the network's visibility. Each rule is a `<verb>_<object>_refusal(...)` over the person's own
membership row, returning the human reason for a refusal or None; `can_*` and `check_*` fetch that row
for one object, and pages that ask about many messages fetch it once and call the refusal functions.
"""

from django.utils.translation import gettext as _

from forums.models import ChatMessage, ChatRoom
from forums.permissions.roles import administers, is_active, moderates, muted_notice, raise_if
from network.models import Membership, Network
from network.permissions import AnyUser, active_membership

# --- Rooms ------------------------------------------------------------------------------------------


def read_room_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    """Why `user`, whose own row in the room's network is `membership`, may not read its rooms, or None."""
    if not user.is_authenticated:
        return _("Log in to read this network's chat rooms.")
    if user.is_superuser or is_active(membership):
        return None
    return _("Only members of this network can read its chat rooms.")


def can_read_rooms(user: AnyUser, network: Network) -> bool:
    """Whether `user` may read the chat rooms of `network` (every room of a network has the same readers)."""
    return read_room_refusal(user, active_membership(user, network)) is None


def check_read_rooms(user: AnyUser, network: Network) -> None:
    raise_if(read_room_refusal(user, active_membership(user, network)))


def can_read_room(user: AnyUser, room: ChatRoom) -> bool:
    return can_read_rooms(user, room.network)


def check_read_room(user: AnyUser, room: ChatRoom) -> None:
    check_read_rooms(user, room.network)


def closed_room_notice(room: ChatRoom) -> str | None:
    """Why nobody may post in `room` now (it is read-only or archived), or None when it is open."""
    if room.state == ChatRoom.State.READ_ONLY:
        return _("This room is read-only: its messages can be read, but nobody can post.")
    if room.state == ChatRoom.State.ARCHIVED:
        return _("This room is archived: its conversation is kept for reading only.")
    return None


def post_in_room_refusal(user: AnyUser, room: ChatRoom, membership: Membership | None) -> str | None:
    return read_room_refusal(user, membership) or closed_room_notice(room) or muted_notice(membership)


def can_post_in_room(user: AnyUser, room: ChatRoom) -> bool:
    return post_in_room_refusal(user, room, active_membership(user, room.network)) is None


def check_post_in_room(user: AnyUser, room: ChatRoom) -> None:
    raise_if(post_in_room_refusal(user, room, active_membership(user, room.network)))


def manage_rooms_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    if administers(user, membership):
        return None
    return _("Only the network's admins can manage its chat rooms.")


def can_manage_rooms(user: AnyUser, network: Network) -> bool:
    return manage_rooms_refusal(user, active_membership(user, network)) is None


def check_manage_rooms(user: AnyUser, network: Network) -> None:
    raise_if(manage_rooms_refusal(user, active_membership(user, network)))


# --- Messages ---------------------------------------------------------------------------------------


def edit_message_refusal(user: AnyUser, message: ChatMessage, membership: Membership | None) -> str | None:
    read_refusal = read_room_refusal(user, membership)
    if read_refusal is not None:
        return read_refusal
    if message.author_id != user.pk:
        return _("Only its author can edit a message.")
    if message.is_deleted:
        return _("This message was deleted.")
    if message.is_hidden:
        return _("The moderators hid this message; it can no longer be edited.")
    if message.room.state == ChatRoom.State.ARCHIVED:
        return _("This room is archived: its messages can no longer change.")
    return None


def can_edit_message(user: AnyUser, message: ChatMessage) -> bool:
    return edit_message_refusal(user, message, active_membership(user, message.room.network)) is None


def check_edit_message(user: AnyUser, message: ChatMessage) -> None:
    raise_if(edit_message_refusal(user, message, active_membership(user, message.room.network)))


def delete_message_refusal(user: AnyUser, message: ChatMessage, membership: Membership | None) -> str | None:
    """Authors delete their own messages (not in an archived room); moderators any message, any time."""
    read_refusal = read_room_refusal(user, membership)
    if read_refusal is not None:
        return read_refusal
    if message.is_deleted:
        return _("This message is already deleted.")
    if moderates(user, membership):
        return None
    if message.author_id != user.pk:
        return _("Only its author or the network's moderators can delete a message.")
    if message.room.state == ChatRoom.State.ARCHIVED:
        return _("This room is archived: its messages can no longer change.")
    return None


def can_delete_message(user: AnyUser, message: ChatMessage) -> bool:
    return delete_message_refusal(user, message, active_membership(user, message.room.network)) is None


def check_delete_message(user: AnyUser, message: ChatMessage) -> None:
    raise_if(delete_message_refusal(user, message, active_membership(user, message.room.network)))


def react_to_message_refusal(
    user: AnyUser, message: ChatMessage, membership: Membership | None
) -> str | None:
    """Reacting is a small way of posting: it needs an open room and a message still there."""
    post_refusal = post_in_room_refusal(user, message.room, membership)
    if post_refusal is not None:
        return post_refusal
    if message.is_deleted:
        return _("This message was deleted.")
    if message.is_hidden:
        # What readers no longer see takes no change that would be announced to them all.
        return _("The moderators hid this message; it takes no reactions.")
    return None


def can_react_to_message(user: AnyUser, message: ChatMessage) -> bool:
    return react_to_message_refusal(user, message, active_membership(user, message.room.network)) is None


def check_react_to_message(user: AnyUser, message: ChatMessage) -> None:
    raise_if(react_to_message_refusal(user, message, active_membership(user, message.room.network)))


def view_message_history_refusal(
    user: AnyUser, message: ChatMessage, membership: Membership | None
) -> str | None:
    """Earlier versions of a message are for its author (while it stands) and for moderators."""
    read_refusal = read_room_refusal(user, membership)
    if read_refusal is not None:
        return read_refusal
    if moderates(user, membership):
        return None
    if message.author_id == user.pk and not message.is_deleted:
        return None
    return _("Only its author and the network's moderators can see a message's earlier versions.")


def can_view_message_history(user: AnyUser, message: ChatMessage) -> bool:
    membership = active_membership(user, message.room.network)
    return view_message_history_refusal(user, message, membership) is None


def check_view_message_history(user: AnyUser, message: ChatMessage) -> None:
    raise_if(view_message_history_refusal(user, message, active_membership(user, message.room.network)))
