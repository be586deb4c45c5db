"""Reads shaped for the chat pages, each with a fixed number of queries whatever the number of messages.

A message is unread for a member when its `seq` is above the member's `last_read_seq` for the room,
it is neither deleted nor hidden by the moderators, and someone else wrote it. Archived rooms count no unread messages: nothing new can
happen in them.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_stubs_ext import WithAnnotations

from forums.events import chat as events
from forums.models import ChatMessage, ChatReaction, ChatReadState, ChatRoom, ReactionKind
from forums.permissions import chat as permissions
from forums.permissions.roles import moderates
from moderation.permissions import report_refusal
from network.models import Membership, Network
from profiles.models import User
from realtime.selectors import last_seq

REPLY_EXCERPT_CHARACTERS = 120


def _last_read_seq(viewer: User, room_ref: str) -> Coalesce:
    """How far `viewer` has read the room `room_ref` names in the outer query (0 if never opened)."""
    states = ChatReadState.objects.filter(user_id=viewer.pk, room=OuterRef(room_ref)).values("last_read_seq")[
        :1
    ]
    return Coalesce(Subquery(states), Value(0))


def _standing() -> QuerySet[ChatMessage]:
    """Messages every reader of their room sees."""
    return ChatMessage.objects.filter(deleted_at__isnull=True, is_hidden=False)


def _unread(viewer: User) -> QuerySet[ChatMessage]:
    return _standing().exclude(author_id=viewer.pk)


# What `_rooms_with_unread` adds to each room (the annotation is quoted: it is for the type checker).
class _RoomActivity(TypedDict):
    last_read_seq: int
    unread_count: int
    last_message_at: datetime | None


def _rooms_with_unread(
    viewer: User, rooms: QuerySet[ChatRoom]
) -> "QuerySet[WithAnnotations[ChatRoom, _RoomActivity]]":
    unread = (
        _unread(viewer)
        .filter(room=OuterRef("pk"), seq__gt=OuterRef("last_read_seq"))
        .order_by()
        .values("room")
        .annotate(count=Count("pk"))
        .values("count")
    )
    latest = _standing().filter(room=OuterRef("pk")).order_by("-seq")
    return rooms.annotate(
        last_read_seq=_last_read_seq(viewer, "pk"),
        unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        last_message_at=Subquery(latest.values("created_at")[:1]),
    )


# --- Room lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomRow:
    room: ChatRoom
    unread: int
    last_message_at: datetime | None


def _rows(rooms: "QuerySet[WithAnnotations[ChatRoom, _RoomActivity]]") -> list[RoomRow]:
    return [
        RoomRow(
            room=room,
            unread=0 if room.state == ChatRoom.State.ARCHIVED else room.unread_count,
            last_message_at=room.last_message_at,
        )
        for room in rooms
    ]


def room_list_for(viewer: User, network: Network) -> list[RoomRow]:
    """`network`'s rooms, in order, with what `viewer` (who may read them) has not read yet. One query."""
    rooms = ChatRoom.objects.filter(network=network)
    return _rows(_rooms_with_unread(viewer, rooms))


@dataclass(frozen=True)
class NetworkRooms:
    network: Network
    rooms: list[RoomRow]

    @property
    def unread(self) -> int:
        return sum(row.unread for row in self.rooms)


def chat_overview(viewer: User) -> list[NetworkRooms]:
    """The rooms of every network `viewer` is an active member of, by network. One query."""
    rooms = (
        ChatRoom.objects.filter(
            network__memberships__user_id=viewer.pk, network__memberships__state=Membership.State.ACTIVE
        )
        .select_related("network")
        .order_by("network__name", "position", "name")
    )
    grouped: dict[int, NetworkRooms] = {}
    for row in _rows(_rooms_with_unread(viewer, rooms)):
        network = row.room.network
        grouped.setdefault(network.pk, NetworkRooms(network=network, rooms=[])).rooms.append(row)
    return list(grouped.values())


def unread_total(viewer: User) -> int:
    """Unread messages in all the rooms of all `viewer`'s networks, for the navigation. One query."""
    return (
        _unread(viewer)
        .filter(
            room__network__memberships__user_id=viewer.pk,
            room__network__memberships__state=Membership.State.ACTIVE,
            seq__gt=_last_read_seq(viewer, "room"),
        )
        .exclude(room__state=ChatRoom.State.ARCHIVED)
        .count()
    )


