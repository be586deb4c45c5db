import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums.models import ChatRoom
from forums.selectors import chat as selectors
from forums.services import chat as services
from moderation.services.chat import set_room_state
from network.models import Membership
from tests.factories import ChatRoomFactory, MembershipFactory, NetworkFactory
from tests.forums.conftest import post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]


def build_history(room, people, count: int) -> None:
    """`count` messages by turns, every third a reply with reactions, one edited, one deleted."""
    previous = None
    for n in range(count):
        author = people[n % len(people)]
        message = post(
            author, room, f"Message {n}", reply_to_id=previous.pk if previous and n % 3 == 0 else None
        )
        if n % 3 == 0:
            for person in people:
                services.react_to_message(user=person, message=message, kind="👍")
        previous = message
    last = post(people[0], room, "Will change")
    services.edit_message(actor=people[0], message=last, body="Changed")
    services.delete_message(actor=people[0], message=post(people[0], room, "Will go"))


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_history_takes_the_same_queries_for_10_and_100_messages(room, member, champion, moderator):
    people = [member, champion, moderator]
    small_room, large_room = room, ChatRoomFactory(network=room.network)
    build_history(small_room, people, 10)
    build_history(large_room, people, 100)
    membership = Membership.objects.get(user=member, network=room.network)

    def read(chosen):
        return lambda: selectors.room_history(viewer=member, room=chosen, membership=membership)

    small, large = queries(read(small_room)), queries(read(large_room))

    assert small == large == 2
    assert len(selectors.room_history(viewer=member, room=large_room, membership=membership).messages) == 50


def test_history_pages_go_back_by_sequence_oldest_first_on_each_page(room, member, settings):
    settings.CHAT_HISTORY_PAGE = 4
    bodies = [post(member, room, f"Message {n}").body for n in range(10)]
    membership = Membership.objects.get(user=member)

    latest = selectors.room_history(viewer=member, room=room, membership=membership)
    middle = selectors.room_history(
        viewer=member, room=room, membership=membership, before_seq=latest.older_before
    )
    first = selectors.room_history(
        viewer=member, room=room, membership=membership, before_seq=middle.older_before
    )

    def shown(page):
        return [view.data["body"] for view in page.messages]

    assert shown(latest) == bodies[6:]
    assert shown(middle) == bodies[2:6]
    assert shown(first) == bodies[:2]
    assert first.older_before is None


def test_history_describes_messages_as_the_live_events_do_and_what_the_viewer_may_do(room, member, champion):
    question = post(champion, room, "Who has a roster **template**?")
    answer = post(member, room, "We do.", reply_to_id=question.pk)
    services.react_to_message(user=member, message=question, kind="💡")
    services.react_to_message(user=champion, message=question, kind="💡")
    services.react_to_message(user=champion, message=question, kind="👍")
    gone = post(champion, room, "Oops")
    services.delete_message(actor=champion, message=gone)
    membership = Membership.objects.get(user=member)

    views = selectors.room_history(viewer=member, room=room, membership=membership).messages
    by_id = {view.id: view for view in views}

    assert by_id[question.pk].data["body_html"] == "<p>Who has a roster <strong>template</strong>?</p>\n"
    assert [(b.kind, b.count, b.mine) for b in by_id[question.pk].reactions] == [
        ("👍", 1, False),
        ("💡", 2, True),
    ]
    assert by_id[answer.pk].data["reply_to"] == {"id": question.pk, "author": str(champion)}
    assert by_id[answer.pk].reply_excerpt == "Who has a roster template?"
    assert (by_id[answer.pk].can_edit, by_id[question.pk].can_edit) == (True, False)
    assert (by_id[answer.pk].can_delete, by_id[question.pk].can_delete) == (True, False)
    assert by_id[gone.pk].data["deleted"] is True
    assert by_id[gone.pk].data["body"] == by_id[gone.pk].data["body_html"] == ""
    assert not by_id[gone.pk].can_react


def test_unread_counts_skip_own_deleted_and_read_messages(network, room, member, champion):
    other_room = services.create_room(
        actor=MembershipFactory(network=network, role="admin").user, network=network, name="Wellbeing"
    )
    first = post(champion, room)
    post(champion, room)
    post(member, room)  # one's own messages are never unread
    services.delete_message(actor=champion, message=post(champion, room))
    post(champion, other_room)
    services.mark_room_read(user=member, room=room, seq=first.seq)

    rows = {row.room.pk: row for row in selectors.room_list_for(member, network)}

    assert (rows[room.pk].unread, rows[other_room.pk].unread) == (1, 1)
    assert rows[room.pk].last_message_at is not None
    assert selectors.unread_total(member) == 2


def test_archived_rooms_count_nothing_unread(network, room, member, champion, admin):
    topic = services.create_room(actor=admin, network=network, name="2022 conference")
    post(champion, topic)
    set_room_state(actor=admin, room=topic, state=ChatRoom.State.ARCHIVED)

    assert [row.unread for row in selectors.room_list_for(member, network) if row.room == topic] == [0]
    assert selectors.unread_total(member) == 0


def test_room_list_takes_one_query_whatever_the_number_of_rooms(network, room, member, champion):
    post(champion, room)
    one_room = queries(lambda: selectors.room_list_for(member, network))
    for n in range(5):
        post(champion, ChatRoomFactory(network=network, name=f"Topic {n}"))
    six_rooms = queries(lambda: selectors.room_list_for(member, network))

    assert one_room == six_rooms == 1


def test_unread_total_counts_every_network_of_the_member_in_one_query(network, room, member, champion):
    second = NetworkFactory()
    MembershipFactory(network=second, user=member)
    second_room = services.create_general_room(network=second)
    post(MembershipFactory(network=second).user, second_room)
    post(champion, room)
    hidden = NetworkFactory()  # not a member: its rooms do not count
    post(MembershipFactory(network=hidden).user, services.create_general_room(network=hidden))

    assert queries(lambda: selectors.unread_total(member)) == 1
    assert selectors.unread_total(member) == 2


def test_the_overview_lists_rooms_by_network(network, room, member):
    second = NetworkFactory(name="AAA first by name")
    MembershipFactory(network=second, user=member)
    services.create_general_room(network=second)
    MembershipFactory(network=NetworkFactory(), user=member, state=Membership.State.PENDING)

    overview = selectors.chat_overview(member)

    assert [group.network for group in overview] == [second, network]
    assert [[row.room.slug for row in group.rooms] for group in overview] == [["general"], ["general"]]


def test_a_message_versions_are_listed_newest_first(room, member):
    message = post(member, room, "One")
    services.edit_message(actor=member, message=message, body="Two")
    message = services.edit_message(actor=member, message=message, body="Three")

    versions = selectors.message_versions(message)

    assert [(v.body_html, v.is_current) for v in versions] == [
        ("<p>Three</p>\n", True),
        ("<p>Two</p>\n", False),
        ("<p>One</p>\n", False),
    ]
