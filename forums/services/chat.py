"""What people do in chat rooms: one function per intent, each in its own transaction.

Every change is stored first and announced on the room's stream (`forums.events`) by an event appended
in the same transaction, so that what a page shows live is what the database holds. Services that
change a message lock its row first, and posting locks the room's row: changes to one message, and
posts to one room, happen one after another, so that counts in events are never stale and a room that
was just closed takes no more messages.
"""

import math
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forums.events import chat as events
from forums.events.reactions import count_reactions
from forums.models import (
    ChatMention,
    ChatMessage,
    ChatMessageRevision,
    ChatReaction,
    ChatReadState,
    ChatRoom,
    ReactionKind,
)
from forums.permissions import chat as permissions
from forums.permissions.roles import moderates, raise_if
from forums.ratelimit import take_allowance
from forums.validators import clean_message_body
from network.models import Membership, Network
from network.permissions import active_membership
from profiles.mentions import mention_links, resolve_mentions
from profiles.models import User
from realtime.models import Event
from realtime.selectors import last_seq
from realtime.services import append_event, record_event, redact_events, take_seq
from richtext import render_markdown

# The longest slow mode: one message an hour.
SLOW_MODE_MAX_SECONDS = 3600


class ChatRateLimited(Exception):
    """A member sent more messages to a room than settings.CHAT_RATE_LIMIT allows; nothing was stored."""

    def __init__(self) -> None:
        super().__init__(_("You're sending messages too fast. Wait a few seconds and try again."))


# --- Rooms ------------------------------------------------------------------------------------------


@transaction.atomic
def create_general_room(*, network: Network) -> ChatRoom:
    """The room every network has from its first day; returns the existing one if it is there."""
    room, _created = ChatRoom.objects.get_or_create(
        network=network,
        is_general=True,
        defaults={
            "name": _("General"),
            "slug": "general",
            "topic": _("Introductions, news and everything else."),
            "position": 0,
        },
    )
    return room


@transaction.atomic
def create_room(*, actor: User, network: Network, name: str, topic: str = "") -> ChatRoom:
    """A topic room, added by one of the network's admins after the rooms it already has."""
    permissions.check_manage_rooms(actor, network)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the room a name."), code="required")
    rooms = ChatRoom.objects.filter(network=network)
    if rooms.filter(name__iexact=name).exists():
        raise ValidationError(_("This network already has a room with that name."), code="taken")
    last_position = rooms.aggregate(last=Max("position"))["last"] or 0
    return ChatRoom.objects.create(
        network=network,
        name=name,
        slug=_free_slug(network, name),
        topic=topic.strip(),
        created_by=actor,
        position=last_position + 1,
    )


