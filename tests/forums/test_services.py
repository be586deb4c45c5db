import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums.models import ChatMention, ChatMessage, ChatMessageRevision, ChatReaction, ChatReadState, ChatRoom
from forums.services import chat as services
from moderation.services.chat import set_room_state
from network.models import Network
from network.services import create_network
from realtime.models import Event
from realtime.selectors import events_after
from tests.factories import ChatRoomFactory, MembershipFactory
from tests.forums.conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what services schedule on commit (the publication of their events) as the test's
    transaction never commits."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def kinds(published) -> list[str]:
    return [frame["kind"] for _stream, _seq, frame in published]


# --- Rooms ------------------------------------------------------------------------------------------


def test_a_new_network_opens_with_its_general_room(superuser):
    network = create_network(
        actor=superuser,
        name="Customs Work Organization Forum",
        slug="cwof",
        mission="",
        tagline="",
        visibility=Network.Visibility.PUBLIC,
        join_policy=Network.JoinPolicy.APPROVAL,
    )

    room = ChatRoom.objects.get(network=network)
    assert (room.slug, room.is_general, room.state) == ("general", True, ChatRoom.State.OPEN)


def test_creating_the_general_room_twice_keeps_one(network):
    first = services.create_general_room(network=network)
    second = services.create_general_room(network=network)

    assert first == second
    assert ChatRoom.objects.filter(network=network).count() == 1


def test_an_admin_adds_topic_rooms_after_the_others_with_free_addresses(network, room, admin):
    first = services.create_room(actor=admin, network=network, name="Hybrid work", topic="  Set-ups  ")
    second = services.create_room(actor=admin, network=network, name="Hybrid work!", topic="")

    assert (first.slug, first.topic, first.created_by) == ("hybrid-work", "Set-ups", admin)
    assert second.slug == "hybrid-work-2"
    assert room.position < first.position < second.position


@pytest.mark.parametrize("persona", ["member", "champion", "moderator", "outsider"])
def test_only_admins_add_rooms(request, network, persona):
    with pytest.raises(PermissionDenied, match="admins"):
        services.create_room(actor=request.getfixturevalue(persona), network=network, name="Wellbeing")


@pytest.mark.parametrize("name", ["general", "   "])
def test_a_room_needs_a_name_no_other_room_has(network, room, admin, name):
    with pytest.raises(ValidationError):
        services.create_room(actor=admin, network=network, name=name)


def test_changing_a_rooms_state_is_announced(room, admin, published, on_commit):
    on_commit(lambda: set_room_state(actor=admin, room=room, state=ChatRoom.State.READ_ONLY))

    room.refresh_from_db()
    assert room.state == ChatRoom.State.READ_ONLY
    [(stream, _seq, frame)] = published
    assert stream == f"chat:{room.pk}"
    assert frame["kind"] == "room.updated"
    assert frame["data"]["state"] == "read_only"
    assert "read-only" in frame["data"]["notice"]


def test_the_general_room_cannot_be_archived(room, admin):
    with pytest.raises(ValidationError, match="cannot be archived"):
        set_room_state(actor=admin, room=room, state=ChatRoom.State.ARCHIVED)


def test_a_state_change_needs_a_moderator_and_a_known_state(room, champion, moderator):
    with pytest.raises(PermissionDenied):
        set_room_state(actor=champion, room=room, state=ChatRoom.State.READ_ONLY)
    with pytest.raises(ValidationError):
        set_room_state(actor=moderator, room=room, state="closed")
    assert set_room_state(actor=moderator, room=room, state=ChatRoom.State.READ_ONLY).state == "read_only"


# --- Posting ----------------------------------------------------------------------------------------


