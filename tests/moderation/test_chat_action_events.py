"""What chat moderation announces once it commits, what a page catching up after a gap replays of a
hidden message (over the real websocket), slow mode's error frame, and a room's state reaching its
open pages."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied
from django.db import connections

from forums.events.chat import message_payload
from forums.models import ChatMessage, ChatRoom
from forums.services import chat as chat_services
from moderation.models import AuditEntry, QueueItem
from moderation.services import chat as services
from network.models import Membership
from realtime.selectors import events_after
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.forums.conftest import _fresh_rate_limits  # noqa: F401  (the chat tests' autouse fixture)
from tests.forums.test_consumers import Inbox
from tests.moderation.test_chat_actions import (  # noqa: F401  (fixtures shared by the chat moderation tests)
    message_fixture,
    other_moderator_fixture,
    report_message,
    room_fixture,
    writer_fixture,
)
from tests.realtime.conftest import open_socket

WORDS = "cheap"


@pytest.fixture(name="published")
def published_fixture(monkeypatch) -> list[tuple[str, int, dict]]:
    """What the services announce, once committed: (stream, seq, frame) for each event."""
    frames: list[tuple[str, int, dict]] = []
    monkeypatch.setattr(
        "realtime.hub.publish", lambda stream, seq, frame: frames.append((stream, seq, json.loads(frame)))
    )
    return frames


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what services schedule on commit (publishing their events): the test's transaction never
    commits."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def announced(published) -> list[tuple[str, str, dict]]:
    return [(stream, frame["kind"], frame["data"]) for stream, _seq, frame in published]


def replayed(room: ChatRoom) -> list[dict]:
    """Every event a page following `room` from its start would receive."""
    return [json.loads(frame) for _seq, frame in events_after(stream=f"chat:{room.pk}", after=0)]


# --- What each action announces ---------------------------------------------------------------------


@pytest.mark.django_db
def test_hiding_says_which_message_went_with_none_of_its_words_nor_the_reason(
    room, message, moderator, published, on_commit
):
    on_commit(lambda: services.hide_message(actor=moderator, message=message, reason="Shop advert"))

    assert announced(published) == [
        (f"chat:{room.pk}", "message.hidden", {"id": message.pk, "seq": message.seq})
    ]


@pytest.mark.django_db
def test_hiding_a_reported_message_also_takes_it_off_the_live_queue(
    room, message, member, moderator, published, on_commit
):
    network = room.network
    report_message(member, message)
    item = QueueItem.objects.get()

    on_commit(lambda: services.hide_message(actor=moderator, message=message, reason="Spam"))

    assert announced(published) == [
        (f"chat:{room.pk}", "message.hidden", {"id": message.pk, "seq": message.seq}),
        (
            f"moderation:{network.pk}",
            "item.handled",
            {"id": item.pk, "resolution": "hidden", "handled_by": str(moderator)},
        ),
    ]


@pytest.mark.django_db
def test_the_events_that_carried_a_hidden_messages_words_replay_without_them(
    room, message, writer, member, moderator
):
    chat_services.edit_message(actor=writer, message=message, body="Buy **cheap** watches, now half price.")
    chat_services.react_to_message(user=member, message=message, kind="👍")

    services.hide_message(actor=moderator, message=message, reason="Advertising")

    replay = replayed(room)
    assert [frame["kind"] for frame in replay] == [
        "message.created",
        "message.edited",
        "reaction.changed",
        "message.hidden",
    ]
    assert WORDS not in json.dumps(replay)
    assert "Advertising" not in json.dumps(replay)
    created = replay[0]["data"]
    assert (created["hidden"], created["deleted"], created["body_html"], created["reactions"]) == (
        True,
        False,
        "",
        [],
    )


@pytest.mark.django_db
def test_restoring_announces_the_message_whole_again(room, message, member, moderator, published, on_commit):
    chat_services.react_to_message(user=member, message=message, kind="💡")
    services.hide_message(actor=moderator, message=message, reason="Advertising")

    on_commit(lambda: services.restore_message(actor=moderator, message=message))

    restored = ChatMessage.objects.select_related("author").get(pk=message.pk)
    expected = message_payload(restored, [{"kind": "💡", "count": 1}])
    assert announced(published) == [(f"chat:{room.pk}", "message.restored", dict(expected))]
    assert expected["hidden"] is False
    assert "cheap" in expected["body_html"]


@pytest.mark.django_db
def test_hiding_again_or_deleting_after_a_restore_takes_the_words_out_of_the_restore_too(
    room, message, moderator
):
    services.hide_message(actor=moderator, message=message, reason="Advertising")
    services.restore_message(actor=moderator, message=message)
    services.hide_message(actor=moderator, message=message, reason="Advertising after all")
    assert WORDS not in json.dumps(replayed(room))

    services.restore_message(actor=moderator, message=message)
    services.delete_message(actor=moderator, message=message, reason="Spam")

    replay = replayed(room)
    assert WORDS not in json.dumps(replay)
    restored = [frame["data"] for frame in replay if frame["kind"] == "message.restored"]
    assert [data["deleted"] for data in restored] == [True, True]


@pytest.mark.django_db
def test_a_moderators_deletion_is_announced_as_any_deletion(room, message, moderator, published, on_commit):
    on_commit(lambda: services.delete_message(actor=moderator, message=message, reason="Spam"))

    [(stream, kind, data)] = announced(published)
    assert (stream, kind, data["id"]) == (f"chat:{room.pk}", "message.deleted", message.pk)
    assert WORDS not in json.dumps(replayed(room))


@pytest.mark.django_db
def test_slow_mode_and_room_states_are_announced_for_composers(room, moderator, published, on_commit):
    on_commit(lambda: services.set_slow_mode(actor=moderator, room=room, seconds=45))
    on_commit(lambda: services.set_room_state(actor=moderator, room=room, state="read_only"))
    on_commit(lambda: services.set_slow_mode(actor=moderator, room=room, seconds=45))

    [(stream, first_kind, slow), (_stream, second_kind, closed)] = announced(published)
    assert (stream, first_kind, second_kind) == (f"chat:{room.pk}", "room.updated", "room.updated")
    assert (slow["state"], slow["slow_mode_seconds"], slow["notice"]) == ("open", 45, "")
    assert (closed["state"], closed["slow_mode_seconds"]) == ("read_only", 45)
    assert "read-only" in closed["notice"]


@pytest.mark.django_db
def test_a_refused_action_announces_nothing(room, message, member, published, on_commit):
    with pytest.raises(PermissionDenied):
        on_commit(lambda: services.hide_message(actor=member, message=message, reason="Mine"))

    assert published == []


# --- Over the websocket -----------------------------------------------------------------------------


def _room_with_people() -> tuple[ChatRoom, dict[str, object]]:
    room = chat_services.create_general_room(network=NetworkFactory())
    people = {
        role: MembershipFactory(
            network=room.network, role=role, user=UserFactory(display_name=f"The {role}")
        ).user
        for role in ("member", "champion", "moderator")
    }
    people["writer"] = MembershipFactory(
        network=room.network, user=UserFactory(display_name="Wendy Writer")
    ).user
    people["other_moderator"] = MembershipFactory(role=Membership.Role.MODERATOR).user
    return room, people


new_room_with_people = sync_to_async(_room_with_people)


@pytest_asyncio.fixture
async def inboxes() -> AsyncIterator[Callable[..., Awaitable[Inbox]]]:
    """Opens sockets on the real ASGI application for the test, and closes them all at the end."""
    opened: list[Inbox] = []

    async def _open(user=None) -> Inbox:
        inbox = Inbox(await open_socket(user))
        opened.append(inbox)
        return inbox

    yield _open
    for inbox in opened:
        await inbox.socket.disconnect()
    # The consumers' database work ran in asgiref's worker thread, whose connections would outlive the
    # test (and keep the test database from being dropped) unless closed there.
    await sync_to_async(connections.close_all)()


def stream(room: ChatRoom) -> str:
    return f"chat:{room.pk}"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_page_catching_up_after_a_gap_replays_a_hidden_message_as_hidden(inboxes):
    room, people = await new_room_with_people()
    reader = await inboxes(people["member"])
    await reader.subscribe(stream(room))
    writer = await inboxes(people["writer"])
    await writer.answer({"type": "chat.send", "room": room.pk, "body": "Before the gap"})
    seen = (await reader.event("message.created"))["seq"]
    await reader.socket.disconnect()

    sent = await writer.answer({"type": "chat.send", "room": room.pk, "body": "Buy cheap watches at my shop"})
    await writer.answer(
        {"type": "chat.edit", "message": sent["message_id"], "body": "Buy cheap watches, half price"}
    )
    moderator = await inboxes(people["moderator"])
    hidden = await moderator.answer(
        {"type": "chat.hide", "message": sent["message_id"], "reason": "Advertising"}
    )

    back = await inboxes(people["member"])
    await back.subscribe(stream(room), since=seen)
    events = [await back.wait_for(lambda f: f.get("type") == "event") for _ in range(3)]

    assert hidden["type"] == "ack"
    assert [event["kind"] for event in events] == ["message.created", "message.edited", "message.hidden"]
    assert events[0]["data"]["hidden"] is True
    assert events[2]["data"] == {"id": sent["message_id"], "seq": sent["seq"]}
    assert "cheap" not in json.dumps(events)
    assert "Advertising" not in json.dumps(events)
    assert [f for f in await back.rest(0.3) if f["type"] == "event"] == []


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_open_pages_lose_a_message_a_moderator_hides_and_get_it_back_on_restore(inboxes):
    room, people = await new_room_with_people()
    reader = await inboxes(people["member"])
    await reader.subscribe(stream(room))
    writer = await inboxes(people["writer"])
    sent = await writer.answer({"type": "chat.send", "room": room.pk, "body": "Buy cheap watches"})
    await reader.event("message.created")
    moderator = await inboxes(people["moderator"])

    await moderator.answer({"type": "chat.hide", "message": sent["message_id"], "reason": "Advertising"})
    hidden = await reader.event("message.hidden")
    restored_ack = await moderator.answer({"type": "chat.restore", "message": sent["message_id"]})
    restored = await reader.event("message.restored")

    assert hidden["data"] == {"id": sent["message_id"], "seq": sent["seq"]}
    assert restored_ack["type"] == "ack"
    assert (restored["data"]["id"], restored["data"]["hidden"]) == (sent["message_id"], False)
    assert "cheap" in restored["data"]["body_html"]
    actions = await sync_to_async(list)(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["message.hide", "message.restore"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ["member", "champion", "other_moderator"])
async def test_moderation_frames_from_others_are_refused(inboxes, persona):
    room, people = await new_room_with_people()
    writer = await inboxes(people["writer"])
    sent = await writer.answer({"type": "chat.send", "room": room.pk, "body": "Buy cheap watches"})
    socket = await inboxes(people[persona])

    refusals = [
        await socket.answer({"type": "chat.hide", "message": sent["message_id"], "reason": "Mine"}),
        await socket.answer({"type": "chat.restore", "message": sent["message_id"]}),
        await socket.answer({"type": "chat.delete", "message": sent["message_id"], "reason": "Mine"}),
    ]

    assert [refusal["code"] for refusal in refusals] == ["forbidden"] * 3
    message = await ChatMessage.objects.aget(pk=sent["message_id"])
    assert (message.is_hidden, message.is_deleted) == (False, False)
    assert not await AuditEntry.objects.aexists()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_moderator_deleting_anothers_message_over_the_socket_says_why(inboxes):
    room, people = await new_room_with_people()
    writer = await inboxes(people["writer"])
    sent = await writer.answer({"type": "chat.send", "room": room.pk, "body": "Buy cheap watches"})
    moderator = await inboxes(people["moderator"])

    without = await moderator.answer({"type": "chat.delete", "message": sent["message_id"]})
    hide_without = await moderator.answer({"type": "chat.hide", "message": sent["message_id"], "reason": " "})
    too_long = await moderator.answer(
        {"type": "chat.hide", "message": sent["message_id"], "reason": "x" * 1001}
    )
    deleted = await moderator.answer({"type": "chat.delete", "message": sent["message_id"], "reason": "Spam"})
    again = await moderator.answer({"type": "chat.hide", "message": sent["message_id"], "reason": "Spam"})

    assert (without["code"], without["message"]) == ("invalid", "Say why: the moderation log keeps it.")
    assert (hide_without["code"], hide_without["message"]) == (
        "invalid",
        "Say why: the message's author will read it.",
    )
    assert (too_long["code"], "reason" in too_long["message"]) == ("invalid", True)
    assert deleted["type"] == "ack"
    assert (again["code"], again["message"]) == ("invalid", "This message was deleted.")
    entry = await AuditEntry.objects.aget()
    assert (entry.action, entry.reason, entry.before["body"]) == (
        "message.delete",
        "Spam",
        "Buy cheap watches",
    )


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_slow_mode_refuses_a_members_second_message_with_its_own_error_frame(inboxes):
    room, people = await new_room_with_people()
    await sync_to_async(services.set_slow_mode)(actor=people["moderator"], room=room, seconds=60)
    member = await inboxes(people["member"])
    moderator = await inboxes(people["moderator"])

    first = await member.answer({"type": "chat.send", "room": room.pk, "body": "First"})
    second = await member.answer({"type": "chat.send", "room": room.pk, "body": "Second, too soon"})
    moderators = [
        await moderator.answer({"type": "chat.send", "room": room.pk, "body": f"Mod {n}"}) for n in range(2)
    ]

    assert first["type"] == "ack"
    assert (second["type"], second["code"]) == ("error", "slow_mode")
    assert second["message"].startswith("Slow mode: you can send your next message in ")
    assert second["message"].endswith(" seconds.")
    assert [answer["type"] for answer in moderators] == ["ack", "ack"]
    bodies = await sync_to_async(list)(ChatMessage.objects.order_by("seq").values_list("body", flat=True))
    assert bodies == ["First", "Mod 0", "Mod 1"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_room_made_read_only_reaches_its_open_pages_and_takes_no_more_messages(inboxes):
    room, people = await new_room_with_people()
    member = await inboxes(people["member"])
    await member.subscribe(stream(room))

    await sync_to_async(services.set_slow_mode)(actor=people["moderator"], room=room, seconds=20)
    slow = await member.event("room.updated")
    await sync_to_async(services.set_room_state)(actor=people["moderator"], room=room, state="read_only")
    closed = await member.event("room.updated")
    refused = await member.answer({"type": "chat.send", "room": room.pk, "body": "Still here?"})

    assert (slow["data"]["slow_mode_seconds"], slow["data"]["state"]) == (20, "open")
    assert (closed["data"]["state"], closed["data"]["slow_mode_seconds"]) == ("read_only", 20)
    assert "read-only" in closed["data"]["notice"]
    assert (refused["code"], "read-only" in refused["message"]) == ("forbidden", True)