def _free_slug(network: Network, name: str) -> str:
    base = slugify(name)[:50] or "room"
    taken = set(
        ChatRoom.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@transaction.atomic
def change_room_state(*, room: ChatRoom, state: str) -> ChatRoom:
    """Open `room`, make it read-only, or archive it; every open page of the room hears of it. The
    building block of moderation's service, which checks who may do it and records it: this checks only
    the state asked for. `room` is locked by the caller (`lock_room`)."""
    if state not in ChatRoom.State.values:
        raise ValidationError({"state": _("Choose one of the states offered.")}, code="invalid_state")
    if room.is_general and state == ChatRoom.State.ARCHIVED:
        raise ValidationError(
            {"state": _("The general room cannot be archived; make it read-only instead.")}, code="general"
        )
    if room.state != state:
        room.state = state
        room.save(update_fields=["state"])
        _announce_room(room)
    return room


@transaction.atomic
def change_slow_mode(*, room: ChatRoom, seconds: int) -> ChatRoom:
    """Hold each member of `room` to one message every `seconds` (0: as many as the rate limit lets
    them); every open page of the room hears of it. Moderation's building block, as `change_room_state`;
    `room` is locked by the caller."""
    if not 0 <= seconds <= SLOW_MODE_MAX_SECONDS:
        raise ValidationError(
            {
                "slow_mode_seconds": _("Slow mode is between 0 seconds (off) and %(max)s seconds (one hour).")
                % {"max": SLOW_MODE_MAX_SECONDS}
            },
            code="slow_mode_range",
        )
    if room.slow_mode_seconds != seconds:
        room.slow_mode_seconds = seconds
        room.save(update_fields=["slow_mode_seconds"])
        _announce_room(room)
    return room


def _announce_room(room: ChatRoom) -> None:
    _announce(room.pk, events.ROOM_UPDATED, events.room_payload(room), subject=f"chat.room:{room.pk}")


def lock_room(room: ChatRoom) -> ChatRoom:
    """The room's row read afresh (with its network) and locked until the transaction ends."""
    return ChatRoom.objects.select_for_update(of=("self",)).select_related("network").get(pk=room.pk)


# --- Messages ---------------------------------------------------------------------------------------


@transaction.atomic
def post_message(*, author: User, room: ChatRoom, body: str, reply_to_id: int | None = None) -> ChatMessage:
    """Store a message and announce it; ValidationError for an empty or too long one, a reply to a
    message not in this room (or gone from it), or a member's message sooner than the room's slow mode
    allows (code "slow_mode"); ChatRateLimited (nothing stored) when the author sends too fast."""
    room = lock_room(room)
    membership = active_membership(author, room.network)
    raise_if(permissions.post_in_room_refusal(author, room, membership))
    body = clean_message_body(body)
    reply_to = None
    if reply_to_id is not None:
        reply_to = ChatMessage.objects.select_related("author").filter(pk=reply_to_id, room=room).first()
        if reply_to is None:
            raise ValidationError(_("You can only reply to a message of this room."), code="reply_elsewhere")
        if reply_to.is_deleted:
            raise ValidationError(_("That message was deleted; it cannot be answered."), code="reply_deleted")
        if reply_to.is_hidden:
            raise ValidationError(
                _("The moderators hid that message; it cannot be answered."), code="reply_hidden"
            )
    if not moderates(author, membership):
        _hold_to_slow_mode(author, room)
    _count_against_rate_limit(author, room)
    mentioned = resolve_mentions(body)
    # The message keeps the number of the event that announces it: history and live share one order.
    slot = take_seq(stream=events.room_stream(room.pk))
    message = ChatMessage.objects.create(
        room=room,
        author=author,
        body=body,
        body_html=_render(body, mentioned),
        reply_to=reply_to,
        seq=slot.seq,
    )
    _record_mentions(message, mentioned)
    record_event(
        slot=slot,
        kind=events.MESSAGE_CREATED,
        data=dict(events.message_payload(message, [])),
        subject=events.message_subject(message.pk),
    )
    return message


@transaction.atomic
def edit_message(*, actor: User, message: ChatMessage, body: str) -> ChatMessage:
    """Change a message's text, keeping the text it had as a revision."""
    message = lock_message(message)
    permissions.check_edit_message(actor, message)
    body = clean_message_body(body)
    if body == message.body:
        return message
    ChatMessageRevision.objects.create(
        message=message,
        body=message.body,
        body_html=message.body_html,
        created_at=message.edited_at or message.created_at,
    )
    mentioned = resolve_mentions(body)
    message.body = body
    message.body_html = _render(body, mentioned)
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "body_html", "edited_at"])
    _record_mentions(message, mentioned)
    subject = events.message_subject(message.pk)
    redact_events(subject=subject, redact=events.as_edited(message))
    _announce(message.room_id, events.MESSAGE_EDITED, events.edited_payload(message), subject)
    return message


@transaction.atomic
def delete_message(*, actor: User, message: ChatMessage) -> ChatMessage:
    """Take a message down: pages show "message deleted" in its place, and the events that carried its
    words are rewritten, so that a client catching up later never receives them. Its revisions stay,
    for the network's moderators."""
    message = lock_message(message)
    permissions.check_delete_message(actor, message)
    message.deleted_at = timezone.now()
    message.save(update_fields=["deleted_at"])
    subject = events.message_subject(message.pk)
    redact_events(subject=subject, redact=events.redact_deleted)
    _announce(message.room_id, events.MESSAGE_DELETED, events.deleted_payload(message), subject)
    return message


@transaction.atomic
def set_message_visibility(*, message: ChatMessage, visible: bool, reason: str = "") -> ChatMessage:
    """Hide a message (`reason` kept for its author) or show it again: the building block of
    moderation's services, which check who may do it and record it; this checks only that the message
    is there to hide or show. `message` is locked by the caller (`lock_message`).

    Hiding rewrites the events that carried the message's words, as deleting does, so that a page
    catching up replays it hidden, and says `message.hidden` (no words); showing says `message.restored`
    with the message as `message.created` described it. ValidationError for a deleted message, or one
    already hidden (or already on show)."""
    if message.is_deleted:
        raise ValidationError(_("This message was deleted."), code="deleted")
    if visible and not message.is_hidden:
        raise ValidationError(_("This message is not hidden."), code="already_shown")
    if not visible and message.is_hidden:
        raise ValidationError(_("This message is already hidden."), code="already_hidden")
    message.is_hidden = not visible
    message.hidden_reason = "" if visible else reason.strip()
    message.save(update_fields=["is_hidden", "hidden_reason"])
    subject = events.message_subject(message.pk)
    if visible:
        payload = events.message_payload(message, reaction_counts(message))
        _announce(message.room_id, events.MESSAGE_RESTORED, payload, subject)
    else:
        redact_events(subject=subject, redact=events.redact_hidden)
        _announce(message.room_id, events.MESSAGE_HIDDEN, events.hidden_payload(message), subject)
    return message