# --- A room's history -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReactionButton:
    kind: str
    label: str
    count: int
    mine: bool


@dataclass(frozen=True)
class MessageView:
    """A message as the room page shows it to one viewer: the event payload, and what they may do.

    A message the moderators hid keeps its words for its author, who reads the moderators' reason
    (`hidden_reason`), and for the moderators, who may restore it; everyone else reads that it was
    hidden (`data` then holds none of its words)."""

    data: events.MessageData
    seq: int
    reply_excerpt: str
    reply_deleted: bool
    reply_hidden: bool
    reactions: list[ReactionButton]
    hidden_reason: str
    can_edit: bool
    can_delete: bool
    can_react: bool
    can_reply: bool
    can_view_history: bool
    can_hide: bool
    can_restore: bool
    can_report: bool

    @property
    def id(self) -> int:
        return self.data["id"]

    @property
    def hidden_note(self) -> bool:
        """Whether the viewer reads "hidden by the moderators" in the message's place."""
        return self.data["hidden"] and not self.data["deleted"] and not self.data["body_html"]

    @property
    def shown_hidden(self) -> bool:
        """Whether the viewer (its author or a moderator) reads a hidden message's words, marked hidden."""
        return self.data["hidden"] and not self.data["deleted"] and bool(self.data["body_html"])


@dataclass(frozen=True)
class RoomHistory:
    messages: list[MessageView]
    # The `before` of the next older page, or None when these are the room's first messages.
    older_before: int | None


REACTION_LABELS = dict(ReactionKind.choices)


def room_history(
    *,
    viewer: User,
    room: ChatRoom,
    membership: Membership | None,
    before_seq: int | None = None,
    limit: int | None = None,
) -> RoomHistory:
    """The `limit` messages of `room` before `before_seq` (or the latest), oldest first, with their
    authors, the messages they answer, and reaction counts. `membership` is the viewer's own row in the
    room's network. Two queries."""
    limit = limit or settings.CHAT_HISTORY_PAGE
    newest_first = ChatMessage.objects.filter(room=room).select_related("author", "reply_to__author")
    if before_seq is not None:
        newest_first = newest_first.filter(seq__lt=before_seq)
    rows = list(newest_first.order_by("-seq")[: limit + 1])
    has_older = len(rows) > limit
    rows = rows[:limit][::-1]
    reactions = _reactions_by_message(viewer, [message.pk for message in rows])
    moderator = moderates(viewer, membership)
    may_report = report_refusal(viewer, membership) is None
    may_post = permissions.post_in_room_refusal(viewer, room, membership) is None
    views = []
    for message in rows:
        message.room = room  # permissions read the room's state; it is the same room for every row
        reveal = _reveals(viewer, moderator, message)
        withheld = message.is_deleted or (message.is_hidden and not reveal)
        hidden = message.is_hidden and not message.is_deleted
        counts = [] if withheld else reactions.get(message.pk, [])
        reply = message.reply_to
        reply_hidden = reply is not None and reply.is_hidden and not _reveals(viewer, moderator, reply)
        views.append(
            MessageView(
                data=events.message_payload(
                    message, [{"kind": b.kind, "count": b.count} for b in counts], reveal_hidden=reveal
                ),
                seq=message.seq,
                reply_excerpt="" if reply_hidden else _excerpt(reply),
                reply_deleted=reply is not None and reply.is_deleted,
                reply_hidden=reply_hidden,
                reactions=counts,
                hidden_reason=message.hidden_reason if hidden and reveal else "",
                can_edit=permissions.edit_message_refusal(viewer, message, membership) is None,
                can_delete=permissions.delete_message_refusal(viewer, message, membership) is None,
                can_react=permissions.react_to_message_refusal(viewer, message, membership) is None,
                can_reply=may_post and not hidden and not message.is_deleted,
                can_view_history=message.edited_at is not None
                and permissions.view_message_history_refusal(viewer, message, membership) is None,
                can_hide=moderator and not hidden and not message.is_deleted,
                can_restore=moderator and hidden,
                can_report=may_report
                and message.author_id != viewer.pk
                and not hidden
                and not message.is_deleted,
            )
        )
    return RoomHistory(messages=views, older_before=rows[0].seq if has_older else None)


