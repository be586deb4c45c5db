"""Moderating chat: hiding, restoring and deleting messages, slow mode and room states, who may do each,
what the audit log keeps, the review queue, slow mode held against members, and what each reader of a
room reads of a hidden message.

The fixtures here serve the other chat moderation tests too: `writer` wrote `message` in `room`, the
general room of `network`; `other_moderator` moderates another network."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forums.models import ChatMessage, ChatRoom
from forums.selectors import chat as selectors
from forums.services import chat as chat_services
from moderation.models import AuditEntry, QueueItem, Report, TargetKind
from moderation.services import chat as services
from moderation.services.reports import report
from network.models import Membership, Network
from network.permissions import active_membership
from profiles.models import User
from tests.factories import ChatRoomFactory, MembershipFactory, UserFactory
from tests.forums.conftest import _fresh_rate_limits, post  # noqa: F401  (the chat tests' autouse fixture)
from tests.network.conftest import superuser  # noqa: F401  (a fixture used here)

pytestmark = pytest.mark.django_db

MODERATORS = ["moderator", "admin", "superuser"]
NOT_MODERATORS = ["member", "champion", "other_moderator", "outsider"]


@pytest.fixture(name="room")
def room_fixture(network: Network) -> ChatRoom:
    """The general room of `network`."""
    return chat_services.create_general_room(network=network)


@pytest.fixture(name="writer")
def writer_fixture(network: Network) -> User:
    """A member of `network` whose message the moderators act on."""
    return MembershipFactory(network=network, user=UserFactory(display_name="Wendy Writer")).user


@pytest.fixture(name="message")
def message_fixture(room: ChatRoom, writer: User) -> ChatMessage:
    return post(writer, room, "Buy **cheap** watches at my shop.")


@pytest.fixture(name="other_moderator")
def other_moderator_fixture(db: None) -> User:
    """A moderator of another network: nobody in `network`."""
    return MembershipFactory(role=Membership.Role.MODERATOR).user


def hide(actor: User, message: ChatMessage, reason: str = "Advertising") -> ChatMessage:
    return services.hide_message(actor=actor, message=message, reason=reason)


def report_message(reporter: User, message: ChatMessage, reason: str = Report.Reason.SPAM) -> Report:
    return report(
        actor=reporter,
        network=message.room.network,
        target_kind=TargetKind.MESSAGE,
        target_id=message.pk,
        reason=reason,
    )


def entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("id"))


def fresh(message: ChatMessage) -> ChatMessage:
    return ChatMessage.objects.get(pk=message.pk)


# --- Hiding -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MODERATORS)
def test_moderators_admins_and_operators_hide_a_message_with_a_reason(request, message, writer, persona):
    actor = request.getfixturevalue(persona)

    hide(actor, message, "  Advertising,\n  twice  ")

    message = fresh(message)
    assert (message.is_hidden, message.hidden_reason) == (True, "Advertising, twice")
    assert message.body == "Buy **cheap** watches at my shop."  # kept for its author and the moderators
    [entry] = entries()
    assert (entry.actor, entry.network, entry.action) == (actor, message.room.network, "message.hide")
    assert (entry.target_kind, entry.target_id, entry.target_user) == ("message", message.pk, writer)
    assert (entry.target_label, entry.reason, entry.public) == ("General", "Advertising, twice", True)
    assert entry.before == {"hidden": False, "body": "Buy **cheap** watches at my shop."}
    assert entry.after == {"hidden": True}


ACTIONS = {
    "hide": lambda actor, message, room: hide(actor, message),
    "restore": lambda actor, message, room: services.restore_message(actor=actor, message=message),
    "delete": lambda actor, message, room: services.delete_message(
        actor=actor, message=message, reason="Spam"
    ),
    "slow mode": lambda actor, message, room: services.set_slow_mode(actor=actor, room=room, seconds=30),
    "room state": lambda actor, message, room: services.set_room_state(
        actor=actor, room=room, state="read_only"
    ),
}


ACTION_RECORDED = {
    "hide": AuditEntry.Action.MESSAGE_HIDE,
    "restore": AuditEntry.Action.MESSAGE_RESTORE,
    "delete": AuditEntry.Action.MESSAGE_DELETE,
    "slow mode": AuditEntry.Action.ROOM_SLOW_MODE,
    "room state": AuditEntry.Action.ROOM_STATE,
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", NOT_MODERATORS)
def test_nobody_else_moderates_the_room_and_nothing_changes(
    request, room, message, moderator, persona, action
):
    if action == "restore":
        hide(moderator, message)
    before = entries()

    with pytest.raises(PermissionDenied):
        ACTIONS[action](request.getfixturevalue(persona), message, room)

    message, room = fresh(message), ChatRoom.objects.get(pk=room.pk)
    assert (message.is_hidden, message.is_deleted) == (action == "restore", False)
    assert (room.state, room.slow_mode_seconds) == ("open", 0)
    assert entries() == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", MODERATORS)
def test_every_action_is_for_moderators_admins_and_operators(
    request, room, message, moderator, persona, action
):
    if action == "restore":
        hide(moderator, message)
    actor = request.getfixturevalue(persona)

    ACTIONS[action](actor, message, room)

    latest = AuditEntry.objects.order_by("-id").first()
    assert latest is not None
    assert (latest.actor, latest.action) == (actor, ACTION_RECORDED[action])


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_hiding_needs_a_reason_for_the_author(message, moderator, reason):
    with pytest.raises(ValidationError) as refused:
        hide(moderator, message, reason)

    assert refused.value.message_dict == {"reason": ["Say why: the message's author will read it."]}
    assert not fresh(message).is_hidden
    assert entries() == []


def test_a_reason_has_a_length_limit(message, moderator):
    with pytest.raises(ValidationError) as refused:
        hide(moderator, message, "x" * 1001)

    assert "1000 characters" in refused.value.message_dict["reason"][0]
    assert not fresh(message).is_hidden


def test_a_message_hidden_meanwhile_is_refused_with_a_message_and_recorded_once(message, moderator, admin):
    hide(moderator, message)

    with pytest.raises(ValidationError, match="already hidden"):
        hide(admin, message, "Me too")

    assert fresh(message).hidden_reason == "Advertising"
    assert [entry.actor for entry in entries()] == [moderator]


def test_a_message_deleted_meanwhile_is_neither_hidden_nor_restored(message, writer, moderator):
    chat_services.delete_message(actor=writer, message=message)

    with pytest.raises(ValidationError, match="deleted"):
        hide(moderator, message)
    with pytest.raises(ValidationError, match="deleted"):
        services.restore_message(actor=moderator, message=message)
    with pytest.raises(ValidationError, match="deleted meanwhile"):
        services.delete_message(actor=moderator, message=message, reason="Spam")

    assert not fresh(message).is_hidden
    assert entries() == []


def test_hiding_takes_the_message_off_every_queue(message, member, champion, moderator):
    report_message(member, message, Report.Reason.SPAM)
    report_message(champion, message, Report.Reason.ABUSE)

    hide(moderator, message)

    [item] = QueueItem.objects.all()
    assert (item.state, item.resolution, item.handled_by, item.report_count) == (
        "handled",
        "hidden",
        moderator,
        2,
    )


# --- Restoring --------------------------------------------------------------------------------------


def test_restoring_shows_the_message_again_and_is_recorded(message, writer, moderator, admin):
    hide(moderator, message, "Looked like spam")

    services.restore_message(actor=admin, message=message, reason=" It is a real offer ")

    message = fresh(message)
    assert (message.is_hidden, message.hidden_reason) == (False, "")
    entry = entries()[-1]
    assert (entry.actor, entry.action, entry.target_user, entry.reason) == (
        admin,
        "message.restore",
        writer,
        "It is a real offer",
    )
    assert (entry.before, entry.after) == (
        {"hidden": True, "hidden_reason": "Looked like spam"},
        {"hidden": False},
    )


def test_a_message_not_hidden_is_not_restored(message, moderator):
    with pytest.raises(ValidationError, match="not hidden"):
        services.restore_message(actor=moderator, message=message)
    assert entries() == []


# --- Deleting ---------------------------------------------------------------------------------------


def test_a_moderator_deletes_with_a_reason_and_the_log_keeps_the_text(message, writer, member, moderator):
    report_message(member, message, Report.Reason.SPAM)

    services.delete_message(actor=moderator, message=message, reason="Spam")

    assert fresh(message).is_deleted
    [entry] = entries()
    assert (entry.action, entry.target_user, entry.reason) == ("message.delete", writer, "Spam")
    assert entry.before == {"body": "Buy **cheap** watches at my shop.", "hidden": False}
    assert entry.after == {"deleted": True}
    assert QueueItem.objects.get().resolution == "deleted"


def test_a_moderators_deletion_needs_a_reason(message, moderator):
    with pytest.raises(ValidationError) as refused:
        services.delete_message(actor=moderator, message=message, reason=" ")

    assert list(refused.value.message_dict) == ["reason"]
    assert not fresh(message).is_deleted


def test_a_hidden_message_can_still_be_deleted(message, moderator):
    hide(moderator, message)

    services.delete_message(actor=moderator, message=message, reason="Spam, for good")

    message = fresh(message)
    assert message.is_deleted
    assert entries()[-1].before == {"body": "Buy **cheap** watches at my shop.", "hidden": True}


# --- What a hidden message still allows -------------------------------------------------------------


def test_a_hidden_message_is_not_edited_reacted_to_or_answered(room, message, writer, member, moderator):
    hide(moderator, message)

    with pytest.raises(PermissionDenied, match="hid this message"):
        chat_services.edit_message(actor=writer, message=message, body="Now hidden words")
    with pytest.raises(PermissionDenied, match="hid this message"):
        chat_services.react_to_message(user=member, message=message, kind="👍")
    with pytest.raises(ValidationError, match="cannot be answered"):
        post(member, room, "What shop?", reply_to_id=message.pk)

    assert fresh(message).body == "Buy **cheap** watches at my shop."


# --- Slow mode --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [0, 1, 30, 3600])
def test_slow_mode_is_set_within_its_bounds(room, moderator, seconds):
    services.set_slow_mode(actor=moderator, room=room, seconds=10 if seconds == 0 else 0)

    assert services.set_slow_mode(actor=moderator, room=room, seconds=seconds).slow_mode_seconds == seconds
    assert ChatRoom.objects.get(pk=room.pk).slow_mode_seconds == seconds


@pytest.mark.parametrize("seconds", [-1, 3601, 10**6])
def test_slow_mode_outside_its_bounds_is_refused_with_a_clear_message(room, moderator, seconds):
    with pytest.raises(ValidationError) as refused:
        services.set_slow_mode(actor=moderator, room=room, seconds=seconds)

    assert refused.value.message_dict == {
        "slow_mode_seconds": ["Slow mode is between 0 seconds (off) and 3600 seconds (one hour)."]
    }
    assert ChatRoom.objects.get(pk=room.pk).slow_mode_seconds == 0
    assert entries() == []


def test_slow_mode_changes_are_recorded_and_a_change_to_nothing_is_not(room, moderator):
    services.set_slow_mode(actor=moderator, room=room, seconds=30, reason="Heated thread")
    services.set_slow_mode(actor=moderator, room=room, seconds=30)
    services.set_slow_mode(actor=moderator, room=room, seconds=0)

    first, second = entries()
    assert (first.action, first.target_kind, first.target_id, first.target_label) == (
        "room.slow_mode",
        "room",
        room.pk,
        "General",
    )
    assert (first.reason, first.before, first.after) == (
        "Heated thread",
        {"slow_mode_seconds": 0},
        {"slow_mode_seconds": 30},
    )
    assert (second.before, second.after) == ({"slow_mode_seconds": 30}, {"slow_mode_seconds": 0})


@pytest.fixture
def slow_room(room: ChatRoom, admin: User) -> ChatRoom:
    return services.set_slow_mode(actor=admin, room=room, seconds=30)


def written_ago(message: ChatMessage, seconds: int) -> None:
    ChatMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


@pytest.mark.parametrize("persona", ["member", "champion"])
def test_slow_mode_holds_members_to_one_message_per_interval(request, slow_room, persona):
    author = request.getfixturevalue(persona)
    first = post(author, slow_room, "First")
    written_ago(first, 10)

    with pytest.raises(ValidationError) as refused:
        post(author, slow_room, "Too soon")

    assert refused.value.code == "slow_mode"
    assert refused.value.params == {"seconds": 20}
    assert refused.value.messages == ["Slow mode: you can send your next message in 20 seconds."]
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["First"]


def test_the_last_second_of_slow_mode_is_said_in_the_singular(slow_room, member):
    written_ago(post(member, slow_room, "First"), 29)

    with pytest.raises(ValidationError, match="in 1 second\\."):
        post(member, slow_room, "Nearly")


def test_once_the_interval_passed_a_member_posts_again(slow_room, member):
    written_ago(post(member, slow_room, "First"), 30)

    assert post(member, slow_room, "Second").body == "Second"


def test_slow_mode_counts_each_member_apart_and_in_its_own_room(network, slow_room, member, champion, admin):
    post(member, slow_room, "Mine")
    other_room = chat_services.create_room(actor=admin, network=network, name="Quiet")

    assert post(champion, slow_room, "Theirs").body == "Theirs"
    assert post(member, other_room, "Elsewhere").body == "Elsewhere"


@pytest.mark.parametrize("persona", MODERATORS)
def test_moderators_are_not_held_to_slow_mode(request, slow_room, persona):
    author = request.getfixturevalue(persona)
    post(author, slow_room, "First")

    assert post(author, slow_room, "Second").body == "Second"


def test_deleting_a_message_is_no_way_around_slow_mode(slow_room, member):
    first = post(member, slow_room, "First")
    chat_services.delete_message(actor=member, message=first)

    with pytest.raises(ValidationError, match="Slow mode"):
        post(member, slow_room, "Again")


def test_a_refused_message_does_not_count_against_the_rate_limit(slow_room, member, settings):
    settings.CHAT_RATE_LIMIT = (2, 60)
    first = post(member, slow_room, "First")
    with pytest.raises(ValidationError):
        post(member, slow_room, "Too soon")
    written_ago(first, 60)

    assert post(member, slow_room, "In time").body == "In time"


# --- Room states ------------------------------------------------------------------------------------


def test_a_moderator_makes_a_room_read_only_and_it_is_recorded(room, moderator):
    services.set_room_state(actor=moderator, room=room, state="read_only", reason=" Announcements only ")
    services.set_room_state(actor=moderator, room=room, state="read_only")

    assert ChatRoom.objects.get(pk=room.pk).state == ChatRoom.State.READ_ONLY
    [entry] = entries()
    assert (entry.action, entry.target_kind, entry.target_id) == ("room.state", "room", room.pk)
    assert (entry.reason, entry.before, entry.after) == (
        "Announcements only",
        {"state": "open"},
        {"state": "read_only"},
    )


def test_room_states_are_checked(network, room, moderator):
    topic_room = ChatRoomFactory(network=network)

    with pytest.raises(ValidationError) as unknown:
        services.set_room_state(actor=moderator, room=topic_room, state="closed")
    with pytest.raises(ValidationError) as general:
        services.set_room_state(actor=moderator, room=room, state="archived")
    services.set_room_state(actor=moderator, room=topic_room, state="archived")

    assert unknown.value.message_dict == {"state": ["Choose one of the states offered."]}
    assert "cannot be archived" in general.value.message_dict["state"][0]
    assert ChatRoom.objects.get(pk=topic_room.pk).state == ChatRoom.State.ARCHIVED
    assert len(entries()) == 1


# --- Reading a room with hidden messages ------------------------------------------------------------


def history_of(viewer: User, room: ChatRoom) -> dict[int, selectors.MessageView]:
    membership = active_membership(viewer, room.network)
    views = selectors.room_history(viewer=viewer, room=room, membership=membership).messages
    return {view.id: view for view in views}


def test_members_read_that_a_message_was_hidden_and_nothing_of_it(room, message, member, moderator):
    chat_services.react_to_message(user=member, message=message, kind="👍")
    hide(moderator, message, "Advertising")

    view = history_of(member, room)[message.pk]

    assert (view.data["hidden"], view.data["body"], view.data["body_html"]) == (True, "", "")
    assert (view.hidden_note, view.shown_hidden, view.hidden_reason) == (True, False, "")
    assert view.reactions == []
    assert [view.can_react, view.can_reply, view.can_report, view.can_hide, view.can_restore] == [False] * 5


def test_its_author_reads_their_own_words_and_the_moderators_reason(room, message, writer, moderator):
    hide(moderator, message, "Advertising")

    view = history_of(writer, room)[message.pk]

    assert view.data["body"] == "Buy **cheap** watches at my shop."
    assert (view.hidden_note, view.shown_hidden, view.hidden_reason) == (False, True, "Advertising")
    assert (view.can_edit, view.can_restore) == (False, False)
    assert view.can_delete


def test_moderators_read_a_hidden_message_and_may_restore_it(room, message, moderator, admin):
    hide(moderator, message, "Advertising")

    view = history_of(admin, room)[message.pk]

    assert "cheap" in view.data["body_html"]
    assert (view.shown_hidden, view.hidden_reason) == (True, "Advertising")
    assert (view.can_restore, view.can_hide, view.can_delete) == (True, False, True)


def test_members_may_report_others_messages_and_moderators_hide_them(
    room, message, writer, member, moderator
):
    mine = post(member, room, "My own")

    assert (
        history_of(member, room)[message.pk].can_report,
        history_of(member, room)[mine.pk].can_report,
    ) == (True, False)
    assert history_of(writer, room)[message.pk].can_report is False
    assert (
        history_of(moderator, room)[message.pk].can_hide,
        history_of(member, room)[message.pk].can_hide,
    ) == (True, False)


def test_a_reply_to_a_hidden_message_quotes_nothing_of_it(room, message, writer, member, moderator):
    post(member, room, "Which shop?", reply_to_id=message.pk)
    hide(moderator, message)

    member_reply = next(view for view in history_of(member, room).values() if view.data["reply_to"])
    moderator_reply = next(view for view in history_of(moderator, room).values() if view.data["reply_to"])

    assert (member_reply.reply_hidden, member_reply.reply_excerpt) == (True, "")
    assert (moderator_reply.reply_hidden, moderator_reply.reply_excerpt) == (
        False,
        "Buy cheap watches at my shop.",
    )


def test_hidden_messages_are_not_unread_nor_the_rooms_last(network, room, message, member, moderator):
    hide(moderator, message)

    [row] = selectors.room_list_for(member, network)

    assert (row.unread, row.last_message_at) == (0, None)
    assert selectors.unread_total(member) == 0