@transaction.atomic
def react_to_message(
    *, user: User, message: ChatMessage, kind: str, on: bool = True
) -> list[events.ReactionCount]:
    """Add (`on`) or take back one of `user`'s reactions; returns the message's reaction counts."""
    message = lock_message(message)
    permissions.check_react_to_message(user, message)
    if kind not in ReactionKind.values:
        raise ValidationError(_("Choose one of the reactions offered."), code="invalid_reaction")
    reactions = ChatReaction.objects.filter(message=message, user=user, kind=kind)
    if on:
        changed = ChatReaction.objects.get_or_create(message=message, user=user, kind=kind)[1]
    else:
        changed = reactions.delete()[0] > 0
    counts = reaction_counts(message)
    if changed:
        payload: events.ReactionChangedData = {
            "message": message.pk,
            "user": user.pk,
            "kind": kind,
            "on": on,
            "reactions": counts,
        }
        _announce(message.room_id, events.REACTION_CHANGED, payload, events.message_subject(message.pk))
    return counts


def reaction_counts(message: ChatMessage) -> list[events.ReactionCount]:
    return count_reactions(ChatReaction.objects.filter(message=message))


def lock_message(message: ChatMessage) -> ChatMessage:
    """The message's row read afresh, with what permissions and payloads need, locked until the end."""
    return (
        ChatMessage.objects.select_for_update(of=("self",))
        .select_related("room__network", "author", "reply_to__author")
        .get(pk=message.pk)
    )


def _render(body: str, mentioned: Mapping[str, User]) -> str:
    return render_markdown(body, mention_links(mentioned))


def _record_mentions(message: ChatMessage, mentioned: Mapping[str, User]) -> None:
    """Remember who of the room's network a message names (people outside it cannot read it)."""
    if not mentioned:
        return
    members = Membership.objects.filter(
        network_id=message.room.network_id,
        state=Membership.State.ACTIVE,
        user__in=list(mentioned.values()),
    ).values_list("user_id", flat=True)
    ChatMention.objects.bulk_create(
        [ChatMention(message=message, user_id=user_id) for user_id in members], ignore_conflicts=True
    )


def _hold_to_slow_mode(author: User, room: ChatRoom) -> None:
    """Refuse a message sooner than `room`'s slow mode allows after the author's previous one there (a
    deleted one counts: deleting is no way around it). The room's row is locked: two messages sent at
    once are counted one after the other."""
    if not room.slow_mode_seconds:
        return
    previous = (
        ChatMessage.objects.filter(room=room, author=author)
        .order_by("-seq")
        .values_list("created_at", flat=True)
        .first()
    )
    if previous is None:
        return
    wait = room.slow_mode_seconds - (timezone.now() - previous).total_seconds()
    if wait > 0:
        seconds = math.ceil(wait)
        raise ValidationError(
            ngettext(
                "Slow mode: you can send your next message in %(seconds)s second.",
                "Slow mode: you can send your next message in %(seconds)s seconds.",
                seconds,
            ),
            code="slow_mode",
            params={"seconds": seconds},
        )


def _count_against_rate_limit(author: User, room: ChatRoom) -> None:
    """Count this message against the author's allowance for the room."""
    if not take_allowance(f"chat-rate:{room.pk}:{author.pk}", settings.CHAT_RATE_LIMIT):
        raise ChatRateLimited


def _announce(room_id: int, kind: str, data: Mapping[str, Any], subject: str) -> Event:
    return append_event(stream=events.room_stream(room_id), kind=kind, data=dict(data), subject=subject)


# --- Reading ----------------------------------------------------------------------------------------


@transaction.atomic
def mark_room_read(*, user: User, room: ChatRoom, seq: int) -> int:
    """Record that `user` has read `room` up to `seq`; never moves back. Returns how far they have read."""
    permissions.check_read_room(user, room)
    seq = min(seq, last_seq(stream=events.room_stream(room.pk)))
    states = ChatReadState.objects.filter(user=user, room=room)
    if states.filter(last_read_seq__lt=seq).update(last_read_seq=seq):
        return seq
    state, created = ChatReadState.objects.get_or_create(
        user_id=user.pk, room=room, defaults={"last_read_seq": seq}
    )
    if not created and state.last_read_seq < seq:  # another request created the row just before
        states.filter(last_read_seq__lt=seq).update(last_read_seq=seq)
        return seq
    return max(state.last_read_seq, seq)