def _reveals(viewer: User, moderator: bool, message: ChatMessage) -> bool:
    """Whether `viewer` reads the words of `message` although it is hidden."""
    return moderator or message.author_id == viewer.pk


def _reactions_by_message(viewer: User, message_ids: list[int]) -> dict[int, list[ReactionButton]]:
    if not message_ids:
        return {}
    rows = (
        ChatReaction.objects.filter(message_id__in=message_ids)
        .values("message_id", "kind")
        .annotate(count=Count("pk"), mine=Count("pk", filter=Q(user_id=viewer.pk)))
        .order_by()
    )
    by_message: dict[int, list[ReactionButton]] = {}
    for row in rows:
        button = ReactionButton(
            kind=row["kind"],
            label=str(REACTION_LABELS.get(row["kind"], row["kind"])),
            count=row["count"],
            mine=row["mine"] > 0,
        )
        by_message.setdefault(row["message_id"], []).append(button)
    for buttons in by_message.values():
        buttons.sort(key=lambda button: events.REACTION_ORDER.get(button.kind, 99))
    return by_message


def _excerpt(message: ChatMessage | None) -> str:
    if message is None or message.is_deleted:
        return ""
    text = " ".join(strip_tags(message.body_html).split())
    return Truncator(text).chars(REPLY_EXCERPT_CHARACTERS)


# --- The room page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomPage:
    room: ChatRoom
    viewer_id: int
    membership: Membership | None
    history: RoomHistory
    # The room stream's last sequence number, read before the messages: the page follows the stream
    # from there, so nothing committed in between is missed (a message seen twice is shown once).
    stream_seq: int
    # How far the viewer had read before this visit; messages after it are marked new.
    last_read_seq: int
    is_latest: bool
    post_refusal: str | None
    can_manage_rooms: bool
    can_moderate: bool
    can_report: bool

    @property
    def stream(self) -> str:
        return events.room_stream(self.room.pk)

    @property
    def can_post(self) -> bool:
        return self.post_refusal is None

    @property
    def first_unread_id(self) -> int | None:
        """The first message on the page written by someone else since the viewer's last visit."""
        for message in self.history.messages:
            if message.seq > self.last_read_seq and message.data["author"]["id"] != self.viewer_id:
                return message.id
        return None

    @property
    def newest_seq(self) -> int:
        return self.history.messages[-1].seq if self.history.messages else 0


def room_page(
    *, viewer: User, room: ChatRoom, membership: Membership | None, before_seq: int | None = None
) -> RoomPage:
    """What a room's page shows `viewer`, who may read it (`membership` is their own row in the room's
    network): a page of history, from where to follow it live, and what they may do. Four queries."""
    stream_seq = last_seq(stream=events.room_stream(room.pk))
    read = (
        ChatReadState.objects.filter(user_id=viewer.pk, room=room)
        .values_list("last_read_seq", flat=True)
        .first()
    )
    return RoomPage(
        room=room,
        viewer_id=viewer.pk,
        membership=membership,
        history=room_history(viewer=viewer, room=room, membership=membership, before_seq=before_seq),
        stream_seq=stream_seq,
        last_read_seq=read or 0,
        is_latest=before_seq is None,
        post_refusal=permissions.post_in_room_refusal(viewer, room, membership),
        can_manage_rooms=permissions.manage_rooms_refusal(viewer, membership) is None,
        can_moderate=moderates(viewer, membership),
        can_report=report_refusal(viewer, membership) is None,
    )


@dataclass(frozen=True)
class Version:
    written_at: datetime
    body_html: str
    is_current: bool


def message_versions(message: ChatMessage) -> list[Version]:
    """Every version of `message`, newest first, its current text included. One query."""
    earlier = [
        Version(revision.created_at, revision.body_html, False) for revision in message.revisions.all()
    ]
    current = Version(message.edited_at or message.created_at, message.body_html, True)
    return [current, *reversed(earlier)]
