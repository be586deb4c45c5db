"""Who may do what in chat, for everyone the network rules distinguish."""

import pytest
from django.core.exceptions import PermissionDenied

from forums.models import ChatRoom
from forums.permissions import chat as permissions
from network.models import Membership
from tests.factories import MembershipFactory
from tests.forums.conftest import post

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "member", "champion", "moderator", "admin", "superuser"]
READERS = {"member", "champion", "moderator", "admin", "superuser"}
MODERATORS = {"moderator", "admin", "superuser"}
ADMINS = {"admin", "superuser"}


def persona(request, name: str):
    return request.getfixturevalue(name)


@pytest.fixture
def author(network):
    """A member who wrote the message the personas look at."""
    return MembershipFactory(network=network).user


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("visibility", ["public", "members"])
def test_reading_rooms_is_for_active_members_whatever_the_networks_visibility(
    request, network, room, name, visibility
):
    network.visibility = visibility
    network.save()
    user = persona(request, name)

    assert permissions.can_read_room(user, room) is (name in READERS)
    assert permissions.can_read_rooms(user, network) is (name in READERS)
    if name not in READERS:
        with pytest.raises(PermissionDenied, match=r"Log in|Only members"):
            permissions.check_read_room(user, room)


@pytest.mark.parametrize("state", [Membership.State.PENDING, Membership.State.INVITED, Membership.State.LEFT])
def test_people_not_yet_or_no_longer_members_do_not_read(network, room, state):
    user = MembershipFactory(network=network, state=state).user
    assert not permissions.can_read_room(user, room)


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("state", ChatRoom.State.values)
def test_posting_needs_a_reader_and_an_open_room(request, room, name, state):
    room.state = state
    user = persona(request, name)

    assert permissions.can_post_in_room(user, room) is (name in READERS and state == ChatRoom.State.OPEN)
    if name in READERS and state != ChatRoom.State.OPEN:
        with pytest.raises(PermissionDenied, match=r"read-only|archived"):
            permissions.check_post_in_room(user, room)


@pytest.mark.parametrize("name", PERSONAS)
def test_managing_rooms_is_for_admins(request, network, name):
    assert permissions.can_manage_rooms(persona(request, name), network) is (name in ADMINS)


@pytest.mark.parametrize("name", PERSONAS)
def test_moderating_roles(request, network, name):
    user = persona(request, name)
    membership = Membership.objects.filter(network=network, user_id=user.pk).first()
    assert permissions.moderates(user, membership) is (name in MODERATORS)


def test_only_the_author_edits_a_message_while_it_stands_and_its_room_is_not_archived(
    room, member, moderator
):
    message = post(member, room)

    assert permissions.can_edit_message(member, message)
    assert not permissions.can_edit_message(moderator, message)
    message.room.state = ChatRoom.State.READ_ONLY
    assert permissions.can_edit_message(member, message)
    message.room.state = ChatRoom.State.ARCHIVED
    assert not permissions.can_edit_message(member, message)
    message.room.state = ChatRoom.State.OPEN
    message.deleted_at = message.created_at
    with pytest.raises(PermissionDenied, match="deleted"):
        permissions.check_edit_message(member, message)


@pytest.mark.parametrize("name", PERSONAS)
def test_deleting_someone_elses_message_is_for_moderators(request, room, author, name):
    message = post(author, room)
    assert permissions.can_delete_message(persona(request, name), message) is (name in MODERATORS)


def test_authors_delete_their_own_but_not_once_the_room_is_archived(room, member, moderator):
    message = post(member, room)

    assert permissions.can_delete_message(member, message)
    message.room.state = ChatRoom.State.ARCHIVED
    assert not permissions.can_delete_message(member, message)
    assert permissions.can_delete_message(moderator, message)


def test_a_former_member_no_longer_deletes_their_messages(network, room, member):
    message = post(member, room)
    Membership.objects.filter(user=member).update(state=Membership.State.LEFT)
    assert not permissions.can_delete_message(member, message)


@pytest.mark.parametrize("name", PERSONAS)
def test_reacting_is_for_readers_in_open_rooms_on_standing_messages(request, room, author, name):
    message = post(author, room)
    user = persona(request, name)

    assert permissions.can_react_to_message(user, message) is (name in READERS)
    message.room.state = ChatRoom.State.READ_ONLY
    assert not permissions.can_react_to_message(user, message)
    message.room.state = ChatRoom.State.OPEN
    message.deleted_at = message.created_at
    assert not permissions.can_react_to_message(user, message)


@pytest.mark.parametrize("name", PERSONAS)
def test_earlier_versions_are_for_the_author_and_moderators(request, room, author, name):
    message = post(author, room)
    assert permissions.can_view_message_history(persona(request, name), message) is (name in MODERATORS)
    assert permissions.can_view_message_history(author, message)


def test_once_deleted_only_moderators_see_the_versions(room, champion, moderator):
    message = post(champion, room)
    message.deleted_at = message.created_at

    assert not permissions.can_view_message_history(champion, message)
    assert permissions.can_view_message_history(moderator, message)