def test_a_message_is_stored_then_announced_with_its_sequence_number(room, member, published, on_commit):
    message = on_commit(lambda: post(member, room, "We **piloted** hybrid rosters."))

    message.refresh_from_db()
    assert message.body_html == "<p>We <strong>piloted</strong> hybrid rosters.</p>\n"
    [(stream, seq, frame)] = published
    assert (stream, seq, frame["kind"]) == (f"chat:{room.pk}", message.seq, "message.created")
    data = frame["data"]
    assert (data["id"], data["body"], data["deleted"], data["reply_to"]) == (
        message.pk,
        "We **piloted** hybrid rosters.",
        False,
        None,
    )
    assert data["author"] == {
        "id": member.pk,
        "name": str(member),
        "handle": member.username,
        "url": member.get_absolute_url(),
    }


def test_nothing_is_announced_before_the_message_is_committed(room, member, published):
    post(member, room)  # the test's transaction never commits
    assert published == []


def test_sequence_numbers_follow_the_rooms_stream(room, member):
    first, second = post(member, room), post(member, room)
    assert second.seq == first.seq + 1
    assert (
        Event.objects.get(stream__key=f"chat:{room.pk}", seq=second.seq).subject
        == f"chat.message:{second.pk}"
    )


def test_a_reply_names_the_message_it_answers(room, member, champion):
    question = post(member, room, "Who has a well-being programme?")
    answer = post(champion, room, "We do, since 2021.", reply_to_id=question.pk)

    assert answer.reply_to == question
    created = Event.objects.get(subject=f"chat.message:{answer.pk}").data
    assert created["reply_to"] == {"id": question.pk, "author": str(member)}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something"),
        (" \n\t ", "Write something"),
        ("x" * 4001, "at most 4,000 characters"),
    ],
    ids=["empty", "blank", "4001 characters"],
)
def test_empty_and_too_long_messages_are_refused_and_not_stored(room, member, body, message):
    with pytest.raises(ValidationError, match=message):
        post(member, room, body)
    assert not ChatMessage.objects.exists()


def test_a_message_of_exactly_the_limit_is_accepted(room, member):
    assert len(post(member, room, "x" * 4000).body) == 4000


def test_a_reply_must_answer_a_message_of_the_same_room(network, room, member):
    elsewhere = post(member, ChatRoomFactory(network=network), "In another room")

    with pytest.raises(ValidationError, match="this room"):
        post(member, room, "Replying across rooms", reply_to_id=elsewhere.pk)
    assert not ChatMessage.objects.filter(room=room).exists()


def test_a_deleted_message_cannot_be_answered(room, member):
    gone = post(member, room)
    services.delete_message(actor=member, message=gone)

    with pytest.raises(ValidationError, match="deleted"):
        post(member, room, "Late answer", reply_to_id=gone.pk)


@pytest.mark.parametrize("state", [ChatRoom.State.READ_ONLY, ChatRoom.State.ARCHIVED])
def test_nobody_posts_in_a_read_only_or_archived_room(network, member, admin, state):
    room = ChatRoomFactory(network=network, state=state)

    for person in (member, admin):
        with pytest.raises(PermissionDenied, match=state.label.lower()):
            post(person, room)
    assert not ChatMessage.objects.exists()


def test_people_outside_the_network_cannot_post(room, outsider):
    with pytest.raises(PermissionDenied, match="members"):
        post(outsider, room)


def test_the_sixth_message_in_the_window_is_refused_and_not_stored(network, room, member, champion):
    for n in range(5):
        post(member, room, f"Message {n}")

    with pytest.raises(services.ChatRateLimited, match="too fast"):
        post(member, room, "One too many")

    assert ChatMessage.objects.filter(author=member).count() == 5
    assert not ChatMessage.objects.filter(body="One too many").exists()
    # The allowance is per member and per room.
    post(champion, room, "Mine is separate")
    post(member, ChatRoomFactory(network=network), "So is another room")


def test_the_rate_limit_comes_from_settings(room, member, settings):
    settings.CHAT_RATE_LIMIT = (2, 60)
    post(member, room)
    post(member, room)
    with pytest.raises(services.ChatRateLimited):
        post(member, room)


