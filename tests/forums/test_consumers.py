"""Chat over the real ASGI application's websocket (origin check, session auth, routing), with
WebsocketCommunicator: who may follow a room, the chat frames, the rate limit, catch-up and bad frames."""

import json

import pytest
from asgiref.sync import sync_to_async

from forums.models import ChatMessage, ChatReaction, ChatReadState, ChatRoom
from forums.services import chat as services
from moderation.services.chat import set_room_state
from network.models import Membership, Network
from realtime.services import recheck_user_subscriptions
from tests.factories import MembershipFactory, NetworkFactory, UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ROLES = ["member", "champion", "moderator", "admin"]


def _room(visibility: str = Network.Visibility.PUBLIC) -> ChatRoom:
    return services.create_general_room(network=NetworkFactory(visibility=visibility))


def _member(
    room: ChatRoom, role: str = Membership.Role.MEMBER, state: str = Membership.State.ACTIVE, **user_fields
):
    return MembershipFactory(
        network=room.network, role=role, state=state, user=UserFactory(**user_fields)
    ).user


new_room = sync_to_async(_room)
new_member = sync_to_async(_member)
new_user = sync_to_async(UserFactory)


def stream(room: ChatRoom) -> str:
    return f"chat:{room.pk}"


class Inbox:
    """A socket's incoming frames, kept until a test asks for them: an event published on commit may
    arrive before or after the ack of the frame that caused it."""

    def __init__(self, socket) -> None:
        self.socket = socket
        self.kept: list[dict] = []
        self.refs = 0

    async def wait_for(self, predicate) -> dict:
        for frame in self.kept:
            if predicate(frame):
                self.kept.remove(frame)
                return frame
        for _ in range(500):
            frame = await self.socket.receive_json_from(timeout=5)
            if predicate(frame):
                return frame
            self.kept.append(frame)
        raise AssertionError(f"never matched; kept {self.kept[-5:]}")

    async def answer(self, frame: dict) -> dict:
        """Send a frame and return the server's answer to it (its ack, error, or subscription)."""
        self.refs += 1
        ref = f"r{self.refs}"
        await self.socket.send_json_to({**frame, "ref": ref})
        return await self.wait_for(lambda f: f.get("ref") == ref)

    async def rest(self, seconds: float) -> list[dict]:
        """Every frame kept or arriving within `seconds`."""
        frames, self.kept = self.kept, []
        while not await self.socket.receive_nothing(timeout=seconds):
            frames.append(await self.socket.receive_json_from())
        return frames

    async def event(self, kind: str) -> dict:
        return await self.wait_for(lambda f: f.get("type") == "event" and f["kind"] == kind)

    async def subscribe(self, key: str, since: int | None = None) -> dict:
        frame = {"type": "subscribe", "stream": key}
        return await self.answer(frame if since is None else {**frame, "since": since})


@pytest.fixture
def inboxes(sockets):
    async def _open(user=None) -> Inbox:
        return Inbox(await sockets(user))

    return _open


# --- Who may follow a room --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", [Network.Visibility.PUBLIC, Network.Visibility.MEMBERS_ONLY])
async def test_every_member_role_follows_the_room(inboxes, role, visibility):
    room = await new_room(visibility)
    socket = await inboxes(await new_member(room, role))

    subscribed = await socket.subscribe(stream(room))

    assert (subscribed["type"], subscribed["stream"]) == ("subscribed", stream(room))


@pytest.mark.parametrize("visibility", [Network.Visibility.PUBLIC, Network.Visibility.MEMBERS_ONLY])
@pytest.mark.parametrize("who", ["anonymous", "outsider", "pending", "left"])
async def test_people_outside_the_network_are_refused(inboxes, visibility, who):
    room = await new_room(visibility)
    if who == "anonymous":
        user = None
    elif who == "outsider":
        user = await new_user()
    else:
        user = await new_member(room, state=who)
    socket = await inboxes(user)

    refused = await socket.subscribe(stream(room))

    assert (refused["type"], refused["code"]) == ("error", "forbidden")


async def test_a_site_operator_follows_any_room(inboxes):
    room = await new_room(Network.Visibility.MEMBERS_ONLY)
    socket = await inboxes(await new_user(is_superuser=True))
    assert (await socket.subscribe(stream(room)))["type"] == "subscribed"


@pytest.mark.parametrize("key", ["chat:0", "chat:999999", "chat:abc", "chat:99999999999999999999"])
async def test_rooms_that_do_not_exist_are_refused(inboxes, key):
    room = await new_room()
    socket = await inboxes(await new_member(room))
    assert (await socket.subscribe(key))["code"] == "forbidden"


