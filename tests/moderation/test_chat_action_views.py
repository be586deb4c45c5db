"""Chat moderation without JavaScript: the hide, restore and delete pages, the room's moderation page,
the inline tools and what each reader of a room page reads of a hidden message, and slow mode at the
composer."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums.models import ChatMessage, ChatRoom
from forums.services import chat as chat_services
from moderation.models import AuditEntry
from moderation.services import chat as services
from profiles.models import User
from tests.factories import ChatRoomFactory
from tests.forums.conftest import _fresh_rate_limits, post  # noqa: F401  (the chat tests' autouse fixture)
from tests.moderation.test_chat_actions import (  # noqa: F401  (fixtures shared by the chat moderation tests)
    message_fixture,
    other_moderator_fixture,
    room_fixture,
    writer_fixture,
)
from tests.network.conftest import superuser  # noqa: F401  (a fixture used here)

pytestmark = pytest.mark.django_db

HIDDEN_NOTE = "Message hidden by the moderators"
WORDS = "cheap"


def signed_in(client, user: User):
    client.force_login(user)
    return client


def message_url(message: ChatMessage, action: str) -> str:
    room = message.room
    return reverse(f"chat:{action}", args=[room.network.slug, room.slug, message.pk])


def room_url(room: ChatRoom) -> str:
    return reverse("chat:room", args=[room.network.slug, room.slug])


def moderation_url(room: ChatRoom) -> str:
    return reverse("chat:moderate_room", args=[room.network.slug, room.slug])


def fresh(message: ChatMessage) -> ChatMessage:
    return ChatMessage.objects.get(pk=message.pk)


def message_html(page: str, message: ChatMessage) -> str:
    """The markup of one message of a room page."""
    start = page.rindex("<li", 0, page.index(f'id="message-{message.pk}"'))
    return page[start : page.index("</li>", start)]


# --- Hiding and restoring ---------------------------------------------------------------------------


def test_a_moderator_is_asked_why_then_hides_the_message(client, message, moderator, writer):
    signed_in(client, moderator)

    form = client.get(message_url(message, "hide"))
    response = client.post(message_url(message, "hide"), {"reason": "Advertising"})

    assert form.status_code == 200
    assert WORDS in form.content.decode()
    assert 'name="reason"' in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"{room_url(message.room)}#message-{message.pk}"
    assert (fresh(message).is_hidden, fresh(message).hidden_reason) == (True, "Advertising")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_user) == (moderator, "message.hide", writer)


def test_hiding_without_a_reason_comes_back_with_the_form(client, message, moderator):
    response = signed_in(client, moderator).post(message_url(message, "hide"), {"reason": "  "})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why: the message&#x27;s author will read it." in page
    assert 'class="error-summary"' in page
    assert not fresh(message).is_hidden


def test_a_too_long_reason_is_refused_and_kept(client, message, moderator):
    reason = "Too long " * 120
    response = signed_in(client, moderator).post(message_url(message, "hide"), {"reason": reason})

    assert response.status_code == 400
    assert reason.strip() in response.content.decode()
    assert not fresh(message).is_hidden


def test_hiding_a_message_another_moderator_hid_meanwhile_says_so(client, message, moderator, admin):
    services.hide_message(actor=admin, message=message, reason="First")

    response = signed_in(client, moderator).post(
        message_url(message, "hide"), {"reason": "Second"}, follow=True
    )

    assert "This message is already hidden." in response.content.decode()
    assert fresh(message).hidden_reason == "First"
    assert AuditEntry.objects.count() == 1


def test_a_moderator_restores_a_hidden_message(client, message, moderator):
    services.hide_message(actor=moderator, message=message, reason="Advertising")
    signed_in(client, moderator)

    form = client.get(message_url(message, "restore"))
    response = client.post(message_url(message, "restore"), {"reason": ""})

    assert "It was hidden because: Advertising" in form.content.decode()
    assert response.status_code == 302
    assert not fresh(message).is_hidden
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "message.hide",
        "message.restore",
    ]


def test_restoring_a_message_restored_meanwhile_says_so(client, message, moderator):
    response = signed_in(client, moderator).post(message_url(message, "restore"), {}, follow=True)

    assert "This message is not hidden." in response.content.decode()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("action", ["hide", "restore"])
@pytest.mark.parametrize("persona", ["member", "champion", "writer", "other_moderator"])
def test_others_may_not_hide_or_restore(request, client, message, persona, action):
    signed_in(client, request.getfixturevalue(persona))

    assert client.get(message_url(message, action)).status_code == 403
    assert client.post(message_url(message, action), {"reason": "Mine"}).status_code == 403
    assert not fresh(message).is_hidden


def test_anonymous_visitors_are_asked_to_log_in(client, message):
    response = client.get(message_url(message, "hide"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_message_of_another_room_is_not_found(client, network, message, moderator):
    elsewhere = ChatRoomFactory(network=network)
    url = reverse("chat:hide", args=[network.slug, elsewhere.slug, message.pk])

    assert signed_in(client, moderator).get(url).status_code == 404


# --- Deleting ---------------------------------------------------------------------------------------


def test_a_moderator_deleting_someones_message_says_why(client, message, moderator):
    signed_in(client, moderator)

    form = client.get(message_url(message, "delete"))
    without = client.post(message_url(message, "delete"), {"reason": ""})
    assert not fresh(message).is_deleted
    response = client.post(message_url(message, "delete"), {"reason": "Spam"})

    assert 'name="reason"' in form.content.decode()
    assert without.status_code == 400
    assert "Say why: the moderation log keeps it." in without.content.decode()
    assert response.status_code == 302
    assert fresh(message).is_deleted
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.reason, entry.before["body"]) == (
        "message.delete",
        "Spam",
        "Buy **cheap** watches at my shop.",
    )


def test_authors_delete_their_own_messages_without_a_reason_nor_a_log_entry(client, message, writer):
    signed_in(client, writer)

    form = client.get(message_url(message, "delete"))
    response = client.post(message_url(message, "delete"))

    assert 'name="reason"' not in form.content.decode()
    assert response.status_code == 302
    assert fresh(message).is_deleted
    assert not AuditEntry.objects.exists()


def test_deleting_a_message_deleted_meanwhile_says_so(client, message, moderator, writer):
    signed_in(client, moderator)
    client.get(message_url(message, "delete"))
    chat_services.delete_message(actor=writer, message=message)

    response = client.post(message_url(message, "delete"), {"reason": "Spam"}, follow=True)

    assert response.status_code == 403
    assert "already deleted" in response.content.decode()
    assert not AuditEntry.objects.exists()


# --- The room page ----------------------------------------------------------------------------------


def test_members_read_that_a_message_was_hidden_and_nothing_of_it(client, room, message, member, moderator):
    services.hide_message(actor=moderator, message=message, reason="Advertising")

    page = signed_in(client, member).get(room_url(room)).content.decode()

    assert WORDS not in page
    assert "Advertising" not in page
    shown = message_html(page, message)
    assert HIDDEN_NOTE in shown
    assert "chat-message--hidden" in shown
    offered = [
        fragment
        for fragment in ("/react/", "?reply_to=", "/hide/", "/restore/", "/report/")
        if fragment in shown
    ]
    assert offered == []


def test_its_author_reads_their_words_and_the_reason(client, room, message, writer, moderator):
    services.hide_message(actor=moderator, message=message, reason="Advertising")

    shown = message_html(signed_in(client, writer).get(room_url(room)).content.decode(), message)

    assert WORDS in shown
    assert "Hidden by the moderators: Advertising" in shown
    assert "/edit/" not in shown
    assert "/restore/" not in shown


def test_moderators_read_a_hidden_message_marked_hidden_with_a_restore_action(
    client, room, message, moderator
):
    services.hide_message(actor=moderator, message=message, reason="Advertising")

    shown = message_html(signed_in(client, moderator).get(room_url(room)).content.decode(), message)

    assert WORDS in shown
    assert 'class="badge badge--warning chat-message__hidden-badge">Hidden</span>' in shown
    assert message_url(message, "restore") in shown
    assert message_url(message, "hide") not in shown


def test_the_inline_tools_are_for_moderators_and_reports_for_other_members(
    client, room, message, writer, member, moderator
):
    own = post(member, room, "My own words")
    report_url = reverse("moderation:report", args=[room.network.slug, "message", message.pk])

    member_page = signed_in(client, member).get(room_url(room)).content.decode()
    writer_page = signed_in(client, writer).get(room_url(room)).content.decode()
    moderator_page = signed_in(client, moderator).get(room_url(room)).content.decode()

    assert report_url in message_html(member_page, message)
    assert "/report/" not in message_html(member_page, own)
    assert report_url not in message_html(writer_page, message)
    assert message_url(message, "hide") not in message_html(member_page, message)
    assert message_url(message, "hide") in message_html(moderator_page, message)
    assert message_url(message, "delete") in message_html(moderator_page, message)
    assert moderation_url(room) not in member_page
    assert moderation_url(room) in moderator_page
    assert 'name="slow_mode_seconds"' in moderator_page


def test_a_reply_to_a_hidden_message_quotes_nothing_of_it(client, room, message, member, moderator):
    post(member, room, "Which shop?", reply_to_id=message.pk)
    services.hide_message(actor=moderator, message=message, reason="Advertising")

    page = signed_in(client, member).get(room_url(room)).content.decode()

    assert WORDS not in page
    assert '<span class="chat-reply__excerpt">message hidden</span>' in page


def test_the_room_page_takes_the_same_queries_for_10_and_60_messages_half_hidden(
    client, network, member, champion, moderator, settings
):
    settings.CHAT_RATE_LIMIT = None
    small, large = ChatRoomFactory(network=network), ChatRoomFactory(network=network)
    for room, count in ((small, 10), (large, 60)):
        for n in range(count):
            message = post(champion, room, f"Message {n}", reply_to_id=None)
            chat_services.react_to_message(user=member, message=message, kind="👍")
            if n % 2:
                services.hide_message(actor=moderator, message=message, reason="Off-topic")
    counts = {}
    for viewer in (member, moderator):
        signed_in(client, viewer)
        client.get(room_url(small))
        client.get(room_url(large))  # both read once, so that neither visit marks anything read
        for room in (small, large):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(room_url(room)).status_code == 200
            counts[viewer.pk, room.pk] = len(captured.captured_queries)

    assert counts[member.pk, small.pk] == counts[member.pk, large.pk]
    assert counts[moderator.pk, small.pk] == counts[moderator.pk, large.pk]


# --- The room's moderation page ---------------------------------------------------------------------


def test_a_moderator_sets_slow_mode_and_the_state_together(client, network, moderator):
    room = ChatRoomFactory(network=network)
    signed_in(client, moderator)

    form = client.get(moderation_url(room))
    response = client.post(
        moderation_url(room), {"state": "read_only", "slow_mode_seconds": "30", "reason": "Cooling down"}
    )

    assert form.status_code == 200
    assert 'value="0"' in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == room.get_absolute_url()
    room.refresh_from_db()
    assert (room.state, room.slow_mode_seconds) == ("read_only", 30)
    assert sorted(AuditEntry.objects.values_list("action", "reason")) == [
        ("room.slow_mode", "Cooling down"),
        ("room.state", "Cooling down"),
    ]


@pytest.mark.parametrize(
    ("sent", "says"),
    [
        ({"state": "open", "slow_mode_seconds": "5000"}, "between 0 seconds (off) and 3600 seconds"),
        ({"state": "open", "slow_mode_seconds": "-2"}, "between 0 seconds (off) and 3600 seconds"),
        ({"state": "open", "slow_mode_seconds": "soon"}, "Enter a whole number."),
        ({"state": "closed", "slow_mode_seconds": "10"}, "Select a valid choice."),
        ({"state": "archived", "slow_mode_seconds": "10"}, "The general room cannot be archived"),
    ],
    ids=["too long", "negative", "not a number", "unknown state", "general archived"],
)
def test_bad_settings_come_back_with_the_reason_and_change_nothing(client, room, moderator, sent, says):
    response = signed_in(client, moderator).post(moderation_url(room), sent)

    page = response.content.decode()
    assert response.status_code == 400
    assert says in page
    assert f'value="{sent["slow_mode_seconds"]}"' in page
    room.refresh_from_db()
    assert (room.state, room.slow_mode_seconds) == ("open", 0)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("persona", ["member", "champion", "other_moderator"])
def test_only_moderators_open_the_rooms_moderation_page(request, client, room, persona):
    signed_in(client, request.getfixturevalue(persona))

    assert client.get(moderation_url(room)).status_code == 403
    assert (
        client.post(moderation_url(room), {"state": "read_only", "slow_mode_seconds": "5"}).status_code == 403
    )
    room.refresh_from_db()
    assert (room.state, room.slow_mode_seconds) == ("open", 0)


def test_moderators_change_a_rooms_state_from_the_list_of_rooms(client, network, room, moderator):
    signed_in(client, moderator)

    listing = client.get(reverse("chat:rooms", args=[network.slug])).content.decode()
    client.post(reverse("chat:state", args=[network.slug, room.slug]), {"state": "read_only"})

    assert f'id="state-{room.pk}"' in listing
    assert "Add a room" not in listing
    assert ChatRoom.objects.get(pk=room.pk).state == "read_only"
    assert AuditEntry.objects.get().action == "room.state"


# --- Slow mode at the composer ----------------------------------------------------------------------


def test_the_composer_says_the_rooms_slow_mode(client, room, member, moderator):
    services.set_slow_mode(actor=moderator, room=room, seconds=30)

    page = signed_in(client, member).get(room_url(room)).content.decode()

    assert "Slow mode: one message every 30 seconds." in page


def test_a_message_sent_too_soon_comes_back_with_its_text_and_the_wait(client, room, member, moderator):
    services.set_slow_mode(actor=moderator, room=room, seconds=30)
    signed_in(client, member)
    client.post(reverse("chat:post", args=[room.network.slug, room.slug]), {"body": "First"})
    ChatMessage.objects.update(created_at=timezone.now() - timedelta(seconds=12))

    response = client.post(
        reverse("chat:post", args=[room.network.slug, room.slug]), {"body": "Kept for later"}
    )

    page = response.content.decode()
    assert "Slow mode: you can send your next message in 18 seconds." in page
    assert "Kept for later" in page
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["First"]