def test_refused_messages_do_not_count_against_the_allowance(room, member):
    for _ in range(5):
        with pytest.raises(ValidationError):
            post(member, room, "")
    for n in range(5):
        post(member, room, f"Message {n}")


def test_mentions_link_to_profiles_and_are_recorded_for_members(network, room, member, champion, outsider):
    champion.username = "amina.diallo"
    champion.save()
    message = post(
        member, room, f"Thanks @Amina.Diallo and @{outsider.username}; not `@amina.diallo`, not @nobody."
    )

    assert '<a href="/people/amina.diallo/" class="mention"' in message.body_html
    assert f'href="{outsider.get_absolute_url()}"' in message.body_html
    assert "<code>@amina.diallo</code>" in message.body_html
    assert "@nobody" in message.body_html
    assert "/people/nobody/" not in message.body_html
    assert list(ChatMention.objects.filter(message=message).values_list("user", flat=True)) == [champion.pk]


# --- Editing ----------------------------------------------------------------------------------------


def test_editing_keeps_the_earlier_text_and_announces_the_new(room, member, published, on_commit):
    message = post(member, room, "First draft")
    on_commit(lambda: services.edit_message(actor=member, message=message, body="Second *draft*"))

    message.refresh_from_db()
    assert (message.body, message.body_html) == ("Second *draft*", "<p>Second <em>draft</em></p>\n")
    assert message.edited_at is not None
    [revision] = ChatMessageRevision.objects.filter(message=message)
    assert (revision.body, revision.created_at) == ("First draft", message.created_at)
    [(_stream, _seq, frame)] = published
    assert frame["kind"] == "message.edited"
    assert frame["data"] == {
        "id": message.pk,
        "body": "Second *draft*",
        "body_html": "<p>Second <em>draft</em></p>\n",
        "edited_at": message.edited_at.isoformat(),
    }


def test_an_edit_that_changes_nothing_keeps_no_revision(room, member, published, on_commit):
    message = post(member, room, "Same")
    on_commit(lambda: services.edit_message(actor=member, message=message, body="  Same "))

    assert not ChatMessageRevision.objects.exists()
    assert published == []


def test_only_the_author_edits_and_only_with_a_valid_text(room, member, moderator):
    message = post(member, room, "Mine")

    with pytest.raises(PermissionDenied, match="author"):
        services.edit_message(actor=moderator, message=message, body="Theirs")
    with pytest.raises(ValidationError):
        services.edit_message(actor=member, message=message, body="x" * 4001)
    message.refresh_from_db()
    assert message.body == "Mine"


def test_deleted_messages_and_archived_rooms_are_not_edited(network, room, member, admin):
    deleted = post(member, room)
    services.delete_message(actor=member, message=deleted)
    topic_room = services.create_room(actor=admin, network=network, name="Closed topic")
    archived = post(member, topic_room)
    set_room_state(actor=admin, room=topic_room, state=ChatRoom.State.ARCHIVED)

    with pytest.raises(PermissionDenied, match="deleted"):
        services.edit_message(actor=member, message=deleted, body="Back")
    with pytest.raises(PermissionDenied, match="archived"):
        services.edit_message(actor=member, message=archived, body="Back")


def test_authors_still_edit_in_a_read_only_room(room, member, admin):
    message = post(member, room, "Typo")
    set_room_state(actor=admin, room=room, state=ChatRoom.State.READ_ONLY)

    assert services.edit_message(actor=member, message=message, body="Fixed").body == "Fixed"


# --- Deleting ---------------------------------------------------------------------------------------


def test_deleting_announces_it_and_no_replay_carries_the_old_words(room, member, published, on_commit):
    message = post(member, room, "Confidential roster")
    services.edit_message(actor=member, message=message, body="Confidential roster, v2")
    services.react_to_message(user=member, message=message, kind="👍")
    on_commit(lambda: services.delete_message(actor=member, message=message))

    message.refresh_from_db()
    assert message.deleted_at is not None
    assert [frame["kind"] for _stream, _seq, frame in published] == ["message.deleted"]
    replay = [json.loads(frame) for _seq, frame in events_after(stream=f"chat:{room.pk}", after=0)]
    assert [frame["kind"] for frame in replay] == [
        "message.created",
        "message.edited",
        "reaction.changed",
        "message.deleted",
    ]
    assert "Confidential" not in json.dumps(replay)
    assert replay[0]["data"]["deleted"] is True
    assert replay[0]["data"]["reactions"] == []