async def test_leaving_the_network_stops_the_room_at_once(inboxes):
    room = await new_room()
    member = await new_member(room)
    socket = await inboxes(member)
    await socket.subscribe(stream(room))

    await sync_to_async(Membership.objects.filter(user=member).update)(state=Membership.State.LEFT)
    await sync_to_async(recheck_user_subscriptions)(user_id=member.pk)

    notice = await socket.wait_for(lambda f: f.get("type") == "unsubscribed")
    assert (notice["stream"], notice["reason"]) == (stream(room), "access_lost")


# --- Chat frames ------------------------------------------------------------------------------------


async def test_a_sent_message_is_acknowledged_stored_and_reaches_the_room(inboxes):
    room = await new_room()
    reader, writer = await inboxes(await new_member(room)), await inboxes(await new_member(room))
    await reader.subscribe(stream(room))

    ack = await writer.answer(
        {"type": "chat.send", "room": room.pk, "body": "Hello *all*", "client_id": "c-1"}
    )
    event = await reader.event("message.created")

    message = await ChatMessage.objects.aget()
    assert ack == {
        "type": "ack",
        "ref": "r1",
        "message_id": message.pk,
        "seq": message.seq,
        "client_id": "c-1",
    }
    assert (event["seq"], event["data"]["id"], event["data"]["body_html"]) == (
        message.seq,
        message.pk,
        "<p>Hello <em>all</em></p>\n",
    )


async def test_edit_react_delete_and_read_over_the_socket(inboxes):
    room = await new_room()
    author = await new_member(room)
    socket = await inboxes(author)
    await socket.subscribe(stream(room))
    sent = await socket.answer({"type": "chat.send", "room": room.pk, "body": "Draft"})
    message_id = sent["message_id"]

    edited_ack = await socket.answer({"type": "chat.edit", "message": message_id, "body": "Final"})
    edited = await socket.event("message.edited")
    reacted_ack = await socket.answer(
        {"type": "chat.react", "message": message_id, "reaction": "🎉", "on": True}
    )
    reacted = await socket.event("reaction.changed")
    read_ack = await socket.answer({"type": "chat.read", "room": room.pk, "seq": reacted["seq"]})
    deleted_ack = await socket.answer({"type": "chat.delete", "message": message_id})
    deleted = await socket.event("message.deleted")

    assert edited_ack["type"] == reacted_ack["type"] == deleted_ack["type"] == "ack"
    assert edited["data"]["body"] == "Final"
    assert reacted_ack["reactions"] == reacted["data"]["reactions"] == [{"kind": "🎉", "count": 1}]
    assert (read_ack["room"], read_ack["last_read_seq"]) == (room.pk, reacted["seq"])
    assert deleted["data"]["id"] == message_id
    assert await ChatReaction.objects.filter(message_id=message_id).acount() == 1
    assert (await ChatReadState.objects.aget(user=author)).last_read_seq == reacted["seq"]
    assert (await ChatMessage.objects.aget(pk=message_id)).deleted_at is not None


async def test_refusals_of_the_rules_come_back_as_error_frames(inboxes):
    room = await new_room()
    author, other = await new_member(room), await new_member(room)
    socket, other_socket = await inboxes(author), await inboxes(other)
    message_id = (await socket.answer({"type": "chat.send", "room": room.pk, "body": "Mine"}))["message_id"]

    edit = await other_socket.answer({"type": "chat.edit", "message": message_id, "body": "Theirs"})
    delete = await other_socket.answer({"type": "chat.delete", "message": message_id})
    outsider = await inboxes(await new_user())
    post = await outsider.answer({"type": "chat.send", "room": room.pk, "body": "Hi"})
    anonymous = await inboxes(None)
    anonymous_post = await anonymous.answer({"type": "chat.send", "room": room.pk, "body": "Hi"})

    assert (edit["code"], edit["message"]) == ("forbidden", "Only its author can edit a message.")
    assert delete["code"] == "forbidden"
    assert (post["code"], post["message"]) == (
        "forbidden",
        "Only members of this network can read its chat rooms.",
    )
    assert anonymous_post["code"] == "forbidden"
    assert await ChatMessage.objects.acount() == 1


async def test_a_read_only_room_takes_no_message(inboxes):
    room = await new_room()
    admin = await new_member(room, Membership.Role.ADMIN)
    await sync_to_async(set_room_state)(actor=admin, room=room, state=ChatRoom.State.READ_ONLY)
    socket = await inboxes(admin)

    refused = await socket.answer({"type": "chat.send", "room": room.pk, "body": "Announcement"})

    assert refused["code"] == "forbidden"
    assert "read-only" in refused["message"]


