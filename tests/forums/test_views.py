import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums.models import ChatMessage, ChatReaction, ChatReadState, ChatRoom
from forums.services import chat as services
from tests.factories import ChatRoomFactory
from tests.forums.conftest import post

pytestmark = pytest.mark.django_db

READERS = ["member", "champion", "moderator", "admin", "superuser"]


def room_url(room, **query) -> str:
    url = reverse("chat:room", args=[room.network.slug, room.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def message_url(message, action: str) -> str:
    return reverse(f"chat:{action}", args=[message.room.network.slug, message.room.slug, message.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


# --- Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", READERS)
def test_members_of_every_role_open_the_room_list_and_the_room(request, client, room, name):
    signed_in(client, request.getfixturevalue(name))

    assert client.get(reverse("chat:rooms", args=[room.network.slug])).status_code == 200
    assert client.get(room_url(room)).status_code == 200


def test_anonymous_visitors_are_asked_to_log_in(client, room):
    response = client.get(room_url(room))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_outsiders_are_refused_with_the_reason(client, room, outsider):
    response = signed_in(client, outsider).get(room_url(room))

    assert response.status_code == 403
    assert client.get(reverse("chat:rooms", args=[room.network.slug])).status_code == 403


def test_a_members_only_networks_rooms_do_not_exist_for_outsiders(client, members_only, room, outsider):
    signed_in(client, outsider)
    assert client.get(room_url(room)).status_code == 404
    assert client.get(reverse("chat:rooms", args=[members_only.slug])).status_code == 404


def test_an_unknown_room_is_not_found(client, room, member):
    assert signed_in(client, member).get(f"/networks/{room.network.slug}/chat/nowhere/").status_code == 404


@pytest.mark.parametrize("before", ["abc", "-1", "0", "1.5", "99999999999999999999"])
def test_a_malformed_page_position_is_a_bad_request(client, room, member, before):
    assert signed_in(client, member).get(room_url(room, before=before)).status_code == 400


# --- The room page ----------------------------------------------------------------------------------


def test_the_room_page_renders_the_latest_messages_oldest_first_without_javascript(
    client, room, member, champion, settings, no_rate_limit
):
    settings.CHAT_HISTORY_PAGE = 3
    for n in range(5):
        post(champion, room, f"Case study {n}")

    page = signed_in(client, member).get(room_url(room)).content.decode()

    assert [int(n) for n in re.findall(r"Case study (\d)", page)] == [2, 3, 4]
    older = re.search(r'href="\?before=(\d+)"[^>]*>Load older messages', page)
    assert older
    earlier_page = client.get(room_url(room, before=older.group(1))).content.decode()
    assert [int(n) for n in re.findall(r"Case study (\d)", earlier_page)] == [0, 1]
    assert "Load older messages" not in earlier_page
    assert "Back to the latest messages" in earlier_page


def test_the_room_page_shows_replies_reactions_edits_and_deletions(client, room, member, champion, moderator):
    question = post(champion, room, "Who runs a **mentoring** scheme?")
    answer = post(member, room, "We do", reply_to_id=question.pk)
    services.edit_message(actor=member, message=answer, body="We do, since 2021")
    services.react_to_message(user=member, message=question, kind="🙏")
    services.delete_message(actor=champion, message=post(champion, room, "Wrong room, sorry"))

    as_member = signed_in(client, member).get(room_url(room)).content.decode()
    as_moderator = signed_in(client, moderator).get(room_url(room)).content.decode()

    assert "<strong>mentoring</strong>" in as_member
    assert 'Reply to <span class="chat-reply__author">' in as_member
    assert "Who runs a mentoring scheme?" in as_member  # the quoted excerpt
    assert 'aria-pressed="true"' in as_member  # the member's own reaction
    assert "Message deleted" in as_member
    assert "Wrong room, sorry" not in as_member
    assert message_url(answer, "history") in as_member  # the author sees their earlier versions
    assert message_url(answer, "history") in as_moderator
    assert message_url(answer, "edit") in as_member
    assert message_url(answer, "edit") not in as_moderator


def test_the_page_follows_the_stream_from_where_it_was_rendered(client, room, member, champion):
    message = post(champion, room)
    response = signed_in(client, member).get(room_url(room))

    config = response.context["chat_config"]
    assert (config["stream"], config["lastSeq"], config["live"]) == (f"chat:{room.pk}", message.seq, True)
    assert 'id="chat-config"' in response.content.decode()
    assert "js/realtime.js" in response.content.decode()
    assert "js/chat.js" in response.content.decode()


def test_viewing_the_latest_messages_marks_them_read_and_shows_what_is_new(client, room, member, champion):
    first = post(champion, room, "Seen before")
    services.mark_room_read(user=member, room=room, seq=first.seq)
    latest = post(champion, room, "New one")

    page = signed_in(client, member).get(room_url(room)).content.decode()

    assert page.index("Seen before") < page.index("New since your last visit") < page.index("New one")
    assert ChatReadState.objects.get(user=member, room=room).last_read_seq == latest.seq


def test_the_room_page_takes_the_same_queries_for_10_and_60_messages(
    client, network, member, champion, no_rate_limit
):
    small, large = ChatRoomFactory(network=network), ChatRoomFactory(network=network)
    for room, count in ((small, 10), (large, 60)):
        for n in range(count):
            message = post(champion, room, f"Message {n}")
            services.react_to_message(user=champion, message=message, kind="👍")
    signed_in(client, member)
    client.get(room_url(small))
    client.get(room_url(large))  # both read once, so that neither visit marks anything read

    counts = []
    for room in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(room_url(room)).status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]


@pytest.mark.parametrize("state", [ChatRoom.State.READ_ONLY, ChatRoom.State.ARCHIVED])
def test_closed_rooms_say_why_there_is_no_composer(client, network, member, state):
    room = ChatRoomFactory(network=network, state=state)
    page = signed_in(client, member).get(room_url(room)).content.decode()

    assert re.search(r'<form[^>]*id="composer"[^>]* hidden>', page)
    assert {"read_only": "read-only", "archived": "archived"}[state] in page


# --- Posting without JavaScript ---------------------------------------------------------------------


def post_url(room) -> str:
    return reverse("chat:post", args=[room.network.slug, room.slug])


def test_the_composer_posts_and_returns_to_the_message(client, room, member):
    response = signed_in(client, member).post(post_url(room), {"body": "Hello from *Nairobi*"})

    message = ChatMessage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == room_url(room) + f"#message-{message.pk}"
    assert message.body_html == "<p>Hello from <em>Nairobi</em></p>\n"


def test_a_reply_from_the_composer(client, room, member, champion):
    question = post(champion, room, "Any hybrid guides?")
    page = signed_in(client, member).get(room_url(room, reply_to=question.pk)).content.decode()
    assert f'name="reply_to" value="{question.pk}"' in page
    assert "Replying to" in page

    client.post(post_url(room), {"body": "Yes, ours", "reply_to": question.pk})

    assert ChatMessage.objects.get(body="Yes, ours").reply_to == question


@pytest.mark.parametrize(
    ("body", "error"),
    [("   ", "Write something before sending."), ("é" * 4001, "at most 4,000 characters")],
    ids=["blank", "too long"],
)
def test_a_refused_message_comes_back_with_its_text_and_the_reason(client, room, member, body, error):
    response = signed_in(client, member).post(post_url(room), {"body": body})

    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert body in page
    assert not ChatMessage.objects.exists()


def test_sending_too_fast_keeps_the_text_and_says_to_slow_down(client, room, member):
    signed_in(client, member)
    for n in range(5):
        client.post(post_url(room), {"body": f"Quick {n}"})

    response = client.post(post_url(room), {"body": "Kept for later"})

    page = response.content.decode()
    assert "sending messages too fast" in page
    assert "Kept for later" in page
    assert ChatMessage.objects.count() == 5


def test_posting_in_a_room_that_closed_meanwhile_keeps_the_text(client, network, member):
    room = ChatRoomFactory(network=network, state=ChatRoom.State.READ_ONLY)
    page = signed_in(client, member).post(post_url(room), {"body": "Still typed"}).content.decode()

    assert "read-only" in page
    assert "Still typed" in page
    assert not ChatMessage.objects.exists()


def test_a_reply_to_another_rooms_message_is_refused_with_the_text_kept(client, network, room, member):
    elsewhere = post(member, ChatRoomFactory(network=network))
    page = signed_in(client, member).post(post_url(room), {"body": "Crossed", "reply_to": elsewhere.pk})

    assert "You can only reply to a message of this room." in page.content.decode()
    assert "Crossed" in page.content.decode()


def test_outsiders_cannot_post(client, room, outsider):
    assert signed_in(client, outsider).post(post_url(room), {"body": "Hi"}).status_code == 403
    assert not ChatMessage.objects.exists()


# --- One message ------------------------------------------------------------------------------------


def test_the_author_edits_without_javascript(client, room, member):
    message = post(member, room, "Draft")
    signed_in(client, member)

    form = client.get(message_url(message, "edit"))
    response = client.post(message_url(message, "edit"), {"body": "Final"})

    assert form.status_code == 200
    assert "Draft" in form.content.decode()
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.body == "Final"


def test_an_invalid_edit_keeps_the_text(client, room, member):
    message = post(member, room, "Draft")
    page = signed_in(client, member).post(message_url(message, "edit"), {"body": " "}).content.decode()

    assert "Write something before sending." in page
    message.refresh_from_db()
    assert message.body == "Draft"


def test_others_may_not_edit(client, room, member, moderator):
    message = post(member, room)
    assert signed_in(client, moderator).get(message_url(message, "edit")).status_code == 403


def test_delete_asks_then_deletes(client, room, member, moderator):
    message = post(member, room, "To remove")
    signed_in(client, moderator)

    confirm = client.get(message_url(message, "delete"))
    response = client.post(message_url(message, "delete"), {"reason": "Spam"})

    assert confirm.status_code == 200
    assert "To remove" in confirm.content.decode()
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.is_deleted


def test_members_may_not_delete_others_messages(client, room, member, champion):
    message = post(champion, room)
    assert signed_in(client, member).post(message_url(message, "delete")).status_code == 403


def test_reactions_without_javascript(client, room, member, champion):
    message = post(champion, room)
    signed_in(client, member)

    client.post(message_url(message, "react"), {"kind": "💡", "on": "true"})
    assert ChatReaction.objects.filter(message=message, user=member, kind="💡").exists()
    client.post(message_url(message, "react"), {"kind": "💡", "on": "false"})
    assert not ChatReaction.objects.exists()
    assert client.post(message_url(message, "react"), {"kind": "🦆", "on": "true"}).status_code == 400


def test_history_is_for_the_author_and_moderators(client, room, member, champion, moderator):
    message = post(member, room, "First")
    services.edit_message(actor=member, message=message, body="Second")

    assert signed_in(client, champion).get(message_url(message, "history")).status_code == 403
    page = signed_in(client, moderator).get(message_url(message, "history")).content.decode()
    assert page.index("Second") < page.index("First")


# --- Managing rooms ---------------------------------------------------------------------------------


def test_admins_add_a_room(client, network, room, admin):
    response = signed_in(client, admin).post(
        reverse("chat:rooms", args=[network.slug]), {"name": "Workplace design", "topic": "Offices"}
    )

    assert response.status_code == 302
    assert ChatRoom.objects.get(network=network, slug="workplace-design").topic == "Offices"


def test_a_room_name_already_taken_is_said_on_the_form(client, network, room, admin):
    page = signed_in(client, admin).post(reverse("chat:rooms", args=[network.slug]), {"name": "General"})
    assert "already has a room with that name" in page.content.decode()


def test_only_admins_add_rooms_and_only_moderators_change_states(client, network, room, champion, moderator):
    signed_in(client, moderator)
    assert client.post(reverse("chat:rooms", args=[network.slug]), {"name": "Mine"}).status_code == 403
    assert "Add a room" not in client.get(reverse("chat:rooms", args=[network.slug])).content.decode()
    state_url = reverse("chat:state", args=[network.slug, room.slug])
    assert client.post(state_url, {"state": "read_only"}).status_code == 302
    signed_in(client, champion)
    assert client.post(state_url, {"state": "open"}).status_code == 403
    room.refresh_from_db()
    assert room.state == ChatRoom.State.READ_ONLY


def test_admins_change_a_rooms_state(client, network, room, admin):
    signed_in(client, admin)
    state_url = reverse("chat:state", args=[network.slug, room.slug])

    client.post(state_url, {"state": "read_only"})
    refused = client.post(state_url, {"state": "archived"}, follow=True)

    room.refresh_from_db()
    assert room.state == ChatRoom.State.READ_ONLY
    assert "cannot be archived" in refused.content.decode()


# --- Overview, navigation and the network page ------------------------------------------------------


def test_the_overview_lists_the_members_rooms_with_unread_counts(client, room, member, champion):
    post(champion, room)
    page = signed_in(client, member).get(reverse("chat:overview")).content.decode()

    assert room.network.name in page
    assert "1 unread" in page


def test_the_navigation_shows_the_unread_total(client, room, member, champion):
    post(champion, room)
    post(champion, room)
    page = signed_in(client, member).get(reverse("chat:overview")).content.decode()

    assert re.search(r'Chat <span class="badge nav-badge">2<span class="visually-hidden"> unread', page)


def test_the_network_page_lists_its_rooms_for_members_only(client, network, room, member, outsider, champion):
    post(champion, room)
    as_member = signed_in(client, member).get(network.get_absolute_url()).content.decode()
    as_outsider = signed_in(client, outsider).get(network.get_absolute_url()).content.decode()

    assert room_url(room) in as_member
    assert "1 unread" in as_member
    assert room_url(room) not in as_outsider


def test_site_operators_look_up_rooms_and_messages_in_the_admin(client, room, member, superuser):
    message = post(member, room, "Looked up")
    signed_in(client, superuser)

    assert client.get(reverse("admin:forums_chatroom_changelist")).status_code == 200
    page = client.get(reverse("admin:forums_chatmessage_change", args=[message.pk]))
    assert page.status_code == 200
    assert "Looked up" in page.content.decode()
    assert client.get(reverse("admin:forums_chatmessage_add")).status_code == 403