def test_moderators_and_admins_delete_anyones_messages_members_only_their_own(
    room, member, champion, moderator, admin
):
    first, second = post(champion, room), post(champion, room)

    with pytest.raises(PermissionDenied, match="moderators"):
        services.delete_message(actor=member, message=first)
    services.delete_message(actor=moderator, message=first)
    services.delete_message(actor=admin, message=second)

    assert ChatMessage.objects.filter(deleted_at__isnull=False).count() == 2


def test_a_message_is_deleted_once(room, member):
    message = post(member, room)
    services.delete_message(actor=member, message=message)
    with pytest.raises(PermissionDenied, match="already"):
        services.delete_message(actor=member, message=message)


# --- Reactions --------------------------------------------------------------------------------------


def test_reactions_are_counted_and_announced_only_when_they_change(
    room, member, champion, published, on_commit
):
    message = post(member, room)

    on_commit(lambda: services.react_to_message(user=member, message=message, kind="🎉"))
    counts = on_commit(lambda: services.react_to_message(user=champion, message=message, kind="🎉"))
    on_commit(
        lambda: services.react_to_message(user=champion, message=message, kind="🎉")
    )  # again: no change
    on_commit(lambda: services.react_to_message(user=champion, message=message, kind="👍"))
    after_taking_back = on_commit(
        lambda: services.react_to_message(user=member, message=message, kind="🎉", on=False)
    )

    assert counts == [{"kind": "🎉", "count": 2}]
    assert after_taking_back == [{"kind": "👍", "count": 1}, {"kind": "🎉", "count": 1}]
    assert kinds(published) == ["reaction.changed"] * 4
    last = published[-1][2]["data"]
    assert (last["message"], last["user"], last["kind"], last["on"]) == (message.pk, member.pk, "🎉", False)
    assert last["reactions"] == after_taking_back


def test_only_the_offered_reactions_on_messages_still_there(room, member):
    message = post(member, room)
    with pytest.raises(ValidationError, match="reactions offered"):
        services.react_to_message(user=member, message=message, kind="🦆")
    services.delete_message(actor=member, message=message)
    with pytest.raises(PermissionDenied, match="deleted"):
        services.react_to_message(user=member, message=message, kind="👍")
    assert not ChatReaction.objects.exists()


def test_no_reactions_in_a_read_only_room(room, member, admin):
    message = post(member, room)
    set_room_state(actor=admin, room=room, state=ChatRoom.State.READ_ONLY)
    with pytest.raises(PermissionDenied, match="read-only"):
        services.react_to_message(user=member, message=message, kind="👍")


# --- Reading ----------------------------------------------------------------------------------------


def test_read_state_only_moves_forward_and_never_past_the_stream(room, member, champion):
    for _ in range(3):
        post(champion, room)

    assert services.mark_room_read(user=member, room=room, seq=2) == 2
    assert services.mark_room_read(user=member, room=room, seq=1) == 2
    assert services.mark_room_read(user=member, room=room, seq=999) == 3
    assert ChatReadState.objects.get(user=member, room=room).last_read_seq == 3


def test_only_readers_mark_a_room_read(room, outsider):
    with pytest.raises(PermissionDenied):
        services.mark_room_read(user=outsider, room=room, seq=0)


def test_a_member_who_left_can_no_longer_post(network, room):
    leaver = MembershipFactory(network=network, state="left").user
    with pytest.raises(PermissionDenied):
        post(leaver, room)


def test_a_site_operator_reads_and_posts_without_a_membership(room, superuser):
    assert post(superuser, room).author == superuser