async def test_the_sixth_message_in_the_window_gets_slow_down_and_is_not_stored(inboxes):
    room = await new_room()
    socket = await inboxes(await new_member(room))

    answers = [await socket.answer({"type": "chat.send", "room": room.pk, "body": f"#{n}"}) for n in range(6)]

    assert [a["type"] for a in answers] == ["ack"] * 5 + ["error"]
    assert answers[-1]["code"] == "rate_limited"
    assert answers[-1]["message"] == "You're sending messages too fast. Wait a few seconds and try again."
    assert await ChatMessage.objects.acount() == 5


async def test_a_reader_back_after_a_gap_gets_exactly_what_it_missed_in_order(inboxes, settings):
    settings.CHAT_RATE_LIMIT = None
    room = await new_room()
    reader_user, writer_user = await new_member(room), await new_member(room)
    writer = await inboxes(writer_user)
    reader = await inboxes(reader_user)
    await reader.subscribe(stream(room))
    await writer.answer({"type": "chat.send", "room": room.pk, "body": "Before the gap"})
    seen = (await reader.event("message.created"))["seq"]
    await reader.socket.disconnect()

    ids = [
        (await writer.answer({"type": "chat.send", "room": room.pk, "body": f"Missed {n}"}))["message_id"]
        for n in range(3)
    ]
    await writer.answer({"type": "chat.delete", "message": ids[1]})

    back = await inboxes(reader_user)
    subscribed = await back.subscribe(stream(room), since=seen)
    events = [await back.wait_for(lambda f: f.get("type") == "event") for _ in range(4)]

    assert subscribed["since"] == seen
    assert [e["seq"] for e in events] == list(range(seen + 1, seen + 5))
    assert [e["data"]["id"] for e in events] == [*ids, ids[1]]
    assert events[1]["data"]["deleted"] is True
    assert "Missed 1" not in json.dumps(events)
    assert [f for f in await back.rest(0.3) if f["type"] == "event"] == []


@pytest.mark.parametrize(
    ("frame", "code", "says"),
    [
        ({"type": "chat.send", "room": "lobby", "body": "Hi"}, "invalid", "room"),
        ({"type": "chat.send", "room": 1}, "invalid", "body"),
        ({"type": "chat.send", "room": 1, "body": ""}, "invalid", "Write something before sending."),
        ({"type": "chat.send", "room": 1, "body": "x" * 4001}, "invalid", "4000 characters"),
        ({"type": "chat.send", "room": 1, "body": "Hi", "urgent": True}, "invalid", "urgent"),
        ({"type": "chat.send", "room": 999999, "body": "Hi"}, "not_found", "room does not exist"),
        ({"type": "chat.edit", "message": 999999, "body": "Hi"}, "not_found", "message does not exist"),
        ({"type": "chat.react", "message": 1, "reaction": "🦆", "on": True}, "invalid", "reactions offered"),
        ({"type": "chat.react", "message": 1, "reaction": "👍"}, "invalid", "on"),
        ({"type": "chat.read", "room": 1, "seq": -3}, "invalid", "seq"),
        ({"type": "chat.delete", "message": 0}, "invalid", "message"),
    ],
    ids=[
        "room not a number",
        "no body",
        "empty body",
        "body too long",
        "unknown field",
        "unknown room",
        "unknown message",
        "unknown reaction",
        "reaction without on",
        "negative seq",
        "message zero",
    ],
)
async def test_bad_chat_frames_get_a_clear_error_and_the_socket_keeps_serving(inboxes, frame, code, says):
    room = await new_room()
    member = await new_member(room)
    socket = await inboxes(member)
    message_id = (await socket.answer({"type": "chat.send", "room": room.pk, "body": "Here"}))["message_id"]
    for field, value in (("room", room.pk), ("message", message_id)):
        if frame.get(field) == 1:
            frame = {**frame, field: value}

    error = await socket.answer(frame)
    pong = await socket.answer({"type": "ping"})

    assert (error["type"], error["code"]) == ("error", code)
    assert says in error["message"]
    assert pong["type"] == "pong"
    assert await ChatMessage.objects.acount() == 1


# --- Presence and typing ----------------------------------------------------------------------------


async def test_members_see_who_is_in_the_room_and_who_is_typing(inboxes):
    room = await new_room()
    amina = await new_member(room, display_name="Amina")
    carmen = await new_member(room, display_name="Carmen")
    first, second = await inboxes(amina), await inboxes(carmen)
    await first.subscribe(stream(room))
    await second.subscribe(stream(room))
    await first.wait_for(
        lambda f: f.get("type") == "presence" and f.get("joined", {}).get("name") == "Carmen"
    )

    await second.socket.send_json_to({"type": "typing", "stream": stream(room)})
    typing = await first.wait_for(lambda f: f.get("type") == "typing")

    assert typing["user"] == {"id": carmen.pk, "name": "Carmen"}
